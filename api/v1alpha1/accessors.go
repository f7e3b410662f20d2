package v1alpha1

// Accessors through which the shared reconcilers handle every kind alike.

// GetReconcileStatus returns the shared part of the status.
func (in *APIGateway) GetReconcileStatus() *ReconcileStatus { return &in.Status.ReconcileStatus }

// GetManagedStatus returns the status every managed kind shares.
func (in *APIGateway) GetManagedStatus() *ManagedStatus { return &in.Status.ManagedStatus }

// GetProviderRef returns the provider the object uses.
func (in *APIGateway) GetProviderRef() ProviderReference { return in.Spec.ProviderRef }

// GetDeletionPolicy returns the deletion policy, Delete when unset.
func (in *APIGateway) GetDeletionPolicy() DeletionPolicy {
	return policyOrDefault(in.Spec.DeletionPolicy)
}

// GetReconcileStatus returns the shared part of the status.
func (in *AWSProvider) GetReconcileStatus() *ReconcileStatus { return &in.Status.ReconcileStatus }

// GetReconcileStatus returns the shared part of the status.
func (in *ClusterAWSProvider) GetReconcileStatus() *ReconcileStatus {
	return &in.Status.ReconcileStatus
}

func policyOrDefault(p DeletionPolicy) DeletionPolicy {
	if p == "" {
		return DeletionDelete
	}
	return p
}

// GetConnection returns how the provider reaches AWS.
func (in *AWSProvider) GetConnection() AWSConnection { return in.Spec.AWSConnection }

// GetProviderStatus returns the provider's status.
func (in *AWSProvider) GetProviderStatus() *ProviderStatus { return &in.Status }

// ProviderKind names the kind.
func (in *AWSProvider) ProviderKind() ProviderKind { return KindAWSProvider }

// GetConnection returns how the provider reaches AWS.
func (in *ClusterAWSProvider) GetConnection() AWSConnection { return in.Spec.AWSConnection }

// GetProviderStatus returns the provider's status.
func (in *ClusterAWSProvider) GetProviderStatus() *ProviderStatus { return &in.Status }

// ProviderKind names the kind.
func (in *ClusterAWSProvider) ProviderKind() ProviderKind { return KindClusterAWSProvider }
