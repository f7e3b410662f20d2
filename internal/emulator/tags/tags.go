// Package tags is the one tag validator of both API Gateway families, with
// AWS's rules (Dev Guide "Tag restrictions"): at most 50 tags per resource,
// keys of 1 to 128 Unicode characters, values of at most 256, letters,
// numbers, spaces and . : + = @ _ / - only, and the aws: prefix reserved in
// any case. Each service words a violation its own way (its errors.go).
package tags

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// AWS's limits: tags per resource, and Unicode characters per key and value.
const (
	MaxPerResource = 50
	MaxKeyLength   = 128
	MaxValueLength = 256
)

// characters is AWS's character set for keys and values.
var characters = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// Problem names the rule a tag set breaks.
type Problem int

const (
	// ReservedPrefix is a key starting with aws:, in any case.
	ReservedPrefix Problem = iota + 1
	// KeyLength is an empty key or one longer than MaxKeyLength.
	KeyLength
	// ValueLength is a value longer than MaxValueLength.
	ValueLength
	// Characters is a key or value with a character AWS does not allow.
	Characters
	// TooMany is a merged set of more than MaxPerResource tags.
	TooMany
)

// Violation is the first rule broken, and the key that breaks it (none for
// TooMany).
type Violation struct {
	Problem Problem
	Key     string
}

// Check validates adding added to existing (existing tags are valid
// already): each added tag in key order, so the answer does not depend on
// map order, then the count of the merged set. nil means valid.
func Check(existing, added map[string]string) *Violation {
	for _, key := range slices.Sorted(maps.Keys(added)) {
		value := added[key]
		switch {
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			return &Violation{Problem: ReservedPrefix, Key: key}
		case key == "" || utf8.RuneCountInString(key) > MaxKeyLength:
			return &Violation{Problem: KeyLength, Key: key}
		case utf8.RuneCountInString(value) > MaxValueLength:
			return &Violation{Problem: ValueLength, Key: key}
		case !characters.MatchString(key) || !characters.MatchString(value):
			return &Violation{Problem: Characters, Key: key}
		}
	}
	if len(Merge(existing, added)) > MaxPerResource {
		return &Violation{Problem: TooMany}
	}
	return nil
}

// Merge returns a new map: existing overwritten by added. It is never nil.
func Merge(existing, added map[string]string) map[string]string {
	merged := make(map[string]string, len(existing)+len(added))
	maps.Copy(merged, existing)
	maps.Copy(merged, added)
	return merged
}

// Without returns a new map: current without keys. It is never nil.
func Without(current map[string]string, keys []string) map[string]string {
	remaining := Merge(current, nil)
	for _, key := range keys {
		delete(remaining, key)
	}
	return remaining
}

// Service names whose words a violation is put in: the two API families
// word the same rules differently. Neither wording is AWS's recorded one
// (no recorded case refuses a tag), so each keeps what its tests pin.
type Service int

const (
	// APIGateway words violations as API Gateway v1 (REST APIs) does.
	APIGateway Service = iota
	// APIGatewayV2 words them as API Gateway v2 (HTTP and WebSocket APIs) does.
	APIGatewayV2
)

// Message words the violation as the service does.
func (v *Violation) Message(service Service) string {
	if service == APIGateway {
		return v.restMessage()
	}
	return v.v2Message()
}

func (v *Violation) restMessage() string {
	switch v.Problem {
	case ReservedPrefix:
		return "Tag keys cannot start with 'aws:': " + v.Key
	case KeyLength:
		return fmt.Sprintf("Tag keys must be between 1 and %d characters: %s", MaxKeyLength, v.Key)
	case ValueLength:
		return fmt.Sprintf("Tag values must be at most %d characters (key %s)", MaxValueLength, v.Key)
	case Characters:
		return "Invalid tag " + v.Key + ": only letters, numbers, spaces and . : + = @ _ / - are allowed"
	default:
		return fmt.Sprintf("A resource can have at most %d tags", MaxPerResource)
	}
}

func (v *Violation) v2Message() string {
	messages := map[Problem]string{
		ReservedPrefix: fmt.Sprintf("Invalid tag key %s: tag keys starting with 'aws:' are reserved", v.Key),
		KeyLength:      fmt.Sprintf("Invalid tag key %s: tag keys must be between 1 and %d characters", v.Key, MaxKeyLength),
		ValueLength:    fmt.Sprintf("Invalid tag value for key %s: tag values must be at most %d characters", v.Key, MaxValueLength),
		Characters:     fmt.Sprintf("Invalid tag %s: tags may contain only letters, numbers, spaces and . : + = @ _ / -", v.Key),
		TooMany:        fmt.Sprintf("Too many tags: a resource can have at most %d tags", MaxPerResource),
	}
	return messages[v.Problem]
}
