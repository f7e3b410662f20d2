package auth_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

func TestSigV4IsVerifiedWhenCredentialsAreConfigured(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{Credentials: []emulator.Credential{{AccessKeyID: "AKIDGOOD", SecretAccessKey: "right", Account: "123456789012"}}})
	input := &apigatewayv2.GetApiInput{ApiId: aws.String("abcdefghij")}

	_, err := e.V2(sdktest.ClientOptions{Anonymous: true, MaxAttempts: 1}).GetApi(sdktest.Ctx, input)
	sdktest.RequireCode(t, err, "MissingAuthenticationTokenException")
	_, err = e.V2(sdktest.ClientOptions{AccessKey: "AKIDGOOD", Secret: "wrong", MaxAttempts: 1}).GetApi(sdktest.Ctx, input)
	sdktest.RequireCode(t, err, "InvalidSignatureException")
	_, err = e.V2(sdktest.ClientOptions{AccessKey: "AKIDUNKNOWN", Secret: "right", MaxAttempts: 1}).GetApi(sdktest.Ctx, input)
	sdktest.RequireCode(t, err, "UnrecognizedClientException")

	// Signed right, the call reaches the service (and its account).
	_, err = e.V2(sdktest.ClientOptions{AccessKey: "AKIDGOOD", Secret: "right"}).GetApi(sdktest.Ctx, input)
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 123456789012:abcdefghij")
	tagged := sdktest.Must(e.V2(sdktest.ClientOptions{AccessKey: "AKIDGOOD", Secret: "right"}).CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("signed"), ProtocolType: types.ProtocolTypeHttp}))(t)
	// An ARN label (escaped : and /) and a query list verify too.
	arn := "arn:aws:apigateway:us-east-1::/apis/" + *tagged.ApiId
	sdktest.Must(e.V2(sdktest.ClientOptions{AccessKey: "AKIDGOOD", Secret: "right"}).UntagResource(sdktest.Ctx, &apigatewayv2.UntagResourceInput{
		ResourceArn: &arn, TagKeys: []string{"a b", "c"}}))(t)
}
