package v1alpha1

// Condition types, in the kstatus convention: Ready is the summary; Reconciling
// is True while the controller is working towards the spec; Stalled is True when
// it cannot make progress without a change from the user.
const (
	ConditionReady       = "Ready"
	ConditionReconciling = "Reconciling"
	ConditionStalled     = "Stalled"
	// ConditionInUse is set on a provider that objects still reference.
	ConditionInUse = "InUse"
	// ConditionDeployed is True when every stage of an APIGateway serves
	// the generation in status.observedGeneration; it rolls up into Ready.
	ConditionDeployed = "Deployed"
	// ConditionPermissionsReady is True when every Lambda function an
	// APIGateway invokes with invokePermission: Managed allows it; set only
	// when some permission is managed, and rolls up into Ready.
	ConditionPermissionsReady = "PermissionsReady"
	// ConditionOpenAPIApplied is True when the API was built from the
	// document of spec.openAPI (reason OpenAPIWarnings when AWS had
	// warnings, which the message lists), False when AWS refused it or it
	// could not be read; set only when spec.openAPI is.
	ConditionOpenAPIApplied = "OpenAPIApplied"
)

// Reasons carried by conditions and by the events recorded on transitions.
const (
	ReasonSucceeded           = "Succeeded"
	ReasonProgressing         = "Progressing"
	ReasonDeleting            = "Deleting"
	ReasonInvalidSpec         = "InvalidSpec"
	ReasonProviderNotFound    = "ProviderNotFound"
	ReasonProviderNotReady    = "ProviderNotReady"
	ReasonProviderNotAllowed  = "ProviderNotAllowed"
	ReasonProviderDeleting    = "ProviderDeleting"
	ReasonCredentialsInvalid  = "CredentialsInvalid"
	ReasonCredentialsNotFound = "CredentialsNotFound"
	// ReasonCredentialsNotAllowed: a namespaced provider named a Secret of
	// another namespace, or none at all.
	ReasonCredentialsNotAllowed = "CredentialsNotAllowed"
	// ReasonAccessDenied: IAM refused; retried with a long backoff, since
	// the fix is made in AWS.
	ReasonAccessDenied         = "AccessDenied"
	ReasonAWSRequestRefused    = "AWSRequestRefused"
	ReasonAWSUnavailable       = "AWSUnavailable"
	ReasonAdoptionFailed       = "AdoptionFailed"
	ReasonAdopted              = "Adopted"
	ReasonNotOwned             = "NotOwned"
	ReasonDriftDetected        = "DriftDetected"
	ReasonDriftHealed          = "DriftHealed"
	ReasonMoved                = "Moved"
	ReasonMoveRefused          = "MoveRefused"
	ReasonTooManyTags          = "TooManyTags"
	ReasonInUse                = "InUse"
	ReasonNotInUse             = "NotInUse"
	ReasonWaitingForDependents = "WaitingForDependents"

	// Serving traffic: deployments, Lambda permissions, OpenAPI documents.

	// ReasonDeploymentCreated: a stage was moved to a new deployment (also
	// the event recorded for each deployment).
	ReasonDeploymentCreated = "DeploymentCreated"
	// ReasonDeploymentPending: a deployment waits for AWS's CreateDeployment
	// quota, or for the children it snapshots.
	ReasonDeploymentPending = "DeploymentPending"
	// ReasonDeploymentFailed: AWS refused the deployment.
	ReasonDeploymentFailed = "DeploymentFailed"
	// ReasonPermissionsGranted: every managed invoke permission is in place.
	ReasonPermissionsGranted = "PermissionsGranted"
	// ReasonPermissionsFailed: a function's policy could not be changed
	// (the function does not exist, or IAM refused).
	ReasonPermissionsFailed = "PermissionsFailed"
	// ReasonOpenAPIWarnings: AWS imported the document with warnings.
	ReasonOpenAPIWarnings = "OpenAPIWarnings"
	// ReasonOpenAPIRejected: AWS refused the document (or gave warnings
	// with failOnWarnings).
	ReasonOpenAPIRejected = "OpenAPIRejected"
	// ReasonOpenAPISourceNotFound: the ConfigMap or its key is missing.
	ReasonOpenAPISourceNotFound = "OpenAPISourceNotFound"
	// ReasonOpenAPISourceNotAllowed: the ConfigMap does not carry
	// OpenAPIDocumentLabel, so nobody allowed APIGateways to read it.
	ReasonOpenAPISourceNotAllowed = "OpenAPISourceNotAllowed"
)

const (
	// APIGatewayFinalizer guards the AWS API until the deletion policy is carried out.
	APIGatewayFinalizer = "aws-infra-operator.runner.codes/apigateway-finalizer"
	// AWSProviderFinalizer keeps a provider (of either kind) until no
	// object references it.
	AWSProviderFinalizer = "aws-infra-operator.runner.codes/provider-in-use"
	// CredentialsFinalizer keeps a Secret while a provider reading it has
	// dependents, so that their finalizers can still reach AWS (the
	// pattern of kubernetes.io/pvc-protection): deleting a namespace then
	// finishes, and leaks nothing.
	CredentialsFinalizer = "aws-infra-operator.runner.codes/credentials-in-use"
	// CredentialsLabel marks the Secrets providers read: the operator
	// caches and watches only those.
	CredentialsLabel = "aws-infra-operator.runner.codes/credentials"
	// OpenAPIDocumentLabel ("true") marks the ConfigMaps APIGateways may
	// read their OpenAPI document from: whoever may label a ConfigMap
	// consents to its data reaching AWS, so that an APIGateway's author
	// cannot have the operator read a ConfigMap RBAC does not let them read.
	OpenAPIDocumentLabel = "aws-infra-operator.runner.codes/openapi-document"
	// AdoptAPIIDAnnotation names an existing AWS API for an APIGateway to take over.
	AdoptAPIIDAnnotation = "aws-infra-operator.runner.codes/adopt-api-id"
)
