package apigateway_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// Usage plans and API keys are taggable in AWS: tagged, untagged and read
// by their ARNs, the tags showing in GetUsagePlan and GetApiKey; an unknown
// id is not found.
func TestUsagePlanAndAPIKeyTagsThroughSDK(t *testing.T) {
	client := newRestClient(t)
	plan := sdktest.Must(client.CreateUsagePlan(ctx, &apigateway.CreateUsagePlanInput{Name: aws.String("p")}))(t)
	key := sdktest.Must(client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Name: aws.String("k")}))(t)
	for _, arn := range []string{
		"arn:aws:apigateway:us-east-1::/usageplans/" + aws.ToString(plan.Id),
		"arn:aws:apigateway:us-east-1::/apikeys/" + aws.ToString(key.Id),
	} {
		sdktest.Must(client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"a": "1", "b": "2"}}))(t)
		sdktest.Must(client.UntagResource(ctx, &apigateway.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a"}}))(t)
		tags := sdktest.Must(client.GetTags(ctx, &apigateway.GetTagsInput{ResourceArn: aws.String(arn)}))(t)
		if len(tags.Tags) != 1 || tags.Tags["b"] != "2" {
			t.Fatalf("%s: tags %v", arn, tags.Tags)
		}
	}
	gotPlan := sdktest.Must(client.GetUsagePlan(ctx, &apigateway.GetUsagePlanInput{UsagePlanId: plan.Id}))(t)
	gotKey := sdktest.Must(client.GetApiKey(ctx, &apigateway.GetApiKeyInput{ApiKey: key.Id}))(t)
	if gotPlan.Tags["b"] != "2" || gotKey.Tags["b"] != "2" {
		t.Fatalf("plan tags %v, key tags %v", gotPlan.Tags, gotKey.Tags)
	}
	_, err := client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: aws.String("arn:aws:apigateway:us-east-1::/usageplans/nosuch"), Tags: map[string]string{"c": "3"}})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Usage Plan ID specified")
	_, err = client.GetTags(ctx, &apigateway.GetTagsInput{ResourceArn: aws.String("arn:aws:apigateway:us-east-1::/apikeys/nosuch")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API Key identifier specified")
}
