package dataplane

import (
	"net"
	"net/url"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// Domains is what the front door reads of the custom domain names, per
// request. The control plane implements it (domain names are one namespace
// for apigateway and apigatewayv2).
type Domains interface {
	// DomainMappings returns the mappings of the custom domain name (lower
	// case, such as "api.example.com" or "*.example.com"), whatever its
	// account or region, and whether the name exists.
	DomainMappings(name string) ([]Mapping, bool)
}

// DomainsFunc adapts a function to Domains.
type DomainsFunc func(name string) ([]Mapping, bool)

// DomainMappings calls f.
func (f DomainsFunc) DomainMappings(name string) ([]Mapping, bool) { return f(name) }

// Mapping sends the requests under one path of a domain to an API's stage:
// a v2 API mapping or a v1 base path mapping.
type Mapping struct {
	// Key is the mapped path without slashes at either end, "" for the root
	// (v1's "(none)"); it may have several segments, such as "v1/orders".
	Key   string
	APIID string
	// Stage is "" for a v1 base path mapping without a stage, whose callers
	// name the stage as the first segment after the base path.
	Stage string
}

// customDomainRequest resolves a request to a custom domain name: the
// mapping with the longest key that the path begins with, segment by
// segment, and the path after that key. It reports false when host is no
// custom domain; a domain none of whose mappings match gives a request
// without an API.
func (f *FrontDoor) customDomainRequest(host, escapedPath string) (*execute.Request, bool) {
	mappings, ok := f.domainMappings(host)
	if !ok {
		return nil, false
	}
	req := &execute.Request{CustomDomain: host}
	if m, rest, matched := selectMapping(mappings, escapedPath); matched {
		req.APIID, req.Stage, req.Path = m.APIID, m.Stage, rest
	}
	return req, true
}

// domainMappings finds the domain name a host is: itself, or else the
// wildcard name of its parent (*.example.com serves a.example.com; a
// domain name of its own takes precedence, as AWS lets both coexist and
// behave differently). The control plane's own hosts and IP addresses are
// never custom domains.
func (f *FrontDoor) domainMappings(host string) ([]Mapping, bool) {
	if f.domains == nil || host == "" || f.ownHosts[host] || net.ParseIP(host) != nil {
		return nil, false
	}
	if mappings, ok := f.domains.DomainMappings(host); ok {
		return mappings, true
	}
	_, parent, found := strings.Cut(host, ".")
	if !found || !strings.Contains(parent, ".") {
		return nil, false
	}
	return f.domains.DomainMappings("*." + parent)
}

// selectMapping returns the mapping whose key is the longest whole-segment
// prefix of the path (the root mapping, key "", matches every path), and
// the escaped path after that prefix, starting with "/".
func selectMapping(mappings []Mapping, escapedPath string) (chosen Mapping, rest string, ok bool) {
	segments := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	longest := -1
	for _, m := range mappings {
		if n, matches := keyPrefixOf(m.Key, segments); matches && n > longest {
			chosen, longest = m, n
		}
	}
	if longest < 0 {
		return Mapping{}, "", false
	}
	return chosen, "/" + strings.Join(segments[longest:], "/"), true
}

// keyPrefixOf tells whether a mapping key's segments begin the path's
// (escaped) segments, and how many they are. Base paths are matched as
// written, case included.
func keyPrefixOf(key string, pathSegments []string) (int, bool) {
	if key == "" {
		return 0, true
	}
	keySegments := strings.Split(key, "/")
	if len(keySegments) > len(pathSegments) {
		return 0, false
	}
	for i, want := range keySegments {
		if unescapeSegment(pathSegments[i]) != want {
			return 0, false
		}
	}
	return len(keySegments), true
}

func unescapeSegment(segment string) string {
	if unescaped, err := url.PathUnescape(segment); err == nil {
		return unescaped
	}
	return segment
}
