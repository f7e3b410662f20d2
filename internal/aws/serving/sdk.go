package serving

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// V2API is the subset of the apigatewayv2 client this package calls, with
// the SDK's exact signatures so *apigatewayv2.Client satisfies it directly.
type V2API interface {
	GetIntegrations(ctx context.Context, in *apigatewayv2.GetIntegrationsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationsOutput, error)
	CreateIntegration(ctx context.Context, in *apigatewayv2.CreateIntegrationInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateIntegrationOutput, error)
	UpdateIntegration(ctx context.Context, in *apigatewayv2.UpdateIntegrationInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateIntegrationOutput, error)
	DeleteIntegration(ctx context.Context, in *apigatewayv2.DeleteIntegrationInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteIntegrationOutput, error)
	GetIntegrationResponses(ctx context.Context, in *apigatewayv2.GetIntegrationResponsesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationResponsesOutput, error)
	CreateIntegrationResponse(ctx context.Context, in *apigatewayv2.CreateIntegrationResponseInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateIntegrationResponseOutput, error)
	DeleteIntegrationResponse(ctx context.Context, in *apigatewayv2.DeleteIntegrationResponseInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteIntegrationResponseOutput, error)

	GetRoutes(ctx context.Context, in *apigatewayv2.GetRoutesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRoutesOutput, error)
	CreateRoute(ctx context.Context, in *apigatewayv2.CreateRouteInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateRouteOutput, error)
	UpdateRoute(ctx context.Context, in *apigatewayv2.UpdateRouteInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateRouteOutput, error)
	DeleteRoute(ctx context.Context, in *apigatewayv2.DeleteRouteInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteOutput, error)
	DeleteRouteRequestParameter(ctx context.Context, in *apigatewayv2.DeleteRouteRequestParameterInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteRequestParameterOutput, error)
	GetRouteResponses(ctx context.Context, in *apigatewayv2.GetRouteResponsesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRouteResponsesOutput, error)
	CreateRouteResponse(ctx context.Context, in *apigatewayv2.CreateRouteResponseInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateRouteResponseOutput, error)
	DeleteRouteResponse(ctx context.Context, in *apigatewayv2.DeleteRouteResponseInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteResponseOutput, error)

	GetAuthorizers(ctx context.Context, in *apigatewayv2.GetAuthorizersInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetAuthorizersOutput, error)
	CreateAuthorizer(ctx context.Context, in *apigatewayv2.CreateAuthorizerInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateAuthorizerOutput, error)
	UpdateAuthorizer(ctx context.Context, in *apigatewayv2.UpdateAuthorizerInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateAuthorizerOutput, error)
	DeleteAuthorizer(ctx context.Context, in *apigatewayv2.DeleteAuthorizerInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteAuthorizerOutput, error)

	GetStages(ctx context.Context, in *apigatewayv2.GetStagesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStagesOutput, error)
	CreateStage(ctx context.Context, in *apigatewayv2.CreateStageInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateStageOutput, error)
	UpdateStage(ctx context.Context, in *apigatewayv2.UpdateStageInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateStageOutput, error)
	DeleteStage(ctx context.Context, in *apigatewayv2.DeleteStageInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteStageOutput, error)
	DeleteRouteSettings(ctx context.Context, in *apigatewayv2.DeleteRouteSettingsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteSettingsOutput, error)
	DeleteAccessLogSettings(ctx context.Context, in *apigatewayv2.DeleteAccessLogSettingsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteAccessLogSettingsOutput, error)

	GetDeployments(ctx context.Context, in *apigatewayv2.GetDeploymentsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetDeploymentsOutput, error)
	CreateDeployment(ctx context.Context, in *apigatewayv2.CreateDeploymentInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateDeploymentOutput, error)
	DeleteDeployment(ctx context.Context, in *apigatewayv2.DeleteDeploymentInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteDeploymentOutput, error)
}

// RestAPI is the subset of the apigateway (v1) client this package calls,
// satisfied directly by *apigateway.Client.
type RestAPI interface {
	GetResources(ctx context.Context, in *apigateway.GetResourcesInput, optFns ...func(*apigateway.Options)) (*apigateway.GetResourcesOutput, error)
	CreateResource(ctx context.Context, in *apigateway.CreateResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateResourceOutput, error)
	DeleteResource(ctx context.Context, in *apigateway.DeleteResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteResourceOutput, error)
	PutMethod(ctx context.Context, in *apigateway.PutMethodInput, optFns ...func(*apigateway.Options)) (*apigateway.PutMethodOutput, error)
	DeleteMethod(ctx context.Context, in *apigateway.DeleteMethodInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteMethodOutput, error)
	PutMethodResponse(ctx context.Context, in *apigateway.PutMethodResponseInput, optFns ...func(*apigateway.Options)) (*apigateway.PutMethodResponseOutput, error)
	PutIntegration(ctx context.Context, in *apigateway.PutIntegrationInput, optFns ...func(*apigateway.Options)) (*apigateway.PutIntegrationOutput, error)
	PutIntegrationResponse(ctx context.Context, in *apigateway.PutIntegrationResponseInput, optFns ...func(*apigateway.Options)) (*apigateway.PutIntegrationResponseOutput, error)

	GetRequestValidators(ctx context.Context, in *apigateway.GetRequestValidatorsInput, optFns ...func(*apigateway.Options)) (*apigateway.GetRequestValidatorsOutput, error)
	CreateRequestValidator(ctx context.Context, in *apigateway.CreateRequestValidatorInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateRequestValidatorOutput, error)
	UpdateRequestValidator(ctx context.Context, in *apigateway.UpdateRequestValidatorInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateRequestValidatorOutput, error)
	DeleteRequestValidator(ctx context.Context, in *apigateway.DeleteRequestValidatorInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteRequestValidatorOutput, error)

	GetAuthorizers(ctx context.Context, in *apigateway.GetAuthorizersInput, optFns ...func(*apigateway.Options)) (*apigateway.GetAuthorizersOutput, error)
	CreateAuthorizer(ctx context.Context, in *apigateway.CreateAuthorizerInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateAuthorizerOutput, error)
	UpdateAuthorizer(ctx context.Context, in *apigateway.UpdateAuthorizerInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateAuthorizerOutput, error)
	DeleteAuthorizer(ctx context.Context, in *apigateway.DeleteAuthorizerInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteAuthorizerOutput, error)

	GetStages(ctx context.Context, in *apigateway.GetStagesInput, optFns ...func(*apigateway.Options)) (*apigateway.GetStagesOutput, error)
	CreateStage(ctx context.Context, in *apigateway.CreateStageInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateStageOutput, error)
	UpdateStage(ctx context.Context, in *apigateway.UpdateStageInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateStageOutput, error)
	DeleteStage(ctx context.Context, in *apigateway.DeleteStageInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteStageOutput, error)

	GetDeployments(ctx context.Context, in *apigateway.GetDeploymentsInput, optFns ...func(*apigateway.Options)) (*apigateway.GetDeploymentsOutput, error)
	CreateDeployment(ctx context.Context, in *apigateway.CreateDeploymentInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateDeploymentOutput, error)
	DeleteDeployment(ctx context.Context, in *apigateway.DeleteDeploymentInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteDeploymentOutput, error)
}

var (
	_ V2API   = (*apigatewayv2.Client)(nil)
	_ RestAPI = (*apigateway.Client)(nil)
)
