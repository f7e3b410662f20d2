package managed

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// refused sorts what AWS answered: refusals only the user can fix stall with
// AWS's words; IAM's AccessDenied stalls and is retried; the rest keeps its
// way.
func TestRefused(t *testing.T) {
	badRequest := &smithy.GenericAPIError{Code: "BadRequestException", Message: "Invalid tag"}
	denied := &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized"}
	throttled := &smithy.GenericAPIError{Code: "TooManyRequestsException", Message: "slow down"}
	waiting, _ := outcome.AsWaiting(outcome.Wait(time.Second, "Slot", "later"))

	st, ok := outcome.AsStalled(refused(badRequest))
	if !ok || st.Reason != v1alpha1.ReasonAWSRequestRefused || st.Message != "AWS refused the request: BadRequestException: Invalid tag" || st.RetryAfter != 0 || !errors.Is(st, badRequest) {
		t.Fatalf("bad request: %+v", st)
	}
	st, ok = outcome.AsStalled(refused(denied))
	if !ok || st.Reason != v1alpha1.ReasonAccessDenied || st.RetryAfter != AccessDeniedRetry {
		t.Fatalf("access denied: %+v", st)
	}
	if _, ok := outcome.AsStalled(refused(throttled)); ok {
		t.Fatal("throttling stalled")
	}
	kept := refused(waiting)
	if got, ok := outcome.AsWaiting(kept); !ok || got != waiting {
		t.Fatal("a waiting outcome was changed")
	}
	if _, ok := outcome.AsStalled(kept); ok {
		t.Fatal("a waiting outcome stalled")
	}
}

// The claim lock lets one holder of a key in at a time, and frees the key.
func TestKeyedMutexSerialisesOneKey(t *testing.T) {
	var locks keyedMutex
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			unlock := locks.lock("api-1")
			if n := inside.Add(1); n > most.Load() {
				most.Store(n)
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			unlock()
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d holders at once", most.Load())
	}
	if len(locks.locks) != 0 {
		t.Fatalf("%d locks left after use", len(locks.locks))
	}
	unlockOther := locks.lock("api-2")
	done := make(chan struct{})
	go func() { locks.lock("api-3")(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("another key waited on the first")
	}
	unlockOther()
}
