package gateway

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

// countingClient is an in-memory Client that counts reads, so that the
// inventory's use of AWS can be asserted. createErr, when set, is returned by
// Create after (ambiguous) or instead of (refused) making the API.
type countingClient struct {
	mu        sync.Mutex
	apis      map[string]API
	nextID    int
	lists     atomic.Int64
	gets      atomic.Int64
	listDelay time.Duration
	createErr error
	createRan bool
}

func newCountingClient(apis ...API) *countingClient {
	c := &countingClient{apis: map[string]API{}}
	for _, api := range apis {
		c.apis[api.ID] = api
	}
	return c
}

func (c *countingClient) Create(_ context.Context, desired API) (API, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.createErr != nil && !c.createRan {
		return API{}, c.createErr
	}
	c.nextID++
	desired.ID = "api-" + string(rune('a'+c.nextID))
	c.apis[desired.ID] = desired
	if c.createErr != nil {
		return API{}, c.createErr
	}
	return desired, nil
}

func (c *countingClient) Get(_ context.Context, protocol Protocol, id string) (API, error) {
	c.gets.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if api, ok := c.apis[id]; ok && api.Protocol == protocol {
		return cloneAPI(api), nil
	}
	return API{}, errors.New("NotFoundException")
}

func (c *countingClient) List(_ context.Context, protocol Protocol) ([]API, error) {
	c.lists.Add(1)
	time.Sleep(c.listDelay)
	c.mu.Lock()
	defer c.mu.Unlock()
	var apis []API
	for _, api := range c.apis {
		if api.Protocol == protocol {
			apis = append(apis, cloneAPI(api))
		}
	}
	return apis, nil
}

func (c *countingClient) Update(_ context.Context, _, desired API) (API, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apis[desired.ID] = desired
	return desired, nil
}

func (c *countingClient) Delete(_ context.Context, _ Protocol, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.apis, id)
	return nil
}

func (c *countingClient) Untag(context.Context, API, []string) error { return nil }

func (c *countingClient) Tag(context.Context, API, map[string]string) error { return nil }

// changeOutside changes AWS without the inventory knowing.
func (c *countingClient) changeOutside(api API) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apis[api.ID] = api
}

// fakeClock is a settable time source.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func newTestInventory(maxAge time.Duration) (*Inventory, *fakeClock) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	inv := NewInventory(maxAge)
	inv.now = clock.Now
	return inv, clock
}

func httpAPI(id, name, ownerUID string) API {
	return API{ID: id, Name: name, Protocol: ProtocolHTTP, Tags: map[string]string{ownership.OwnerUIDTagKey: ownerUID}}
}

// One walk per family serves every read until the snapshot is MaxAge old.
func TestInventoryReadsFromOneWalkUntilStale(t *testing.T) {
	ctx := context.Background()
	aws := newCountingClient(httpAPI("a", "first", "uid-a"), httpAPI("b", "second", "uid-b"))
	inv, clock := newTestInventory(time.Minute)
	gw := inv.Client(aws, "acct|us-east-1")

	for _, id := range []string{"a", "b", "a"} {
		if _, err := gw.Get(ctx, ProtocolHTTP, id); err != nil {
			t.Fatal(err)
		}
	}
	// WEBSOCKET shares the HTTP walk (GetApis covers both).
	if _, err := gw.List(ctx, ProtocolWebSocket); err != nil {
		t.Fatal(err)
	}
	walksFresh := aws.lists.Load()
	if aws.gets.Load() != 0 {
		t.Fatalf("Gets of APIs in the snapshot reached AWS: %d", aws.gets.Load())
	}

	aws.changeOutside(httpAPI("a", "renamed-outside", "uid-a"))
	clock.advance(59 * time.Second)
	if api, _ := gw.Get(ctx, ProtocolHTTP, "a"); api.Name != "first" {
		t.Fatalf("a snapshot younger than MaxAge was walked again: name %q", api.Name)
	}
	clock.advance(2 * time.Second)
	if api, _ := gw.Get(ctx, ProtocolHTTP, "a"); api.Name != "renamed-outside" {
		t.Fatalf("a stale snapshot served a read: name %q", api.Name)
	}
	if got := aws.lists.Load(); got != 2*walksFresh {
		t.Fatalf("list calls: %d for the first walk, %d in all; want one more walk", walksFresh, got)
	}
}

// Concurrent readers of a stale snapshot share one walk.
func TestInventoryWalksOnceForConcurrentReaders(t *testing.T) {
	aws := newCountingClient(httpAPI("a", "first", "uid-a"))
	aws.listDelay = 50 * time.Millisecond
	inv, _ := newTestInventory(time.Minute)
	gw := inv.Client(aws, "acct|us-east-1")

	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := gw.List(context.Background(), ProtocolHTTP); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// The fake lists HTTP and WEBSOCKET apart: one walk is two calls.
	if got := aws.lists.Load(); got != 2 {
		t.Fatalf("20 concurrent readers made %d list calls, want one walk (2 calls)", got)
	}
}

