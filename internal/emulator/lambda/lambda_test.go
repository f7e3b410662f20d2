package lambda_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

const account = "000000000000"

func client(e *sdktest.Emulator, o sdktest.ClientOptions) *lambda.Client {
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 1
	}
	return e.Lambda(o)
}

func start(t *testing.T, opts emulator.Options, functions ...string) *sdktest.Emulator {
	t.Helper()
	for _, f := range functions {
		parsed, err := emulator.ParseLambdaFunction(f)
		if err != nil {
			t.Fatal(err)
		}
		opts.LambdaFunctions = append(opts.LambdaFunctions, parsed)
	}
	return sdktest.Start(t, opts)
}

func TestGetFunction(t *testing.T) {
	e := start(t, emulator.Options{}, "hello:live")
	c := client(e, sdktest.ClientOptions{})
	arn := "arn:aws:lambda:us-east-1:" + account + ":function:hello"

	for _, name := range []string{"hello", arn, account + ":function:hello"} {
		got := sdktest.Must(c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}))(t)
		cfg := got.Configuration
		if *cfg.FunctionName != "hello" || *cfg.FunctionArn != arn || cfg.Runtime != types.RuntimeProvidedal2023 ||
			cfg.State != types.StateActive || *cfg.Version != "$LATEST" || *cfg.RevisionId == "" || *cfg.Handler == "" ||
			*cfg.Role != "arn:aws:iam::"+account+":role/hello-role" || cfg.LastModified == nil || got.Code == nil || *got.Code.RepositoryType != "S3" {
			t.Fatalf("GetFunction(%s) = %+v", name, cfg)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000-0700", *cfg.LastModified); err != nil {
			t.Fatalf("LastModified %q: %v", *cfg.LastModified, err)
		}
	}
	// An alias, by Qualifier or in the name.
	for _, in := range []*lambda.GetFunctionInput{
		{FunctionName: aws.String("hello"), Qualifier: aws.String("live")},
		{FunctionName: aws.String("hello:live")},
		{FunctionName: aws.String(arn + ":live")},
	} {
		got := sdktest.Must(c.GetFunction(sdktest.Ctx, in))(t)
		if *got.Configuration.FunctionArn != arn+":live" {
			t.Fatalf("FunctionArn = %s, want the alias's", *got.Configuration.FunctionArn)
		}
	}
	_, err := c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("nope")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "Function not found: arn:aws:lambda:us-east-1:"+account+":function:nope")
	_, err = c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("hello"), Qualifier: aws.String("beta")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "Function not found: "+arn+":beta")
	_, err = c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("hello:live"), Qualifier: aws.String("beta")})
	sdktest.RequireTyped[*types.InvalidParameterValueException](t, err, "The derived qualifier from the function name does not match the specified qualifier.")
	_, err = c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("arn:aws:lambda:eu-west-1:" + account + ":function:hello")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')")
	_, err = c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("bad name")})
	sdktest.RequireCode(t, err, "ValidationException")

	// Declared without a region, the function exists in every region.
	got := sdktest.Must(client(e, sdktest.ClientOptions{Region: "eu-west-1"}).GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("hello")}))(t)
	if *got.Configuration.FunctionArn != "arn:aws:lambda:eu-west-1:"+account+":function:hello" {
		t.Fatalf("FunctionArn in eu-west-1 = %s", *got.Configuration.FunctionArn)
	}
}

