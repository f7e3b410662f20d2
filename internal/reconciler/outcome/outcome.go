// Package outcome names the ways a reconcile pass can end short of success,
// as errors that wrap their cause. A pass's steps return them; the shared
// loop sorts them once into conditions and a result (Flux's
// internal/error is the model):
//
//   - Stalled: only a change from the user (or in AWS) can help. Stalled=True,
//     no retry storm: the next pass comes from a watched change, or after
//     RetryAfter when the fix may be made outside Kubernetes.
//   - Waiting: the pass cannot finish yet for a reason outside the spec (a
//     provider authenticating, AWS deleting, a quota slot later).
//     Reconciling=True and a new pass after After.
//   - anything else is transient (throttling, 5xx, network): Reconciling=True
//     with a stable message, and the workqueue's backoff.
//
// Messages are stable: they never carry request ids or timestamps, so a
// failure repeating on every pass makes one event, not one per pass.
package outcome

import (
	"errors"
	"fmt"
	"time"
)

// Stalled is a failure only a change from the user can fix.
type Stalled struct {
	Reason  string
	Message string
	// RetryAfter, when set, schedules one more pass: for fixes made outside
	// Kubernetes (an IAM policy, a key re-enabled).
	RetryAfter time.Duration
	// Err is the cause, if any.
	Err error
}

func (e *Stalled) Error() string { return e.Message }
func (e *Stalled) Unwrap() error { return e.Err }

// Stall returns a Stalled outcome with a formatted message.
func Stall(reason, format string, args ...any) error {
	return &Stalled{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// StallCause returns a Stalled outcome wrapping cause.
func StallCause(cause error, reason, format string, args ...any) error {
	return &Stalled{Reason: reason, Message: fmt.Sprintf(format, args...), Err: cause}
}

// Waiting means the pass must come back later.
type Waiting struct {
	Reason  string
	Message string
	After   time.Duration
	// Priority, when set, is the workqueue priority of the next pass (a
	// pass coming back for a reserved quota slot jumps the backlog).
	Priority *int
	// StillReady keeps Ready=True while waiting: a provider being deleted
	// still serves the objects that hold it.
	StillReady bool
	Err        error
}

func (e *Waiting) Error() string { return e.Message }
func (e *Waiting) Unwrap() error { return e.Err }

// Wait returns a Waiting outcome with a formatted message.
func Wait(after time.Duration, reason, format string, args ...any) error {
	return &Waiting{Reason: reason, Message: fmt.Sprintf(format, args...), After: after}
}

// Transient is a failure worth retrying with backoff, with a stable message
// for conditions and events.
type Transient struct {
	Reason  string
	Message string
	Err     error
}

func (e *Transient) Error() string { return e.Message }
func (e *Transient) Unwrap() error { return e.Err }

// AsStalled returns the Stalled outcome in err's chain.
func AsStalled(err error) (*Stalled, bool) {
	var st *Stalled
	ok := errors.As(err, &st)
	return st, ok
}

// AsWaiting returns the Waiting outcome in err's chain.
func AsWaiting(err error) (*Waiting, bool) {
	var w *Waiting
	ok := errors.As(err, &w)
	return w, ok
}

// AsTransient returns the Transient outcome in err's chain.
func AsTransient(err error) (*Transient, bool) {
	var t *Transient
	ok := errors.As(err, &t)
	return t, ok
}

// WithSuffix returns err with text added to its message when it is Stalled
// or Waiting (a way out, say), keeping everything else; other errors are
// returned as they are.
func WithSuffix(err error, text string) error {
	if st, ok := AsStalled(err); ok {
		c := *st
		c.Message += text
		return &c
	}
	if w, ok := AsWaiting(err); ok {
		c := *w
		c.Message += text
		return &c
	}
	return err
}
