package controller

import (
	"errors"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// STS's refusals are sorted by who can fix them: a malformed request only a
// spec change (Stalled, no retry); IAM's AccessDenied and refused keys may be
// fixed in AWS (Stalled, retried now and then, saying so); anything else is
// transient.
func TestSTSOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		reason     string
		retryAfter bool
	}{
		{"validation", &smithy.GenericAPIError{Code: "ValidationError", Message: "1 validation error detected: roleArn"}, v1alpha1.ReasonCredentialsInvalid, false},
		{"access denied", &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized to perform sts:AssumeRole"}, v1alpha1.ReasonAccessDenied, true},
		{"unknown key", &smithy.GenericAPIError{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}, v1alpha1.ReasonCredentialsInvalid, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, ok := outcome.AsStalled(stsOutcome(tt.err))
			if !ok || st.Reason != tt.reason || (st.RetryAfter > 0) != tt.retryAfter {
				t.Fatalf("stsOutcome = %+v, want Stalled %s (retried: %v)", st, tt.reason, tt.retryAfter)
			}
			if tt.reason == v1alpha1.ReasonAccessDenied && st.RetryAfter != managed.AccessDeniedRetry {
				t.Fatalf("AccessDenied retried after %s, want %s", st.RetryAfter, managed.AccessDeniedRetry)
			}
			if !errors.Is(st, tt.err) {
				t.Fatal("the outcome does not wrap its cause")
			}
		})
	}
	transient := errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
	if _, ok := outcome.AsStalled(stsOutcome(transient)); ok {
		t.Fatal("a network failure stalled the provider")
	}
}
