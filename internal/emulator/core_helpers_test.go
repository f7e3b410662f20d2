package emulator

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// coreEmulator is a Start()ed server and its base URL.
type coreEmulator struct {
	server  *Server
	baseURL string
}

func startCoreEmulator(t *testing.T, opts Options) *coreEmulator {
	t.Helper()
	server, baseURL, err := Start(opts, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { server.Close() })
	return &coreEmulator{server: server, baseURL: baseURL}
}

// clientOptions says how a test client signs and retries.
type clientOptions struct {
	accessKey, secret, sessionToken string
	region                          string
	anonymous                       bool
	maxAttempts                     int // 0 keeps the SDK default of 3
}

func (e *coreEmulator) config(o clientOptions) aws.Config {
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.accessKey == "" {
		o.accessKey, o.secret = "AKIDTEST", "secret"
	}
	cfg := aws.Config{
		Region:      o.region,
		Credentials: credentials.NewStaticCredentialsProvider(o.accessKey, o.secret, o.sessionToken),
	}
	if o.anonymous {
		cfg.Credentials = aws.AnonymousCredentials{}
	}
	if o.maxAttempts > 0 {
		cfg.RetryMaxAttempts = o.maxAttempts
	}
	return cfg
}

func (e *coreEmulator) v2(o clientOptions) *apigatewayv2.Client {
	return apigatewayv2.NewFromConfig(e.config(o), func(opts *apigatewayv2.Options) {
		opts.BaseEndpoint = aws.String(e.baseURL)
	})
}

func (e *coreEmulator) sts(o clientOptions) *sts.Client {
	return sts.NewFromConfig(e.config(o), func(opts *sts.Options) {
		opts.BaseEndpoint = aws.String(e.baseURL)
	})
}

// requireTyped asserts err is (or wraps) the typed error *T with message.
func requireTyped[T interface {
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

// requireCode asserts err is an API error with code.
func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
}

// must(call(...))(t) returns call's result, failing t on an error.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

var coreCtx = context.Background()
