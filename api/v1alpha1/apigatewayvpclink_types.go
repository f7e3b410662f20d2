package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// VPCLinkType is the family of a VPC link: V2 links (API Gateway v2) reach
// ALBs, NLBs and Cloud Map services through subnets and security groups
// and serve HTTP APIs; V1 links (API Gateway v1) reach one Network Load
// Balancer and serve REST and WEBSOCKET APIs.
// +kubebuilder:validation:Enum=V2;V1
type VPCLinkType string

const (
	// VPCLinkV2 is an HTTP API's VPC link: subnets and security groups.
	VPCLinkV2 VPCLinkType = "V2"
	// VPCLinkV1 is a REST (and WebSocket) API's VPC link: one NLB.
	VPCLinkV1 VPCLinkType = "V1"
)

// VPCLinkState is the state AWS reports of a VPC link.
type VPCLinkState string

// The states: a link is made PENDING and routes traffic once AVAILABLE;
// FAILED carries AWS's reason in the status message.
const (
	VPCLinkPending   VPCLinkState = "PENDING"
	VPCLinkAvailable VPCLinkState = "AVAILABLE"
	VPCLinkDeleting  VPCLinkState = "DELETING"
	VPCLinkFailed    VPCLinkState = "FAILED"
	VPCLinkInactive  VPCLinkState = "INACTIVE"
)

// Reasons of the APIGatewayVPCLink kind and of the APIGateways using one.
const (
	// ReasonVPCLinkFailed: AWS could not make the link (its message says
	// why: a subnet or security group that does not exist, say).
	ReasonVPCLinkFailed = "VPCLinkFailed"
	// ReasonVPCLinkQuotaExceeded: the account holds as many VPC links as
	// AWS allows in the region.
	ReasonVPCLinkQuotaExceeded = "VPCLinkQuotaExceeded"
	// ReasonVPCLinkNotReady: an APIGateway waits for the VPC link it
	// names to exist and be AVAILABLE.
	ReasonVPCLinkNotReady = "VPCLinkNotReady"
	// ReasonVPCLinkNotAllowed: the VPC link named from another namespace
	// does not list that namespace in allowedNamespaces.
	ReasonVPCLinkNotAllowed = "VPCLinkNotAllowed"
)

const (
	// APIGatewayVPCLinkFinalizer guards the AWS VPC links of an
	// APIGatewayVPCLink until its deletion policy is carried out.
	APIGatewayVPCLinkFinalizer = "aws-infra-operator.runner.codes/vpclink-finalizer"
	// AdoptVPCLinkIDAnnotation names an existing VPC link for an
	// APIGatewayVPCLink to take over.
	AdoptVPCLinkIDAnnotation = "aws-infra-operator.runner.codes/adopt-vpc-link-id"
)

