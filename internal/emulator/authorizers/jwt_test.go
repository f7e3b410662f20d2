package authorizers

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/runner-codes/infra-operator/internal/emulator/oidcissuer"
)

// testIssuer is a real oidcissuer served over HTTP, counting the JWKS
// fetches.
type testIssuer struct {
	*oidcissuer.Issuer
	jwksFetches atomic.Int32
}

func startIssuer(t *testing.T) *testIssuer {
	t.Helper()
	issuer, err := oidcissuer.New()
	if err != nil {
		t.Fatal(err)
	}
	counted := &testIssuer{Issuer: issuer}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == oidcissuer.JWKSPath {
			counted.jwksFetches.Add(1)
		}
		issuer.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	issuer.SetURL(server.URL)
	return counted
}

func (i *testIssuer) mint(t *testing.T, claims oidcissuer.Claims) string {
	t.Helper()
	token, err := i.Issue(claims)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func jwtSpec(issuer string) Spec {
	return Spec{ID: "jwt1", APIID: "api1", API: APIHTTP, Kind: KindJWT, Issuer: issuer, Audience: []string{"my-api"},
		IdentitySource: []string{"$request.header.Authorization"}}
}

func authorizeToken(a *Authorizers, spec Spec, token string, scopes ...string) Decision {
	return a.Authorize(context.Background(), spec, Request{Identity: []string{token}, Scopes: scopes})
}

// wantInvalidToken checks a JWT refusal: 401 {"message":"Unauthorized"}
// with the invalid_token challenge and the description.
func wantInvalidToken(t *testing.T, decision Decision, description string) {
	t.Helper()
	if decision.Status != http.StatusUnauthorized || string(decision.Body()) != `{"message":"Unauthorized"}` {
		t.Fatalf("decision = %d %s, want 401 {\"message\":\"Unauthorized\"}", decision.Status, decision.Body())
	}
	want := `Bearer scope="" error="invalid_token" error_description="` + description + `"`
	if got := decision.Header.Get("WWW-Authenticate"); got != want {
		t.Fatalf("WWW-Authenticate = %s, want %s", got, want)
	}
}

func TestJWTAcceptsAValidTokenAndPassesItsClaims(t *testing.T) {
	t.Parallel()
	issuer := startIssuer(t)
	a := New(Config{})
	token := issuer.mint(t, oidcissuer.Claims{"sub": "alice", "aud": "my-api", "scope": "orders/read orders/write"})

	for _, identity := range []string{token, "Bearer " + token} {
		decision := authorizeToken(a, jwtSpec(issuer.URL()), identity, "orders/read")
		if !decision.Allowed() {
			t.Fatalf("decision = %d %s %v, want allowed", decision.Status, decision.Body(), decision.Header)
		}
		if decision.Claims["sub"] != "alice" || decision.Claims["iss"] != issuer.URL() {
			t.Fatalf("claims = %v", decision.Claims)
		}
		if strings.Join(decision.Scopes, " ") != "orders/read orders/write" {
			t.Fatalf("scopes = %v", decision.Scopes)
		}
	}
	if got := issuer.jwksFetches.Load(); got != 1 {
		t.Fatalf("JWKS fetched %d times, want 1 (cached)", got)
	}
}

func TestJWTRefusesInvalidTokensAsAWSDoes(t *testing.T) {
	t.Parallel()
	issuer := startIssuer(t)
	now := time.Now()
	valid := issuer.mint(t, oidcissuer.Claims{"aud": "my-api"})
	tests := []struct {
		name, token, description string
	}{
		{"missing", "", "the token is missing"},
		{"not a JWT", "not-a-token", "the token is not a valid JWT"},
		{"expired", issuer.mint(t, oidcissuer.Claims{"aud": "my-api", "exp": now.Add(-time.Minute).Unix()}), "the token has expired"},
		{"not yet valid", issuer.mint(t, oidcissuer.Claims{"aud": "my-api", "nbf": now.Add(time.Minute).Unix()}), "the token is not valid yet"},
		{"issued in the future", issuer.mint(t, oidcissuer.Claims{"aud": "my-api", "iat": now.Add(time.Minute).Unix()}), "the token was issued in the future"},
		{"no exp", issuer.mint(t, oidcissuer.Claims{"aud": "my-api", "exp": nil}), "the token has no exp claim"},
		{"wrong issuer", issuer.mint(t, oidcissuer.Claims{"aud": "my-api", "iss": "https://elsewhere.example"}), "the token does not have a valid issuer"},
		{"wrong audience", issuer.mint(t, oidcissuer.Claims{"aud": "other-api"}), "the token does not have a valid audience"},
		{"aud wins over a matching client_id", issuer.mint(t, oidcissuer.Claims{"aud": "other-api", "client_id": "my-api"}), "the token does not have a valid audience"},
		{"no aud and another client_id", issuer.mint(t, oidcissuer.Claims{"client_id": "other-api"}), "the token does not have a valid audience"},
		{"bad signature", tamperedPayload(t, valid), "the token's signature is not valid"},
		{"HS256", hmacSigned(t, issuer.URL(), issuer.KeyID()), "the token's signing algorithm is not supported"},
	}
	a := New(Config{})
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			wantInvalidToken(t, authorizeToken(a, jwtSpec(issuer.URL()), test.token), test.description)
		})
	}
}

