// Package sdktest starts an emulator for tests and points the real AWS SDK
// clients at it: the tests of every emulator package talk to it as
// operators do, over HTTP.
package sdktest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/runner-codes/infra-operator/internal/emulator"
)

// Emulator is a Start()ed server and its base URL.
type Emulator struct {
	Server  *emulator.Server
	BaseURL string
}

// Start starts an emulator on a free port, closed when the test ends.
func Start(t *testing.T, opts emulator.Options) *Emulator {
	t.Helper()
	server, baseURL, err := emulator.Start(opts, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { server.Close() })
	return &Emulator{Server: server, BaseURL: baseURL}
}

// Serve serves handler (a dispatcher built by the test) on a free port, for
// tests that need to reach into a service; Server is nil.
func Serve(t *testing.T, handler http.Handler) *Emulator {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return &Emulator{BaseURL: server.URL}
}

// ClientOptions say how a test client signs and retries.
type ClientOptions struct {
	AccessKey, Secret, SessionToken string
	Region                          string
	Anonymous                       bool
	MaxAttempts                     int // 0 keeps the SDK default of 3
}

// Config is the aws.Config of a client: us-east-1 and the key AKIDTEST
// unless o says otherwise.
func (e *Emulator) Config(o ClientOptions) aws.Config {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.AccessKey == "" {
		o.AccessKey, o.Secret = "AKIDTEST", "secret"
	}
	cfg := aws.Config{
		Region:       o.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(o.AccessKey, o.Secret, o.SessionToken),
		BaseEndpoint: aws.String(e.BaseURL),
	}
	if o.Anonymous {
		cfg.Credentials = aws.AnonymousCredentials{}
	}
	if o.MaxAttempts > 0 {
		cfg.RetryMaxAttempts = o.MaxAttempts
	}
	return cfg
}

// V2 is an apigatewayv2 client of the emulator.
func (e *Emulator) V2(o ClientOptions) *apigatewayv2.Client {
	return apigatewayv2.NewFromConfig(e.Config(o))
}

// REST is an apigateway (v1) client of the emulator.
func (e *Emulator) REST(o ClientOptions) *apigateway.Client {
	return apigateway.NewFromConfig(e.Config(o))
}

// STS is an STS client of the emulator.
func (e *Emulator) STS(o ClientOptions) *sts.Client { return sts.NewFromConfig(e.Config(o)) }

// RequireTyped asserts err is (or wraps) the typed error *T with message.
func RequireTyped[T interface {
	*E
	error
	ErrorMessage() string
}, E any](t *testing.T, err error, message string) {
	t.Helper()
	var typed T
	if !errors.As(err, &typed) {
		t.Fatalf("error = %v (%T), want %T", err, err, typed)
	}
	if message != "" && typed.ErrorMessage() != message {
		t.Fatalf("message = %q, want %q", typed.ErrorMessage(), message)
	}
}

// RequireCode asserts err is an API error with code.
func RequireCode(t *testing.T, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
}

// RequireError asserts err is an API error with this code and message.
func RequireError(t *testing.T, err error, code, message string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got error %v, want %s %q", err, code, message)
	}
	if apiErr.ErrorCode() != code || apiErr.ErrorMessage() != message {
		t.Fatalf("got %s %q, want %s %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
}

// Must returns, called as Must(call(...))(t), call's result, failing t on an
// error.
func Must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// Ctx is the context of test calls.
var Ctx = context.Background()