// The operator's own writes are seen by the next read without a walk or Get.
func TestInventoryWritesThrough(t *testing.T) {
	ctx := context.Background()
	aws := newCountingClient(httpAPI("a", "first", "uid-a"))
	inv, _ := newTestInventory(time.Minute)
	gw := inv.Client(aws, "acct|us-east-1")
	if _, err := gw.List(ctx, ProtocolHTTP); err != nil {
		t.Fatal(err)
	}
	walks := aws.lists.Load()

	created, err := gw.Create(ctx, httpAPI("", "new", "uid-new"))
	if err != nil {
		t.Fatal(err)
	}
	apis, _ := gw.List(ctx, ProtocolHTTP)
	if owned, ok := FindOwned(apis, "uid-new"); !ok || owned.ID != created.ID {
		t.Fatalf("a created API is not in the snapshot: %+v", apis)
	}

	renamed := created
	renamed.Name = "renamed"
	if _, err := gw.Update(ctx, created, renamed); err != nil {
		t.Fatal(err)
	}
	if api, _ := gw.Get(ctx, ProtocolHTTP, created.ID); api.Name != "renamed" {
		t.Fatalf("an update is not in the snapshot: %+v", api)
	}

	if err := gw.Delete(ctx, ProtocolHTTP, "a"); err != nil {
		t.Fatal(err)
	}
	gets := aws.gets.Load()
	if _, err := gw.Get(ctx, ProtocolHTTP, "a"); err == nil {
		t.Fatal("a deleted API is still served")
	}
	if aws.gets.Load() != gets+1 {
		t.Fatal("an API missing from the snapshot was not confirmed with one Get")
	}
	if aws.lists.Load() != walks {
		t.Fatalf("writes caused walks: %d → %d", walks, aws.lists.Load())
	}

	// Changing a returned API does not change the snapshot.
	api, _ := gw.Get(ctx, ProtocolHTTP, created.ID)
	api.Tags[ownership.OwnerUIDTagKey] = "someone-else"
	if again, _ := gw.Get(ctx, ProtocolHTTP, created.ID); OwnerUID(again) != "uid-new" {
		t.Fatal("a caller's change leaked into the snapshot")
	}
}

// A create whose answer was lost may still have made the API: the next
// search must walk again and find it. A refused create changes nothing.
func TestInventoryInvalidatedByAmbiguousCreate(t *testing.T) {
	ctx := context.Background()
	serverError := &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusInternalServerError}},
		Err:      errors.New("internal failure"),
	}}
	refused := &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusBadRequest}},
		Err:      errors.New("bad request"),
	}}
	cases := map[string]struct {
		err       error
		ran       bool
		wantWalks int64
	}{
		"lost answer (5xx)":  {err: serverError, ran: true, wantWalks: 2},
		"cancelled":          {err: context.DeadlineExceeded, ran: true, wantWalks: 2},
		"refused (4xx)":      {err: refused, ran: false, wantWalks: 1},
		"succeeded silently": {err: nil, ran: true, wantWalks: 1},
	}
	for name, tc := range cases {
		aws := newCountingClient()
		inv, _ := newTestInventory(time.Hour)
		gw := inv.Client(aws, "acct|us-east-1")
		if _, err := gw.List(ctx, ProtocolHTTP); err != nil {
			t.Fatal(err)
		}
		aws.createErr, aws.createRan = tc.err, tc.ran
		_, _ = gw.Create(ctx, httpAPI("", "maybe", "uid-maybe"))
		apis, err := gw.List(ctx, ProtocolHTTP)
		if err != nil {
			t.Fatal(err)
		}
		// One walk is two list calls (HTTP, WEBSOCKET) with this fake.
		if got := aws.lists.Load() / 2; got != tc.wantWalks {
			t.Errorf("%s: %d walks, want %d", name, got, tc.wantWalks)
		}
		if _, found := FindOwned(apis, "uid-maybe"); found != tc.ran {
			t.Errorf("%s: API in AWS %v, found by the search %v", name, tc.ran, found)
		}
	}
}

// Snapshots are per scope: another account or region walks on its own.
func TestInventoryKeepsScopesApart(t *testing.T) {
	ctx := context.Background()
	east := newCountingClient(httpAPI("a", "east", "uid-a"))
	west := newCountingClient(httpAPI("b", "west", "uid-b"))
	inv, _ := newTestInventory(time.Minute)
	if _, err := inv.Client(east, "acct|us-east-1").Get(ctx, ProtocolHTTP, "a"); err != nil {
		t.Fatal(err)
	}
	api, err := inv.Client(west, "acct|eu-west-1").Get(ctx, ProtocolHTTP, "b")
	if err != nil || api.Name != "west" {
		t.Fatalf("got %+v, %v", api, err)
	}
	if west.lists.Load() == 0 {
		t.Fatal("the second scope was served from the first one's snapshot")
	}
}
