package gateway

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
)

// Inventory spends AWS's account-wide request quota on list walks instead of
// per-API reads: one walk per (account, region, family) per MaxAge feeds the
// drift check of every API of that family, whichever provider reads it. It is
// safe for concurrent use and meant to be shared by the whole process.
//
// Crash safety rests on two facts. Every snapshot is taken after the
// Inventory was made, so after this process started: an API created by a
// previous incarnation that died before writing status is in it. And every
// write this process makes goes through to the snapshot, so an API it
// created itself is found by the next search; a create whose outcome is
// unknown (timeout, 5xx, cancelled) invalidates the snapshot, so the next
// search walks again.
type Inventory struct {
	// MaxAge is how old a snapshot may be before a read walks again.
	MaxAge time.Duration
	now    func() time.Time

	mu        sync.Mutex
	snapshots map[snapshotKey]*snapshot
}

// NewInventory returns an empty inventory whose snapshots live for maxAge.
func NewInventory(maxAge time.Duration) *Inventory {
	return &Inventory{MaxAge: maxAge, now: time.Now, snapshots: map[snapshotKey]*snapshot{}}
}

// snapshotKey names one list walk: an account and region (the scope) and the
// family of protocols one list call covers.
type snapshotKey struct {
	scope  string
	family Protocol
}

// familyOf maps a protocol to the one its list walk is keyed on: HTTP and
// WEBSOCKET share GetApis.
func familyOf(p Protocol) Protocol {
	if p == ProtocolWebSocket {
		return ProtocolHTTP
	}
	return p
}

// snapshot is the family's APIs as the last walk saw them, kept current with
// this process's own writes.
type snapshot struct {
	// walk is held for the whole of a list walk, so that concurrent readers
	// of a stale snapshot wait for one walk instead of each starting one.
	walk chan struct{}

	mu            sync.Mutex
	apis          map[string]API // by ID
	takenAt       time.Time      // when the walk that filled apis started
	invalidatedAt time.Time
	walking       bool
	// writesDuringWalk are replayed over the walk's result: the walk may
	// have read AWS before they happened.
	writesDuringWalk []func(map[string]API)
}

func (inv *Inventory) snapshotFor(scope string, protocol Protocol) *snapshot {
	key := snapshotKey{scope: scope, family: familyOf(protocol)}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	s, ok := inv.snapshots[key]
	if !ok {
		s = &snapshot{walk: make(chan struct{}, 1)}
		inv.snapshots[key] = s
	}
	return s
}

// fresh reports whether the snapshot may serve reads at now.
func (s *snapshot) fresh(now time.Time, maxAge time.Duration) bool {
	return s.apis != nil && s.takenAt.After(s.invalidatedAt) && now.Sub(s.takenAt) < maxAge
}

// current returns the family's APIs, walking the family with gw when the
// snapshot is missing, stale or invalidated. Concurrent callers share one walk.
func (inv *Inventory) current(ctx context.Context, gw Client, scope string, protocol Protocol) (*snapshot, error) {
	s := inv.snapshotFor(scope, protocol)
	select {
	case s.walk <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.walk }()

	s.mu.Lock()
	if s.fresh(inv.now(), inv.MaxAge) {
		s.mu.Unlock()
		return s, nil
	}
	startedAt := inv.now()
	s.walking, s.writesDuringWalk = true, nil
	s.mu.Unlock()

	apis, err := listFamily(ctx, gw, familyOf(protocol))

	s.mu.Lock()
	defer s.mu.Unlock()
	s.walking = false
	if err != nil {
		return nil, err
	}
	s.apis = make(map[string]API, len(apis))
	for _, api := range apis {
		s.apis[api.ID] = api
	}
	for _, write := range s.writesDuringWalk {
		write(s.apis)
	}
	s.writesDuringWalk = nil
	s.takenAt = startedAt
	return s, nil
}

// listFamily walks every API of the family in one walk: GetApis returns
// HTTP and WEBSOCKET APIs together, so this package's own client lists them
// at once; any other Client is asked protocol by protocol.
func listFamily(ctx context.Context, gw Client, family Protocol) ([]API, error) {
	if c, ok := gw.(*client); ok {
		f, err := c.family(family)
		if err != nil {
			return nil, err
		}
		return f.list(ctx)
	}
	var all []API
	for _, p := range Protocols {
		if familyOf(p) != family {
			continue
		}
		apis, err := gw.List(ctx, p)
		if err != nil {
			return nil, err
		}
		all = append(all, apis...)
	}
	return all, nil
}

