package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ReconcileStatus is the part of status every kind of this API shares: the
// summary the kstatus convention reads.
type ReconcileStatus struct {
	// True when the object is as its spec says, in Kubernetes and in AWS.
	// +optional
	Ready bool `json:"ready"`
	// The generation of the spec that the conditions describe.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Ready, Reconciling and Stalled, in the kstatus convention, and the
	// kind's own conditions.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// ManagedStatus is the status every kind that owns AWS resources shares.
type ManagedStatus struct {
	ReconcileStatus `json:",inline"`
	// Where the AWS resource lives: the account and region it was made in,
	// and the provider it was reached through. When the provider's account
	// or region changes, or providerRef names another provider, the
	// resource recorded here is handled by the deletion policy before one
	// is made in the new scope: nothing is left owned and forgotten.
	// +optional
	Scope *ResourceScope `json:"scope,omitempty"`
}

// ResourceScope is an AWS account and region, as reached through a provider.
type ResourceScope struct {
	// The AWS account id.
	AccountID string `json:"accountID"`
	// The AWS region.
	Region string `json:"region"`
	// The endpoint override the provider used, if any (the bundled
	// emulator): another endpoint is another AWS.
	// +optional
	Endpoint string `json:"endpoint,omitempty"`
	// The provider the resource was reached through.
	Provider ProviderReference `json:"provider"`
}

// SameAWS reports whether two scopes name the same account, region and
// endpoint, whichever provider reached them.
func (s ResourceScope) SameAWS(other ResourceScope) bool {
	return s.AccountID == other.AccountID && s.Region == other.Region && s.Endpoint == other.Endpoint
}

// ProviderKind is the kind of provider a providerRef names.
// +kubebuilder:validation:Enum=AWSProvider;ClusterAWSProvider
type ProviderKind string

const (
	// KindAWSProvider is a namespaced provider: credentials from a Secret
	// of its own namespace.
	KindAWSProvider ProviderKind = "AWSProvider"
	// KindClusterAWSProvider is a cluster-scoped provider, the cluster
	// admin's: it may use the operator's own identity.
	KindClusterAWSProvider ProviderKind = "ClusterAWSProvider"
)

// ProviderReference names the provider whose account and region hold a
// resource: an AWSProvider (the default) or a ClusterAWSProvider.
// +kubebuilder:validation:XValidation:rule="!(has(self.kind) && self.kind == 'ClusterAWSProvider' && has(self.__namespace__))",message="providerRef.namespace applies only to kind AWSProvider: a ClusterAWSProvider is cluster-scoped; remove namespace"
type ProviderReference struct {
	// AWSProvider (namespaced, the default) or ClusterAWSProvider.
	// +optional
	// +kubebuilder:default=AWSProvider
	Kind ProviderKind `json:"kind,omitempty"`
	// Name of the provider.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of an AWSProvider; defaults to the referring object's
	// namespace. A provider in another namespace must list the referring
	// namespace in its spec.allowedNamespaces.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="providerRef.namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
	Namespace string `json:"namespace,omitempty"`
}

// KindOrDefault is the reference's kind, AWSProvider when unset.
func (r ProviderReference) KindOrDefault() ProviderKind {
	if r.Kind == "" {
		return KindAWSProvider
	}
	return r.Kind
}

// DeletionPolicy says what happens to the AWS resource when the object is
// deleted, or when it moves to another account or region.
// +kubebuilder:validation:Enum=Delete;Retain;Orphan
type DeletionPolicy string

const (
	// DeletionDelete deletes the AWS resource and waits until AWS no longer
	// has it.
	DeletionDelete DeletionPolicy = "Delete"
	// DeletionRetain leaves the AWS resource as it is, ownership tags
	// included: no other object can take it over by mistake.
	DeletionRetain DeletionPolicy = "Retain"
	// DeletionOrphan leaves the AWS resource and strips the ownership
	// tags, so another object can adopt it.
	DeletionOrphan DeletionPolicy = "Orphan"
)
