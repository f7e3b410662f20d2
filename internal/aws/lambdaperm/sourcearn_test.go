package lambdaperm

import (
	"strings"
	"testing"
)

func TestRouteSourceARN(t *testing.T) {
	const base = "arn:aws:execute-api:eu-west-1:123456789012:abc123/"
	tests := []struct {
		routes []string
		want   string
	}{
		{[]string{"GET /orders/{id}"}, "*/GET/orders/*"},
		{[]string{"ANY /{proxy+}"}, "*/*/*"},
		{[]string{"POST /orders"}, "*/POST/orders"},
		{[]string{"GET /orders/{id}", "POST /orders"}, "*/*/orders*"},
		{[]string{"GET /orders/{id}", "GET /orders/{id}/items"}, "*/GET/orders/*"},
		{[]string{"GET /a/b", "GET /a/c"}, "*/GET/a*"},
		{[]string{"$default"}, "*/$default"},
		{[]string{"$connect"}, "*/$connect"},
		{[]string{"$connect", "sendMessage"}, "*/*"},
		{[]string{"$default", "GET /x"}, "*/*"},
		{nil, "*"},
	}
	for _, tt := range tests {
		if got := RouteSourceARN("eu-west-1", "123456789012", "abc123", tt.routes); got != base+tt.want {
			t.Errorf("RouteSourceARN(%q) = %q, want %q", tt.routes, got, base+tt.want)
		}
	}
	if got := RouteSourceARN("cn-north-1", "123456789012", "abc", []string{"$default"}); !strings.HasPrefix(got, "arn:aws-cn:execute-api:cn-north-1:") {
		t.Errorf("China region: %q", got)
	}
	if got := AuthorizerSourceARN("us-gov-west-1", "123456789012", "abc", "au1"); got != "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc/authorizers/au1" {
		t.Errorf("AuthorizerSourceARN = %q", got)
	}
}

func TestStatementIDsStayWithinAWSLimits(t *testing.T) {
	prefix := StatementPrefix("0b6c6a3e-2f4e-4d0e-9c51-1e7b3f1f9d10")
	if other := StatementPrefix("another-uid"); other == prefix {
		t.Fatalf("two objects share the prefix %q", prefix)
	}
	short := StatementID(prefix, "integration", "orders-fn")
	if short != prefix+"integration-orders-fn" {
		t.Errorf("StatementID = %q", short)
	}
	long := StatementID(prefix, "integration", strings.Repeat("n", 120))
	longer := StatementID(prefix, "integration", strings.Repeat("n", 121))
	if len(long) > 100 || len(longer) > 100 || long == longer || !strings.HasPrefix(long, prefix) {
		t.Errorf("long ids: %q (%d), %q (%d)", long, len(long), longer, len(longer))
	}
	if got := StatementID(prefix, "authorizer", "a.b c"); strings.ContainsAny(got, ". ") {
		t.Errorf("StatementID kept characters AWS refuses: %q", got)
	}
	name, qualifier := splitQualifier("arn:aws:lambda:eu-west-1:123456789012:function:orders:live")
	if name != "arn:aws:lambda:eu-west-1:123456789012:function:orders" || qualifier == nil || *qualifier != "live" {
		t.Errorf("splitQualifier = %q, %v", name, qualifier)
	}
	if name, qualifier := splitQualifier("arn:aws:lambda:eu-west-1:123456789012:function:orders"); qualifier != nil || !strings.HasSuffix(name, ":orders") {
		t.Errorf("unqualified splitQualifier = %q, %v", name, qualifier)
	}
}
