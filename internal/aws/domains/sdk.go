package domains

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// V2API is the subset of the apigatewayv2 client this package calls, with
// the SDK's exact signatures so *apigatewayv2.Client satisfies it directly:
// REGIONAL domain names and their API mappings.
type V2API interface {
	CreateDomainName(ctx context.Context, in *apigatewayv2.CreateDomainNameInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateDomainNameOutput, error)
	GetDomainName(ctx context.Context, in *apigatewayv2.GetDomainNameInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetDomainNameOutput, error)
	UpdateDomainName(ctx context.Context, in *apigatewayv2.UpdateDomainNameInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateDomainNameOutput, error)
	DeleteDomainName(ctx context.Context, in *apigatewayv2.DeleteDomainNameInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteDomainNameOutput, error)
	TagResource(ctx context.Context, in *apigatewayv2.TagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigatewayv2.UntagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UntagResourceOutput, error)

	CreateApiMapping(ctx context.Context, in *apigatewayv2.CreateApiMappingInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateApiMappingOutput, error)
	GetApiMappings(ctx context.Context, in *apigatewayv2.GetApiMappingsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApiMappingsOutput, error)
	UpdateApiMapping(ctx context.Context, in *apigatewayv2.UpdateApiMappingInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateApiMappingOutput, error)
	DeleteApiMapping(ctx context.Context, in *apigatewayv2.DeleteApiMappingInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteApiMappingOutput, error)
}

// V1API is the subset of the apigateway (v1) client this package calls,
// satisfied directly by *apigateway.Client: EDGE domain names and their base
// path mappings (AWS's v2 API has no EDGE domain names).
type V1API interface {
	CreateDomainName(ctx context.Context, in *apigateway.CreateDomainNameInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateDomainNameOutput, error)
	GetDomainName(ctx context.Context, in *apigateway.GetDomainNameInput, optFns ...func(*apigateway.Options)) (*apigateway.GetDomainNameOutput, error)
	UpdateDomainName(ctx context.Context, in *apigateway.UpdateDomainNameInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateDomainNameOutput, error)
	DeleteDomainName(ctx context.Context, in *apigateway.DeleteDomainNameInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteDomainNameOutput, error)
	TagResource(ctx context.Context, in *apigateway.TagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigateway.UntagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.UntagResourceOutput, error)

	CreateBasePathMapping(ctx context.Context, in *apigateway.CreateBasePathMappingInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateBasePathMappingOutput, error)
	GetBasePathMappings(ctx context.Context, in *apigateway.GetBasePathMappingsInput, optFns ...func(*apigateway.Options)) (*apigateway.GetBasePathMappingsOutput, error)
	UpdateBasePathMapping(ctx context.Context, in *apigateway.UpdateBasePathMappingInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateBasePathMappingOutput, error)
	DeleteBasePathMapping(ctx context.Context, in *apigateway.DeleteBasePathMappingInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteBasePathMappingOutput, error)
}

var (
	_ V2API = (*apigatewayv2.Client)(nil)
	_ V1API = (*apigateway.Client)(nil)
)
