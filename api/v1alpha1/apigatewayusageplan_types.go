package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Reasons of the APIGatewayUsagePlan and APIGatewayAPIKey kinds.
const (
	// ReasonAPIStageNotReady: an apiStage's APIGateway does not exist, is
	// not Ready or has no such stage yet.
	ReasonAPIStageNotReady = "APIStageNotReady"
	// ReasonUsagePlanNotAllowed: an API key names a usage plan of another
	// namespace that does not list the key's namespace in allowedNamespaces.
	ReasonUsagePlanNotAllowed = "UsagePlanNotAllowed"
	// ReasonUsagePlanNotReady: an API key waits for a usage plan it names
	// to exist in AWS.
	ReasonUsagePlanNotReady = "UsagePlanNotReady"
	// ReasonSecretNotReady: the Secret an API key reads its value from is
	// missing, or lacks the key.
	ReasonSecretNotReady = "SecretNotReady"
)

const (
	// APIGatewayUsagePlanFinalizer guards a usage plan in AWS until its
	// deletion policy is carried out.
	APIGatewayUsagePlanFinalizer = "aws-infra-operator.runner.codes/usageplan-finalizer"
	// AdoptUsagePlanIDAnnotation names an existing usage plan for an
	// APIGatewayUsagePlan to take over.
	AdoptUsagePlanIDAnnotation = "aws-infra-operator.runner.codes/adopt-usage-plan-id"
)

// UsagePlanThrottle is a steady request rate and the burst above it.
type UsagePlanThrottle struct {
	// Requests per second, on average (whole requests, as a stage's
	// throttle takes them; AWS would also take fractions).
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=2147483647
	RateLimit int32 `json:"rateLimit"`
	// Requests that may arrive at once above the rate.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=2147483647
	BurstLimit int32 `json:"burstLimit"`
}

// QuotaPeriod is the period of a usage plan's quota.
// +kubebuilder:validation:Enum=DAY;WEEK;MONTH
type QuotaPeriod string

// UsagePlanQuota is how many requests a key may make per period.
type UsagePlanQuota struct {
	// Requests a key may make per period.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=2147483647
	Limit int32 `json:"limit"`
	// DAY, WEEK or MONTH.
	Period QuotaPeriod `json:"period"`
	// Requests taken off the first period's limit.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=2147483647
	Offset int32 `json:"offset,omitempty"`
}

// UsagePlanAPIStage is a stage of a REST APIGateway the plan covers.
// +kubebuilder:validation:XValidation:rule="!has(self.throttle) || self.throttle.all(k, k.matches('^(/[^ ]*/(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|\\\\*)|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY|\\\\*) /[^ ]*)$'))",message="apiStages[].throttle keys name a method: \"GET /pets\" (as in the APIGateway's routes) or AWS's \"/pets/GET\" (\"*\" for every method); fix the key"
type UsagePlanAPIStage struct {
	// The REST APIGateway, of the plan's namespace.
	APIRef LocalObjectReference `json:"apiRef"`
	// Name of a stage of that APIGateway (spec.stages).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Stage string `json:"stage"`
	// Per-method throttles, by method: "GET /pets" (the route key form)
	// or "/pets/GET" (AWS's form; the operator sends this one).
	// +optional
	// +kubebuilder:validation:MaxProperties=64
	Throttle map[string]UsagePlanThrottle `json:"throttle,omitempty"`
}