// record applies one of this process's writes to the snapshot (and, when a
// walk is under way, to its result too).
func (s *snapshot) record(write func(map[string]API)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apis != nil {
		write(s.apis)
	}
	if s.walking {
		s.writesDuringWalk = append(s.writesDuringWalk, write)
	}
}

func (s *snapshot) lookup(match func(API) bool) (API, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, api := range s.apis {
		if match(api) {
			return cloneAPI(api), true
		}
	}
	return API{}, false
}

// Invalidate makes the next read of the family walk again.
func (inv *Inventory) Invalidate(scope string, protocol Protocol) {
	s := inv.snapshotFor(scope, protocol)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidatedAt = inv.now()
}

// Client returns a Client of one scope (an account and region) that reads
// through the inventory: Get and List are answered from the snapshot, and a
// Get of an API the snapshot lacks is confirmed with one real Get (it may
// have been created since the walk). Writes go to gw and through to the
// snapshot.
func (inv *Inventory) Client(gw Client, scope string) Client {
	return &inventoryClient{inv: inv, gw: gw, scope: scope}
}

type inventoryClient struct {
	inv   *Inventory
	gw    Client
	scope string
}

func (c *inventoryClient) Get(ctx context.Context, protocol Protocol, id string) (API, error) {
	s, err := c.inv.current(ctx, c.gw, c.scope, protocol)
	if err != nil {
		return API{}, err
	}
	if api, ok := s.lookup(func(a API) bool { return a.ID == id && a.Protocol == protocol }); ok {
		return api, nil
	}
	api, err := c.gw.Get(ctx, protocol, id)
	if err == nil {
		s.record(put(api))
	}
	return api, err
}

func (c *inventoryClient) List(ctx context.Context, protocol Protocol) ([]API, error) {
	s, err := c.inv.current(ctx, c.gw, c.scope, protocol)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var apis []API
	for _, api := range s.apis {
		if api.Protocol == protocol {
			apis = append(apis, cloneAPI(api))
		}
	}
	return apis, nil
}

func (c *inventoryClient) Create(ctx context.Context, desired API) (API, error) {
	created, err := c.gw.Create(ctx, desired)
	switch {
	case err == nil:
		c.inv.snapshotFor(c.scope, desired.Protocol).record(put(created))
	case awserrors.OutcomeUnknown(err):
		c.inv.Invalidate(c.scope, desired.Protocol)
	}
	return created, err
}

func (c *inventoryClient) Update(ctx context.Context, observed, desired API) (API, error) {
	updated, err := c.gw.Update(ctx, observed, desired)
	if err != nil {
		// Part of the update may have been applied: read it all again.
		c.inv.Invalidate(c.scope, observed.Protocol)
		return updated, err
	}
	c.inv.snapshotFor(c.scope, observed.Protocol).record(put(updated))
	return updated, nil
}

func (c *inventoryClient) Delete(ctx context.Context, protocol Protocol, id string) error {
	if err := c.gw.Delete(ctx, protocol, id); err != nil {
		return err
	}
	c.inv.snapshotFor(c.scope, protocol).record(remove(id))
	return nil
}

func (c *inventoryClient) Untag(ctx context.Context, api API, keys []string) error {
	if err := c.gw.Untag(ctx, api, keys); err != nil {
		return err
	}
	untagged := cloneAPI(api)
	for _, key := range keys {
		delete(untagged.Tags, key)
	}
	c.inv.snapshotFor(c.scope, api.Protocol).record(put(untagged))
	return nil
}

func (c *inventoryClient) Tag(ctx context.Context, api API, tags map[string]string) error {
	if err := c.gw.Tag(ctx, api, tags); err != nil {
		return err
	}
	tagged := cloneAPI(api)
	if tagged.Tags == nil {
		tagged.Tags = map[string]string{}
	}
	maps.Copy(tagged.Tags, tags)
	c.inv.snapshotFor(c.scope, api.Protocol).record(put(tagged))
	return nil
}

func put(api API) func(map[string]API) {
	api = cloneAPI(api)
	return func(apis map[string]API) { apis[api.ID] = api }
}

func remove(id string) func(map[string]API) {
	return func(apis map[string]API) { delete(apis, id) }
}

// cloneAPI copies the tags, the one member callers are tempted to change in
// place, so that no caller can alter the shared snapshot.
func cloneAPI(api API) API {
	api.Tags = maps.Clone(api.Tags)
	return api
}
