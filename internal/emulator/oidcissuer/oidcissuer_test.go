package oidcissuer_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/oidcissuer"
)

func getJSON(t *testing.T, url string, into any) {
	t.Helper()
	response, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = response.Body.Close() }()
	if response.StatusCode != http.StatusOK || response.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s = %s %s", url, response.Status, response.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(response.Body).Decode(into); err != nil {
		t.Fatal(err)
	}
}

func TestDiscoveryAndJWKSVerifyIssuedTokens(t *testing.T) {
	t.Parallel()
	issuer, err := oidcissuer.New()
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(issuer)
	defer server.Close()
	issuer.SetURL(server.URL)

	var discovery struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	getJSON(t, server.URL+oidcissuer.DiscoveryPath, &discovery)
	if discovery.Issuer != server.URL || discovery.JWKSURI != server.URL+oidcissuer.JWKSPath {
		t.Fatalf("discovery = %+v", discovery)
	}
	var keys jose.JSONWebKeySet
	getJSON(t, discovery.JWKSURI, &keys)

	token, err := issuer.Issue(oidcissuer.Claims{"sub": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var claims jwt.Claims
	if err := parsed.Claims(keys, &claims); err != nil {
		t.Fatalf("the token does not verify with the published JWKS: %v", err)
	}
	if claims.Issuer != server.URL || claims.Subject != "alice" || claims.Expiry == nil {
		t.Fatalf("claims = %+v", claims)
	}
}

// TestCurlMintsATokenAJWTAuthorizerAccepts is the local-mode flow: a user
// curls the issuer Start runs for a token, and a JWT authorizer configured
// with the issuer accepts it for a route that requires its scope.
func TestCurlMintsATokenAJWTAuthorizerAccepts(t *testing.T) {
	t.Parallel()
	issuer, err := oidcissuer.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = issuer.Close() }()

	output, err := exec.Command("curl", "-sS", "--fail", "-X", "POST",
		"-d", "client_id=my-client", "-d", "scope=orders/read orders/write",
		issuer.URL()+oidcissuer.TokenPath).Output()
	if err != nil {
		t.Fatalf("curl: %v", err)
	}
	var answer struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(output, &answer); err != nil {
		t.Fatalf("%v: %s", err, output)
	}
	if answer.TokenType != "Bearer" || answer.ExpiresIn != 3600 || strings.Count(answer.AccessToken, ".") != 2 {
		t.Fatalf("answer = %s", output)
	}

	spec := authorizers.Spec{ID: "jwt1", APIID: "api1", API: authorizers.APIHTTP, Kind: authorizers.KindJWT,
		Issuer: issuer.URL(), Audience: []string{"my-client"}}
	decision := authorizers.New(authorizers.Config{}).Authorize(context.Background(), spec, authorizers.Request{
		Identity: []string{"Bearer " + answer.AccessToken}, Scopes: []string{"orders/read"},
	})
	if !decision.Allowed() || decision.Claims["client_id"] != "my-client" {
		t.Fatalf("decision = %d %s %v", decision.Status, decision.Body(), decision.Header)
	}
}

func TestTokenEndpointTakesOnlyPOST(t *testing.T) {
	t.Parallel()
	issuer, err := oidcissuer.New()
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(issuer)
	defer server.Close()
	response, err := http.Get(server.URL + oidcissuer.TokenPath)
	if err != nil {
		t.Fatal(err)
	}
	_ = response.Body.Close()
	if response.StatusCode != http.StatusMethodNotAllowed || response.Header.Get("Allow") != http.MethodPost {
		t.Fatalf("GET /token = %s Allow=%q", response.Status, response.Header.Get("Allow"))
	}
	bad, err := http.PostForm(server.URL+oidcissuer.TokenPath, map[string][]string{"expires_in": {"soon"}})
	if err != nil {
		t.Fatal(err)
	}
	_ = bad.Body.Close()
	if bad.StatusCode != http.StatusBadRequest {
		t.Fatalf("expires_in=soon = %s, want 400", bad.Status)
	}
}
