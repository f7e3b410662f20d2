package apigatewayv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	v1types "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// A domain name is taggable through both families by its one ARN (AWS lists
// DomainName among the taggable resources of each), and a tag written
// through one is read through the other: the domain is shared.
func TestDomainNameTagsThroughBothFamilies(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	v2 := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	v1 := e.REST(sdktest.ClientOptions{MaxAttempts: 1})
	ctx := sdktest.Ctx
	sdktest.Must(v2.CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{
		DomainName: aws.String("tags.example.com"), Tags: map[string]string{"a": "1"},
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/abc")}},
	}))(t)
	arn := aws.String("arn:aws:apigateway:us-east-1::/domainnames/tags.example.com")

	sdktest.Must(v2.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"b": "2"}}))(t)
	sdktest.Must(v1.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"c": "3"}}))(t)
	sdktest.Must(v2.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a"}}))(t)
	got := sdktest.Must(v2.GetDomainName(ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("tags.example.com")}))(t)
	if len(got.Tags) != 2 || got.Tags["b"] != "2" || got.Tags["c"] != "3" {
		t.Fatalf("v2 GetDomainName tags = %v, want b=2 c=3", got.Tags)
	}
	v1Tags := sdktest.Must(v1.GetTags(ctx, &apigateway.GetTagsInput{ResourceArn: arn}))(t)
	if len(v1Tags.Tags) != 2 || v1Tags.Tags["b"] != "2" {
		t.Fatalf("v1 GetTags = %v, want b=2 c=3", v1Tags.Tags)
	}

	missing := aws.String("arn:aws:apigateway:us-east-1::/domainnames/missing.example.com")
	_, err := v2.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: missing, Tags: map[string]string{"b": "2"}})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
	_, err = v1.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: missing, Tags: map[string]string{"b": "2"}})
	sdktest.RequireTyped[*v1types.NotFoundException](t, err, "")
	otherRegion := aws.String("arn:aws:apigateway:eu-west-1::/domainnames/tags.example.com")
	_, err = v2.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: otherRegion, Tags: map[string]string{"b": "2"}})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
}
