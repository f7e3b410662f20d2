// Package managed is the reconciler every kind owning AWS resources shares
// (crossplane-runtime's managed reconciler is the model, at this project's
// size). A kind supplies how to reach its resource (Kind.Connect, an
// External); the reconciler does the rest, the same way for every kind:
//
//	fetch → finalizer (persisted before the first AWS write) → provider →
//	move → observe → adopt / create / update → status
//
// and on deletion the deletion policy. Ownership is proved, never asserted:
// an External acts only on a resource whose owner mark is the object's UID;
// what status records is a cache.
package managed

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// Resource is what the reconciler needs of a managed kind.
type Resource interface {
	reconciler.Object
	GetManagedStatus() *v1alpha1.ManagedStatus
	GetProviderRef() v1alpha1.ProviderReference
	GetDeletionPolicy() v1alpha1.DeletionPolicy
}

// Observation is what an External found in AWS.
type Observation struct {
	// Exists says AWS has a resource this object owns (its owner mark
	// proves it).
	Exists bool
	// ID is the resource's AWS id.
	ID string
	// Changes lists how it differs from the spec, worded for events
	// ("description: \"a\" => \"b\""); empty when it matches.
	Changes []string
	// Foreign is set when status recorded a resource whose owner mark is
	// not this object's: a forged or stale status, never acted on.
	Foreign *Foreign
}

// Foreign is a resource status named that this object does not own.
type Foreign struct {
	ID string
	// Owner is the owner mark's human-readable hint, "" when unmarked.
	Owner string
}

// External reads and writes one object's AWS resource in one account and
// region. Observe must be called first; the other calls act on what it
// found.
type External interface {
	// Observe finds the resource the object owns: the one status records,
	// kept only when its owner mark is the object's UID, else one carrying
	// that mark (the search that makes a crash between create and status
	// write harmless).
	Observe(ctx context.Context) (Observation, error)
	// Create makes the resource, marked as the object's.
	Create(ctx context.Context) (Observation, error)
	// Update brings the observed resource to the spec.
	Update(ctx context.Context) (Observation, error)
	// Delete deletes the observed resource; gone reports that AWS
	// confirmed it is gone.
	Delete(ctx context.Context) (gone bool, err error)
	// Release strips the owner mark, leaving the resource (Orphan).
	Release(ctx context.Context) error
	// Claim marks the resource id as the object's when no one owns it,
	// writing the mark first and confirming it by a fresh read before any
	// other write; it fails with a Stalled outcome when another object owns
	// it or won a race for it.
	Claim(ctx context.Context, id string) (Observation, error)
}

// Subresources is what an External implements when its resource holds
// parts the object declares too (an API's routes, integrations, stages):
// they are brought to the spec after the resource itself, on every pass.
type Subresources interface {
	// ReconcileSubresources makes the resource's parts match the spec and
	// returns the events worth telling the user (deployments, drift found
	// and healed), for the reconciler to emit.
	ReconcileSubresources(ctx context.Context) ([]Event, error)
}

// Event is one event an External asks the reconciler to emit.
type Event struct {
	// Type is corev1.EventTypeNormal or corev1.EventTypeWarning.
	Type    string
	Reason  string
	Message string
}

// Kind is what a managed kind supplies.
type Kind[T Resource] struct {
	// Name is the kind, for metrics and messages ("APIGateway").
	Name string
	// Resource names the AWS resource in messages ("API").
	Resource string
	// Finalizer guards the AWS resource until the deletion policy is done.
	Finalizer string
	// AdoptAnnotation names the annotation holding the id of an existing
	// resource to take over.
	AdoptAnnotation string
	New             func() T
	// Connect returns the External of obj's resource in the scope the
	// provider reaches. It makes no AWS call; it may refuse the spec
	// (Stalled) for what can be checked before one.
	Connect func(ctx context.Context, obj T, p *providers.Resolved) (External, error)
	// RecordedID is the resource id status records, "" for none.
	RecordedID func(obj T) string
	// Forget clears what status recorded of a resource that is gone, or
	// is not the object's.
	Forget func(obj T)
	// ReadyMessage words Ready=True.
	ReadyMessage func(obj T) string
}

// Reconciler reconciles one managed kind.
type Reconciler[T Resource] struct {
	kind      Kind[T]
	client    client.Client
	providers *providers.Resolver
	recorder  events.EventRecorder
	resync    time.Duration
	loop      *reconciler.Loop[T]
}