// APIGatewayVPCLinkSpec is the desired VPC link.
//
// AWS cannot change a link's subnets, security groups or target: changing
// them makes a new link, and the integrations using the old one switch to it
// once it is AVAILABLE; the old one is deleted when no integration uses it.
// +kubebuilder:validation:XValidation:rule="self.type != 'V2' || (has(self.subnetIDs) && size(self.subnetIDs) > 0 && !has(self.targetARNs) && !has(self.description))",message="a V2 VPC link (HTTP APIs) needs subnetIDs (and optionally securityGroupIDs); targetARNs and description belong to V1 links: remove them, or set type: V1"
// +kubebuilder:validation:XValidation:rule="self.type != 'V1' || (has(self.targetARNs) && !has(self.subnetIDs) && !has(self.securityGroupIDs))",message="a V1 VPC link (REST and WEBSOCKET APIs) needs targetARNs (the Network Load Balancer's ARN); subnetIDs and securityGroupIDs belong to V2 links: remove them, or set type: V2"
type APIGatewayVPCLinkSpec struct {
	// The provider (account, region, credentials) that holds the link: an
	// AWSProvider of this namespace (the default), an AWSProvider of
	// another namespace that allows this one, or a ClusterAWSProvider that
	// allows this namespace.
	ProviderRef ProviderReference `json:"providerRef"`

	// Name of the VPC link in AWS.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="name must not hold control characters (tabs, newlines, escapes); remove them"
	Name string `json:"name"`

	// V2 (HTTP APIs, the default) or V1 (REST and WEBSOCKET APIs).
	// Immutable: the two are different AWS resources.
	// +optional
	// +kubebuilder:default=V2
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="type is immutable: a V1 and a V2 VPC link are different AWS resources serving different APIs; create another APIGatewayVPCLink instead"
	Type VPCLinkType `json:"type,omitempty"`

	// V2: the subnets the link's network interfaces are placed in (AWS's
	// default quota: 10 subnets per link). Changing them replaces the link.
	//
	// 32 bounds the duplicate check within the API server's CEL budget.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.all(s, s.matches('^subnet-([0-9a-f]{8}|[0-9a-f]{17})$'))",message="subnetIDs entries must be subnet ids such as subnet-0123456789abcdef0; fix the entry"
	// +kubebuilder:validation:XValidation:rule="self.all(s, self.exists_one(t, t == s))",message="subnetIDs lists a subnet twice; remove the duplicate"
	SubnetIDs []string `json:"subnetIDs,omitempty"`

	// V2: the security groups of the link's network interfaces; AWS uses
	// the VPC's default group when none is given. Changing them replaces
	// the link.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.all(s, s.matches('^sg-([0-9a-f]{8}|[0-9a-f]{17})$'))",message="securityGroupIDs entries must be security group ids such as sg-0123456789abcdef0; fix the entry"
	// +kubebuilder:validation:XValidation:rule="self.all(s, self.exists_one(t, t == s))",message="securityGroupIDs lists a security group twice; remove the duplicate"
	SecurityGroupIDs []string `json:"securityGroupIDs,omitempty"`

	// V1: the ARN of the Network Load Balancer the link reaches (AWS
	// takes exactly one). Changing it replaces the link.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=1
	// +kubebuilder:validation:items:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.all(a, a.matches('^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/net/[^/]+/[0-9a-f]+$'))",message="targetARNs must hold the ARN of one Network Load Balancer (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID); an ALB or a listener cannot be the target of a V1 link"
	TargetARNs []string `json:"targetARNs,omitempty"`

	// V1: a description of the link.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="description must not hold control characters (tabs, newlines, escapes); write it on one line without them"
	Description string `json:"description,omitempty"`

	// Namespaces, other than this one, whose APIGateways may use the link
	// through vpcLinkRef.namespace. "*" allows every namespace.
	// +optional
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.all(n, n == '*' || n.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'))",message="allowedNamespaces entries must be namespace names (lowercase letters, digits and -, at most 63) or \"*\"; fix or remove the entry"
	AllowedNamespaces []string `json:"allowedNamespaces,omitempty"`

	// Tags of the link, merged over the provider's defaultTags. The
	// operator adds two ownership tags, so at most 48 are allowed here.
	// +optional
	// +kubebuilder:validation:MaxProperties=48
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 128 && size(self[k]) <= 256)",message="tag keys must be 1 to 128 characters and values at most 256 (AWS's limits); shorten or remove the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.lowerAscii().startsWith('aws:'))",message="tag keys starting with aws: (in any case) are reserved by AWS; rename the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+\\\\-@]*$'))",message="tag keys may hold only letters, digits, spaces and _ . : / = + - @ (AWS's character set); remove or replace the other characters"
	Tags map[string]string `json:"tags,omitempty"`

	// What happens to the link in AWS when this object is deleted: Delete
	// (the default, once no APIGateway uses it), Retain or Orphan.
	// +optional
	// +kubebuilder:default=Delete
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`
}

// APIGatewayVPCLinkStatus is what the operator observed of the link in
// AWS. Ids are a cache: the owner-uid tag on the link proves it is this
// object's, and an APIGateway checks that tag before using the id.
type APIGatewayVPCLinkStatus struct {
	ManagedStatus `json:",inline"`
	// The AVAILABLE link integrations are given: during a replacement, the
	// old link until the new one is AVAILABLE.
	// +optional
	VPCLinkID string `json:"vpcLinkID,omitempty"`
	// The link being made for the current spec while it is not AVAILABLE
	// yet (its first creation, or a replacement).
	// +optional
	PendingVPCLinkID string `json:"pendingVPCLinkID,omitempty"`
	// AWS's state of the newest link: PENDING, AVAILABLE, FAILED,
	// DELETING or INACTIVE.
	// +optional
	State VPCLinkState `json:"state,omitempty"`
	// AWS's message about that state.
	// +optional
	StatusMessage string `json:"statusMessage,omitempty"`
	// Links this object made for an earlier spec, deleted once no
	// integration of the APIs using this object still uses them.
	// +optional
	ReplacedVPCLinkIDs []string `json:"replacedVPCLinkIDs,omitempty"`
}

// APIGatewayVPCLink is an API Gateway VPC link, through which APIs reach
// private load balancers, managed from Kubernetes.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=vpclink,categories=aws
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="VPC-Link-ID",type=string,JSONPath=`.status.vpcLinkID`
// +kubebuilder:printcolumn:name="State",type=string,JSONPath=`.status.state`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="In-Use",type=string,JSONPath=`.status.conditions[?(@.type=="InUse")].status`,priority=1
// +kubebuilder:printcolumn:name="Account",type=string,JSONPath=`.status.scope.accountID`,priority=1
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.status.scope.region`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type APIGatewayVPCLink struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   APIGatewayVPCLinkSpec   `json:"spec"`
	Status APIGatewayVPCLinkStatus `json:"status,omitempty"`
}

// APIGatewayVPCLinkList is a list of APIGatewayVPCLinks.
// +kubebuilder:object:root=true
type APIGatewayVPCLinkList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []APIGatewayVPCLink `json:"items"`
}

// VPCLinkReference names an APIGatewayVPCLink: of the referring
// APIGateway's namespace by default, or of another namespace whose link
// lists the APIGateway's namespace in allowedNamespaces.
type VPCLinkReference struct {
	// Name of the APIGatewayVPCLink.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of the APIGatewayVPCLink; defaults to the APIGateway's.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="vpcLinkRef.namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
	Namespace string `json:"namespace,omitempty"`
}

// GetReconcileStatus returns the shared part of the status.
func (in *APIGatewayVPCLink) GetReconcileStatus() *ReconcileStatus {
	return &in.Status.ReconcileStatus
}

// GetManagedStatus returns the status every managed kind shares.
func (in *APIGatewayVPCLink) GetManagedStatus() *ManagedStatus { return &in.Status.ManagedStatus }

// GetProviderRef returns the provider the object uses.
func (in *APIGatewayVPCLink) GetProviderRef() ProviderReference { return in.Spec.ProviderRef }

// GetDeletionPolicy returns the deletion policy, Delete when unset.
func (in *APIGatewayVPCLink) GetDeletionPolicy() DeletionPolicy {
	return policyOrDefault(in.Spec.DeletionPolicy)
}

// TypeOrDefault is the link's type, V2 when unset.
func (in *APIGatewayVPCLink) TypeOrDefault() VPCLinkType {
	if in.Spec.Type == "" {
		return VPCLinkV2
	}
	return in.Spec.Type
}

func init() {
	register(&APIGatewayVPCLink{}, &APIGatewayVPCLinkList{})
}
