package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SecretReference names the Secret of an AWSProvider's own namespace that
// holds its AWS credentials.
type SecretReference struct {
	// Name of the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Deprecated: a namespaced AWSProvider reads Secrets of its own
	// namespace only. Leave it empty (or set it to the provider's own
	// namespace); any other namespace is refused. Credentials of another
	// namespace are shared by a ClusterAWSProvider, which a cluster admin
	// creates.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace,omitempty"`
}

// NamespacedSecretReference names a Secret in a given namespace, for a
// cluster-scoped provider.
type NamespacedSecretReference struct {
	// Name of the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace"`
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

// AWSConnection is how a provider reaches AWS, whatever its scope.
type AWSConnection struct {
	// AWS region, for example us-east-1.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z]{2}(-[a-z]+)+-[0-9]+$')",message="region must be an AWS region code such as us-east-1 or eu-west-1 (lowercase, no availability-zone letter)"
	Region string `json:"region"`

	// An IAM role to assume through STS with the provider's credentials.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$')",message="roleARN must be the ARN of an IAM role, such as arn:aws:iam::123456789012:role/my-role"
	RoleARN string `json:"roleARN,omitempty"`

	// The external ID the role's trust policy requires, if any. Needs
	// roleARN.
	// +optional
	// +kubebuilder:validation:MaxLength=1224
	// +kubebuilder:validation:XValidation:rule="self.matches('^[\\\\w+=,.@:/-]{2,}$')",message="externalID must be 2 to 1224 characters of letters, digits and _ + = , . @ : / - (STS's limits); fix it to the value the role's trust policy names"
	ExternalID string `json:"externalID,omitempty"`

	// A custom endpoint for every AWS service, such as the bundled emulator
	// (http://127.0.0.1:4566) or LocalStack: an http or https URL with a
	// host.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != ''",message="endpoint must be an http or https URL with a host, such as http://127.0.0.1:4566 or https://localstack.example.com; remove it to reach AWS itself"
	Endpoint string `json:"endpoint,omitempty"`

	// Tag values are checked for length only. AWS's character set applies to
	// them too, but a map's values cannot be given a maxLength by a marker,
	// and a regular expression over 48 values the API server must cost as
	// 3 MiB strings each exceeds its CEL budget 12 times over, so the CRD
	// would be refused. Keys are checked in full.

	// Tags added to every AWS resource made through this provider; an
	// object's own tags win over them.
	// +optional
	// +kubebuilder:validation:MaxProperties=48
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 128 && size(self[k]) <= 256)",message="tag keys must be 1 to 128 characters and values at most 256 (AWS's limits); shorten or remove the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.lowerAscii().startsWith('aws:'))",message="tag keys starting with aws: (in any case) are reserved by AWS; rename the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+\\\\-@]*$'))",message="tag keys may hold only letters, digits, spaces and _ . : / = + - @ (AWS's character set); remove or replace the other characters"
	DefaultTags map[string]string `json:"defaultTags,omitempty"`

	// Client-side limit on management API calls to this account and region.
	// Defaults to AWS's quota (10 per second, burst 40).
	// +optional
	RateLimit *RateLimit `json:"rateLimit,omitempty"`
}