// Options configure a Reconciler.
type Options struct {
	Client    client.Client
	Providers *providers.Resolver
	Recorder  events.EventRecorder
	// ResyncPeriod is how often a Ready resource is observed again to
	// heal drift.
	ResyncPeriod time.Duration
}

// New returns the reconciler of a kind.
func New[T Resource](kind Kind[T], opts Options) *Reconciler[T] {
	r := &Reconciler[T]{kind: kind, client: opts.Client, providers: opts.Providers, recorder: opts.Recorder, resync: opts.ResyncPeriod}
	r.loop = &reconciler.Loop[T]{
		Client: opts.Client, Recorder: opts.Recorder, Kind: kind.Name,
		New: kind.New, Steps: r.steps, ReadyMessage: kind.ReadyMessage,
	}
	return r
}

// Reconcile runs one pass.
func (r *Reconciler[T]) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return r.loop.Reconcile(ctx, req)
}

func (r *Reconciler[T]) steps(ctx context.Context, obj T) (ctrl.Result, error) {
	if !obj.GetDeletionTimestamp().IsZero() {
		return ctrl.Result{}, r.reconcileDelete(ctx, obj)
	}
	provider, err := r.providers.Resolve(ctx, obj.GetNamespace(), obj.GetProviderRef(), !controllerutil.ContainsFinalizer(obj, r.kind.Finalizer))
	if err != nil {
		return ctrl.Result{}, err
	}
	// The finalizer is stored before anything exists in AWS, so that no
	// resource can be made that a deletion would not see.
	if err := reconciler.AddFinalizer(ctx, r.client, obj, r.kind.Finalizer); err != nil {
		return ctrl.Result{}, err
	}
	if err := r.reconcileMove(ctx, obj, provider); err != nil {
		return ctrl.Result{}, err
	}
	ext, err := r.kind.Connect(ctx, obj, provider)
	if err != nil {
		return ctrl.Result{}, err
	}
	if err := r.reconcileResource(ctx, obj, ext); err != nil {
		return ctrl.Result{}, refused(err)
	}
	if err := r.reconcileSubresources(ctx, obj, ext); err != nil {
		return ctrl.Result{}, refused(err)
	}
	scope := provider.Scope
	obj.GetManagedStatus().Scope = &scope
	return ctrl.Result{RequeueAfter: reconciler.Jittered(r.resync)}, nil
}

// reconcileResource finds the resource (owned, or adopted), creates it when
// there is none and brings it to the spec otherwise.
func (r *Reconciler[T]) reconcileResource(ctx context.Context, obj T, ext External) error {
	observed, err := ext.Observe(ctx)
	if err != nil {
		return err
	}
	if f := observed.Foreign; f != nil {
		r.event(obj, corev1.EventTypeWarning, v1alpha1.ReasonNotOwned,
			"Status named %s %s, which %s: it is left alone", r.kind.Resource, f.ID, ownerPhrase(f.Owner))
		// When the object's own resource was found by its mark, status
		// already names it; otherwise the foreign id must go.
		if !observed.Exists {
			r.kind.Forget(obj)
		}
	}
	deletedOutside := !observed.Exists && observed.Foreign == nil && r.kind.RecordedID(obj) != ""
	if deletedOutside {
		r.event(obj, corev1.EventTypeWarning, v1alpha1.ReasonDriftDetected, "%s %s was deleted outside Kubernetes", r.kind.Resource, r.kind.RecordedID(obj))
		// The status must not name a resource that is gone; forgetting it
		// also keeps a recreate that waits for a quota slot from reporting
		// the deletion again on every pass.
		r.kind.Forget(obj)
	}
	if !observed.Exists {
		if id := obj.GetAnnotations()[r.kind.AdoptAnnotation]; id != "" {
			if observed, err = r.claim(ctx, obj, ext, id); err != nil {
				return err
			}
		}
	}
	if !observed.Exists {
		created, err := ext.Create(ctx)
		if err != nil {
			return err
		}
		log.FromContext(ctx).Info("Created "+r.kind.Resource, "id", created.ID)
		if deletedOutside {
			r.event(obj, corev1.EventTypeNormal, v1alpha1.ReasonDriftHealed, "Recreated the %s as %s", r.kind.Resource, created.ID)
		}
		return nil
	}
	return r.updateIfChanged(ctx, obj, ext, observed)
}

