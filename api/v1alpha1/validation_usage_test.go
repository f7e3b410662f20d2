package v1alpha1_test

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1alpha1 "github.com/runner-codes/infra-operator/api/v1alpha1"
)

const (
	msgPlanStageTwice = "apiStages lists an APIGateway stage twice; remove the duplicate"
	msgMethodKey      = "apiStages[].throttle keys name a method: \"GET /pets\" (as in the APIGateway's routes) or AWS's \"/pets/GET\" (\"*\" for every method); fix the key"
	msgKeyValueSource = "set exactly one of generateInto (the operator generates the value into a Secret it creates) and valueFrom (the value is read from your Secret)"
	msgPlanRefNS      = "usagePlanRefs[].namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
)

// usagePlan is a valid plan in namespace default, changed by mut.
func usagePlan(mut func(*v1alpha1.APIGatewayUsagePlanSpec)) *v1alpha1.APIGatewayUsagePlan {
	p := &v1alpha1.APIGatewayUsagePlan{
		ObjectMeta: metav1.ObjectMeta{Name: "plan", Namespace: "default"},
		Spec: v1alpha1.APIGatewayUsagePlanSpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws"},
			APIStages:   []v1alpha1.UsagePlanAPIStage{{APIRef: v1alpha1.LocalObjectReference{Name: "pets"}, Stage: "prod"}},
			Throttle:    &v1alpha1.UsagePlanThrottle{RateLimit: 10, BurstLimit: 5},
			Quota:       &v1alpha1.UsagePlanQuota{Limit: 1000, Period: "DAY"},
		},
	}
	if mut != nil {
		mut(&p.Spec)
	}
	return p
}

func methodThrottle(key string) func(*v1alpha1.APIGatewayUsagePlanSpec) {
	return func(s *v1alpha1.APIGatewayUsagePlanSpec) {
		s.APIStages[0].Throttle = map[string]v1alpha1.UsagePlanThrottle{key: {RateLimit: 1, BurstLimit: 1}}
	}
}

func TestAPIGatewayUsagePlan(t *testing.T) {
	cases := []admissionCase{
		{"valid", usagePlan(nil), nil},
		{"no stages, no limits", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.APIStages, s.Throttle, s.Quota = nil, nil, nil }), nil},
		{"route key throttle", usagePlan(methodThrottle("GET /pets/{id}")), nil},
		{"AWS key throttle", usagePlan(methodThrottle("/pets/{id}/GET")), nil},
		{"every method", usagePlan(methodThrottle("/*/*")), nil},
		{"ANY route", usagePlan(methodThrottle("ANY /pets")), nil},
		{"method alone", usagePlan(methodThrottle("GET")), refused("spec.apiStages[0]", msgMethodKey)},
		{"lowercase method", usagePlan(methodThrottle("get /pets")), refused("spec.apiStages[0]", msgMethodKey)},
		{"stage twice", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.APIStages = append(s.APIStages, s.APIStages[0]) }),
			refused("spec.apiStages", msgPlanStageTwice)},
		{"same API, two stages", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) {
			s.APIStages = append(s.APIStages, v1alpha1.UsagePlanAPIStage{APIRef: s.APIStages[0].APIRef, Stage: "staging"})
		}), nil},
		{"quota period HOUR", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.Quota.Period = "HOUR" }),
			refused("spec.quota.period", `Unsupported value: "HOUR": supported values: "DAY", "WEEK", "MONTH"`)},
		{"negative rate", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.Throttle.RateLimit = -1 }),
			refused("spec.throttle.rateLimit", "should be greater than or equal to 0")},
		{"description with a tab", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.Description = "a\tb" }), refused("spec.description", msgDescControl)},
		{"tag aws:", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.Tags = map[string]string{"aws:x": "y"} }), refused("spec.tags", msgTagReserved)},
		{"49 tags", usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.Tags = nTags(49) }), refused("spec.tags", msgTooManyTags)},
	}
	cases = append(cases, allowedNamespacesCases(func(ns []string) client.Object {
		return usagePlan(func(s *v1alpha1.APIGatewayUsagePlanSpec) { s.AllowedNamespaces = ns })
	})...)
	runCases(t, cases)
}

// apiKey is a valid generated key in namespace default, changed by mut.
func apiKey(mut func(*v1alpha1.APIGatewayAPIKeySpec)) *v1alpha1.APIGatewayAPIKey {
	k := &v1alpha1.APIGatewayAPIKey{
		ObjectMeta: metav1.ObjectMeta{Name: "key", Namespace: "default"},
		Spec: v1alpha1.APIGatewayAPIKeySpec{
			ProviderRef:   v1alpha1.ProviderReference{Name: "aws"},
			GenerateInto:  &v1alpha1.GeneratedSecret{Name: "partner-key"},
			UsagePlanRefs: []v1alpha1.UsagePlanReference{{Name: "plan"}},
		},
	}
	if mut != nil {
		mut(&k.Spec)
	}
	return k
}

func TestAPIGatewayAPIKey(t *testing.T) {
	valueFrom := &v1alpha1.APIKeyValueFrom{SecretKeyRef: v1alpha1.SecretKeySelector{Name: "mine", Key: "value"}}
	runCases(t, []admissionCase{
		{"generated", apiKey(nil), nil},
		{"from a Secret", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) { s.GenerateInto, s.ValueFrom = nil, valueFrom }), nil},
		{"both", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) { s.ValueFrom = valueFrom }), refused("spec", msgKeyValueSource)},
		{"neither", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) { s.GenerateInto = nil }), refused("spec", msgKeyValueSource)},
		{"plan of another namespace", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) { s.UsagePlanRefs[0].Namespace = "billing" }), nil},
		{"plan namespace in upper case", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) { s.UsagePlanRefs[0].Namespace = "Billing" }),
			refused("spec.usagePlanRefs[0].namespace", msgPlanRefNS)},
		{"valueFrom without a key", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) {
			s.GenerateInto = nil
			s.ValueFrom = &v1alpha1.APIKeyValueFrom{SecretKeyRef: v1alpha1.SecretKeySelector{Name: "mine"}}
		}), refused("spec.valueFrom.secretKeyRef.key", "should be at least 1 chars long")},
		{"description of 1025", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) { s.Description = strings.Repeat("d", 1025) }),
			refused("spec.description", "Too long: may not be more than 1024 bytes")},
		{"tag key with *", apiKey(func(s *v1alpha1.APIGatewayAPIKeySpec) { s.Tags = map[string]string{"a*b": "y"} }), refused("spec.tags", msgTagCharset)},
	})
}
