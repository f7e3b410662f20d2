package providers

import (
	"context"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// notReadyRetry is how soon an object looks at its provider again when it is
// not ready; the provider watch usually triggers sooner.
const notReadyRetry = time.Minute

// Resolved is a provider an object may use, ready to reach one account and
// region.
type Resolved struct {
	Provider Provider
	// Ref is the normalized reference.
	Ref v1alpha1.ProviderReference
	// ClientKey keys the AWS layer's client cache: the provider and region.
	ClientKey string
	Settings  session.Settings
	// Scope is the account and region reached.
	Scope       v1alpha1.ResourceScope
	DefaultTags map[string]string
}

// Resolver finds the providers objects use. Reader reads providers and
// namespaces (the cache); Secrets reads Secrets.
type Resolver struct {
	Reader  client.Reader
	Secrets client.Reader
}

// Resolve returns the provider a reference made from namespace names, when
// namespace may use it and it has authenticated. A provider being deleted
// accepts no new dependent: newDependent says the object holds nothing in
// AWS yet.
func (r *Resolver) Resolve(ctx context.Context, namespace string, ref v1alpha1.ProviderReference, newDependent bool) (*Resolved, error) {
	ref = Normalize(ref, namespace)
	p, err := Get(ctx, r.Reader, ref)
	if err != nil {
		return nil, err
	}
	allowed, err := Allows(ctx, r.Reader, p, namespace)
	if err != nil {
		return nil, err
	}
	if !allowed {
		return nil, outcome.Stall(v1alpha1.ReasonProviderNotAllowed, "%s", NotAllowedMessage(ref, namespace))
	}
	if newDependent && !p.GetDeletionTimestamp().IsZero() {
		return nil, outcome.Stall(v1alpha1.ReasonProviderDeleting, "%s is being deleted and accepts no new dependents; use another provider", Describe(ref))
	}
	if !Authenticated(p) {
		return nil, outcome.Wait(notReadyRetry, v1alpha1.ReasonProviderNotReady, "%s is not ready%s", Describe(ref), Problem(p))
	}
	settings, err := Settings(ctx, r.Secrets, p)
	if err != nil {
		return nil, err
	}
	conn := p.GetConnection()
	return &Resolved{
		Provider:    p,
		Ref:         ref,
		ClientKey:   KeyOf(p) + "|" + conn.Region,
		Settings:    settings,
		Scope:       v1alpha1.ResourceScope{AccountID: p.GetProviderStatus().AccountID, Region: conn.Region, Endpoint: conn.Endpoint, Provider: ref},
		DefaultTags: conn.DefaultTags,
	}, nil
}

// ResolveScope returns a provider reaching a scope a resource was recorded
// in: the provider it was reached through, if it still reaches that
// account (the region may have changed: the same credentials reach the old
// one). It is how a resource left behind by a move, or a deletion after
// one, is found again.
func (r *Resolver) ResolveScope(ctx context.Context, namespace string, scope v1alpha1.ResourceScope) (*Resolved, error) {
	p, err := r.Resolve(ctx, namespace, scope.Provider, false)
	if err != nil {
		return nil, err
	}
	if p.Scope.AccountID != scope.AccountID || p.Scope.Endpoint != scope.Endpoint {
		return nil, outcome.Stall(v1alpha1.ReasonMoveRefused, "%s now reaches account %s, not account %s where the resource was made",
			Describe(p.Ref), p.Scope.AccountID, scope.AccountID)
	}
	p.Settings.Region = scope.Region
	p.ClientKey = KeyOf(p.Provider) + "|" + scope.Region
	p.Scope = scope
	return p, nil
}