// reconcileSubresources brings the resource's parts to the spec when the
// kind has any, and emits the events the External reports, even when it
// fails part-way (what it did, it did).
func (r *Reconciler[T]) reconcileSubresources(ctx context.Context, obj T, ext External) error {
	parts, ok := ext.(Subresources)
	if !ok {
		return nil
	}
	events, err := parts.ReconcileSubresources(ctx)
	for _, e := range events {
		r.event(obj, e.Type, e.Reason, "%s", e.Message)
	}
	return err
}

// updateIfChanged makes no AWS write when the resource already matches. A
// difference on a spec that was already fully applied is drift (someone
// changed the resource outside Kubernetes): it is reverted, with events.
func (r *Reconciler[T]) updateIfChanged(ctx context.Context, obj T, ext External, observed Observation) error {
	if len(observed.Changes) == 0 {
		return nil
	}
	described := strings.Join(observed.Changes, "; ")
	drift := SpecApplied(obj)
	if drift {
		r.event(obj, corev1.EventTypeWarning, v1alpha1.ReasonDriftDetected, "%s %s was changed outside Kubernetes: %s", r.kind.Resource, observed.ID, described)
	}
	if _, err := ext.Update(ctx); err != nil {
		return err
	}
	log.FromContext(ctx).Info("Updated "+r.kind.Resource, "id", observed.ID, "changes", described)
	if drift {
		r.event(obj, corev1.EventTypeNormal, v1alpha1.ReasonDriftHealed, "Reverted %s %s to the spec: %s", r.kind.Resource, observed.ID, described)
	}
	return nil
}

// claims serialises adoptions of one resource within the process, so that
// of two objects adopting it at once exactly one wins: the mark is written
// and read back under the lock, and the loser then reads the winner's mark.
var claims keyedMutex

func (r *Reconciler[T]) claim(ctx context.Context, obj T, ext External, id string) (Observation, error) {
	scope := obj.GetManagedStatus().Scope
	key := r.kind.Name + "|" + id
	if scope != nil {
		key += "|" + scope.AccountID + "|" + scope.Region
	}
	unlock := claims.lock(key)
	defer unlock()
	observed, err := ext.Claim(ctx, id)
	if err != nil {
		return observed, err
	}
	log.FromContext(ctx).Info("Adopted "+r.kind.Resource, "id", id)
	r.event(obj, corev1.EventTypeNormal, v1alpha1.ReasonAdopted, "Adopted %s %s: it now carries this object's owner mark", r.kind.Resource, id)
	return observed, nil
}

// refused turns AWS's refusals (4xx but throttling) into Stalled outcomes
// with AWS's own words, and IAM refusals into Stalled with a long retry.
// Other errors keep their way (waiting, transient).
func refused(err error) error {
	if _, ok := outcome.AsStalled(err); ok {
		return err
	}
	if _, ok := outcome.AsWaiting(err); ok {
		return err
	}
	if awserrors.IsAccessDenied(err) {
		return &outcome.Stalled{Reason: v1alpha1.ReasonAccessDenied, RetryAfter: AccessDeniedRetry, Err: err,
			Message: "AWS denied the request: " + awserrors.Message(err) + "; retried every " + AccessDeniedRetry.String() + ", since the IAM policy may be fixed in AWS"}
	}
	if awserrors.IsTerminal(err) {
		return outcome.StallCause(err, v1alpha1.ReasonAWSRequestRefused, "AWS refused the request: %s", awserrors.Message(err))
	}
	return err
}

// AccessDeniedRetry is how often a request IAM refused is tried again.
const AccessDeniedRetry = 10 * time.Minute

// SpecApplied reports whether the current generation was already brought to
// Ready: any difference found now was made outside Kubernetes.
func SpecApplied(obj Resource) bool {
	st := obj.GetReconcileStatus()
	return st.Ready && st.ObservedGeneration == obj.GetGeneration()
}

func (r *Reconciler[T]) event(obj T, eventType, reason, format string, args ...any) {
	r.recorder.Eventf(obj, nil, eventType, reason, "Reconcile", format, args...)
}

func ownerPhrase(owner string) string {
	if owner == "" {
		return "carries no owner mark"
	}
	return fmt.Sprintf("is owned by %s", owner)
}

// keyedMutex is a mutex per key, made on first use and dropped when free.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	users int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
