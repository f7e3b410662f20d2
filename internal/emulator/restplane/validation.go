package restplane

import (
	"maps"
	"slices"
	"strings"
)

// validateRequest applies the method's request validator: with
// validateRequestParameters, every required method.request.{querystring,
// header, path}.{name} must be present, else 400 "Missing required request
// parameters: [a, b]" (AWS's order of several names is not documented; the
// plane sorts them). Body validation against the request model is not done
// (see docs/emulator.md).
func validateRequest(x *exchange) bool {
	validator, ok := x.deployment.Validators[x.route.method.RequestValidatorID]
	if !ok || !validator.ValidateRequestParameters {
		return true
	}
	var missing []string
	for _, parameter := range slices.Sorted(maps.Keys(x.route.method.RequestParameters)) {
		if !x.route.method.RequestParameters[parameter] {
			continue
		}
		if name, present := x.hasParameter(parameter); !present {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		x.fail(badRequestParameters, "Missing required request parameters: ["+strings.Join(missing, ", ")+"]")
		return false
	}
	return true
}

// hasParameter tells whether the request carries method.request.{location}.{name}.
func (x *exchange) hasParameter(parameter string) (name string, present bool) {
	rest := strings.TrimPrefix(parameter, "method.request.")
	location, name, _ := strings.Cut(rest, ".")
	switch location {
	case "querystring", "multivaluequerystring":
		return name, x.r.URL.Query().Has(name)
	case "header", "multivalueheader":
		return name, len(x.r.Header.Values(name)) > 0
	case "path":
		return name, x.route.params[name] != ""
	}
	return name, true
}
