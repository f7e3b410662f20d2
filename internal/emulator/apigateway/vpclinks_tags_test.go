package apigateway_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// A v1 VPC link is tagged, untagged and read by its ARN; an unknown link
// is not found.
func TestVpcLinkTagsThroughSDK(t *testing.T) {
	client := newRestClient(t)
	nlb := "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/my-nlb/0123456789abcdef"
	link := sdktest.Must(client.CreateVpcLink(ctx, &apigateway.CreateVpcLinkInput{Name: aws.String("l"), TargetArns: []string{nlb}}))(t)
	arn := aws.String("arn:aws:apigateway:us-east-1::/vpclinks/" + aws.ToString(link.Id))
	sdktest.Must(client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"a": "1", "b": "2"}}))(t)
	sdktest.Must(client.UntagResource(ctx, &apigateway.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a"}}))(t)
	tags := sdktest.Must(client.GetTags(ctx, &apigateway.GetTagsInput{ResourceArn: arn}))(t)
	got := sdktest.Must(client.GetVpcLink(ctx, &apigateway.GetVpcLinkInput{VpcLinkId: link.Id}))(t)
	if len(tags.Tags) != 1 || tags.Tags["b"] != "2" || len(got.Tags) != 1 || got.Tags["b"] != "2" {
		t.Fatalf("tags %v, link tags %v", tags.Tags, got.Tags)
	}
	_, err := client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: aws.String("arn:aws:apigateway:us-east-1::/vpclinks/nosuch"), Tags: map[string]string{"c": "3"}})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Vpc Link identifier specified")
}
