package gateway

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// V1Tagger is the v1 tag calls, with the SDK's signatures.
type V1Tagger interface {
	TagResource(ctx context.Context, in *apigateway.TagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigateway.UntagResourceInput, optFns ...func(*apigateway.Options)) (*apigateway.UntagResourceOutput, error)
}

// V2Tagger is the v2 tag calls, with the SDK's signatures.
type V2Tagger interface {
	TagResource(ctx context.Context, in *apigatewayv2.TagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.TagResourceOutput, error)
	UntagResource(ctx context.Context, in *apigatewayv2.UntagResourceInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.UntagResourceOutput, error)
}

// ARNTags tags a resource by its ARN through the family that holds it: the
// account-wide resources (VPC links, domain names) of both families are
// named by ARNs of one shape.
type ARNTags struct {
	V1 V1Tagger
	V2 V2Tagger
}

// Tag adds or replaces tags, through v1 when viaV1, else through v2.
func (t ARNTags) Tag(ctx context.Context, viaV1 bool, arn string, tags map[string]string) error {
	var err error
	if viaV1 {
		_, err = t.V1.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
	} else {
		_, err = t.V2.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
	}
	return err
}

// Untag removes tags, through v1 when viaV1, else through v2.
func (t ARNTags) Untag(ctx context.Context, viaV1 bool, arn string, keys []string) error {
	var err error
	if viaV1 {
		_, err = t.V1.UntagResource(ctx, &apigateway.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
	} else {
		_, err = t.V2.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
	}
	return err
}
