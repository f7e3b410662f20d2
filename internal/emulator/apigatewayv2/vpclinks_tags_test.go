package apigatewayv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// A v2 VPC link is tagged, untagged and read by its ARN, as AWS allows for
// every taggable API Gateway resource; a link of another region is not
// found.
func TestVpcLinkTagsThroughSDK(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	ctx := sdktest.Ctx
	link := sdktest.Must(client.CreateVpcLink(ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("l"), SubnetIds: []string{"subnet-1"}, Tags: map[string]string{"a": "1"}}))(t)
	arn := aws.String("arn:aws:apigateway:us-east-1::/vpclinks/" + aws.ToString(link.VpcLinkId))
	sdktest.Must(client.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"b": "2"}}))(t)
	sdktest.Must(client.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a"}}))(t)
	tags := sdktest.Must(client.GetTags(ctx, &apigatewayv2.GetTagsInput{ResourceArn: arn}))(t)
	got := sdktest.Must(client.GetVpcLink(ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: link.VpcLinkId}))(t)
	if len(tags.Tags) != 1 || tags.Tags["b"] != "2" || len(got.Tags) != 1 || got.Tags["b"] != "2" {
		t.Fatalf("tags %v, link tags %v", tags.Tags, got.Tags)
	}
	_, err := client.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: aws.String("arn:aws:apigateway:eu-west-1::/vpclinks/" + aws.ToString(link.VpcLinkId)), Tags: map[string]string{"c": "3"}})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
}
