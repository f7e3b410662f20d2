package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DomainEndpointType is where a custom domain name is served from.
// +kubebuilder:validation:Enum=REGIONAL;EDGE
type DomainEndpointType string

const (
	// DomainRegional is served in the provider's region, for HTTP,
	// WEBSOCKET and REST APIs of that region.
	DomainRegional DomainEndpointType = "REGIONAL"
	// DomainEdge is served through CloudFront, for REST APIs only.
	DomainEdge DomainEndpointType = "EDGE"
)

// DomainSecurityPolicy is the TLS version and ciphers a domain accepts.
// +kubebuilder:validation:Enum=TLS_1_0;TLS_1_2
type DomainSecurityPolicy string

// Reasons of the APIGatewayDomainName kind and of the APIGateways mapped
// to one.
const (
	// ReasonDomainNameTaken: the domain name exists in the account and is
	// not this object's (domain names are unique per account and region).
	ReasonDomainNameTaken = "DomainNameTaken"
	// ReasonDomainNotReady: a stage waits for the domain it maps to.
	ReasonDomainNotReady = "DomainNotReady"
	// ReasonDomainNotAllowed: the domain named from another namespace
	// does not list that namespace in allowedNamespaces.
	ReasonDomainNotAllowed = "DomainNotAllowed"
	// ReasonBasePathTaken: another API already holds the base path on
	// the domain.
	ReasonBasePathTaken = "BasePathTaken"
	// ReasonDomainMapped: a stage was mapped to a domain (event).
	ReasonDomainMapped = "DomainMapped"
	// ReasonDomainUnmapped: a mapping was removed (event).
	ReasonDomainUnmapped = "DomainUnmapped"
)

const (
	// APIGatewayDomainNameFinalizer guards the AWS domain name of an
	// APIGatewayDomainName until its deletion policy is carried out.
	APIGatewayDomainNameFinalizer = "aws-infra-operator.runner.codes/domainname-finalizer"
	// AdoptDomainNameAnnotation lets an APIGatewayDomainName take over
	// the domain name its value names, when nobody owns it.
	AdoptDomainNameAnnotation = "aws-infra-operator.runner.codes/adopt-domain-name"
)

