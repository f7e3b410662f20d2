package gateway

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// HTTPAPI is the subset of the apigatewayv2 client this package calls, with
// the SDK's exact signatures so *apigatewayv2.Client satisfies it directly and
// tests can substitute a fake.
type HTTPAPI interface {
	CreateApi(ctx context.Context, in *apigatewayv2.CreateApiInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateApiOutput, error)
	GetApi(ctx context.Context, in *apigatewayv2.GetApiInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApiOutput, error)
	GetApis(ctx context.Context, in *apigatewayv2.GetApisInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApisOutput, error)
	UpdateApi(ctx context.Context, in *apigatewayv2.UpdateApiInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateApiOutput, error)
	DeleteApi(ctx context.Context, in *apigatewayv2.DeleteApiInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteApiOutput, error)
	DeleteCorsConfiguration(ctx context.Context, in *apigatewayv2.DeleteCorsConfigurationInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteCorsConfigurationOutput, error)
	TagResource(ctx context.Context, in *apigatewayv2.TagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigatewayv2.UntagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UntagResourceOutput, error)
}

// RestAPI is the subset of the apigateway (v1) client this package calls,
// satisfied directly by *apigateway.Client.
type RestAPI interface {
	CreateRestApi(ctx context.Context, in *apigateway.CreateRestApiInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateRestApiOutput, error)
	GetRestApi(ctx context.Context, in *apigateway.GetRestApiInput, optFns ...func(*apigateway.Options)) (*apigateway.GetRestApiOutput, error)
	GetRestApis(ctx context.Context, in *apigateway.GetRestApisInput, optFns ...func(*apigateway.Options)) (*apigateway.GetRestApisOutput, error)
	UpdateRestApi(ctx context.Context, in *apigateway.UpdateRestApiInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateRestApiOutput, error)
	DeleteRestApi(ctx context.Context, in *apigateway.DeleteRestApiInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteRestApiOutput, error)
	TagResource(ctx context.Context, in *apigateway.TagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigateway.UntagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.UntagResourceOutput, error)
}

var (
	_ HTTPAPI = (*apigatewayv2.Client)(nil)
	_ RestAPI = (*apigateway.Client)(nil)
)
