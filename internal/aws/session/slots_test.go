package session

import (
	"context"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// Reserved CreateRestApi slots are handed out in order, one interval apart;
// a holder asking again keeps its slot, and its call waits for that slot
// instead of taking another from the bucket.
func TestCreateSlotsAreReservedInOrder(t *testing.T) {
	// Scaled so that the 3 s interval is 100 ms (headroom included).
	lim := newAccountLimiter(RateLimit{TimeScale: 30 / operationHeadroom})
	const interval = 100 * time.Millisecond

	first := lim.reserveSlot(createRestAPI, "a")
	second := lim.reserveSlot(createRestAPI, "b")
	third := lim.reserveSlot(createRestAPI, "c")
	if first > 10*time.Millisecond {
		t.Fatalf("the first slot is %s away, want now", first)
	}
	for name, gap := range map[string]time.Duration{"second-first": second - first, "third-second": third - second} {
		if gap < interval-10*time.Millisecond || gap > interval+10*time.Millisecond {
			t.Errorf("%s slot gap %s, want %s", name, gap, interval)
		}
	}
	if again := lim.reserveSlot(createRestAPI, "c"); again > third || third-again > 10*time.Millisecond {
		t.Fatalf("asking again moved c's slot from %s to %s", third, again)
	}

	start := time.Now()
	if err := lim.wait(WithSlotHolder(context.Background(), "c"), createRestAPI); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < third-20*time.Millisecond || waited > third+50*time.Millisecond {
		t.Fatalf("c's call waited %s, want its slot at %s", waited, third)
	}
	// c used its own slot: the next reservation follows b's... and c's.
	if next := lim.reserveSlot(createRestAPI, "d"); next < interval-20*time.Millisecond {
		t.Fatalf("the slot after c's is %s away, want about %s", next, interval)
	}
	// Operations without a quota of their own need no slot.
	if wait := lim.reserveSlot(awsquotas.Operation{Service: awsquotas.ServiceAPIGatewayV2, Name: "CreateApi"}, "e"); wait != 0 {
		t.Fatalf("CreateApi slot %s away, want 0", wait)
	}
}

// A holder that comes back after its slot has passed still goes at once
// (it does not lose its turn to the end of the line), and the next call
// keeps one interval from it, so lateness never makes two calls collide.
func TestLateHolderKeepsItsTurnAndSpacing(t *testing.T) {
	lim := newAccountLimiter(RateLimit{TimeScale: 30 / operationHeadroom})
	const interval = 100 * time.Millisecond

	lim.reserveSlot(createRestAPI, "late")
	onTime := lim.reserveSlot(createRestAPI, "on-time")
	time.Sleep(3 * interval) // both slots pass; "late" has not called yet

	if wait := lim.reserveSlot(createRestAPI, "late"); wait != 0 {
		t.Fatalf("a late holder was sent %s back, want its turn now", wait)
	}
	start := time.Now()
	if err := lim.wait(WithSlotHolder(context.Background(), "late"), createRestAPI); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > 20*time.Millisecond {
		t.Fatalf("the late holder waited %s, want none", waited)
	}
	if err := lim.wait(WithSlotHolder(context.Background(), "on-time"), createRestAPI); err != nil {
		t.Fatal(err)
	}
	if gap := time.Since(start); gap < interval-10*time.Millisecond {
		t.Fatalf("the call after the late one went %s after it (its slot was %s), want at least %s", gap, onTime, interval)
	}
}

var createRestAPI = awsquotas.Operation{Service: awsquotas.ServiceAPIGateway, Name: "CreateRestApi"}

// A call held past its turn before it went out (by the overall bucket or a
// busy scheduler) pushes the next call of its operation: the interval is
// kept from when the late call actually left, as AWS counts it.
func TestLateSendKeepsTheIntervalFromWhenItWent(t *testing.T) {
	lim := newAccountLimiter(RateLimit{TimeScale: 30 / operationHeadroom})
	const interval, held = 100 * time.Millisecond, 60 * time.Millisecond
	ctx := context.Background()

	// The first call gets its turn at once, then is held before it goes.
	if err := lim.waitOperation(ctx, createRestAPI); err != nil {
		t.Fatal(err)
	}
	// The second has its turn computed meanwhile, an interval after the
	// first one's turn.
	second := make(chan time.Time, 1)
	go func() {
		if err := lim.waitOperation(ctx, createRestAPI); err != nil {
			t.Error(err)
		}
		second <- time.Now()
	}()
	time.Sleep(held)
	lim.sent(createRestAPI)
	wentOut := time.Now()

	if gap := (<-second).Sub(wentOut); gap < interval-10*time.Millisecond {
		t.Fatalf("the next call went %s after the late one left, want at least %s", gap, interval)
	}
}
