package session

import (
	"context"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// AWS's API Gateway control-plane quotas are per account and region, shared
// by every client of the account, and cannot be raised. Rather than learning
// them from 429s, every client of one account and region waits on one shared
// limiter shaped like the quotas: an overall bucket plus the operations AWS
// limits on their own.

const (
	// headroom is the share of the overall quota the limiter uses. Requests
	// reach AWS with jitter, so a client sending at exactly the quota's rate
	// still sees the odd 429 when two arrive closer than they left; 10%
	// slack absorbs that.
	headroom = 0.9
	// operationHeadroom is the same for the per-operation quotas. Their
	// intervals are seconds long, so a few percent is already far more than
	// the jitter, and every percent here is a percent more time to create
	// a fleet of REST APIs, which these quotas bound.
	operationHeadroom = 0.97
)

// The quotas themselves are AWS's, in one table shared with the emulator
// (package awsquotas): the account-wide bucket over every API Gateway call,
// and the operations AWS limits on their own ("1 request every N seconds
// per account"), each spaced by its interval.

// Limiters is a registry handing out one limiter per account and region. One
// registry is meant to be shared by the whole process; a nil *Limiters means
// no client-side limiting at all.
type Limiters struct {
	// TimeScale speeds up the limiters made from now on whose RateLimit
	// does not set its own (see RateLimit.TimeScale): for benchmarks against
	// an emulator whose quotas run faster. Zero means 1.
	TimeScale float64

	mu    sync.Mutex
	byKey map[string]*accountLimiter
}

// NewLimiters returns an empty registry.
func NewLimiters() *Limiters { return &Limiters{byKey: map[string]*accountLimiter{}} }

// forAccount returns the limiter of an account (or, until it is known, of a
// credential identity) in a region, creating it with rl on first use. Later
// callers share it whatever their own rl: the quota is the account's.
func (l *Limiters) forAccount(account, region string, rl RateLimit) *accountLimiter {
	key := account + "|" + region
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim, ok := l.byKey[key]; ok {
		return lim
	}
	if rl.TimeScale <= 0 {
		rl.TimeScale = l.TimeScale
	}
	lim := newAccountLimiter(rl)
	l.byKey[key] = lim
	return lim
}

type accountLimiter struct {
	overall *rate.Limiter
	// operations hand out the slots of the per-operation buckets, and
	// intervals space the calls actually let through (see waitOperation).
	operations map[awsquotas.Operation]*rate.Limiter
	intervals  map[awsquotas.Operation]time.Duration

	mu sync.Mutex
	// slots are per-operation slots handed out ahead of time, by holder
	// (see reserveSlot).
	slots map[slotKey]time.Time
	// lastSent is the latest turn given to a call of each per-operation
	// bucket, and wentOut when the last one actually went out.
	lastSent map[awsquotas.Operation]time.Time
	wentOut  map[awsquotas.Operation]time.Time
}

type slotKey struct {
	bucket awsquotas.Operation
	holder string
}

func newAccountLimiter(rl RateLimit) *accountLimiter {
	scale := rl.TimeScale
	if scale <= 0 {
		scale = 1
	}
	account := awsquotas.Account()
	perSecond, burst := rl.PerSecond, rl.Burst
	if perSecond <= 0 {
		perSecond = account.PerSecond
	}
	if burst <= 0 {
		burst = account.Burst
	}
	lim := &accountLimiter{
		overall:    rate.NewLimiter(rate.Limit(perSecond*scale*headroom), burst),
		operations: map[awsquotas.Operation]*rate.Limiter{},
		intervals:  map[awsquotas.Operation]time.Duration{},
		slots:      map[slotKey]time.Time{},
		lastSent:   map[awsquotas.Operation]time.Time{},
		wentOut:    map[awsquotas.Operation]time.Time{},
	}
	for op, rule := range awsquotas.Operations() {
		scaled := time.Duration(float64(rule.Interval()) / (scale * operationHeadroom))
		lim.intervals[op] = scaled
		lim.operations[op] = rate.NewLimiter(rate.Every(scaled), 1)
	}
	return lim
}

// wait blocks until the operation may be sent, or ctx ends. The tighter
// per-operation bucket goes first so that an overall token is not held
// while waiting on it; a slot reserved ahead by the context's holder takes
// its place.
func (a *accountLimiter) wait(ctx context.Context, bucket awsquotas.Operation) error {
	_, perOperation := a.operations[bucket]
	if perOperation {
		if err := a.waitOperation(ctx, bucket); err != nil {
			return err
		}
	}
	if err := a.overall.Wait(ctx); err != nil {
		return err
	}
	if perOperation {
		a.sent(bucket)
	}
	return nil
}

// sent records when a per-operation call actually went out: the overall
// bucket, or a busy scheduler, may have held it past its turn, and the next
// call must keep its interval from this moment, not from the turn (AWS
// counts from what it receives: a call spaced from the turn of a late one
// draws a 429 and loses its own turn). waitOperation keeps the next call
// from it, whether that call's turn was given before or after.
func (a *accountLimiter) sent(bucket awsquotas.Operation) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.wentOut[bucket] = time.Now()
}

