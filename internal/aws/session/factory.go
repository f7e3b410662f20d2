package session

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// Factory caches, per provider, the aws.Config and the clients built from
// it, so that reconciles neither rebuild them nor re-assume roles. An entry
// is replaced as soon as the provider's settings (credentials included)
// change. It knows no AWS service: each resource family builds its clients
// from Config, cached with Cached. It is safe for concurrent use.
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
	// limited is cfg with the account's limiter, built on first use: the
	// account it is keyed on may be learnt after cfg is built.
	limited *aws.Config
	limiter *accountLimiter // nil without client-side limiting
	clients map[string]any
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
		e = &entry{settingsHash: hash, clients: map[string]any{}}
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

// Config returns the provider's aws.Config for service clients. Their calls
// wait on the limiter of the provider's account: Settings.AccountKey when
// set, else the account STS reports (asked once), else the credentials' own
// identity.
func (f *Factory) Config(ctx context.Context, key string, s Settings) (aws.Config, error) {
	e, err := f.entryFor(ctx, key, s)
	if err != nil {
		return aws.Config{}, err
	}
	return f.limitedConfig(ctx, e, s), nil
}

func (f *Factory) limitedConfig(ctx context.Context, e *entry, s Settings) aws.Config {
	if s.AccountKey == "" && f.limiters != nil {
		if id, err := e.callerIdentity(ctx); err == nil {
			s.AccountKey = id.Account
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.limited == nil {
		cfg := e.cfg.Copy()
		if f.limiters != nil {
			e.limiter = f.limiters.forAccount(limiterIdentity(s), s.Region, s.RateLimit)
			cfg.APIOptions = append(slices.Clone(cfg.APIOptions), limiterMiddlewares(e.limiter))
		}
		e.limited = &cfg
	}
	return *e.limited
}

// Cached returns the provider's client of one family (a name the caller
// picks: "apigateway", "lambda"), building it from the provider's config
// once per settings.
func Cached[T any](ctx context.Context, f *Factory, key string, s Settings, family string, build func(aws.Config) T) (T, error) {
	var zero T
	e, err := f.entryFor(ctx, key, s)
	if err != nil {
		return zero, err
	}
	cfg := f.limitedConfig(ctx, e, s)
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.clients[family].(T); ok {
		return c, nil
	}
	c := build(cfg)
	e.clients[family] = c
	return c, nil
}

// ReserveSlot returns how long until the holder may send a call of an
// operation with a quota of its own (CreateRestApi, its EDGE variant,
// DeleteRestApi…) through the provider's clients, reserving that slot: calls
// made with WithSlotHolder(ctx, holder) then use it. Zero means now, or no
// limiter. Build a client first: the slot is on its account's limiter.
func (f *Factory) ReserveSlot(key string, bucket awsquotas.Operation, holder string) time.Duration {
	f.mu.Lock()
	e, ok := f.entries[key]
	f.mu.Unlock()
	if !ok {
		return 0
	}
	e.mu.Lock()
	lim := e.limiter
	e.mu.Unlock()
	if lim == nil {
		return 0
	}
	return lim.reserveSlot(bucket, holder)
}
