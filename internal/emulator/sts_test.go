package emulator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestGetCallerIdentity(t *testing.T) {
	e := startCoreEmulator(t, Options{Credentials: []Credential{{AccessKeyID: "AKIDME", SecretAccessKey: "s", Account: "123456789012"}}})
	identity := must(e.sts(clientOptions{accessKey: "AKIDME", secret: "s"}).GetCallerIdentity(coreCtx, &sts.GetCallerIdentityInput{}))(t)
	if *identity.Account != "123456789012" || *identity.Arn != "arn:aws:iam::123456789012:user/emulator" || !strings.HasPrefix(*identity.UserId, "AIDA") {
		t.Fatalf("identity = %s %s %s", *identity.Account, *identity.Arn, *identity.UserId)
	}
	_, err := e.sts(clientOptions{accessKey: "AKIDME", secret: "wrong", maxAttempts: 1}).GetCallerIdentity(coreCtx, &sts.GetCallerIdentityInput{})
	requireCode(t, err, "SignatureDoesNotMatch")
	_, err = e.sts(clientOptions{accessKey: "AKIDWHO", secret: "s", maxAttempts: 1}).GetCallerIdentity(coreCtx, &sts.GetCallerIdentityInput{})
	requireCode(t, err, "InvalidClientTokenId")
}

func TestUnknownKeysActInTheDefaultAccount(t *testing.T) {
	e := startCoreEmulator(t, Options{DefaultAccount: "999999999999"})
	identity := must(e.sts(clientOptions{}).GetCallerIdentity(coreCtx, &sts.GetCallerIdentityInput{}))(t)
	if *identity.Account != "999999999999" {
		t.Fatalf("account = %s, want the default account", *identity.Account)
	}
}

func TestAssumedRoleCredentialsActInTheRolesAccount(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	opts := Options{StateFile: stateFile, Credentials: []Credential{{AccessKeyID: "AKIDBASE", SecretAccessKey: "s", Account: "111111111111"}}}
	e := startCoreEmulator(t, opts)
	base := clientOptions{accessKey: "AKIDBASE", secret: "s"}

	assumed := must(e.sts(base).AssumeRole(coreCtx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::222222222222:role/deployer"), RoleSessionName: aws.String("operator"),
		ExternalId: aws.String("ext-123"),
	}))(t)
	if *assumed.AssumedRoleUser.Arn != "arn:aws:sts::222222222222:assumed-role/deployer/operator" {
		t.Fatalf("assumed role ARN = %s", *assumed.AssumedRoleUser.Arn)
	}
	creds := assumed.Credentials
	if !strings.HasPrefix(*creds.AccessKeyId, "ASIA") || *creds.SessionToken == "" || creds.Expiration == nil {
		t.Fatalf("credentials = %+v", creds)
	}
	asRole := clientOptions{accessKey: *creds.AccessKeyId, secret: *creds.SecretAccessKey, sessionToken: *creds.SessionToken}

	identity := must(e.sts(asRole).GetCallerIdentity(coreCtx, &sts.GetCallerIdentityInput{}))(t)
	if *identity.Account != "222222222222" || *identity.Arn != "arn:aws:sts::222222222222:assumed-role/deployer/operator" {
		t.Fatalf("identity with assumed credentials = %s %s", *identity.Account, *identity.Arn)
	}
	api := must(e.v2(asRole).CreateApi(coreCtx, &apigatewayv2.CreateApiInput{Name: aws.String("r"), ProtocolType: types.ProtocolTypeHttp}))(t)
	_, err := e.v2(base).GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	requireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 111111111111:"+*api.ApiId)

	// The session token is part of the credentials.
	_, err = e.v2(clientOptions{accessKey: *creds.AccessKeyId, secret: *creds.SecretAccessKey, maxAttempts: 1}).GetApis(coreCtx, &apigatewayv2.GetApisInput{})
	requireCode(t, err, "UnrecognizedClientException")

	// Issued keys are state: they survive a restart.
	restarted := startCoreEmulator(t, opts)
	got := must(restarted.v2(asRole).GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t)
	if *got.Name != "r" {
		t.Fatalf("api after restart = %+v", got)
	}
}

func TestAssumeRoleRefusesMalformedInput(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.sts(clientOptions{maxAttempts: 1})
	cases := map[string]*sts.AssumeRoleInput{
		"user ARN":         {RoleArn: aws.String("arn:aws:iam::222222222222:user/someone"), RoleSessionName: aws.String("s1")},
		"short account":    {RoleArn: aws.String("arn:aws:iam::2222:role/deployer-role"), RoleSessionName: aws.String("s1")},
		"not an ARN":       {RoleArn: aws.String("deployer-role-of-some-kind"), RoleSessionName: aws.String("s1")},
		"session name":     {RoleArn: aws.String("arn:aws:iam::222222222222:role/deployer"), RoleSessionName: aws.String("has space")},
		"short ARN":        {RoleArn: aws.String("arn:aws:iam"), RoleSessionName: aws.String("s1")},
		"bad external id":  {RoleArn: aws.String("arn:aws:iam::222222222222:role/deployer"), RoleSessionName: aws.String("s1"), ExternalId: aws.String("a b")},
		"duration too low": {RoleArn: aws.String("arn:aws:iam::222222222222:role/deployer"), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(60)},
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := client.AssumeRole(coreCtx, input)
			requireCode(t, err, "ValidationError")
		})
	}
	_, err := client.AssumeRole(coreCtx, cases["user ARN"])
	if !strings.Contains(err.Error(), "Request ARN is invalid") {
		t.Fatalf("error = %v, want STS's message", err)
	}
}
