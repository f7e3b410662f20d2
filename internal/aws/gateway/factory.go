package gateway

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/smithy-go/middleware"

	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// ClientFor returns the provider's API Gateway client (both SDKs), cached by
// the factory for the provider's settings.
func ClientFor(ctx context.Context, f *session.Factory, key string, s session.Settings) (Client, error) {
	return session.Cached(ctx, f, key, s, "apigateway", func(cfg aws.Config) Client {
		return newSDKClient(cfg, s.Region, s.Endpoint)
	})
}

func newSDKClient(cfg aws.Config, region, endpoint string) Client {
	rest := apigateway.NewFromConfig(cfg, func(o *apigateway.Options) {
		o.APIOptions = append(slices.Clone(o.APIOptions), nameEdgeCreates)
	})
	return NewClient(rest, apigatewayv2.NewFromConfig(cfg), region, endpoint)
}

// CreateSlotBucket is the quota a create of the protocol and endpoint type
// spends, and whether it has one of its own (v2 APIs have none).
func CreateSlotBucket(protocol Protocol, endpointType string) (awsquotas.Operation, bool) {
	if protocol != ProtocolREST {
		return awsquotas.Operation{}, false
	}
	op := awsquotas.Operation{Service: awsquotas.ServiceAPIGateway, Name: "CreateRestApi"}
	if endpointType == "" || endpointType == EndpointEdge {
		op.Variant = awsquotas.VariantEdge
	}
	return op, true
}

// DeleteSlotBucket is the quota a delete of the protocol spends, and
// whether it has one of its own.
func DeleteSlotBucket(protocol Protocol) (awsquotas.Operation, bool) {
	if protocol != ProtocolREST {
		return awsquotas.Operation{}, false
	}
	return awsquotas.Operation{Service: awsquotas.ServiceAPIGateway, Name: "DeleteRestApi"}, true
}

// nameEdgeCreates tells the shared limiter that an edge-optimized
// CreateRestApi spends the tighter EDGE quota: only this step sees the typed
// input.
func nameEdgeCreates(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("InfraOperatorQuotaBucket",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if create, ok := in.Parameters.(*apigateway.CreateRestApiInput); ok && isEdge(create) {
				ctx = session.WithQuotaVariant(ctx, awsquotas.VariantEdge)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// isEdge reports whether a CreateRestApi makes an edge-optimized API, which
// is AWS's default when no endpoint type is given.
func isEdge(in *apigateway.CreateRestApiInput) bool {
	ec := in.EndpointConfiguration
	return ec == nil || len(ec.Types) == 0 || ec.Types[0] == types.EndpointTypeEdge
}
