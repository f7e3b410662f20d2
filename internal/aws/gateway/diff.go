package gateway

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Defaults AWS fills in when a request leaves the member out. Desired APIs
// may leave them empty; comparing against the default keeps an empty desired
// value from looking like a change on every reconcile.
const (
	defaultWebSocketRouteSelection = "$request.body.action"
	defaultAPIKeySelection         = "$request.header.x-api-key"
	// defaultRESTEndpointType is what CreateRestApi picks without an
	// endpointConfiguration.
	defaultRESTEndpointType = EndpointEdge
	// reservedTagPrefix marks tags AWS owns: they can be neither set nor
	// removed, so they never take part in a comparison.
	reservedTagPrefix = "aws:"
)

// delta is the structured difference between an observed and a desired API:
// Diff words it for humans, Update turns it into calls.
type delta struct {
	protocol       bool
	name           bool
	description    bool
	disableExecute bool
	endpointType   bool
	cors           bool
	routeSelection bool
	apiKeySelect   bool

	vpcEndpointsToAdd    []string
	vpcEndpointsToRemove []string

	// tagsToSet holds added and changed tags with their desired values.
	tagsToSet    map[string]string
	tagsToRemove []string
}

// Diff lists what differs between observed and desired, field by field, in a
// stable order. Fields AWS does not support for the protocol are ignored. An
// empty result means Update would make no call.
func Diff(observed, desired API) []Change {
	return compare(observed, desired).changes(observed, desired)
}

func compare(observed, desired API) delta {
	d := delta{
		protocol:       observed.Protocol != desired.Protocol,
		name:           observed.Name != desired.Name,
		description:    observed.Description != desired.Description,
		disableExecute: observed.DisableExecuteAPIEndpoint != desired.DisableExecuteAPIEndpoint,
	}
	switch desired.Protocol {
	case ProtocolREST:
		d.endpointType = restEndpointType(observed) != restEndpointType(desired)
		d.vpcEndpointsToAdd, d.vpcEndpointsToRemove = setDifference(observed.VPCEndpointIDs, desiredVPCEndpoints(desired))
	case ProtocolHTTP:
		d.cors = !CORSEqual(observed.CORS, desired.CORS)
	case ProtocolWebSocket:
		d.routeSelection = webSocketRouteSelection(observed) != webSocketRouteSelection(desired)
		d.apiKeySelect = apiKeySelection(observed) != apiKeySelection(desired)
	}
	d.tagsToSet, d.tagsToRemove = TagChanges(observed.Tags, desired.Tags)
	return d
}

// attributesChanged reports whether the API's own attributes (everything but
// tags) differ, i.e. whether an UpdateApi/UpdateRestApi call is needed.
func (d delta) attributesChanged() bool {
	return d.name || d.description || d.disableExecute || d.endpointType ||
		d.routeSelection || d.apiKeySelect ||
		len(d.vpcEndpointsToAdd) > 0 || len(d.vpcEndpointsToRemove) > 0
}

func (d delta) empty() bool {
	return !d.protocol && !d.attributesChanged() && !d.cors &&
		len(d.tagsToSet) == 0 && len(d.tagsToRemove) == 0
}

func (d delta) changes(observed, desired API) []Change {
	var out []Change
	add := func(changed bool, field, from, to string) {
		if changed {
			out = append(out, Change{Field: field, From: from, To: to})
		}
	}
	add(d.protocol, "protocol", string(observed.Protocol), string(desired.Protocol))
	add(d.name, "name", strconv.Quote(observed.Name), strconv.Quote(desired.Name))
	add(d.description, "description", strconv.Quote(observed.Description), strconv.Quote(desired.Description))
	add(d.disableExecute, "disableExecuteApiEndpoint",
		strconv.FormatBool(observed.DisableExecuteAPIEndpoint), strconv.FormatBool(desired.DisableExecuteAPIEndpoint))
	add(d.endpointType, "endpointType", restEndpointType(observed), restEndpointType(desired))
	add(len(d.vpcEndpointsToAdd)+len(d.vpcEndpointsToRemove) > 0, "vpcEndpointIds",
		formatList(observed.VPCEndpointIDs), formatList(desiredVPCEndpoints(desired)))
	add(d.cors, "cors", FormatCORS(observed.CORS), FormatCORS(desired.CORS))
	add(d.routeSelection, "routeSelectionExpression",
		strconv.Quote(webSocketRouteSelection(observed)), strconv.Quote(webSocketRouteSelection(desired)))
	add(d.apiKeySelect, "apiKeySelectionExpression",
		strconv.Quote(apiKeySelection(observed)), strconv.Quote(apiKeySelection(desired)))
	for _, key := range slices.Sorted(maps.Keys(d.tagsToSet)) {
		from, had := observed.Tags[key]
		add(true, "tags["+key+"]", formatOptional(from, had), strconv.Quote(d.tagsToSet[key]))
	}
	for _, key := range d.tagsToRemove {
		add(true, "tags["+key+"]", strconv.Quote(observed.Tags[key]), "(absent)")
	}
	return out
}

