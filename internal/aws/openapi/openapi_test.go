package openapi

import (
	"slices"
	"testing"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

func TestDigest(t *testing.T) {
	doc := Document{Body: "openapi: 3.0.1"}
	rest, http := doc.Digest(gateway.ProtocolREST), doc.Digest(gateway.ProtocolHTTP)
	if len(rest) != 64 || len(http) != 64 {
		t.Fatalf("digests %q %q are not SHA-256 hex", rest, http)
	}
	merged := Document{Body: doc.Body, Mode: ModeMerge}
	if merged.Digest(gateway.ProtocolREST) == rest {
		t.Error("merging and overwriting a REST API with one document give one digest")
	}
	if (Document{Body: doc.Body, Mode: ModeOverwrite}).Digest(gateway.ProtocolREST) != rest {
		t.Error(`mode "" is not overwrite`)
	}
	if merged.Digest(gateway.ProtocolHTTP) != http || (Document{Body: doc.Body, FailOnWarnings: true}).Digest(gateway.ProtocolHTTP) != http {
		t.Error("HTTP digests depend on more than the document")
	}
	if (Document{Body: doc.Body + " "}).Digest(gateway.ProtocolHTTP) == http {
		t.Error("a changed document keeps its digest")
	}
}

func TestLambdaFunctions(t *testing.T) {
	const fn = "arn:aws:lambda:us-east-1:123456789012:function:orders"
	doc := `openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /orders/{id}:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/` + fn + `:live/invocations
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        $ref: '#/components/x-amazon-apigateway-integrations/orders'
  /orders:
    post:
      x-amazon-apigateway-integration: {type: aws_proxy, uri: ` + fn + `}
  /staged:
    get:
      x-amazon-apigateway-integration: {type: aws_proxy, uri: 'arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}'}
  /web:
    get:
      x-amazon-apigateway-integration: {type: http_proxy, uri: 'https://example.com'}
components:
  x-amazon-apigateway-integrations:
    orders: {type: aws_proxy, uri: ` + fn + `}
  securitySchemes:
    custom:
      type: apiKey
      x-amazon-apigateway-authorizer:
        type: request
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/` + fn + `-auth/invocations
`
	got, err := LambdaFunctions(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Routes) != 2 || !slices.Equal(got.Routes[fn], []string{"ANY /orders/{id}", "POST /orders"}) ||
		!slices.Equal(got.Routes[fn+":live"], []string{"GET /orders/{id}"}) {
		t.Errorf("routes = %v", got.Routes)
	}
	if len(got.Authorizers) != 1 || got.Authorizers["custom"] != fn+"-auth" {
		t.Errorf("authorizers = %v", got.Authorizers)
	}
	if _, err := LambdaFunctions("paths: [unclosed"); err == nil {
		t.Error("a broken document was read")
	}
}
