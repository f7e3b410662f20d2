package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	// APIGatewayAPIKeyFinalizer guards an API key in AWS until its deletion
	// policy is carried out.
	APIGatewayAPIKeyFinalizer = "aws-infra-operator.runner.codes/apikey-finalizer"
	// AdoptAPIKeyIDAnnotation names an existing API key for an
	// APIGatewayAPIKey to take over.
	AdoptAPIKeyIDAnnotation = "aws-infra-operator.runner.codes/adopt-api-key-id"
	// GeneratedAPIKeySecretKey is the key of a generateInto Secret that
	// holds the value.
	GeneratedAPIKeySecretKey = "apiKey"
	// APIKeyValueLabelValue is CredentialsLabel's value on the Secrets API
	// keys read their value from: the operator watches them, so that a new
	// value rotates the key at once.
	APIKeyValueLabelValue = "api-key"
)

// GeneratedSecret names the Secret, of the key's namespace, the operator
// creates and owns to hold a value it generates.
type GeneratedSecret struct {
	// Name of the Secret. It must not exist yet, or be one the operator
	// made for this key.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// APIKeyValueFrom reads the value from a Secret of the key's namespace.
type APIKeyValueFrom struct {
	// The Secret and its key holding the value: 20 to 128 characters.
	SecretKeyRef SecretKeySelector `json:"secretKeyRef"`
}

// SecretKeySelector is one key of a Secret of the referring object's
// namespace.
type SecretKeySelector struct {
	// Name of the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// The key in the Secret's data.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}

// UsagePlanReference names an APIGatewayUsagePlan: of the key's namespace
// by default, or of another namespace whose plan lists the key's namespace
// in allowedNamespaces.
type UsagePlanReference struct {
	// Name of the APIGatewayUsagePlan.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of the APIGatewayUsagePlan; defaults to the key's.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="usagePlanRefs[].namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
	Namespace string `json:"namespace,omitempty"`
}

// APIGatewayAPIKeySpec is the desired API key. Its value comes from
// exactly one of generateInto and valueFrom. AWS cannot change a key's
// value: a new value (the Secret changed) makes a new key, attached to the
// plans before the old one is deleted.
// +kubebuilder:validation:XValidation:rule="has(self.generateInto) != has(self.valueFrom)",message="set exactly one of generateInto (the operator generates the value into a Secret it creates) and valueFrom (the value is read from your Secret)"
type APIGatewayAPIKeySpec struct {
	// The provider (account, region, credentials) that holds the key; the
	// usage plans it names must live in the same account and region.
	ProviderRef ProviderReference `json:"providerRef"`

	// A description of the key.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="description must not hold control characters (tabs, newlines, escapes); write it on one line without them"
	Description string `json:"description,omitempty"`

	// Whether callers may use the key; true by default.
	// +optional
	// +kubebuilder:default=true
	Enabled *bool `json:"enabled,omitempty"`

	// The operator generates the value (40 random letters and digits) into
	// this Secret, under the key apiKey. Deleting the Secret's value, or
	// the Secret, generates a new one (a rotation).
	// +optional
	GenerateInto *GeneratedSecret `json:"generateInto,omitempty"`

	// The value is read from a Secret of this namespace; changing it there
	// rotates the key.
	// +optional
	ValueFrom *APIKeyValueFrom `json:"valueFrom,omitempty"`

	// The usage plans the key is attached to.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	UsagePlanRefs []UsagePlanReference `json:"usagePlanRefs,omitempty"`

	// Tags of the key, merged over the provider's defaultTags. The
	// operator adds two ownership tags, so at most 48 are allowed here.
	// +optional
	// +kubebuilder:validation:MaxProperties=48
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 128 && size(self[k]) <= 256)",message="tag keys must be 1 to 128 characters and values at most 256 (AWS's limits); shorten or remove the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.lowerAscii().startsWith('aws:'))",message="tag keys starting with aws: (in any case) are reserved by AWS; rename the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+\\\\-@]*$'))",message="tag keys may hold only letters, digits, spaces and _ . : / = + - @ (AWS's character set); remove or replace the other characters"
	Tags map[string]string `json:"tags,omitempty"`

	// What happens to the key in AWS when this object is deleted: Delete
	// (the default), Retain or Orphan.
	// +optional
	// +kubebuilder:default=Delete
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`
}

// APIGatewayAPIKeyStatus is what the operator observed of the key. It
// never holds the value.
type APIGatewayAPIKeyStatus struct {
	ManagedStatus `json:",inline"`
	// The API key's id: a cache, the owner-uid tag on the key proves it is
	// this object's.
	// +optional
	APIKeyID string `json:"apiKeyID,omitempty"`
	// The first 12 hex digits of the SHA-256 of the live value, to tell
	// which value AWS holds (sha256sum of the Secret's value) without
	// showing it.
	// +optional
	ValueFingerprint string `json:"valueFingerprint,omitempty"`
	// The usage plan ids the key is attached to in AWS.
	// +optional
	UsagePlanIDs []string `json:"usagePlanIDs,omitempty"`
}

// APIGatewayAPIKey is an API Gateway API key, attached to usage plans,
// managed from Kubernetes.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=apikey,categories=aws
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="API-Key-ID",type=string,JSONPath=`.status.apiKeyID`
// +kubebuilder:printcolumn:name="Enabled",type=boolean,JSONPath=`.spec.enabled`
// +kubebuilder:printcolumn:name="Fingerprint",type=string,JSONPath=`.status.valueFingerprint`
// +kubebuilder:printcolumn:name="Secret",type=string,JSONPath=`.spec.generateInto.name`,priority=1
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Account",type=string,JSONPath=`.status.scope.accountID`,priority=1
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.status.scope.region`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type APIGatewayAPIKey struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   APIGatewayAPIKeySpec   `json:"spec"`
	Status APIGatewayAPIKeyStatus `json:"status,omitempty"`
}

// APIGatewayAPIKeyList is a list of APIGatewayAPIKeys.
// +kubebuilder:object:root=true
type APIGatewayAPIKeyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []APIGatewayAPIKey `json:"items"`
}

// GetReconcileStatus returns the shared part of the status.
func (in *APIGatewayAPIKey) GetReconcileStatus() *ReconcileStatus {
	return &in.Status.ReconcileStatus
}

// GetManagedStatus returns the status every managed kind shares.
func (in *APIGatewayAPIKey) GetManagedStatus() *ManagedStatus { return &in.Status.ManagedStatus }

// GetProviderRef returns the provider the object uses.
func (in *APIGatewayAPIKey) GetProviderRef() ProviderReference { return in.Spec.ProviderRef }

// GetDeletionPolicy returns the deletion policy, Delete when unset.
func (in *APIGatewayAPIKey) GetDeletionPolicy() DeletionPolicy {
	return policyOrDefault(in.Spec.DeletionPolicy)
}

// EnabledOrDefault is whether the key is enabled, true when unset.
func (in *APIGatewayAPIKey) EnabledOrDefault() bool {
	return in.Spec.Enabled == nil || *in.Spec.Enabled
}

// ValueSecret names the Secret and key the value lives in.
func (in *APIGatewayAPIKey) ValueSecret() (name, key string) {
	if in.Spec.GenerateInto != nil {
		return in.Spec.GenerateInto.Name, GeneratedAPIKeySecretKey
	}
	if in.Spec.ValueFrom != nil {
		return in.Spec.ValueFrom.SecretKeyRef.Name, in.Spec.ValueFrom.SecretKeyRef.Key
	}
	return "", ""
}

func init() {
	register(&APIGatewayAPIKey{}, &APIGatewayAPIKeyList{})
}
