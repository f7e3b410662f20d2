package lambda_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

func TestAWSCLI(t *testing.T) {
	e := start(t, emulator.Options{}, "hello:live")
	out, stderr, err := sdktest.AWSCLI(t, e.BaseURL, "lambda", "add-permission", "--function-name", "hello", "--qualifier", "live",
		"--statement-id", "apigw", "--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com",
		"--source-arn", "arn:aws:execute-api:us-east-1:"+account+":abc123/*/GET/pets")
	if err != nil {
		t.Fatalf("add-permission: %v\n%s", err, stderr)
	}
	var added struct{ Statement string }
	if json.Unmarshal([]byte(out), &added) != nil || !strings.Contains(added.Statement, `"Resource":"arn:aws:lambda:us-east-1:`+account+`:function:hello:live"`) {
		t.Fatalf("add-permission printed %s", out)
	}
	_, stderr, err = sdktest.AWSCLI(t, e.BaseURL, "lambda", "add-permission", "--function-name", "hello:live",
		"--statement-id", "apigw", "--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com")
	if err == nil || !strings.Contains(stderr, "An error occurred (ResourceConflictException) when calling the AddPermission operation: The statement id (apigw) provided already exists.") {
		t.Fatalf("duplicate add-permission: %v\n%s", err, stderr)
	}
	out, stderr, err = sdktest.AWSCLI(t, e.BaseURL, "lambda", "get-policy", "--function-name", "hello", "--qualifier", "live")
	if err != nil || !strings.Contains(out, `\"Sid\":\"apigw\"`) {
		t.Fatalf("get-policy: %v\n%s%s", err, out, stderr)
	}
}
