package v1alpha1

// Condition types, in the kstatus convention: Ready is the summary; Reconciling
// is True while the controller is working towards the spec; Stalled is True when
// it cannot make progress without a change from the user.
const (
	ConditionReady       = "Ready"
	ConditionReconciling = "Reconciling"
	ConditionStalled     = "Stalled"
	// ConditionInUse is set on an AWSProvider that APIGateways still reference.
	ConditionInUse = "InUse"
)

// Reasons carried by conditions and by the events recorded on transitions.
const (
	ReasonSucceeded            = "Succeeded"
	ReasonProgressing          = "Progressing"
	ReasonDeleting             = "Deleting"
	ReasonInvalidSpec          = "InvalidSpec"
	ReasonProviderNotFound     = "ProviderNotFound"
	ReasonProviderNotReady     = "ProviderNotReady"
	ReasonProviderNotAllowed   = "ProviderNotAllowed"
	ReasonCredentialsInvalid   = "CredentialsInvalid"
	ReasonCredentialsNotFound  = "CredentialsNotFound"
	ReasonAWSRequestRefused    = "AWSRequestRefused"
	ReasonAWSUnavailable       = "AWSUnavailable"
	ReasonAdoptionFailed       = "AdoptionFailed"
	ReasonDriftDetected        = "DriftDetected"
	ReasonDriftHealed          = "DriftHealed"
	ReasonInUse                = "InUse"
	ReasonNotInUse             = "NotInUse"
	ReasonWaitingForDependents = "WaitingForDependents"
)

const (
	// APIGatewayFinalizer guards the AWS API until the deletion policy is carried out.
	APIGatewayFinalizer = "aws-infra-operator.runner.codes/apigateway-finalizer"
	// AWSProviderFinalizer keeps a provider until no APIGateway references it.
	AWSProviderFinalizer = "aws-infra-operator.runner.codes/provider-in-use"
	// AdoptAPIIDAnnotation names an existing AWS API for an APIGateway to take over.
	AdoptAPIIDAnnotation = "aws-infra-operator.runner.codes/adopt-api-id"
)