// APIGatewayDomainNameSpec is the desired custom domain name. APIs are
// mapped to it where they are declared: an APIGateway stage's domains.
// +kubebuilder:validation:XValidation:rule="self.endpointType != 'EDGE' || self.certificateARN.matches('^arn:aws[a-z-]*:acm:us-east-1:')",message="an EDGE domain name is served by CloudFront, which takes certificates from ACM in us-east-1 only: use a certificateARN of us-east-1, or set endpointType: REGIONAL"
// +kubebuilder:validation:XValidation:rule="self.endpointType != 'EDGE' || !has(self.mutualTLS)",message="mutual TLS is for REGIONAL domain names only: remove mutualTLS, or set endpointType: REGIONAL"
type APIGatewayDomainNameSpec struct {
	// The provider (account, region, credentials) that holds the domain
	// name: an AWSProvider of this namespace (the default), an AWSProvider
	// of another namespace that allows this one, or a ClusterAWSProvider
	// that allows this namespace.
	ProviderRef ProviderReference `json:"providerRef"`

	// The domain name, such as api.example.com or *.example.com: lower
	// case, as AWS stores it. It is the resource's key in AWS, so it
	// cannot change.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^(\\\\*\\\\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\\\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')",message="domainName must be a lower-case DNS name such as api.example.com (or a wildcard such as *.example.com); fix it"
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="domainName is immutable: it is the domain name's key in AWS; create another APIGatewayDomainName instead"
	DomainName string `json:"domainName"`

	// REGIONAL (the default; for HTTP, WEBSOCKET and REST APIs) or EDGE
	// (CloudFront; REST APIs only). Immutable.
	// +optional
	// +kubebuilder:default=REGIONAL
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="endpointType is immutable: create another APIGatewayDomainName instead"
	EndpointType DomainEndpointType `json:"endpointType,omitempty"`

	// The ACM certificate serving the domain: of the provider's region for
	// REGIONAL, of us-east-1 for EDGE.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$')",message="certificateARN must be an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-...; fix it"
	CertificateARN string `json:"certificateARN"`

	// TLS_1_2 (the default) or TLS_1_0.
	// +optional
	// +kubebuilder:default=TLS_1_2
	SecurityPolicy DomainSecurityPolicy `json:"securityPolicy,omitempty"`

	// Mutual TLS: clients must present a certificate the truststore
	// signs (REGIONAL only).
	// +optional
	MutualTLS *MutualTLSSettings `json:"mutualTLS,omitempty"`

	// Namespaces, other than this one, whose APIGateways may map stages
	// to the domain through domainRef.namespace. "*" allows every
	// namespace.
	// +optional
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.all(n, n == '*' || n.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'))",message="allowedNamespaces entries must be namespace names (lowercase letters, digits and -, at most 63) or \"*\"; fix or remove the entry"
	AllowedNamespaces []string `json:"allowedNamespaces,omitempty"`

	// Tags of the domain name, merged over the provider's defaultTags.
	// The operator adds two ownership tags, so at most 48 are allowed.
	// +optional
	// +kubebuilder:validation:MaxProperties=48
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 128 && size(self[k]) <= 256)",message="tag keys must be 1 to 128 characters and values at most 256 (AWS's limits); shorten or remove the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.lowerAscii().startsWith('aws:'))",message="tag keys starting with aws: (in any case) are reserved by AWS; rename the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+\\\\-@]*$'))",message="tag keys may hold only letters, digits, spaces and _ . : / = + - @ (AWS's character set); remove or replace the other characters"
	Tags map[string]string `json:"tags,omitempty"`

	// What happens to the domain name in AWS when this object is deleted:
	// Delete (the default, once no APIGateway maps to it), Retain or
	// Orphan.
	// +optional
	// +kubebuilder:default=Delete
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`
}

// MutualTLSSettings is a domain's truststore.
type MutualTLSSettings struct {
	// The truststore's S3 URI: s3://bucket/key.
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="self.matches('^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$')",message="mutualTLS.truststoreURI must be an S3 URI such as s3://my-bucket/truststore.pem; fix it"
	TruststoreURI string `json:"truststoreURI"`
	// The S3 object version of the truststore; the latest when unset.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	TruststoreVersion string `json:"truststoreVersion,omitempty"`
}

// DomainMappingStatus is one API stage mapped to the domain.
type DomainMappingStatus struct {
	// The APIGateway ("namespace/name"), or "API <id>" for an API no
	// APIGateway of this cluster declares.
	API string `json:"api"`
	// The API's id, by which an APIGateway finds its mappings even when
	// its own status lost them.
	APIID string `json:"apiID"`
	// The stage served.
	Stage string `json:"stage"`
	// The base path; empty is the domain's root.
	// +optional
	BasePath string `json:"basePath,omitempty"`
}

// APIGatewayDomainNameStatus is what the operator observed of the domain
// name in AWS.
type APIGatewayDomainNameStatus struct {
	ManagedStatus `json:",inline"`
	// The domain name AWS serves, once made.
	// +optional
	DomainName string `json:"domainName,omitempty"`
	// What DNS must point at: the alias (CNAME or Route 53 alias) target
	// of the domain name.
	// +optional
	TargetDomainName string `json:"targetDomainName,omitempty"`
	// The Route 53 hosted zone of targetDomainName, for an alias record.
	// +optional
	HostedZoneID string `json:"hostedZoneID,omitempty"`
	// REGIONAL or EDGE.
	// +optional
	EndpointType DomainEndpointType `json:"endpointType,omitempty"`
	// AWS's state of the domain name (AVAILABLE, UPDATING, PENDING...).
	// +optional
	DomainNameStatus string `json:"domainNameStatus,omitempty"`
	// The API stages mapped to the domain, by base path.
	// +optional
	Mappings []DomainMappingStatus `json:"mappings,omitempty"`
	// How many mappings the domain has.
	// +optional
	MappingCount int32 `json:"mappingCount,omitempty"`
}

// APIGatewayDomainName is an API Gateway custom domain name, managed from
// Kubernetes; APIGateway stages map to it by domainRef.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=apidomain,categories=aws
// +kubebuilder:printcolumn:name="Domain",type=string,JSONPath=`.spec.domainName`
// +kubebuilder:printcolumn:name="Target",type=string,JSONPath=`.status.targetDomainName`
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="Mappings",type=integer,JSONPath=`.status.mappingCount`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="In-Use",type=string,JSONPath=`.status.conditions[?(@.type=="InUse")].status`,priority=1
// +kubebuilder:printcolumn:name="Hosted-Zone",type=string,JSONPath=`.status.hostedZoneID`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type APIGatewayDomainName struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   APIGatewayDomainNameSpec   `json:"spec"`
	Status APIGatewayDomainNameStatus `json:"status,omitempty"`
}

// APIGatewayDomainNameList is a list of APIGatewayDomainNames.
// +kubebuilder:object:root=true
type APIGatewayDomainNameList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []APIGatewayDomainName `json:"items"`
}

// StageDomain maps a stage to a custom domain name under a base path.
type StageDomain struct {
	// The APIGatewayDomainName.
	DomainRef DomainNameReference `json:"domainRef"`
	// The path under the domain the stage is served at, such as orders
	// (or orders/v1 for HTTP and WEBSOCKET APIs); empty maps the
	// domain's root.
	// +optional
	// +kubebuilder:validation:MaxLength=255
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-zA-Z0-9._-]+(/[a-zA-Z0-9._-]+)*$')",message="basePath is path segments of letters, digits and . _ - separated by single slashes, without a leading or trailing slash, such as orders or orders/v1; fix it, or remove it to map the domain's root"
	BasePath string `json:"basePath,omitempty"`
}

// DomainNameReference names an APIGatewayDomainName: of the referring
// APIGateway's namespace by default, or of another namespace whose domain
// lists the APIGateway's namespace in allowedNamespaces.
type DomainNameReference struct {
	// Name of the APIGatewayDomainName.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of the APIGatewayDomainName; defaults to the APIGateway's.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="domainRef.namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
	Namespace string `json:"namespace,omitempty"`
}

// DomainMapping is a custom-domain URL an APIGateway stage is served at.
type DomainMapping struct {
	// The stage.
	Stage string `json:"stage"`
	// The APIGatewayDomainName ("namespace/name").
	Domain string `json:"domain"`
	// The domain name in AWS.
	DomainName string `json:"domainName"`
	// The domain's endpoint type (which family holds its mappings).
	// +optional
	EndpointType DomainEndpointType `json:"endpointType,omitempty"`
	// The base path; empty is the domain's root.
	// +optional
	BasePath string `json:"basePath,omitempty"`
	// The URL: https://{domainName}/{basePath}.
	URL string `json:"url"`
}

// GetReconcileStatus returns the shared part of the status.
func (in *APIGatewayDomainName) GetReconcileStatus() *ReconcileStatus {
	return &in.Status.ReconcileStatus
}

// GetManagedStatus returns the status every managed kind shares.
func (in *APIGatewayDomainName) GetManagedStatus() *ManagedStatus { return &in.Status.ManagedStatus }

// GetProviderRef returns the provider the object uses.
func (in *APIGatewayDomainName) GetProviderRef() ProviderReference { return in.Spec.ProviderRef }

// GetDeletionPolicy returns the deletion policy, Delete when unset.
func (in *APIGatewayDomainName) GetDeletionPolicy() DeletionPolicy {
	return policyOrDefault(in.Spec.DeletionPolicy)
}

// EndpointTypeOrDefault is the domain's endpoint type, REGIONAL when unset.
func (in *APIGatewayDomainName) EndpointTypeOrDefault() DomainEndpointType {
	if in.Spec.EndpointType == "" {
		return DomainRegional
	}
	return in.Spec.EndpointType
}

// SecurityPolicyOrDefault is the domain's security policy, TLS_1_2 when
// unset.
func (in *APIGatewayDomainName) SecurityPolicyOrDefault() DomainSecurityPolicy {
	if in.Spec.SecurityPolicy == "" {
		return "TLS_1_2"
	}
	return in.Spec.SecurityPolicy
}

func init() {
	register(&APIGatewayDomainName{}, &APIGatewayDomainNameList{})
}
