// Package oidcissuer is a tiny OpenID Connect issuer for tests and local
// mode: it publishes a discovery document and a JWKS, signs tokens with an
// RS256 key generated at start, and mints tokens over HTTP (POST /token) so
// a user can curl for one and call an API behind a JWT or Cognito
// authorizer. It verifies nobody: anyone who can reach it gets a token.
package oidcissuer

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The paths the issuer serves.
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	JWKSPath      = "/jwks.json"
	TokenPath     = "/token"
)

// DefaultLifetime is how long a minted token is valid when the caller names
// no exp (Issue) or expires_in (POST /token).
const DefaultLifetime = time.Hour

// rsaKeyBits is the size of the signing keys; 2048 is what AWS Cognito and
// most issuers use, and what RS256 verifiers expect at least.
const rsaKeyBits = 2048

// Claims are a token's claims, as they go into its JSON payload.
type Claims map[string]any

// Issuer signs tokens and serves its discovery document, JWKS and token
// endpoint. It is an http.Handler; Start runs it on its own listener.
type Issuer struct {
	mu  sync.RWMutex
	url string
	// keys are every signing key made so far, newest last; all are in the
	// JWKS, as issuers keep retired keys published while their tokens live.
	keys []signingKey

	server   *http.Server
	listener net.Listener
}

type signingKey struct {
	id      string
	private *rsa.PrivateKey
}

// New returns an issuer with one fresh RS256 key. Its URL, the iss of its
// tokens, is set with SetURL (Start sets it).
func New() (*Issuer, error) {
	issuer := &Issuer{}
	if err := issuer.RotateKey(); err != nil {
		return nil, err
	}
	return issuer, nil
}

// Start listens on addr ("127.0.0.1:0" picks a port), serves the issuer
// there and sets its URL to http://{listening address}.
func Start(addr string) (*Issuer, error) {
	issuer, err := New()
	if err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	issuer.SetURL("http://" + listener.Addr().String())
	issuer.listener = listener
	issuer.server = &http.Server{Handler: issuer, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = issuer.server.Serve(listener) }()
	return issuer, nil
}

// Close stops the server Start started; it does nothing otherwise.
func (i *Issuer) Close() error {
	if i.server == nil {
		return nil
	}
	return i.server.Close()
}

// SetURL sets the issuer URL: the iss claim of the tokens it mints and the
// base of the URLs its discovery document gives. Call it once the server's
// address is known (httptest.NewServer(issuer).URL).
func (i *Issuer) SetURL(url string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.url = strings.TrimSuffix(url, "/")
}

// URL is the issuer URL, "" until SetURL or Start.
func (i *Issuer) URL() string {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.url
}

// RotateKey makes a new signing key with a new key id; tokens are signed
// with it from now on, and the older keys stay in the JWKS.
func (i *Issuer) RotateKey() error {
	private, err := rsa.GenerateKey(rand.Reader, rsaKeyBits)
	if err != nil {
		return err
	}
	id, err := newKeyID()
	if err != nil {
		return err
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys = append(i.keys, signingKey{id: id, private: private})
	return nil
}

// KeyID is the id (kid) of the key new tokens are signed with.
func (i *Issuer) KeyID() string {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.keys[len(i.keys)-1].id
}

func newKeyID() (string, error) {
	random := make([]byte, 8)
	if _, err := rand.Read(random); err != nil {
		return "", err
	}
	return hex.EncodeToString(random), nil
}

// Issue signs claims with the current key. It fills iss (the issuer URL),
// iat (now) and exp (now + DefaultLifetime) unless claims sets them, so a
// test can mint an expired token or one of another issuer.
func (i *Issuer) Issue(claims Claims) (string, error) {
	i.mu.RLock()
	key, url := i.keys[len(i.keys)-1], i.url
	i.mu.RUnlock()

	now := time.Now()
	payload := Claims{"iss": url, "iat": now.Unix(), "exp": now.Add(DefaultLifetime).Unix()}
	for name, value := range claims {
		payload[name] = value
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: key.private},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), key.id),
	)
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(map[string]any(payload)).Serialize()
}

// ServeHTTP answers the discovery document, the JWKS and the token endpoint.
func (i *Issuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case DiscoveryPath:
		i.serveDiscovery(w)
	case JWKSPath:
		i.serveJWKS(w)
	case TokenPath:
		i.serveToken(w, r)
	default:
		http.NotFound(w, r)
	}
}

// serveDiscovery answers the OpenID Provider Metadata an authorizer reads
// (OpenID Connect Discovery 1.0 §3): issuer and jwks_uri are what matter.
func (i *Issuer) serveDiscovery(w http.ResponseWriter) {
	url := i.URL()
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                url,
		"jwks_uri":                              url + JWKSPath,
		"token_endpoint":                        url + TokenPath,
		"response_types_supported":              []string{"token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{string(jose.RS256)},
		"grant_types_supported":                 []string{"client_credentials"},
	})
}

func (i *Issuer) serveJWKS(w http.ResponseWriter) {
	i.mu.RLock()
	set := jose.JSONWebKeySet{}
	for _, key := range i.keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key: &key.private.PublicKey, KeyID: key.id, Algorithm: string(jose.RS256), Use: "sig",
		})
	}
	i.mu.RUnlock()
	writeJSON(w, http.StatusOK, set)
}

// serveToken mints an access token from a form (or query) in the manner of
// an OAuth 2.0 client-credentials grant, without checking any secret:
// client_id (the client_id claim, and sub unless sub is given), scope
// (space-separated), aud (repeatable), sub, username, token_use ("access",
// the default, or "id", Cognito's claim that tells its two kinds apart) and
// expires_in (seconds).
func (i *Issuer) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "error_description": "use POST"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": err.Error()})
		return
	}
	claims, lifetime, err := tokenClaims(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": err.Error()})
		return
	}
	token, err := i.Issue(claims)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error", "error_description": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token, "token_type": "Bearer", "expires_in": int(lifetime / time.Second),
	})
}

// tokenClaims reads the claims POST /token asks for.
func tokenClaims(r *http.Request) (Claims, time.Duration, error) {
	claims := Claims{"token_use": "access"}
	if tokenUse := r.Form.Get("token_use"); tokenUse != "" {
		claims["token_use"] = tokenUse
	}
	clientID := r.Form.Get("client_id")
	if clientID != "" {
		claims["client_id"] = clientID
		claims["sub"] = clientID
	}
	if sub := r.Form.Get("sub"); sub != "" {
		claims["sub"] = sub
	}
	if username := r.Form.Get("username"); username != "" {
		claims["username"] = username
	}
	if scope := r.Form.Get("scope"); scope != "" {
		claims["scope"] = scope
	}
	if audiences := r.Form["aud"]; len(audiences) > 0 {
		claims["aud"] = audiences
	}
	lifetime := DefaultLifetime
	if expiresIn := r.Form.Get("expires_in"); expiresIn != "" {
		seconds, err := strconv.Atoi(expiresIn)
		if err != nil {
			return nil, 0, fmt.Errorf("expires_in %q is not a number of seconds", expiresIn)
		}
		lifetime = time.Duration(seconds) * time.Second
	}
	claims["exp"] = time.Now().Add(lifetime).Unix()
	return claims, lifetime, nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	encoded, err := json.Marshal(body)
	if err != nil {
		status, encoded = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(encoded)
}