func TestJWTTakesClientIDWhenTheTokenHasNoAudience(t *testing.T) {
	t.Parallel()
	issuer := startIssuer(t)
	token := issuer.mint(t, oidcissuer.Claims{"client_id": "my-api"})
	if decision := authorizeToken(New(Config{}), jwtSpec(issuer.URL()), token); !decision.Allowed() {
		t.Fatalf("decision = %d %v, want allowed", decision.Status, decision.Header)
	}
}

func TestJWTRefetchesKeysOnceForAnUnknownKeyID(t *testing.T) {
	t.Parallel()
	issuer := startIssuer(t)
	a := New(Config{})
	spec := jwtSpec(issuer.URL())
	if decision := authorizeToken(a, spec, issuer.mint(t, oidcissuer.Claims{"aud": "my-api"})); !decision.Allowed() {
		t.Fatalf("first token refused: %d %v", decision.Status, decision.Header)
	}

	if err := issuer.RotateKey(); err != nil {
		t.Fatal(err)
	}
	if decision := authorizeToken(a, spec, issuer.mint(t, oidcissuer.Claims{"aud": "my-api"})); !decision.Allowed() {
		t.Fatalf("token of the rotated key refused: %d %v", decision.Status, decision.Header)
	}
	if got := issuer.jwksFetches.Load(); got != 2 {
		t.Fatalf("JWKS fetched %d times, want 2 (once more for the new kid)", got)
	}

	unknown := signedWithUnpublishedKey(t, issuer.URL())
	wantInvalidToken(t, authorizeToken(a, spec, unknown), "the token's signing key (kid) is not one of the issuer's")
	if got := issuer.jwksFetches.Load(); got != 3 {
		t.Fatalf("JWKS fetched %d times, want 3 (one refetch for the unknown kid, no more)", got)
	}
}

func TestJWTRefusesWhenTheIssuerCannotBeReached(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1; the token is otherwise valid for the issuer.
	spec := jwtSpec("http://127.0.0.1:1")
	token := signedWithUnpublishedKey(t, spec.Issuer)
	wantInvalidToken(t, authorizeToken(New(Config{}), spec, token), "the issuer's signing keys could not be fetched")
}

func TestJWTRequiresOneOfTheRouteScopes(t *testing.T) {
	t.Parallel()
	issuer := startIssuer(t)
	a := New(Config{})
	spec := jwtSpec(issuer.URL())

	writer := issuer.mint(t, oidcissuer.Claims{"aud": "my-api", "scope": "orders/write"})
	decision := authorizeToken(a, spec, writer, "orders/read", "orders/admin")
	if decision.Status != http.StatusForbidden || string(decision.Body()) != `{"message":"Forbidden"}` {
		t.Fatalf("decision = %d %s, want 403 Forbidden", decision.Status, decision.Body())
	}
	want := `Bearer scope="orders/read orders/admin" error="insufficient_scope" error_description="the token does not have any of the route's scopes"`
	if got := decision.Header.Get("WWW-Authenticate"); got != want {
		t.Fatalf("WWW-Authenticate = %s, want %s", got, want)
	}

	scpArray := issuer.mint(t, oidcissuer.Claims{"aud": "my-api", "scp": []string{"orders/admin"}})
	if decision := authorizeToken(a, spec, scpArray, "orders/read", "orders/admin"); !decision.Allowed() {
		t.Fatalf("scp array refused: %d %v", decision.Status, decision.Header)
	}
}

// tamperedPayload changes the token's payload and keeps its signature.
func tamperedPayload(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(string(payload), `"aud":"my-api"`, `"aud":"my-api","admin":true`, 1)
	if tampered == string(payload) {
		t.Fatalf("payload %s has no aud to tamper with", payload)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(tampered))
	return strings.Join(parts, ".")
}

func hmacSigned(t *testing.T, issuerURL, kid string) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("a-shared-secret-of-32-bytes-len!")},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		t.Fatal(err)
	}
	return serialize(t, signer, issuerURL)
}

// unpublishedKey is a key no issuer publishes, made once: RSA key
// generation is the slow part of these tests.
var unpublishedKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key
})

// signedWithUnpublishedKey is a token for the issuer signed by a key it
// never published.
func signedWithUnpublishedKey(t *testing.T, issuerURL string) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: unpublishedKey()},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), "unpublished"))
	if err != nil {
		t.Fatal(err)
	}
	return serialize(t, signer, issuerURL)
}

func serialize(t *testing.T, signer jose.Signer, issuerURL string) string {
	t.Helper()
	token, err := jwt.Signed(signer).Claims(map[string]any{
		"iss": issuerURL, "aud": "my-api", "exp": time.Now().Add(time.Hour).Unix(),
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return token
}