// AWSProviderSpec says which AWS account and region to reach, with the
// credentials of a Secret in the provider's own namespace.
// +kubebuilder:validation:XValidation:rule="has(self.credentialsSecret)",message="credentialsSecret is required: a namespaced AWSProvider authenticates with a Secret of its own namespace (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). The operator's own identity (IRSA, EKS Pod Identity, instance profile) is the cluster admin's to hand out: ask for a ClusterAWSProvider and reference it with providerRef.kind: ClusterAWSProvider"
// +kubebuilder:validation:XValidation:rule="!has(self.externalID) || has(self.roleARN)",message="externalID is sent only when assuming a role: set roleARN too, or remove externalID"
type AWSProviderSpec struct {
	AWSConnection `json:",inline"`

	// A Secret of this namespace with AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY (and optionally AWS_SESSION_TOKEN). With
	// roleARN, these credentials assume the role.
	// +optional
	CredentialsSecret *SecretReference `json:"credentialsSecret,omitempty"`

	// Namespaces, other than the provider's own, whose objects may use
	// this provider through providerRef.namespace. "*" allows every
	// namespace.
	// +optional
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.all(n, n == '*' || n.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'))",message="allowedNamespaces entries must be namespace names (lowercase letters, digits and -, at most 63) or \"*\"; fix or remove the entry"
	AllowedNamespaces []string `json:"allowedNamespaces,omitempty"`
}

// ProviderStatus is what the operator learnt when it authenticated.
type ProviderStatus struct {
	ReconcileStatus `json:",inline"`
	// The AWS account the credentials belong to.
	// +optional
	AccountID string `json:"accountID,omitempty"`
	// The ARN STS GetCallerIdentity returned.
	// +optional
	CallerIdentity string `json:"callerIdentity,omitempty"`
	// When the credentials last authenticated.
	// +optional
	LastAuthenticationTime *metav1.Time `json:"lastAuthenticationTime,omitempty"`
}

// AWSProvider is an AWS account and region, and the credentials (a Secret
// of its own namespace) to reach them.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=awsp,categories=aws
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.spec.region`
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="Account",type=string,JSONPath=`.status.accountID`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="In-Use",type=string,JSONPath=`.status.conditions[?(@.type=="InUse")].status`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type AWSProvider struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   AWSProviderSpec `json:"spec"`
	Status ProviderStatus  `json:"status,omitempty"`
}

// AWSProviderList is a list of AWSProviders.
// +kubebuilder:object:root=true
type AWSProviderList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []AWSProvider `json:"items"`
}

// ClusterAWSProviderSpec says which AWS account and region to reach, with
// the operator's own identity or a Secret the cluster admin names, and which
// namespaces may use it.
// +kubebuilder:validation:XValidation:rule="!has(self.externalID) || has(self.roleARN)",message="externalID is sent only when assuming a role: set roleARN too, or remove externalID"
type ClusterAWSProviderSpec struct {
	AWSConnection `json:",inline"`

	// A Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
	// optionally AWS_SESSION_TOKEN). When absent, the operator's own
	// identity is used through the default credential chain (IRSA, EKS Pod
	// Identity, instance profile, environment).
	// +optional
	CredentialsSecret *NamespacedSecretReference `json:"credentialsSecret,omitempty"`

	// Namespaces whose objects may use this provider; "*" allows every
	// namespace. A namespace is allowed when it is listed here or matches
	// namespaceSelector; with neither, no namespace may use the provider.
	// +optional
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.all(n, n == '*' || n.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'))",message="allowedNamespaces entries must be namespace names (lowercase letters, digits and -, at most 63) or \"*\"; fix or remove the entry"
	AllowedNamespaces []string `json:"allowedNamespaces,omitempty"`

	// Namespaces, by their labels, whose objects may use this provider.
	// +optional
	NamespaceSelector *metav1.LabelSelector `json:"namespaceSelector,omitempty"`
}

// ClusterAWSProvider is an AWS account and region that a cluster admin hands
// out to chosen namespaces; it may use the operator's own identity.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,shortName=cawsp,categories=aws
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.spec.region`
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="Account",type=string,JSONPath=`.status.accountID`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="In-Use",type=string,JSONPath=`.status.conditions[?(@.type=="InUse")].status`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type ClusterAWSProvider struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ClusterAWSProviderSpec `json:"spec"`
	Status ProviderStatus         `json:"status,omitempty"`
}

// ClusterAWSProviderList is a list of ClusterAWSProviders.
// +kubebuilder:object:root=true
type ClusterAWSProviderList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClusterAWSProvider `json:"items"`
}

func init() {
	register(&AWSProvider{}, &AWSProviderList{}, &ClusterAWSProvider{}, &ClusterAWSProviderList{})
}
