package session

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/smithy-go/middleware"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// Factory caches, per provider, the aws.Config and the clients built from
// it, so that reconciles neither rebuild them nor re-assume roles. An entry
// is replaced as soon as the provider's settings (credentials included)
// change. It is safe for concurrent use.
type Factory struct {
	limiters *Limiters

	mu      sync.Mutex
	entries map[string]*entry
}

// entry is one provider's cached state, valid for the settings it was built
// from.
type entry struct {
	settingsHash string
	once         sync.Once
	cfg          aws.Config
	cfgErr       error

	mu       sync.Mutex
	identity *Identity
	gateway  gateway.Client
	limiter  *accountLimiter // nil without client-side limiting
}

// NewFactory returns an empty cache whose clients share limiters' per-account
// limiters; nil limiters means no client-side rate limiting.
func NewFactory(limiters *Limiters) *Factory {
	return &Factory{limiters: limiters, entries: map[string]*entry{}}
}

// entryFor returns the provider's entry for these settings, building its
// config once.
func (f *Factory) entryFor(ctx context.Context, key string, s Settings) (*entry, error) {
	hash := s.hash()
	f.mu.Lock()
	e, ok := f.entries[key]
	if !ok || e.settingsHash != hash {
		e = &entry{settingsHash: hash}
		f.entries[key] = e
	}
	f.mu.Unlock()
	e.once.Do(func() { e.cfg, e.cfgErr = NewConfig(ctx, s) })
	if e.cfgErr != nil {
		f.forget(key, e)
		return nil, e.cfgErr
	}
	return e, nil
}

// Forget drops the provider's cached clients, for a provider that is gone.
func (f *Factory) Forget(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.entries, key)
}

// forget drops a failed entry so that the next call tries again.
func (f *Factory) forget(key string, e *entry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.entries[key] == e {
		delete(f.entries, key)
	}
}

// Identity returns who the provider's credentials act as, asking STS once per
// settings.
func (f *Factory) Identity(ctx context.Context, key string, s Settings) (Identity, error) {
	e, err := f.entryFor(ctx, key, s)
	if err != nil {
		return Identity{}, err
	}
	return e.callerIdentity(ctx)
}

func (e *entry) callerIdentity(ctx context.Context) (Identity, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.identity != nil {
		return *e.identity, nil
	}
	id, err := CallerIdentity(ctx, e.cfg)
	if err != nil {
		return Identity{}, err
	}
	e.identity = &id
	return id, nil
}

// Gateway returns the provider's API Gateway client. Its calls wait on the
// limiter of the provider's account: Settings.AccountKey when set, else the
// account STS reports (asked once), else the credentials' own identity.
func (f *Factory) Gateway(ctx context.Context, key string, s Settings) (gateway.Client, error) {
	e, err := f.entryFor(ctx, key, s)
	if err != nil {
		return nil, err
	}
	if s.AccountKey == "" && f.limiters != nil {
		if id, err := e.callerIdentity(ctx); err == nil {
			s.AccountKey = id.Account
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.gateway == nil {
		if f.limiters != nil {
			e.limiter = f.limiters.forAccount(limiterIdentity(s), s.Region, s.RateLimit)
		}
		e.gateway = newGatewayClient(e.cfg, s, e.limiter)
	}
	return e.gateway, nil
}

// ReserveCreateSlot returns how long until the holder may send a create of
// the protocol (and endpoint type) through the provider's client, reserving
// the slot of an operation with a quota of its own (CreateRestApi). Zero
// means now, or no limiter. Calls made with WithSlotHolder(ctx, holder) then
// use the slot. Call Gateway first: the slot is on its limiter.
func (f *Factory) ReserveCreateSlot(key string, protocol gateway.Protocol, endpointType, holder string) time.Duration {
	f.mu.Lock()
	e, ok := f.entries[key]
	f.mu.Unlock()
	if !ok || protocol != gateway.ProtocolREST {
		return 0
	}
	e.mu.Lock()
	lim := e.limiter
	e.mu.Unlock()
	if lim == nil {
		return 0
	}
	bucket := "CreateRestApi"
	if endpointType == "" || endpointType == gateway.EndpointEdge {
		bucket += edgeSuffix
	}
	return lim.reserveSlot(bucket, holder)
}

// newGatewayClient builds the gateway client over both SDKs. The limiter is
// added per client rather than to the config, because the account it is
// keyed on may be learnt after the config is built.
func newGatewayClient(cfg aws.Config, s Settings, lim *accountLimiter) gateway.Client {
	var apiOptions []func(*middleware.Stack) error
	if lim != nil {
		apiOptions = append(apiOptions, limiterMiddlewares(lim))
	}
	rest := apigateway.NewFromConfig(cfg, func(o *apigateway.Options) { o.APIOptions = append(slices.Clone(o.APIOptions), apiOptions...) })
	http := apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.APIOptions = append(slices.Clone(o.APIOptions), apiOptions...) })
	return gateway.NewClient(rest, http, s.Region, s.Endpoint)
}
