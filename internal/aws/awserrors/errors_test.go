package awserrors

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	v1types "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// asSDKReturnsIt wraps err the way an SDK call returns it: an operation
// error around a response error carrying the HTTP status.
func asSDKReturnsIt(status int, err error) error {
	return &smithy.OperationError{ServiceID: "ApiGatewayV2", OperationName: "GetApi", Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err},
		RequestID:     "req-1",
	}}
}

func TestErrorClassification(t *testing.T) {
	msg := func(s string) *string { return &s }
	tests := []struct {
		name                                    string
		err                                     error
		notFound, throttled, conflict, terminal bool
		message                                 string
	}{
		{name: "nil", err: nil},
		{name: "v2 not found", err: asSDKReturnsIt(404, &v2types.NotFoundException{Message: msg("Invalid API identifier specified 1:x")}),
			notFound: true, message: "NotFoundException: Invalid API identifier specified 1:x"},
		{name: "v1 not found", err: asSDKReturnsIt(404, &v1types.NotFoundException{Message: msg("gone")}), notFound: true, message: "NotFoundException: gone"},
		{name: "v2 too many requests", err: asSDKReturnsIt(429, &v2types.TooManyRequestsException{Message: msg("Too Many Requests")}),
			throttled: true, message: "TooManyRequestsException: Too Many Requests"},
		{name: "v1 limit exceeded", err: asSDKReturnsIt(429, &v1types.LimitExceededException{Message: msg("slow")}), throttled: true, message: "LimitExceededException: slow"},
		{name: "undecoded 429", err: asSDKReturnsIt(429, &smithy.GenericAPIError{Code: "UnknownError"}), throttled: true, message: "UnknownError"},
		{name: "conflict", err: asSDKReturnsIt(409, &v2types.ConflictException{Message: msg("busy")}), conflict: true, message: "ConflictException: busy"},
		{name: "bad request", err: asSDKReturnsIt(400, &v1types.BadRequestException{Message: msg("Description cannot be an empty string")}),
			terminal: true, message: "BadRequestException: Description cannot be an empty string"},
		{name: "v1 unauthorized", err: asSDKReturnsIt(401, &v1types.UnauthorizedException{Message: msg("no")}), terminal: true, message: "UnauthorizedException: no"},
		{name: "unrecognized client (generic)", err: asSDKReturnsIt(403, &smithy.GenericAPIError{Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}),
			terminal: true, message: "UnrecognizedClientException: The security token included in the request is invalid."},
		{name: "sts invalid token", err: asSDKReturnsIt(403, &smithy.GenericAPIError{Code: "InvalidClientTokenId", Message: "bad"}), terminal: true, message: "InvalidClientTokenId: bad"},
		{name: "sts access denied", err: asSDKReturnsIt(403, &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized"}), terminal: true, message: "AccessDenied: not authorized"},
		{name: "signature", err: asSDKReturnsIt(403, &smithy.GenericAPIError{Code: "SignatureDoesNotMatch"}), terminal: true, message: "SignatureDoesNotMatch"},
		{name: "server error is none of them", err: asSDKReturnsIt(500, &smithy.GenericAPIError{Code: "InternalServerErrorException", Message: "boom"}),
			message: "InternalServerErrorException: boom"},
		{name: "unsupported change", err: fmt.Errorf("%w: PRIVATE to EDGE", ErrUnsupportedChange), terminal: true,
			message: "change not supported by AWS: PRIVATE to EDGE"},
		{name: "plain error", err: errors.New("dial tcp: refused"), message: "dial tcp: refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := [4]bool{IsNotFound(tt.err), IsThrottled(tt.err), IsConflict(tt.err), IsTerminal(tt.err)}
			want := [4]bool{tt.notFound, tt.throttled, tt.conflict, tt.terminal}
			if got != want {
				t.Errorf("[notFound throttled conflict terminal] = %v, want %v", got, want)
			}
			if m := Message(tt.err); m != tt.message {
				t.Errorf("Message = %q, want %q", m, tt.message)
			}
		})
	}
}
