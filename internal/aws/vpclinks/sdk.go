package vpclinks

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// V2API is the subset of the apigatewayv2 client this package calls, with
// the SDK's exact signatures so *apigatewayv2.Client satisfies it directly:
// the v2 VPC links, and the reads that tell whether an API uses one.
type V2API interface {
	CreateVpcLink(ctx context.Context, in *apigatewayv2.CreateVpcLinkInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateVpcLinkOutput, error)
	GetVpcLink(ctx context.Context, in *apigatewayv2.GetVpcLinkInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetVpcLinkOutput, error)
	GetVpcLinks(ctx context.Context, in *apigatewayv2.GetVpcLinksInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetVpcLinksOutput, error)
	UpdateVpcLink(ctx context.Context, in *apigatewayv2.UpdateVpcLinkInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateVpcLinkOutput, error)
	DeleteVpcLink(ctx context.Context, in *apigatewayv2.DeleteVpcLinkInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteVpcLinkOutput, error)
	TagResource(ctx context.Context, in *apigatewayv2.TagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigatewayv2.UntagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UntagResourceOutput, error)

	GetIntegrations(ctx context.Context, in *apigatewayv2.GetIntegrationsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationsOutput, error)
	GetStages(ctx context.Context, in *apigatewayv2.GetStagesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStagesOutput, error)
	ExportApi(ctx context.Context, in *apigatewayv2.ExportApiInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.ExportApiOutput, error)
}

// V1API is the subset of the apigateway (v1) client this package calls,
// satisfied directly by *apigateway.Client.
type V1API interface {
	CreateVpcLink(ctx context.Context, in *apigateway.CreateVpcLinkInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateVpcLinkOutput, error)
	GetVpcLink(ctx context.Context, in *apigateway.GetVpcLinkInput, optFns ...func(*apigateway.Options)) (*apigateway.GetVpcLinkOutput, error)
	GetVpcLinks(ctx context.Context, in *apigateway.GetVpcLinksInput, optFns ...func(*apigateway.Options)) (*apigateway.GetVpcLinksOutput, error)
	UpdateVpcLink(ctx context.Context, in *apigateway.UpdateVpcLinkInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateVpcLinkOutput, error)
	DeleteVpcLink(ctx context.Context, in *apigateway.DeleteVpcLinkInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteVpcLinkOutput, error)
	TagResource(ctx context.Context, in *apigateway.TagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigateway.UntagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.UntagResourceOutput, error)

	GetResources(ctx context.Context, in *apigateway.GetResourcesInput, optFns ...func(*apigateway.Options)) (*apigateway.GetResourcesOutput, error)
	GetStages(ctx context.Context, in *apigateway.GetStagesInput, optFns ...func(*apigateway.Options)) (*apigateway.GetStagesOutput, error)
	GetExport(ctx context.Context, in *apigateway.GetExportInput, optFns ...func(*apigateway.Options)) (*apigateway.GetExportOutput, error)
}

var (
	_ V2API = (*apigatewayv2.Client)(nil)
	_ V1API = (*apigateway.Client)(nil)
)