func TestPermissions(t *testing.T) {
	e := start(t, emulator.Options{}, "hello:live")
	c := client(e, sdktest.ClientOptions{})
	arn := "arn:aws:lambda:us-east-1:" + account + ":function:hello"
	sourceARN := "arn:aws:execute-api:us-east-1:" + account + ":abc123/*/GET/pets"

	_, err := c.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("hello")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "The resource you requested does not exist.")
	before := sdktest.Must(c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("hello")}))(t)

	added := sdktest.Must(c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("apigw-invoke"), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("apigateway.amazonaws.com"), SourceArn: aws.String(sourceARN), SourceAccount: aws.String(account),
		RevisionId: before.Configuration.RevisionId,
	}))(t)
	want := `{"Sid":"apigw-invoke","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction",` +
		`"Resource":"` + arn + `","Condition":{"StringEquals":{"AWS:SourceAccount":"` + account + `"},"ArnLike":{"AWS:SourceArn":"` + sourceARN + `"}}}`
	if *added.Statement != want {
		t.Fatalf("Statement =\n%s\nwant\n%s", *added.Statement, want)
	}
	sdktest.Must(c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String(arn), StatementId: aws.String("other-account"), Action: aws.String("lambda:*"), Principal: aws.String("111111111111"),
	}))(t)

	policy := sdktest.Must(c.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("hello")}))(t)
	wantPolicy := `{"Version":"2012-10-17","Id":"default","Statement":[` + want +
		`,{"Sid":"other-account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"lambda:*","Resource":"` + arn + `"}]}`
	if *policy.Policy != wantPolicy {
		t.Fatalf("Policy =\n%s\nwant\n%s", *policy.Policy, wantPolicy)
	}
	after := sdktest.Must(c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("hello")}))(t)
	if *policy.RevisionId != *after.Configuration.RevisionId || *after.Configuration.RevisionId == *before.Configuration.RevisionId {
		t.Fatalf("revisions: before %s, after %s, policy %s; want the policy's the function's, changed", *before.Configuration.RevisionId, *after.Configuration.RevisionId, *policy.RevisionId)
	}

	_, err = c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("apigw-invoke"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"),
	})
	sdktest.RequireTyped[*types.ResourceConflictException](t, err, "The statement id (apigw-invoke) provided already exists. Please provide a new statement id, or remove the existing statement.")
	_, err = c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("stale"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"),
		RevisionId: before.Configuration.RevisionId,
	})
	sdktest.RequireTyped[*types.PreconditionFailedException](t, err, "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
	_, err = c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("nope"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"),
	})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "Function not found: arn:aws:lambda:us-east-1:"+account+":function:nope")
	_, err = c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("someone"),
	})
	sdktest.RequireTyped[*types.InvalidParameterValueException](t, err, "The provided principal was invalid. Please check the principal and try again.")
	_, err = c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"), Qualifier: aws.String("$LATEST"),
	})
	sdktest.RequireTyped[*types.InvalidParameterValueException](t, err, "We currently do not support adding policies for $LATEST.")
	_, err = c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("has space"), Action: aws.String("invoke"), Principal: aws.String("s3.amazonaws.com"),
	})
	sdktest.RequireError(t, err, "ValidationException", "2 validation errors detected: "+
		"Value 'has space' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+); "+
		"Value 'invoke' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])")

	// An alias has a policy of its own, on its qualified ARN.
	aliased := sdktest.Must(c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), Qualifier: aws.String("live"), StatementId: aws.String("apigw-invoke"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"), FunctionUrlAuthType: types.FunctionUrlAuthTypeNone,
		PrincipalOrgID: aws.String("o-abcdefghij"),
	}))(t)
	if !strings.Contains(*aliased.Statement, `"Resource":"`+arn+`:live"`) ||
		!strings.Contains(*aliased.Statement, `"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij","lambda:FunctionUrlAuthType":"NONE"}}`) {
		t.Fatalf("alias statement = %s", *aliased.Statement)
	}
	livePolicy := sdktest.Must(c.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("hello:live")}))(t)
	if strings.Count(*livePolicy.Policy, `"Sid"`) != 1 {
		t.Fatalf("alias policy = %s", *livePolicy.Policy)
	}

	// RemovePermission.
	_, err = c.RemovePermission(sdktest.Ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("hello"), StatementId: aws.String("missing")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "Statement missing is not found in resource policy.")
	_, err = c.RemovePermission(sdktest.Ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("hello"), StatementId: aws.String("apigw-invoke"), RevisionId: before.Configuration.RevisionId})
	sdktest.RequireTyped[*types.PreconditionFailedException](t, err, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	_, err = c.RemovePermission(sdktest.Ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("nope"), StatementId: aws.String("s")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "No policy found for: arn:aws:lambda:us-east-1:"+account+":function:nope")
	sdktest.Must(c.RemovePermission(sdktest.Ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("hello"), StatementId: aws.String("apigw-invoke"), RevisionId: policy.RevisionId}))(t)
	sdktest.Must(c.RemovePermission(sdktest.Ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("hello"), StatementId: aws.String("other-account")}))(t)
	_, err = c.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("hello")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "The resource you requested does not exist.")
	_, err = c.RemovePermission(sdktest.Ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("hello"), StatementId: aws.String("apigw-invoke")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "No policy is associated with the given resource.")
	// The alias's policy is untouched.
	sdktest.Must(c.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("hello"), Qualifier: aws.String("live")}))(t)

	stats := e.Server.Stats()
	if stats.Calls["AddPermission"] != 9 || stats.Calls["RemovePermission"] != 6 || stats.Calls["GetPolicy"] != 5 {
		t.Fatalf("stats = %v", stats.Calls)
	}
}

func TestPolicyLengthIsLimited(t *testing.T) {
	e := start(t, emulator.Options{}, "hello")
	c := client(e, sdktest.ClientOptions{})
	for i := 0; ; i++ {
		_, err := c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
			FunctionName: aws.String("hello"), StatementId: aws.String(strings.Repeat("s", 90) + string(rune('a'+i/26)) + string(rune('a'+i%26))),
			Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
			SourceArn: aws.String("arn:aws:execute-api:us-east-1:" + account + ":" + strings.Repeat("x", 100) + "/*"),
		})
		if err != nil {
			sdktest.RequireTyped[*types.PolicyLengthExceededException](t, err, "")
			if i < 40 || !strings.Contains(err.Error(), "is bigger than the limit (20480)") {
				t.Fatalf("refused after %d statements: %v", i, err)
			}
			break
		}
	}
	policy := sdktest.Must(c.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("hello")}))(t)
	if len(*policy.Policy) > 20480 {
		t.Fatalf("policy of %d bytes kept", len(*policy.Policy))
	}
}