// APIGatewayUsagePlanSpec is the desired usage plan.
type APIGatewayUsagePlanSpec struct {
	// The provider (account, region, credentials) that holds the plan; the
	// APIGateways of apiStages must live in the same account and region.
	ProviderRef ProviderReference `json:"providerRef"`

	// A description of the plan.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="description must not hold control characters (tabs, newlines, escapes); write it on one line without them"
	Description string `json:"description,omitempty"`

	// The REST API stages the plan covers. HTTP and WEBSOCKET APIs have no
	// usage plans in AWS.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:XValidation:rule="self.all(s, self.exists_one(t, t.apiRef.name == s.apiRef.name && t.stage == s.stage))",message="apiStages lists an APIGateway stage twice; remove the duplicate"
	APIStages []UsagePlanAPIStage `json:"apiStages,omitempty"`

	// The rate every key of the plan is held to; none when unset.
	// +optional
	Throttle *UsagePlanThrottle `json:"throttle,omitempty"`

	// How many requests each key may make per period; none when unset.
	// +optional
	Quota *UsagePlanQuota `json:"quota,omitempty"`

	// Namespaces, other than this one, whose APIGatewayAPIKeys may attach to
	// the plan through usagePlanRefs[].namespace. "*" allows every namespace.
	// +optional
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.all(n, n == '*' || n.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'))",message="allowedNamespaces entries must be namespace names (lowercase letters, digits and -, at most 63) or \"*\"; fix or remove the entry"
	AllowedNamespaces []string `json:"allowedNamespaces,omitempty"`

	// Tags of the plan, merged over the provider's defaultTags. The
	// operator adds two ownership tags, so at most 48 are allowed here.
	// +optional
	// +kubebuilder:validation:MaxProperties=48
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 128 && size(self[k]) <= 256)",message="tag keys must be 1 to 128 characters and values at most 256 (AWS's limits); shorten or remove the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.lowerAscii().startsWith('aws:'))",message="tag keys starting with aws: (in any case) are reserved by AWS; rename the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+\\\\-@]*$'))",message="tag keys may hold only letters, digits, spaces and _ . : / = + - @ (AWS's character set); remove or replace the other characters"
	Tags map[string]string `json:"tags,omitempty"`

	// What happens to the plan in AWS when this object is deleted: Delete
	// (the default: its keys are detached and its stages removed first),
	// Retain or Orphan.
	// +optional
	// +kubebuilder:default=Delete
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`
}

// UsagePlanStageStatus is an apiStage as resolved in AWS.
type UsagePlanStageStatus struct {
	// The APIGateway object.
	APIRef string `json:"apiRef"`
	// Its REST API's id.
	APIID string `json:"apiID"`
	Stage string `json:"stage"`
}

// APIGatewayUsagePlanStatus is what the operator observed of the plan.
type APIGatewayUsagePlanStatus struct {
	ManagedStatus `json:",inline"`
	// The usage plan's id: a cache, the owner-uid tag on the plan proves
	// it is this object's.
	// +optional
	UsagePlanID string `json:"usagePlanID,omitempty"`
	// The API stages the plan covers in AWS.
	// +optional
	APIStages []UsagePlanStageStatus `json:"apiStages,omitempty"`
	// How many API keys are attached to the plan in AWS.
	// +optional
	KeyCount int32 `json:"keyCount,omitempty"`
}

// APIGatewayUsagePlan is an API Gateway usage plan (throttle and quota for
// the API keys attached to it, over REST API stages), managed from
// Kubernetes.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=usageplan,categories=aws
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="Usage-Plan-ID",type=string,JSONPath=`.status.usagePlanID`
// +kubebuilder:printcolumn:name="Rate",type=number,JSONPath=`.spec.throttle.rateLimit`
// +kubebuilder:printcolumn:name="Burst",type=integer,JSONPath=`.spec.throttle.burstLimit`
// +kubebuilder:printcolumn:name="Keys",type=integer,JSONPath=`.status.keyCount`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Account",type=string,JSONPath=`.status.scope.accountID`,priority=1
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.status.scope.region`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type APIGatewayUsagePlan struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   APIGatewayUsagePlanSpec   `json:"spec"`
	Status APIGatewayUsagePlanStatus `json:"status,omitempty"`
}

// APIGatewayUsagePlanList is a list of APIGatewayUsagePlans.
// +kubebuilder:object:root=true
type APIGatewayUsagePlanList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []APIGatewayUsagePlan `json:"items"`
}

// GetReconcileStatus returns the shared part of the status.
func (in *APIGatewayUsagePlan) GetReconcileStatus() *ReconcileStatus {
	return &in.Status.ReconcileStatus
}

// GetManagedStatus returns the status every managed kind shares.
func (in *APIGatewayUsagePlan) GetManagedStatus() *ManagedStatus { return &in.Status.ManagedStatus }

// GetProviderRef returns the provider the object uses.
func (in *APIGatewayUsagePlan) GetProviderRef() ProviderReference { return in.Spec.ProviderRef }

// GetDeletionPolicy returns the deletion policy, Delete when unset.
func (in *APIGatewayUsagePlan) GetDeletionPolicy() DeletionPolicy {
	return policyOrDefault(in.Spec.DeletionPolicy)
}

func init() {
	register(&APIGatewayUsagePlan{}, &APIGatewayUsagePlanList{})
}
