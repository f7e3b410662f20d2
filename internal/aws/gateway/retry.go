package gateway

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
)

// Creates are not idempotent in API Gateway: a create that failed with a 5xx
// or a lost answer may have made the API, and a second attempt would make a
// second one. So the SDK retries a create only when AWS throttled it (a 429
// says for sure nothing was made); any other failure goes back to the
// reconcile, whose owner-tag search finds an API the failed call made.

// throttleOnlyRetryer narrows a retryer's retryable errors to throttling.
type throttleOnlyRetryer struct{ aws.Retryer }

func (r throttleOnlyRetryer) IsErrorRetryable(err error) bool {
	return awserrors.IsThrottled(err) && r.Retryer.IsErrorRetryable(err)
}

// RetryCreateOnlyWhenThrottledV2 is the option every apigatewayv2 create
// takes: the SDK retries it only when AWS throttled it.
func RetryCreateOnlyWhenThrottledV2(o *apigatewayv2.Options) {
	o.Retryer = throttleOnlyRetryer{o.Retryer}
}

// RetryCreateOnlyWhenThrottledV1 is the same for apigateway (v1) creates.
func RetryCreateOnlyWhenThrottledV1(o *apigateway.Options) {
	o.Retryer = throttleOnlyRetryer{o.Retryer}
}
