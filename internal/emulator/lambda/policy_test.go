package lambda

import (
	"testing"
	"time"
)

func TestArnLike(t *testing.T) {
	cases := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:execute-api:us-east-1:111111111111:abc/*", "arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/pets", true},
		{"arn:aws:execute-api:us-east-1:111111111111:abc/*/GET/pets", "arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/pets", true},
		{"arn:aws:execute-api:us-east-1:111111111111:abc/*/POST/pets", "arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/pets", false},
		{"arn:aws:execute-api:*:111111111111:abc/*", "arn:aws:execute-api:eu-west-1:111111111111:abc/x", true},
		{"arn:aws:execute-api:us-east-?:111111111111:abc/*", "arn:aws:execute-api:us-east-2:111111111111:abc/x", true},
		{"arn:aws:execute-api:us-east-?:111111111111:abc/*", "arn:aws:execute-api:us-east-12:111111111111:abc/x", false},
		// "*" does not cross a component, and a pattern of fewer than six
		// components matches no ARN.
		{"arn:aws:execute-api:us-east-1:*:*", "arn:aws:execute-api:us-east-1:111111111111:abc/x", true},
		{"arn:aws:execute-api:us-east-1:*", "arn:aws:execute-api:us-east-1:111111111111:abc/x", false},
		{"arn:aws:execute-api:us-east-1*", "arn:aws:execute-api:us-east-1:111111111111:abc/x", false},
		{"arn:aws:execute-api:us-east-1:222222222222:abc/*", "arn:aws:execute-api:us-east-1:111111111111:abc/x", false},
		// The resource keeps its colons.
		{"arn:aws:logs:us-east-1:111111111111:log-group:*", "arn:aws:logs:us-east-1:111111111111:log-group:a:b", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", false},
		{"arn:aws:s3:::bucket*", "arn:aws:s3:::bucket2", true},
		{"not-an-arn", "not-an-arn", false},
		{"arn:aws:execute-api:us-east-1:111111111111:abc/**?", "arn:aws:execute-api:us-east-1:111111111111:abc/x", true},
		{"arn:aws:execute-api:us-east-1:111111111111:abc/*?", "arn:aws:execute-api:us-east-1:111111111111:abc/", false},
	}
	for _, c := range cases {
		if got := ArnLike(c.pattern, c.arn); got != c.want {
			t.Errorf("ArnLike(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}
}

func TestAllows(t *testing.T) {
	const (
		account  = "111111111111"
		region   = "us-east-1"
		function = "arn:aws:lambda:us-east-1:111111111111:function:f"
		route    = "arn:aws:execute-api:us-east-1:111111111111:abc/prod/GET/pets"
		apigw    = "apigateway.amazonaws.com"
	)
	str := func(s string) *string { return &s }
	cases := []struct {
		name                   string
		add                    addPermissionInput
		qualifier              string // of the statement; "" is $LATEST
		arn, principal, source string
		want                   bool
	}{
		{name: "service, no condition", add: addPermissionInput{Principal: str(apigw)}, arn: function, principal: apigw, want: true},
		{name: "other service", add: addPermissionInput{Principal: str(apigw)}, arn: function, principal: "s3.amazonaws.com"},
		{name: "source ARN matches", add: addPermissionInput{Principal: str(apigw), SourceArn: "arn:aws:execute-api:us-east-1:111111111111:abc/*/GET/*"}, arn: function, principal: apigw, source: route, want: true},
		{name: "source ARN differs", add: addPermissionInput{Principal: str(apigw), SourceArn: "arn:aws:execute-api:us-east-1:111111111111:abc/*/POST/*"}, arn: function, principal: apigw, source: route},
		{name: "source ARN needed", add: addPermissionInput{Principal: str(apigw), SourceArn: "arn:aws:execute-api:us-east-1:111111111111:abc/*"}, arn: function, principal: apigw},
		{name: "source account matches", add: addPermissionInput{Principal: str(apigw), SourceAccount: account}, arn: function, principal: apigw, source: route, want: true},
		{name: "source account differs", add: addPermissionInput{Principal: str(apigw), SourceAccount: "222222222222"}, arn: function, principal: apigw, source: route},
		{name: "both conditions", add: addPermissionInput{Principal: str(apigw), SourceAccount: account, SourceArn: "arn:aws:execute-api:us-east-1:111111111111:abc/*"}, arn: function, principal: apigw, source: route, want: true},
		{name: "lambda:*", add: addPermissionInput{Principal: str(apigw), Action: str("lambda:*")}, arn: function, principal: apigw, want: true},
		{name: "another action", add: addPermissionInput{Principal: str(apigw), Action: str("lambda:GetFunction")}, arn: function, principal: apigw},
		{name: "account root, by id", add: addPermissionInput{Principal: str("222222222222")}, arn: function, principal: "222222222222", want: true},
		{name: "account root, by an ARN of it", add: addPermissionInput{Principal: str("222222222222")}, arn: function, principal: "arn:aws:sts::222222222222:assumed-role/r/s", want: true},
		{name: "account root, another account", add: addPermissionInput{Principal: str("222222222222")}, arn: function, principal: "333333333333"},
		{name: "role ARN", add: addPermissionInput{Principal: str("arn:aws:iam::222222222222:role/r")}, arn: function, principal: "arn:aws:iam::222222222222:role/r", want: true},
		{name: "anyone", add: addPermissionInput{Principal: str("*")}, arn: function, principal: "s3.amazonaws.com", want: true},
		{name: "organization unknown", add: addPermissionInput{Principal: str("*"), PrincipalOrgID: "o-abcdefghij"}, arn: function, principal: "222222222222"},
		{name: "event source token unknown", add: addPermissionInput{Principal: str("*"), EventSourceToken: "tok"}, arn: function, principal: apigw},
		{name: "function URL only", add: addPermissionInput{Principal: str("*"), InvokedViaFunctionURL: true}, arn: function, principal: apigw},
		{name: "alias policy for the alias", add: addPermissionInput{Principal: str(apigw)}, qualifier: "live", arn: function + ":live", principal: apigw, want: true},
		{name: "alias policy not for $LATEST", add: addPermissionInput{Principal: str(apigw)}, qualifier: "live", arn: function, principal: apigw},
		{name: "$LATEST policy not for the alias", add: addPermissionInput{Principal: str(apigw)}, arn: function + ":live", principal: apigw},
		{name: "explicit $LATEST", add: addPermissionInput{Principal: str(apigw)}, arn: function + ":$LATEST", principal: apigw, want: true},
		{name: "unknown alias", add: addPermissionInput{Principal: str(apigw)}, arn: function + ":beta", principal: apigw},
		{name: "another function", add: addPermissionInput{Principal: str(apigw)}, arn: function + "2", principal: apigw},
		{name: "another region", add: addPermissionInput{Principal: str(apigw)}, arn: "arn:aws:lambda:eu-west-1:111111111111:function:f", principal: apigw},
		{name: "not an ARN", add: addPermissionInput{Principal: str(apigw)}, arn: "f", principal: apigw},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc, err := New(Config{Functions: []Registration{{Name: "f", Account: account, Region: region, Aliases: []string{"live"}}, {Name: "f2", Account: account}}})
			if err != nil {
				t.Fatal(err)
			}
			if c.add.Action == nil {
				c.add.Action = str("lambda:InvokeFunction")
			}
			c.add.StatementID = str("s")
			if err := c.add.validate(); err != nil {
				t.Fatal(err)
			}
			q := c.qualifier
			if q == "" {
				q = latest
			}
			tg := &target{Registration: Registration{Name: "f"}, Account: account, Region: region, Qualifier: q, fn: svc.function(account, region, "f", time.Now())}
			st, err := c.add.statement(tg)
			if err != nil {
				t.Fatal(err)
			}
			tg.policy().Statements = append(tg.policy().Statements, st)
			if got := svc.Allows(account, region, c.arn, c.principal, c.source); got != c.want {
				t.Fatalf("Allows(%s, %s, %s) = %v, want %v; statement %+v", c.arn, c.principal, c.source, got, c.want, st)
			}
		})
	}
	// A function with no policy, or no state yet, allows nothing.
	svc, _ := New(Config{Functions: []Registration{{Name: "f", Account: account}}})
	if svc.Allows(account, region, function, apigw, "") {
		t.Fatal("a function without a policy allows")
	}
}
