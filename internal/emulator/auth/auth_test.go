package auth_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// TestUnknownRegionsAreRefused signs with a credential scope naming a region
// AWS does not have: every service refuses it as AWS's front door does,
// whether or not signatures are checked, and the call reaches no operation.
func TestUnknownRegionsAreRefused(t *testing.T) {
	for name, opts := range map[string]emulator.Options{
		"signatures off": {},
		"signatures on":  {Credentials: []emulator.Credential{{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret", Account: "123456789012"}}},
	} {
		t.Run(name, func(t *testing.T) {
			e := sdktest.Start(t, opts)
			unknown := sdktest.ClientOptions{Region: "xx-fake-1", MaxAttempts: 1}

			_, err := e.V2(unknown).GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{})
			sdktest.RequireError(t, err, "InvalidSignatureException", "Credential should be scoped to a valid region.")
			requireStatus(t, err, http.StatusForbidden)
			_, err = e.REST(unknown).GetRestApis(sdktest.Ctx, &apigateway.GetRestApisInput{})
			sdktest.RequireError(t, err, "InvalidSignatureException", "Credential should be scoped to a valid region.")
			requireStatus(t, err, http.StatusForbidden)
			_, err = e.STS(unknown).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{})
			sdktest.RequireError(t, err, "SignatureDoesNotMatch", "Credential should be scoped to a valid region, not 'xx-fake-1'. ")
			requireStatus(t, err, http.StatusForbidden)
			if calls := e.Server.Stats().Calls; len(calls) != 0 {
				t.Fatalf("refused calls reached operations: %v", calls)
			}

			// The GovCloud and China partitions are regions too.
			for _, region := range []string{"us-gov-west-1", "cn-northwest-1", "eu-central-2"} {
				sdktest.Must(e.V2(sdktest.ClientOptions{Region: region}).GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}))(t)
				sdktest.Must(e.STS(sdktest.ClientOptions{Region: region}).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{}))(t)
			}
		})
	}
}

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
	sdktest.RequireError(t, err, "NotFoundException", "Invalid API identifier specified 123456789012:abcdefghij")
	tagged := sdktest.Must(e.V2(sdktest.ClientOptions{AccessKey: "AKIDGOOD", Secret: "right"}).CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("signed"), ProtocolType: "HTTP"}))(t)
	// An ARN label (escaped : and /) and a query list verify too.
	arn := "arn:aws:apigateway:us-east-1::/apis/" + *tagged.ApiId
	sdktest.Must(e.V2(sdktest.ClientOptions{AccessKey: "AKIDGOOD", Secret: "right"}).UntagResource(sdktest.Ctx, &apigatewayv2.UntagResourceInput{
		ResourceArn: &arn, TagKeys: []string{"a b", "c"}}))(t)
}

func requireStatus(t *testing.T, err error, status int) {
	t.Helper()
	var responseErr *awshttp.ResponseError
	if !errors.As(err, &responseErr) || responseErr.HTTPStatusCode() != status {
		t.Fatalf("error = %v, want HTTP %d", err, status)
	}
}