func TestInvoke(t *testing.T) {
	var received []byte
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received, _ = io.ReadAll(r.Body)
		answer := `{"echo":` + string(received) + `}`
		if strings.Contains(string(received), "fail") {
			w.WriteHeader(http.StatusInternalServerError)
			answer = `{"errorMessage":"failed"}`
		}
		if _, err := w.Write([]byte(answer)); err != nil {
			t.Errorf("endpoint: writing the answer: %v", err)
		}
	}))
	t.Cleanup(endpoint.Close)
	e := start(t, emulator.Options{}, "echo:live="+endpoint.URL, "codeless", "222222222222:us-east-1:theirs="+endpoint.URL)
	c := client(e, sdktest.ClientOptions{})

	out := sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("echo:live"), Payload: []byte(`{"a":1}`)}))(t)
	if out.StatusCode != http.StatusOK || string(out.Payload) != `{"echo":{"a":1}}` || *out.ExecutedVersion != "$LATEST" || out.FunctionError != nil {
		t.Fatalf("Invoke = %d %s %v %v", out.StatusCode, out.Payload, out.ExecutedVersion, out.FunctionError)
	}
	out = sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`"fail"`)}))(t)
	if out.StatusCode != http.StatusOK || out.FunctionError == nil || *out.FunctionError != "Unhandled" || string(out.Payload) != `{"errorMessage":"failed"}` {
		t.Fatalf("failing Invoke = %d %s %v", out.StatusCode, out.Payload, out.FunctionError)
	}
	out = sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"b":2}`)}))(t)
	if out.StatusCode != http.StatusAccepted || len(out.Payload) != 0 || string(received) != `{"b":2}` {
		t.Fatalf("Event Invoke = %d %q, endpoint got %s", out.StatusCode, out.Payload, received)
	}
	out = sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("codeless"), InvocationType: types.InvocationTypeDryRun}))(t)
	if out.StatusCode != http.StatusNoContent {
		t.Fatalf("DryRun = %d", out.StatusCode)
	}
	_, err := c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("codeless")})
	sdktest.RequireTyped[*types.ServiceException](t, err, "")
	if !strings.Contains(err.Error(), "has neither a handler nor an endpoint") || !strings.Contains(err.Error(), "501") {
		t.Fatalf("Invoke without endpoint = %v", err)
	}

	// Another account's function: its policy decides.
	theirs := "arn:aws:lambda:us-east-1:222222222222:function:theirs"
	_, err = c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String(theirs)})
	sdktest.RequireCode(t, err, "AccessDeniedException")
	// Signed, the caller is an IAM user of its account.
	e2 := start(t, emulator.Options{Credentials: []emulator.Credential{
		{AccessKeyID: "AKIDOWNER", SecretAccessKey: "s", Account: "222222222222"},
		{AccessKeyID: "AKIDCALLER", SecretAccessKey: "s", Account: account},
	}}, "222222222222:us-east-1:theirs="+endpoint.URL)
	caller := client(e2, sdktest.ClientOptions{AccessKey: "AKIDCALLER", Secret: "s"})
	_, err = caller.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String(theirs)})
	sdktest.RequireError(t, err, "AccessDeniedException", "User: arn:aws:iam::"+account+":user/emulator is not authorized to perform: lambda:InvokeFunction on resource: "+theirs+
		" because no resource-based policy allows the lambda:InvokeFunction action")
	sdktest.Must(client(e2, sdktest.ClientOptions{AccessKey: "AKIDOWNER", Secret: "s"}).AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("theirs"), StatementId: aws.String("caller"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String(account),
	}))(t)
	out = sdktest.Must(caller.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String(theirs), Payload: []byte(`3`)}))(t)
	if string(out.Payload) != `{"echo":3}` {
		t.Fatalf("cross-account Invoke = %s", out.Payload)
	}
	// Other operations stay in the caller's account.
	_, err = caller.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String(theirs)})
	sdktest.RequireCode(t, err, "AccessDeniedException")
}

// admin calls the registry, signing for key when it is not empty.
func admin(t *testing.T, e *sdktest.Emulator, method, path, body, key string) (int, string) {
	t.Helper()
	request, err := http.NewRequest(method, e.BaseURL+path, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: "s"}
		if err := v4.NewSigner().SignHTTP(sdktest.Ctx, creds, request, hex.EncodeToString(sum[:]), "lambda", "eu-west-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	answer, _ := io.ReadAll(response.Body)
	return response.StatusCode, string(answer)
}

func TestAdminRegistry(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	opts := emulator.Options{StateFile: stateFile, Credentials: []emulator.Credential{{AccessKeyID: "AKIDADMIN", SecretAccessKey: "s", Account: "123456789012"}}}
	e := start(t, opts, "declared")
	c := client(e, sdktest.ClientOptions{AccessKey: "AKIDADMIN", Secret: "s", Region: "eu-west-1"})

	if status, _ := admin(t, e, http.MethodPost, "/_emulator/lambda/functions", `{"name":"added"}`, ""); status != http.StatusForbidden {
		t.Fatalf("unsigned registration answered %d, want 403", status)
	}
	status, answer := admin(t, e, http.MethodPost, "/_emulator/lambda/functions", `{"name":"added","region":"eu-west-1","aliases":["live"]}`, "AKIDADMIN")
	if status != http.StatusCreated || !strings.Contains(answer, `"account":"123456789012"`) {
		t.Fatalf("registration = %d %s", status, answer)
	}
	if status, answer := admin(t, e, http.MethodPost, "/_emulator/lambda/functions", `{"name":"added","region":"eu-west-1"}`, "AKIDADMIN"); status != http.StatusConflict {
		t.Fatalf("second registration = %d %s", status, answer)
	}
	if status, answer := admin(t, e, http.MethodPost, "/_emulator/lambda/functions", `{"name":"bad name"}`, "AKIDADMIN"); status != http.StatusBadRequest {
		t.Fatalf("bad registration = %d %s", status, answer)
	}
	sdktest.Must(c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("added:live")}))(t)
	sdktest.Must(c.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("added"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
	}))(t)
	// Only in its region; the declared function is the default account's.
	_, err := client(e, sdktest.ClientOptions{AccessKey: "AKIDADMIN", Secret: "s", Region: "us-east-1"}).GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("added")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "Function not found: arn:aws:lambda:us-east-1:123456789012:function:added")
	_, err = c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("declared")})
	sdktest.RequireCode(t, err, "ResourceNotFoundException")

	// Registrations and policies survive a restart.
	restarted := start(t, opts, "declared")
	rc := client(restarted, sdktest.ClientOptions{AccessKey: "AKIDADMIN", Secret: "s", Region: "eu-west-1"})
	policy := sdktest.Must(rc.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("added")}))(t)
	if !strings.Contains(*policy.Policy, `"Sid":"s"`) {
		t.Fatalf("policy after restart = %s", *policy.Policy)
	}
	status, answer = admin(t, restarted, http.MethodGet, "/_emulator/lambda/functions", "", "AKIDADMIN")
	var listed struct {
		Functions []struct{ Name, Source string } `json:"functions"`
	}
	if json.Unmarshal([]byte(answer), &listed) != nil || status != http.StatusOK || len(listed.Functions) != 2 {
		t.Fatalf("list = %d %s", status, answer)
	}

	if status, answer := admin(t, restarted, http.MethodDelete, "/_emulator/lambda/functions/declared?account=000000000000", "", "AKIDADMIN"); status != http.StatusConflict {
		t.Fatalf("deleting a declared function = %d %s", status, answer)
	}
	if status, answer := admin(t, restarted, http.MethodDelete, "/_emulator/lambda/functions/added?region=eu-west-1", "", "AKIDADMIN"); status != http.StatusNoContent {
		t.Fatalf("deregistration = %d %s", status, answer)
	}
	if status, _ := admin(t, restarted, http.MethodDelete, "/_emulator/lambda/functions/added?region=eu-west-1", "", "AKIDADMIN"); status != http.StatusNotFound {
		t.Fatalf("second deregistration = %d", status)
	}
	_, err = rc.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("added")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:added")
	// Registered again, it starts with no policy.
	admin(t, restarted, http.MethodPost, "/_emulator/lambda/functions", `{"name":"added","region":"eu-west-1"}`, "AKIDADMIN")
	_, err = rc.GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("added")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "The resource you requested does not exist.")
}

func TestWorldsAreIsolated(t *testing.T) {
	e := start(t, emulator.Options{}, "hello")
	east := client(e, sdktest.ClientOptions{})
	sdktest.Must(east.AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
	}))(t)
	_, err := client(e, sdktest.ClientOptions{Region: "us-west-2"}).GetPolicy(sdktest.Ctx, &lambda.GetPolicyInput{FunctionName: aws.String("hello")})
	sdktest.RequireTyped[*types.ResourceNotFoundException](t, err, "The resource you requested does not exist.")
	// The same statement id is free in another region.
	sdktest.Must(client(e, sdktest.ClientOptions{Region: "us-west-2"}).AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("hello"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
	}))(t)
}
