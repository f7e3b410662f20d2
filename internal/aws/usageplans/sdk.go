package usageplans

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
)

// API is the subset of the apigateway (v1) client this package calls, with
// the SDK's exact signatures so *apigateway.Client satisfies it directly.
type API interface {
	CreateUsagePlan(ctx context.Context, in *apigateway.CreateUsagePlanInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateUsagePlanOutput, error)
	GetUsagePlan(ctx context.Context, in *apigateway.GetUsagePlanInput, optFns ...func(*apigateway.Options)) (*apigateway.GetUsagePlanOutput, error)
	GetUsagePlans(ctx context.Context, in *apigateway.GetUsagePlansInput, optFns ...func(*apigateway.Options)) (*apigateway.GetUsagePlansOutput, error)
	UpdateUsagePlan(ctx context.Context, in *apigateway.UpdateUsagePlanInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateUsagePlanOutput, error)
	DeleteUsagePlan(ctx context.Context, in *apigateway.DeleteUsagePlanInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteUsagePlanOutput, error)
	CreateUsagePlanKey(ctx context.Context, in *apigateway.CreateUsagePlanKeyInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateUsagePlanKeyOutput, error)
	DeleteUsagePlanKey(ctx context.Context, in *apigateway.DeleteUsagePlanKeyInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteUsagePlanKeyOutput, error)
	GetUsagePlanKeys(ctx context.Context, in *apigateway.GetUsagePlanKeysInput, optFns ...func(*apigateway.Options)) (*apigateway.GetUsagePlanKeysOutput, error)

	CreateApiKey(ctx context.Context, in *apigateway.CreateApiKeyInput, optFns ...func(*apigateway.Options)) (*apigateway.CreateApiKeyOutput, error)
	GetApiKey(ctx context.Context, in *apigateway.GetApiKeyInput, optFns ...func(*apigateway.Options)) (*apigateway.GetApiKeyOutput, error)
	GetApiKeys(ctx context.Context, in *apigateway.GetApiKeysInput, optFns ...func(*apigateway.Options)) (*apigateway.GetApiKeysOutput, error)
	UpdateApiKey(ctx context.Context, in *apigateway.UpdateApiKeyInput, optFns ...func(*apigateway.Options)) (*apigateway.UpdateApiKeyOutput, error)
	DeleteApiKey(ctx context.Context, in *apigateway.DeleteApiKeyInput, optFns ...func(*apigateway.Options)) (*apigateway.DeleteApiKeyOutput, error)

	TagResource(ctx context.Context, in *apigateway.TagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigateway.UntagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.UntagResourceOutput, error)
}

var _ API = (*apigateway.Client)(nil)
