package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SecretReference names a Secret holding AWS credentials.
type SecretReference struct {
	// Name of the Secret.
	// +kubebuilder:validation:MinLength=1
	Name string `json:"name"`
	// Namespace of the Secret; defaults to the AWSProvider's namespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// RateLimit bounds the management API calls made to one account and region.
// AWS's quotas are per account and region and cannot be raised; every
// provider reaching the same account and region shares one limiter.
type RateLimit struct {
	// Sustained requests per second over all operations (AWS: 10).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000
	RequestsPerSecond *int32 `json:"requestsPerSecond,omitempty"`
	// Burst of requests over all operations (AWS: 40).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	Burst *int32 `json:"burst,omitempty"`
}

// AWSProviderSpec says which AWS account and region to reach, and how.
type AWSProviderSpec struct {
	// AWS region, for example us-east-1.
	// +kubebuilder:validation:Pattern=`^[a-z]{2}(-[a-z]+)+-[0-9]+$`
	Region string `json:"region"`

	// A Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
	// optionally AWS_SESSION_TOKEN). When absent, the operator's own identity
	// is used through the default credential chain (IRSA, EKS Pod Identity,
	// instance profile, environment).
	// +optional
	CredentialsSecret *SecretReference `json:"credentialsSecret,omitempty"`

	// An IAM role to assume through STS with the credentials above.
	// +optional
	// +kubebuilder:validation:Pattern=`^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$`
	RoleARN string `json:"roleARN,omitempty"`

	// The external ID the role's trust policy requires, if any.
	// +optional
	ExternalID string `json:"externalID,omitempty"`

	// A custom endpoint for every AWS service, such as the bundled emulator
	// (http://127.0.0.1:4566) or LocalStack.
	// +optional
	// +kubebuilder:validation:Pattern=`^https?://.+`
	Endpoint string `json:"endpoint,omitempty"`

	// Tags added to every API made through this provider; an APIGateway's
	// own tags win over them.
	// +optional
	// +kubebuilder:validation:MaxProperties=48
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.startsWith('aws:'))",message="tag keys starting with aws: are reserved by AWS; rename the tag"
	DefaultTags map[string]string `json:"defaultTags,omitempty"`

	// Namespaces, other than the provider's own, whose APIGateways may use
	// this provider through providerRef.namespace. "*" allows every namespace.
	// +optional
	AllowedNamespaces []string `json:"allowedNamespaces,omitempty"`

	// Client-side limit on management API calls to this account and region.
	// Defaults to AWS's quota (10 per second, burst 40).
	// +optional
	RateLimit *RateLimit `json:"rateLimit,omitempty"`
}

// AWSProviderStatus is what the operator learnt when it authenticated.
type AWSProviderStatus struct {
	// True when the credentials authenticated with STS.
	// +optional
	Ready bool `json:"ready"`
	// The AWS account the credentials belong to.
	// +optional
	AccountID string `json:"accountID,omitempty"`
	// The ARN STS GetCallerIdentity returned.
	// +optional
	CallerIdentity string `json:"callerIdentity,omitempty"`
	// When the credentials last authenticated.
	// +optional
	LastAuthenticationTime *metav1.Time `json:"lastAuthenticationTime,omitempty"`
	// The generation of the spec that the conditions describe.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Ready, Reconciling, Stalled and InUse.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// AWSProvider is an AWS account and region, and the credentials to reach them.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=awsp,categories=aws
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.spec.region`
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="Account",type=string,JSONPath=`.status.accountID`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type AWSProvider struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   AWSProviderSpec   `json:"spec"`
	Status AWSProviderStatus `json:"status,omitempty"`
}

// AWSProviderList is a list of AWSProviders.
// +kubebuilder:object:root=true
type AWSProviderList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []AWSProvider `json:"items"`
}

func init() {
	SchemeBuilder.Register(&AWSProvider{}, &AWSProviderList{})
}