// waitOperation lets one call of a per-operation bucket through. Calls go
// out one interval apart, counted from the last call actually let through,
// not from the slots handed out: a holder that comes back late for its slot
// still goes (it does not lose its turn), and the calls after it keep their
// spacing, so lateness never costs more than itself and never makes two
// calls collide at AWS.
func (a *accountLimiter) waitOperation(ctx context.Context, bucket awsquotas.Operation) error {
	holder, _ := ctx.Value(slotHolderKey{}).(string)
	a.mu.Lock()
	key := slotKey{bucket, holder}
	sendAt := time.Now()
	if at, reserved := a.slots[key]; reserved && holder != "" && at.After(sendAt) {
		sendAt = at
	}
	delete(a.slots, key) // one slot serves one attempt
	if next := a.lastSent[bucket].Add(a.intervals[bucket]); next.After(sendAt) {
		sendAt = next
	}
	a.lastSent[bucket] = sendAt
	a.mu.Unlock()

	for {
		if err := sleepUntil(ctx, sendAt); err != nil {
			return err
		}
		// A call let through before this one may have gone out late
		// (see sent): keep the interval from when it actually went.
		a.mu.Lock()
		next := a.wentOut[bucket].Add(a.intervals[bucket])
		late := next.After(time.Now())
		if late && a.lastSent[bucket].Before(next) {
			a.lastSent[bucket] = next
		}
		a.mu.Unlock()
		if !late {
			return nil
		}
		sendAt = next
	}
}

func sleepUntil(ctx context.Context, at time.Time) error {
	timer := time.NewTimer(time.Until(at))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reserveSlot returns how long until the holder's slot of the operation,
// reserving the next free one when the holder has none. Slots are handed out
// in order, back to back, so that callers can wait for them elsewhere than
// in a worker and the operation's quota is used to the full.
func (a *accountLimiter) reserveSlot(bucket awsquotas.Operation, holder string) time.Duration {
	op, ok := a.operations[bucket]
	if !ok {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	key := slotKey{bucket, holder}
	if at, ok := a.slots[key]; ok {
		return max(time.Until(at), 0)
	}
	now := time.Now()
	at := now.Add(op.ReserveN(now, 1).DelayFrom(now))
	a.slots[key] = at
	return time.Until(at)
}

type slotHolderKey struct{}

// WithSlotHolder marks the calls made with ctx as the holder's, so that they
// use the slots ReserveSlot reserved for it.
func WithSlotHolder(ctx context.Context, holder string) context.Context {
	return context.WithValue(ctx, slotHolderKey{}, holder)
}

type variantKey struct{}

// WithQuotaVariant names the quota variant of the call being made (EDGE for
// an edge-optimized CreateRestApi): a service's SDK middleware that sees the
// typed input calls it in the Initialize step. This package knows no
// service.
func WithQuotaVariant(ctx context.Context, variant string) context.Context {
	return middleware.WithStackValue(ctx, variantKey{}, variant)
}

// limiterMiddlewares returns the stack option installing the limiter: a
// Finalize step, after the retry loop and before signing, that waits on it
// once per attempt.
func limiterMiddlewares(lim *accountLimiter) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("InfraOperatorRateLimit",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if service, limited := awsquotas.ServiceKey(awsmiddleware.GetServiceID(ctx)); limited {
					variant, _ := middleware.GetStackValue(ctx, variantKey{}).(string)
					bucket := awsquotas.Operation{Service: service, Name: awsmiddleware.GetOperationName(ctx), Variant: variant}
					if err := lim.wait(ctx, bucket); err != nil {
						return middleware.FinalizeOutput{}, middleware.Metadata{}, err
					}
				}
				return next.HandleFinalize(ctx, in)
			}), "Retry", middleware.After)
	}
}
