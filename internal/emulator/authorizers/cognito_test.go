package authorizers

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator/oidcissuer"
)

const userPool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1"

func cognitoSpec() Spec {
	return Spec{ID: "cog1", APIID: "api1", API: APIREST, Kind: KindCognitoUserPools, ProviderARNs: []string{userPool},
		IdentitySource: []string{"method.request.header.Authorization"}}
}

func TestCognitoChecksTheTokenKindAndTheMethodScopes(t *testing.T) {
	t.Parallel()
	issuer := startIssuer(t)
	a := New(Config{CognitoIssuer: func(poolARN string) (string, bool) {
		return issuer.URL(), poolARN == userPool
	}})
	idToken := issuer.mint(t, oidcissuer.Claims{"token_use": "id", "sub": "alice", "email": "alice@example.com", "aud": "app-client"})
	accessToken := issuer.mint(t, oidcissuer.Claims{"token_use": "access", "client_id": "app-client", "scope": "pets/read"})
	tests := []struct {
		name    string
		token   string
		scopes  []string
		allowed bool
	}{
		{"ID token, method without scopes", idToken, nil, true},
		{"access token, method without scopes", accessToken, nil, false},
		{"access token with one of the method's scopes", accessToken, []string{"pets/write", "pets/read"}, true},
		{"access token without the method's scopes", accessToken, []string{"pets/write"}, false},
		{"ID token, method with scopes", idToken, []string{"pets/read"}, false},
		{"no token", "", nil, false},
		{"another issuer's token", signedWithUnpublishedKey(t, "https://elsewhere.example"), nil, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			decision := authorizeToken(a, cognitoSpec(), test.token, test.scopes...)
			if test.allowed {
				if !decision.Allowed() || decision.Claims["token_use"] == nil {
					t.Fatalf("decision = %d %s, want allowed with claims", decision.Status, decision.Body())
				}
				return
			}
			wantRefusal(t, decision, http.StatusUnauthorized, `{"message":"Unauthorized"}`, ResponseUnauthorized)
		})
	}
}

// recordingTransport fails every request, recording its URL: the AWS
// issuer cannot be reached from a test.
type recordingTransport struct {
	mu   sync.Mutex
	urls []string
}

func (r *recordingTransport) RoundTrip(request *http.Request) (*http.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.urls = append(r.urls, request.URL.String())
	return nil, errors.New("no network in tests")
}

func TestCognitoWithoutAMappingUsesThePoolsAWSIssuerAndFailsClosed(t *testing.T) {
	t.Parallel()
	transport := &recordingTransport{}
	a := New(Config{HTTPClient: &http.Client{Transport: transport}})
	awsIssuer := "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1"
	token := signedWithUnpublishedKey(t, awsIssuer)

	decision := authorizeToken(a, cognitoSpec(), token)
	wantRefusal(t, decision, http.StatusUnauthorized, `{"message":"Unauthorized"}`, ResponseUnauthorized)
	if len(transport.urls) != 1 || transport.urls[0] != awsIssuer+"/.well-known/openid-configuration" {
		t.Fatalf("fetched %v, want the pool's AWS discovery document", transport.urls)
	}
}
