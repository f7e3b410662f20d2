// Package openapi is the operator's AWS layer for OpenAPI documents that
// define what an API serves: ReimportApi for HTTP APIs, PutRestApi for REST
// APIs. The operator applies a document only when it changed, and tells
// that from the digest of the document it last applied, which it keeps in a
// tag on the API (DigestTagKey): a tag is AWS's record, while status can be
// written by anyone with status rights. AWS's export of the API is never
// compared with the document (AWS rewrites what it imports).
package openapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	resttypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// DigestTagKey is the API tag that holds the digest of the document last
// applied, beside the ownership tags (same prefix).
const DigestTagKey = "aws-infra-operator.runner.codes/openapi-digest"

// Mode is how a REST API takes a document (PutRestApi's mode).
type Mode string

// The modes. HTTP APIs are always overwritten (ReimportApi has no mode).
const (
	ModeOverwrite Mode = "overwrite"
	ModeMerge     Mode = "merge"
)

// Document is an OpenAPI document to apply to an API.
type Document struct {
	// Body is the document, YAML or JSON, as the user wrote it.
	Body string
	// Mode is the REST mode; "" is ModeOverwrite. Ignored for HTTP APIs.
	Mode Mode
	// FailOnWarnings makes AWS refuse a document it would import with
	// warnings.
	FailOnWarnings bool
}

// Digest is the SHA-256 (hex) of what applying the document means for an
// API of the protocol: the document, and for REST APIs the mode (the same
// document merged and overwritten gives different APIs). failOnWarnings is
// not part of it: it changes whether AWS accepts a document, not what the
// API becomes.
func (d Document) Digest(protocol gateway.Protocol) string {
	h := sha256.New()
	if protocol == gateway.ProtocolREST {
		fmt.Fprintf(h, "mode=%s\n", d.mode())
	}
	h.Write([]byte(d.Body))
	return hex.EncodeToString(h.Sum(nil))
}

func (d Document) mode() Mode {
	if d.Mode == "" {
		return ModeOverwrite
	}
	return d.Mode
}

// V2API is the part of the apigatewayv2 client this package calls.
type V2API interface {
	ReimportApi(ctx context.Context, in *apigatewayv2.ReimportApiInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.ReimportApiOutput, error)
}

// RestAPI is the part of the apigateway (v1) client this package calls.
type RestAPI interface {
	PutRestApi(ctx context.Context, in *apigateway.PutRestApiInput, optFns ...func(*apigateway.Options)) (*apigateway.PutRestApiOutput, error)
}

var (
	_ V2API   = (*apigatewayv2.Client)(nil)
	_ RestAPI = (*apigateway.Client)(nil)
)

// Client applies documents in one account and region.
type Client struct {
	v2   V2API
	rest RestAPI
}

// NewClient returns a Client over the two SDK clients.
func NewClient(rest RestAPI, v2 V2API) *Client { return &Client{v2: v2, rest: rest} }

// ClientFor returns the provider's client, cached by the factory; its SDK
// clients wait on the account's shared limiter (PutRestApi's 1 per second).
func ClientFor(ctx context.Context, f *session.Factory, key string, s session.Settings) (*Client, error) {
	return session.Cached(ctx, f, key, s, "apigateway-openapi", func(cfg aws.Config) *Client {
		return NewClient(apigateway.NewFromConfig(cfg), apigatewayv2.NewFromConfig(cfg))
	})
}

// Apply replaces (or, REST with ModeMerge, extends) the API's definition
// with the document and returns the warnings AWS gave. AWS also takes the
// API's name, description (and for HTTP APIs CORS) from the document: the
// caller puts the spec's back. A document AWS refuses is an error for which
// awserrors.IsTerminal holds.
func (c *Client) Apply(ctx context.Context, api gateway.API, doc Document) ([]string, error) {
	switch api.Protocol {
	case gateway.ProtocolHTTP:
		out, err := c.v2.ReimportApi(ctx, &apigatewayv2.ReimportApiInput{
			ApiId: aws.String(api.ID), Body: aws.String(doc.Body), FailOnWarnings: aws.Bool(doc.FailOnWarnings),
		})
		if err != nil {
			return nil, err
		}
		return out.Warnings, nil
	case gateway.ProtocolREST:
		out, err := c.rest.PutRestApi(ctx, &apigateway.PutRestApiInput{
			RestApiId: aws.String(api.ID), Body: []byte(doc.Body), Mode: resttypes.PutMode(doc.mode()), FailOnWarnings: doc.FailOnWarnings,
		})
		if err != nil {
			return nil, err
		}
		return out.Warnings, nil
	default:
		return nil, fmt.Errorf("an OpenAPI document cannot define a %s API", api.Protocol)
	}
}