func restEndpointType(api API) string {
	if api.Protocol != ProtocolREST {
		return ""
	}
	if api.EndpointType == "" {
		return defaultRESTEndpointType
	}
	return strings.ToUpper(api.EndpointType)
}

// desiredVPCEndpoints returns the VPC endpoints the API should have: only
// PRIVATE APIs can be associated with any.
func desiredVPCEndpoints(desired API) []string {
	if restEndpointType(desired) != EndpointPrivate {
		return nil
	}
	return desired.VPCEndpointIDs
}

func webSocketRouteSelection(api API) string {
	if api.RouteSelectionExpression == "" {
		return defaultWebSocketRouteSelection
	}
	return api.RouteSelectionExpression
}

func apiKeySelection(api API) string {
	if api.APIKeySelectionExpression == "" {
		return defaultAPIKeySelection
	}
	return api.APIKeySelectionExpression
}

// TagChanges returns the tags to set (added, or with a changed value) and the
// keys to remove to turn observed into desired. Keys starting with "aws:" are
// ignored on both sides: AWS reserves them.
func TagChanges(observed, desired map[string]string) (set map[string]string, remove []string) {
	for key, value := range desired {
		if isReservedTag(key) {
			continue
		}
		if current, ok := observed[key]; !ok || current != value {
			if set == nil {
				set = map[string]string{}
			}
			set[key] = value
		}
	}
	for key := range observed {
		if _, wanted := desired[key]; !wanted && !isReservedTag(key) {
			remove = append(remove, key)
		}
	}
	slices.Sort(remove)
	return set, remove
}

func isReservedTag(key string) bool { return strings.HasPrefix(key, reservedTagPrefix) }

// withoutReservedTags drops "aws:" keys, which AWS refuses in untag calls.
func withoutReservedTags(keys []string) []string {
	return slices.DeleteFunc(slices.Clone(keys), isReservedTag)
}

// CORSEqual reports whether two CORS configurations mean the same thing to
// AWS. Header names and methods compare case-insensitively (AWS lowercases
// header names), every list compares as a set, and nil differs from any
// configuration, even an empty one.
func CORSEqual(a, b *CORS) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return sameSet(a.AllowOrigins, b.AllowOrigins, keep) &&
		sameSet(a.AllowMethods, b.AllowMethods, strings.ToUpper) &&
		sameSet(a.AllowHeaders, b.AllowHeaders, strings.ToLower) &&
		sameSet(a.ExposeHeaders, b.ExposeHeaders, strings.ToLower) &&
		sameMaxAge(a.MaxAge, b.MaxAge) &&
		a.AllowCredentials == b.AllowCredentials
}

func keep(s string) string { return s }

func sameMaxAge(a, b *int32) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// sameSet compares two lists as sets after normalising each element.
func sameSet(a, b []string, normalize func(string) string) bool {
	return slices.Equal(normalizedSet(a, normalize), normalizedSet(b, normalize))
}

func normalizedSet(list []string, normalize func(string) string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, normalize(s))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// setDifference returns the elements of desired missing from observed (to
// add) and those of observed missing from desired (to remove), sorted.
func setDifference(observed, desired []string) (add, remove []string) {
	for _, s := range normalizedSet(desired, keep) {
		if !slices.Contains(observed, s) {
			add = append(add, s)
		}
	}
	for _, s := range normalizedSet(observed, keep) {
		if !slices.Contains(desired, s) {
			remove = append(remove, s)
		}
	}
	return add, remove
}

// FormatCORS renders a CORS configuration for logs and events.
func FormatCORS(c *CORS) string {
	if c == nil {
		return "(none)"
	}
	maxAge := "unset"
	if c.MaxAge != nil {
		maxAge = strconv.Itoa(int(*c.MaxAge))
	}
	return fmt.Sprintf("{origins=%s methods=%s headers=%s expose=%s maxAge=%s credentials=%t}",
		formatList(c.AllowOrigins), formatList(c.AllowMethods), formatList(c.AllowHeaders),
		formatList(c.ExposeHeaders), maxAge, c.AllowCredentials)
}

func formatList(list []string) string { return "[" + strings.Join(list, ",") + "]" }

func formatOptional(value string, present bool) string {
	if !present {
		return "(absent)"
	}
	return strconv.Quote(value)
}
