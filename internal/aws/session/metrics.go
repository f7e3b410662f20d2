package session

import (
	"context"
	"errors"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
)

// Results of one AWS call attempt, the values of the result label.
const (
	resultSuccess     = "success"
	resultThrottled   = "throttled"
	resultClientError = "client_error"
	resultServerError = "server_error"
	resultError       = "error"
)

var (
	apiCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "infra_operator_aws_api_calls_total",
		Help: "AWS API call attempts (retries included), by service, operation and result.",
	}, []string{"service", "operation", "result"})

	apiThrottles = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "infra_operator_aws_api_throttles_total",
		Help: "AWS API call attempts refused for exceeding a rate quota (HTTP 429).",
	}, []string{"service", "operation"})
)

func init() {
	metrics.Registry.MustRegister(apiCalls, apiThrottles)
}

// metricsMiddleware counts every attempt. It sits in the Finalize step after
// the retry loop, so a call retried three times counts three times.
var metricsMiddleware = middleware.FinalizeMiddlewareFunc("InfraOperatorMetrics",
	func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleFinalize(ctx, in)
		service, operation := awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx)
		result := classify(err)
		apiCalls.WithLabelValues(service, operation, result).Inc()
		if result == resultThrottled {
			apiThrottles.WithLabelValues(service, operation).Inc()
		}
		return out, md, err
	})

func classify(err error) string {
	if err == nil {
		return resultSuccess
	}
	if awserrors.IsThrottled(err) {
		return resultThrottled
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		switch status := respErr.HTTPStatusCode(); {
		case status >= 500:
			return resultServerError
		case status >= 400:
			return resultClientError
		}
	}
	return resultError
}
