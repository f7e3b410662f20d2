// Package ownership is the one place that marks AWS resources as an
// object's, and reads the mark back. The mark is a pair of tags: the owner
// object's UID, which alone decides ownership (a re-created object with the
// same name is another owner), and "namespace/name" for humans. Status is a
// cache of what was found; the UID tag is the evidence.
package ownership

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"strings"
)

const (
	// OwnerTagKey holds "namespace/name" of the owning object, for humans.
	// It may be shortened (see Hint): it decides nothing.
	OwnerTagKey = "aws-infra-operator.runner.codes/owner"
	// OwnerUIDTagKey holds the owning object's UID: the authority.
	OwnerUIDTagKey = "aws-infra-operator.runner.codes/owner-uid"

	// MaxTags is how many tags AWS allows on one resource.
	MaxTags = 50
	// maxValue is the length AWS allows a tag value.
	maxValue = 256
)

// Keys are the tag keys of the ownership mark, sorted.
var Keys = []string{OwnerTagKey, OwnerUIDTagKey}

// Tags returns the tags that mark a resource as owned by the object.
func Tags(namespace, name, uid string) map[string]string {
	return map[string]string{
		OwnerTagKey:    Hint(namespace, name),
		OwnerUIDTagKey: uid,
	}
}

// Hint is "namespace/name", shortened to fit AWS's 256-character tag values:
// a namespace (63) and a name (253) may together be longer. A shortened hint
// keeps the start of the name and ends with "+" and a digest of the whole,
// so two long names still read differently; "+" is in AWS's tag character
// set, like everything in a Kubernetes name.
func Hint(namespace, name string) string {
	full := namespace + "/" + name
	if len(full) <= maxValue {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	suffix := "+" + hex.EncodeToString(sum[:])[:12]
	return full[:maxValue-len(suffix)] + suffix
}

// OwnerUID returns the UID the tags name as owner, or "".
func OwnerUID(tags map[string]string) string { return tags[OwnerUIDTagKey] }

// OwnedBy reports whether the tags prove the resource is the object's.
func OwnedBy(tags map[string]string, uid string) bool {
	return uid != "" && OwnerUID(tags) == uid
}

// Merge returns the tags a resource should carry: the provider's defaults,
// overridden by the object's own tags, overridden in turn by the ownership
// mark (which the user can never set, since it decides what the operator
// may touch).
func Merge(defaults, own, mark map[string]string) map[string]string {
	tags := map[string]string{}
	maps.Copy(tags, defaults)
	maps.Copy(tags, own)
	maps.Copy(tags, mark)
	return tags
}

// TooMany returns how many tags a merged set has when that is more than AWS
// allows, and the keys that came from the provider's defaults, for a message
// that says where they came from; 0 when they fit.
func TooMany(defaults, own map[string]string) (int, []string) {
	merged := Merge(defaults, own, Tags("", "", ""))
	if len(merged) <= MaxTags {
		return 0, nil
	}
	var fromDefaults []string
	for key := range defaults {
		if _, overridden := own[key]; !overridden {
			fromDefaults = append(fromDefaults, key)
		}
	}
	slices.Sort(fromDefaults)
	return len(merged), fromDefaults
}

// tagCharacters is AWS's character set for tag keys and values.
var tagCharacters = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// InvalidValue returns the first key (sorted) whose value holds characters
// AWS refuses in a tag value. Admission checks keys; values are checked
// here, before any AWS call, because a CEL rule over unbounded map values
// exceeds the API server's cost budget.
func InvalidValue(tags map[string]string) (string, bool) {
	for _, key := range slices.Sorted(maps.Keys(tags)) {
		if !tagCharacters.MatchString(tags[key]) {
			return key, true
		}
	}
	return "", false
}

// Diff returns the tags to set and the keys to remove for observed to
// become desired. Tags AWS reserves (aws:) are never removed.
func Diff(observed, desired map[string]string) (set map[string]string, remove []string) {
	for key, value := range desired {
		if current, ok := observed[key]; !ok || current != value {
			if set == nil {
				set = map[string]string{}
			}
			set[key] = value
		}
	}
	for _, key := range slices.Sorted(maps.Keys(observed)) {
		if _, wanted := desired[key]; !wanted && !strings.HasPrefix(strings.ToLower(key), "aws:") {
			remove = append(remove, key)
		}
	}
	return set, remove
}
