package lambdaperm_test

import (
	"context"
	"encoding/json"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/runner-codes/infra-operator/internal/aws/lambdaperm"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/emulator"
)

const (
	region  = "eu-west-1"
	account = "000000000000"
	orders  = "arn:aws:lambda:eu-west-1:000000000000:function:orders"
	live    = orders + ":live"
	auth    = "arn:aws:lambda:eu-west-1:000000000000:function:auth"
)

// startEmulator serves two functions (orders with alias live, auth) and
// returns a permission client and a raw Lambda client over the real SDK.
func startEmulator(t *testing.T) (*lambdaperm.Client, *lambda.Client) {
	t.Helper()
	server, baseURL, err := emulator.Start(emulator.Options{LambdaFunctions: []emulator.LambdaFunction{
		{Name: "orders", Aliases: []string{"live"}}, {Name: "auth"},
	}}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	settings := session.Settings{Region: region, Endpoint: baseURL, Static: &session.StaticCredentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"}}
	factory := session.NewFactory(nil)
	client, err := lambdaperm.ClientFor(context.Background(), factory, "test", settings)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := factory.Config(context.Background(), "test", settings)
	if err != nil {
		t.Fatal(err)
	}
	return client, lambda.NewFromConfig(cfg)
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// statementIDs reads a function's policy as Lambda answers it.
func statementIDs(t *testing.T, raw *lambda.Client, function string, qualifier *string) []string {
	t.Helper()
	out, err := raw.GetPolicy(testContext(t), &lambda.GetPolicyInput{FunctionName: aws.String(function), Qualifier: qualifier})
	if err != nil {
		return nil
	}
	var doc struct{ Statement []struct{ Sid string } }
	if err := json.Unmarshal([]byte(aws.ToString(out.Policy)), &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range doc.Statement {
		ids = append(ids, s.Sid)
	}
	sort.Strings(ids)
	return ids
}

func TestReconcileAddsReplacesAndRemovesOnlyItsOwnStatements(t *testing.T) {
	client, raw := startEmulator(t)
	ctx := testContext(t)
	prefix := lambdaperm.StatementPrefix("uid-1")
	// A statement the user wrote by hand: never touched.
	if _, err := raw.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String(orders), Qualifier: aws.String("live"), StatementId: aws.String("hand-written"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
	}); err != nil {
		t.Fatal(err)
	}
	integration := lambdaperm.Grant{FunctionARN: live, StatementID: lambdaperm.StatementID(prefix, "integration", "orders-fn"),
		SourceARN: lambdaperm.RouteSourceARN(region, account, "api1", []string{"GET /orders/{id}"})}
	authorizer := lambdaperm.Grant{FunctionARN: auth, StatementID: lambdaperm.StatementID(prefix, "authorizer", "custom"),
		SourceARN: lambdaperm.AuthorizerSourceARN(region, account, "api1", "au1")}

	changes, err := client.Reconcile(ctx, prefix, []lambdaperm.Grant{integration, authorizer}, nil)
	if err != nil || len(changes) != 2 {
		t.Fatalf("first pass: %v, %v", changes, err)
	}
	if changes, err := client.Reconcile(ctx, prefix, []lambdaperm.Grant{integration, authorizer}, []string{auth, live}); err != nil || len(changes) != 0 {
		t.Fatalf("second pass changed %v, %v; want nothing", changes, err)
	}
	moved := integration
	moved.SourceARN = lambdaperm.RouteSourceARN(region, account, "api1", []string{"GET /orders/{id}", "POST /orders"})
	changes, err = client.Reconcile(ctx, prefix, []lambdaperm.Grant{moved}, []string{auth, live})
	if err != nil || len(changes) != 2 || changes[0].Action != "removed" || changes[1].Action != "replaced" {
		t.Fatalf("third pass: %v, %v; want the authorizer removed and the integration replaced", changes, err)
	}
	granted, err := client.Granted(ctx, live, prefix)
	if err != nil || len(granted) != 1 || granted[0].SourceARN != moved.SourceARN {
		t.Fatalf("Granted = %v, %v; want the moved statement", granted, err)
	}
	if got := statementIDs(t, raw, orders, aws.String("live")); len(got) != 2 || got[0] != "hand-written" {
		t.Errorf("orders:live policy = %v; want the hand-written statement and ours", got)
	}
	if got := statementIDs(t, raw, auth, nil); len(got) != 0 {
		t.Errorf("auth policy still holds %v", got)
	}
	// Another object's prefix sees none of these.
	if other, err := client.Granted(ctx, live, lambdaperm.StatementPrefix("uid-2")); err != nil || len(other) != 0 {
		t.Errorf("another object's view: %v, %v", other, err)
	}
}

func TestReconcileRestoresAStatementRemovedOutsideKubernetes(t *testing.T) {
	client, raw := startEmulator(t)
	ctx := testContext(t)
	prefix := lambdaperm.StatementPrefix("uid-1")
	grant := lambdaperm.Grant{FunctionARN: orders, StatementID: lambdaperm.StatementID(prefix, "integration", "fn"),
		SourceARN: lambdaperm.RouteSourceARN(region, account, "api1", []string{"$default"})}
	if _, err := client.Reconcile(ctx, prefix, []lambdaperm.Grant{grant}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String(orders), StatementId: aws.String(grant.StatementID)}); err != nil {
		t.Fatal(err)
	}
	changes, err := client.Reconcile(ctx, prefix, []lambdaperm.Grant{grant}, []string{orders})
	if err != nil || len(changes) != 1 || changes[0].Action != "added" {
		t.Fatalf("Reconcile after removal: %v, %v; want the statement added back", changes, err)
	}
}

func TestReconcileOnAMissingFunctionFails(t *testing.T) {
	client, _ := startEmulator(t)
	grant := lambdaperm.Grant{FunctionARN: "arn:aws:lambda:eu-west-1:000000000000:function:nope", StatementID: "infra-operator-x-integration-a", SourceARN: "arn:aws:execute-api:eu-west-1:000000000000:api/*"}
	if _, err := client.Reconcile(testContext(t), "infra-operator-x-", []lambdaperm.Grant{grant}, nil); err == nil {
		t.Fatal("granting on a function that does not exist succeeded")
	}
	// Removing everything from a function that is gone is not an error.
	if changes, err := client.Reconcile(testContext(t), "infra-operator-x-", nil, []string{grant.FunctionARN}); err != nil || len(changes) != 0 {
		t.Fatalf("sweep of a missing function: %v, %v", changes, err)
	}
}

func TestReconcileReplacesThenRevokesEverything(t *testing.T) {
	client, raw := startEmulator(t)
	ctx := testContext(t)
	prefix := lambdaperm.StatementPrefix("uid-3")
	grant := lambdaperm.Grant{FunctionARN: live, StatementID: lambdaperm.StatementID(prefix, "integration", "fn"),
		SourceARN: lambdaperm.RouteSourceARN(region, account, "api1", []string{"GET /orders/{id}", "POST /orders"})}
	if _, err := client.Reconcile(ctx, prefix, []lambdaperm.Grant{grant}, nil); err != nil {
		t.Fatal(err)
	}
	grant.SourceARN = lambdaperm.RouteSourceARN(region, account, "api1", []string{"POST /orders"})
	if _, err := client.Reconcile(ctx, prefix, []lambdaperm.Grant{grant}, []string{live}); err != nil {
		t.Fatal(err)
	}
	if got := statementIDs(t, raw, orders, aws.String("live")); len(got) != 1 {
		t.Fatalf("after the replacement: %v", got)
	}
	if _, err := client.Reconcile(ctx, prefix, nil, []string{live}); err != nil {
		t.Fatal(err)
	}
	if got := statementIDs(t, raw, orders, aws.String("live")); len(got) != 0 {
		t.Fatalf("after the revocation: %v", got)
	}
}
