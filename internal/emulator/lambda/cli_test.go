package lambda_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator"
)

// awsCLI runs the AWS CLI against the emulator with an environment that reads
// none of the user's configuration, so it never reaches a real account.
func awsCLI(t *testing.T, endpoint string, args ...string) (string, string, error) {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("aws", append([]string{"--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"}, args...)...)
	cmd.Env = []string{"AWS_ACCESS_KEY_ID=AKIDCLI", "AWS_SECRET_ACCESS_KEY=secret", "AWS_CONFIG_FILE=" + empty,
		"AWS_SHARED_CREDENTIALS_FILE=" + empty, "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true"}
	for _, variable := range os.Environ() {
		if !strings.HasPrefix(variable, "AWS_") {
			cmd.Env = append(cmd.Env, variable)
		}
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

func TestAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not on PATH")
	}
	e := start(t, emulator.Options{}, "hello:live")
	out, stderr, err := awsCLI(t, e.BaseURL, "lambda", "add-permission", "--function-name", "hello", "--qualifier", "live",
		"--statement-id", "apigw", "--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com",
		"--source-arn", "arn:aws:execute-api:us-east-1:"+account+":abc123/*/GET/pets")
	if err != nil {
		t.Fatalf("add-permission: %v\n%s", err, stderr)
	}
	var added struct{ Statement string }
	if json.Unmarshal([]byte(out), &added) != nil || !strings.Contains(added.Statement, `"Resource":"arn:aws:lambda:us-east-1:`+account+`:function:hello:live"`) {
		t.Fatalf("add-permission printed %s", out)
	}
	_, stderr, err = awsCLI(t, e.BaseURL, "lambda", "add-permission", "--function-name", "hello:live",
		"--statement-id", "apigw", "--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com")
	if err == nil || !strings.Contains(stderr, "An error occurred (ResourceConflictException) when calling the AddPermission operation: The statement id (apigw) provided already exists.") {
		t.Fatalf("duplicate add-permission: %v\n%s", err, stderr)
	}
	out, stderr, err = awsCLI(t, e.BaseURL, "lambda", "get-policy", "--function-name", "hello", "--qualifier", "live")
	if err != nil || !strings.Contains(out, `\"Sid\":\"apigw\"`) {
		t.Fatalf("get-policy: %v\n%s%s", err, out, stderr)
	}
}
