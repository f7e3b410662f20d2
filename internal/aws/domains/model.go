// Package domains is the custom domain name family: REGIONAL domain names
// through API Gateway v2 (whose API mappings serve HTTP, WebSocket and REST
// APIs alike), EDGE ones through v1 (whose base path mappings serve REST
// APIs), behind one model. AWS keeps one namespace of domain names per
// account and region for both families: the name is the natural key.
package domains

import (
	"fmt"
	"maps"
	"slices"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

// Endpoint types.
const (
	Regional = "REGIONAL"
	Edge     = "EDGE"
)

// Domain is one custom domain name.
type Domain struct {
	Name           string
	EndpointType   string
	CertificateARN string
	SecurityPolicy string
	// TruststoreURI is empty when mutual TLS is off.
	TruststoreURI, TruststoreVersion string
	Tags                             map[string]string
	// What AWS answers: where DNS must point, and the state.
	TargetDomainName, HostedZoneID, Status string
}

// OwnedBy reports whether the domain's owner mark is the UID's.
func (d Domain) OwnedBy(uid string) bool { return ownership.OwnedBy(d.Tags, uid) }

// Delta is what an update changes: the settings (one UpdateDomainName) and
// the tags.
type Delta struct {
	Settings     []string
	TagsToSet    map[string]string
	TagsToRemove []string
}

// Empty reports whether there is nothing to change.
func (d Delta) Empty() bool {
	return len(d.Settings) == 0 && len(d.TagsToSet) == 0 && len(d.TagsToRemove) == 0
}

// Compare returns how observed differs from desired, settings worded for
// events (`securityPolicy: "TLS_1_0" => "TLS_1_2"`).
func Compare(observed, desired Domain) Delta {
	var d Delta
	for _, f := range []struct{ name, observed, desired string }{
		{"certificateARN", observed.CertificateARN, desired.CertificateARN},
		{"securityPolicy", observed.SecurityPolicy, desired.SecurityPolicy},
		{"mutualTLS.truststoreURI", observed.TruststoreURI, desired.TruststoreURI},
		{"mutualTLS.truststoreVersion", observed.TruststoreVersion, desired.TruststoreVersion},
	} {
		if f.observed != f.desired {
			d.Settings = append(d.Settings, fmt.Sprintf("%s: %q => %q", f.name, f.observed, f.desired))
		}
	}
	d.TagsToSet, d.TagsToRemove = gateway.TagChanges(observed.Tags, desired.Tags)
	return d
}

// Changes words a delta for events, one entry a field.
func Changes(observed Domain, d Delta) []string {
	out := slices.Clone(d.Settings)
	for _, key := range slices.Sorted(maps.Keys(d.TagsToSet)) {
		out = append(out, fmt.Sprintf("tag %s: %q => %q", key, observed.Tags[key], d.TagsToSet[key]))
	}
	for _, key := range d.TagsToRemove {
		out = append(out, fmt.Sprintf("tag %s: %q => removed", key, observed.Tags[key]))
	}
	return out
}

// Mapping is one API stage served under a base path of a domain: a v2 API
// mapping, or a v1 base path mapping (whose id is its base path).
type Mapping struct {
	ID       string
	APIID    string
	Stage    string
	BasePath string
}
