package sts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

func TestGetCallerIdentity(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{Credentials: []emulator.Credential{{AccessKeyID: "AKIDME", SecretAccessKey: "s", Account: "123456789012"}}})
	identity := sdktest.Must(e.STS(sdktest.ClientOptions{AccessKey: "AKIDME", Secret: "s"}).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{}))(t)
	if *identity.Account != "123456789012" || *identity.Arn != "arn:aws:iam::123456789012:user/emulator" || !strings.HasPrefix(*identity.UserId, "AIDA") {
		t.Fatalf("identity = %s %s %s", *identity.Account, *identity.Arn, *identity.UserId)
	}
	_, err := e.STS(sdktest.ClientOptions{AccessKey: "AKIDME", Secret: "wrong", MaxAttempts: 1}).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{})
	sdktest.RequireCode(t, err, "SignatureDoesNotMatch")
	_, err = e.STS(sdktest.ClientOptions{AccessKey: "AKIDWHO", Secret: "s", MaxAttempts: 1}).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{})
	sdktest.RequireCode(t, err, "InvalidClientTokenId")
}

func TestUnknownKeysActInTheDefaultAccount(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{DefaultAccount: "999999999999"})
	identity := sdktest.Must(e.STS(sdktest.ClientOptions{}).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{}))(t)
	if *identity.Account != "999999999999" {
		t.Fatalf("account = %s, want the default account", *identity.Account)
	}
}

func TestAssumedRoleCredentialsActInTheRolesAccount(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	opts := emulator.Options{StateFile: stateFile, Credentials: []emulator.Credential{{AccessKeyID: "AKIDBASE", SecretAccessKey: "s", Account: "111111111111"}}}
	e := sdktest.Start(t, opts)
	base := sdktest.ClientOptions{AccessKey: "AKIDBASE", Secret: "s"}

	assumed := sdktest.Must(e.STS(base).AssumeRole(sdktest.Ctx, &sts.AssumeRoleInput{
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
	asRole := sdktest.ClientOptions{AccessKey: *creds.AccessKeyId, Secret: *creds.SecretAccessKey, SessionToken: *creds.SessionToken}

	identity := sdktest.Must(e.STS(asRole).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{}))(t)
	if *identity.Account != "222222222222" || *identity.Arn != "arn:aws:sts::222222222222:assumed-role/deployer/operator" {
		t.Fatalf("identity with assumed credentials = %s %s", *identity.Account, *identity.Arn)
	}
	api := sdktest.Must(e.V2(asRole).CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{Name: aws.String("r"), ProtocolType: types.ProtocolTypeHttp}))(t)
	_, err := e.V2(base).GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 111111111111:"+*api.ApiId)

	// The session token is part of the credentials.
	_, err = e.V2(sdktest.ClientOptions{AccessKey: *creds.AccessKeyId, Secret: *creds.SecretAccessKey, MaxAttempts: 1}).GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{})
	sdktest.RequireCode(t, err, "UnrecognizedClientException")

	// Issued keys are state: they survive a restart.
	restarted := sdktest.Start(t, opts)
	got := sdktest.Must(restarted.V2(asRole).GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t)
	if *got.Name != "r" {
		t.Fatalf("api after restart = %+v", got)
	}
}

func TestAssumeRoleRefusesMalformedInput(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.STS(sdktest.ClientOptions{MaxAttempts: 1})
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
			_, err := client.AssumeRole(sdktest.Ctx, input)
			sdktest.RequireCode(t, err, "ValidationError")
		})
	}
	_, err := client.AssumeRole(sdktest.Ctx, cases["user ARN"])
	if !strings.Contains(err.Error(), "Request ARN is invalid") {
		t.Fatalf("error = %v, want STS's message", err)
	}
}

// TestKeysOfAnOlderStateFileAreRead: emulators before STS was a service
// kept the issued keys in a top-level "sts" member of the state file.
func TestKeysOfAnOlderStateFileAreRead(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	older := `{"version":1,"services":{},"sts":{"ASIAOLDSESSION":{"secretAccessKey":"old-secret","sessionToken":"old-token",` +
		`"identity":{"account":"333333333333","arn":"arn:aws:sts::333333333333:assumed-role/r/s","userId":"AROAX:s"}}}}`
	if err := os.WriteFile(stateFile, []byte(older), 0o600); err != nil {
		t.Fatal(err)
	}
	e := sdktest.Start(t, emulator.Options{StateFile: stateFile, Credentials: []emulator.Credential{{AccessKeyID: "AKIDBASE", SecretAccessKey: "s", Account: "111111111111"}}})
	identity := sdktest.Must(e.STS(sdktest.ClientOptions{AccessKey: "ASIAOLDSESSION", Secret: "old-secret", SessionToken: "old-token"}).GetCallerIdentity(sdktest.Ctx, &sts.GetCallerIdentityInput{}))(t)
	if *identity.Account != "333333333333" || *identity.Arn != "arn:aws:sts::333333333333:assumed-role/r/s" {
		t.Fatalf("identity from the older state file = %s %s", *identity.Account, *identity.Arn)
	}
}
