package authorizers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// keySetLifetime is how long an issuer's keys are used before they are
// fetched again: AWS "can cache the public key for two hours".
const keySetLifetime = 2 * time.Hour

// maxDocumentBytes bounds what is read of a discovery document or a JWKS.
const maxDocumentBytes = 1 << 20

// keySets fetches and caches the signing keys of OIDC issuers, found through
// each issuer's discovery document ({issuer}/.well-known/openid-configuration
// → jwks_uri).
type keySets struct {
	client *http.Client
	now    func() time.Time

	mu       sync.Mutex
	byIssuer map[string]cachedKeySet
}

type cachedKeySet struct {
	keys    jose.JSONWebKeySet
	fetched time.Time
}

func newKeySets(client *http.Client, now func() time.Time) *keySets {
	return &keySets{client: client, now: now, byIssuer: map[string]cachedKeySet{}}
}

// key returns the issuer's key with id kid. Keys are fetched when none are
// cached or the cached ones are older than keySetLifetime, and fetched once
// more when kid is not among them: the issuer may have rotated its keys.
func (k *keySets) key(ctx context.Context, issuer, kid string) (*jose.JSONWebKey, error) {
	cached, fresh := k.cached(issuer)
	if fresh {
		if key := findKey(cached.keys, kid); key != nil {
			return key, nil
		}
	}
	keys, err := k.fetch(ctx, issuer)
	if err != nil {
		return nil, err
	}
	if key := findKey(keys, kid); key != nil {
		return key, nil
	}
	return nil, errUnknownKey
}

func (k *keySets) cached(issuer string) (cachedKeySet, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	cached, ok := k.byIssuer[issuer]
	return cached, ok && k.now().Sub(cached.fetched) < keySetLifetime
}

// fetch reads the issuer's discovery document and key set, and caches the
// keys.
func (k *keySets) fetch(ctx context.Context, issuer string) (jose.JSONWebKeySet, error) {
	var discovery struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.getJSON(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", &discovery); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	if discovery.JWKSURI == "" {
		return jose.JSONWebKeySet{}, fmt.Errorf("the discovery document of %s has no jwks_uri", issuer)
	}
	var keys jose.JSONWebKeySet
	if err := k.getJSON(ctx, discovery.JWKSURI, &keys); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.byIssuer[issuer] = cachedKeySet{keys: keys, fetched: k.now()}
	return keys, nil
}

func (k *keySets) getJSON(ctx context.Context, url string, into any) error {
	request, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	response, err := k.client.Do(request)
	if err != nil {
		return err
	}
	defer func() { _ = response.Body.Close() }()
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s answered %s", url, response.Status)
	}
	body, err := io.ReadAll(io.LimitReader(response.Body, maxDocumentBytes))
	if err != nil {
		return err
	}
	return json.Unmarshal(body, into)
}

// findKey is the signing key with id kid; a key without "use" is taken to
// be a signing key, as RFC 7517 §4.2 allows.
func findKey(keys jose.JSONWebKeySet, kid string) *jose.JSONWebKey {
	for i := range keys.Keys {
		key := &keys.Keys[i]
		if key.KeyID == kid && (key.Use == "" || key.Use == "sig") {
			return key
		}
	}
	return nil
}
