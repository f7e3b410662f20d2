package apigateway

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// maxRestAuthorizers is AWS's quota of authorizers per REST API.
const maxRestAuthorizers = 10

// restAuthorizer is the Authorizer object, stored as answered.
type restAuthorizer struct {
	ID                           string   `json:"id"`
	Name                         string   `json:"name"`
	Type                         string   `json:"type"`
	ProviderARNs                 []string `json:"providerARNs,omitempty"`
	AuthType                     string   `json:"authType,omitempty"`
	AuthorizerURI                string   `json:"authorizerUri,omitempty"`
	AuthorizerCredentials        string   `json:"authorizerCredentials,omitempty"`
	IdentitySource               string   `json:"identitySource,omitempty"`
	IdentityValidationExpression string   `json:"identityValidationExpression,omitempty"`
	AuthorizerResultTTLInSeconds *int64   `json:"authorizerResultTtlInSeconds,omitempty"`
}

const (
	authorizerCognito       = "COGNITO_USER_POOLS"
	defaultAuthorizerTTL    = 300
	maxAuthorizerTTLSeconds = 3600
)

var (
	restAuthorizerTypes = []string{"TOKEN", "REQUEST", authorizerCognito}
	// restAuthorizerURI is a Lambda function's invocation URI.
	restAuthorizerURI = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^/]+/invocations$`)
)

type createAuthorizerInput struct {
	Name                         *string  `json:"name"`
	Type                         *string  `json:"type"`
	ProviderARNs                 []string `json:"providerARNs"`
	AuthType                     string   `json:"authType"`
	AuthorizerURI                string   `json:"authorizerUri"`
	AuthorizerCredentials        string   `json:"authorizerCredentials"`
	IdentitySource               string   `json:"identitySource"`
	IdentityValidationExpression string   `json:"identityValidationExpression"`
	AuthorizerResultTTLInSeconds *int64   `json:"authorizerResultTtlInSeconds"`
}

// createAuthorizer checks the input before the API: AWS answers an unknown
// API, once the authorizerUri is well formed, with a 409 (recorded).
func (s *Service) createAuthorizer(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in createAuthorizerInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	if in.Name == nil {
		v.null("createAuthorizerInput.name")
	}
	if in.Type == nil {
		v.null("createAuthorizerInput.type")
	}
	v.enum("createAuthorizerInput.type", in.Type, restAuthorizerTypes)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	ttl := int64(defaultAuthorizerTTL)
	assignIfSet(&ttl, in.AuthorizerResultTTLInSeconds)
	a := &restAuthorizer{
		Name:                         *in.Name,
		Type:                         *in.Type,
		ProviderARNs:                 in.ProviderARNs,
		AuthType:                     in.AuthType,
		AuthorizerURI:                in.AuthorizerURI,
		AuthorizerCredentials:        in.AuthorizerCredentials,
		IdentitySource:               in.IdentitySource,
		IdentityValidationExpression: in.IdentityValidationExpression,
		AuthorizerResultTTLInSeconds: &ttl,
	}
	if err := checkAuthorizer(a); err != nil {
		return 0, nil, err
	}
	tree, err := s.childrenOf(c, params, concurrentModification)
	if err != nil {
		return 0, nil, err
	}
	if len(tree.Authorizers) >= maxRestAuthorizers {
		return 0, nil, tooManyAuthorizers()
	}
	a.ID = unusedChildID(tree.Authorizers, 6)
	tree.Authorizers[a.ID] = a
	return http.StatusCreated, core.DeepCopy(*a), nil
}

// checkAuthorizer applies the rules of each type: a Lambda URI and (for
// TOKEN) an identity source for TOKEN and REQUEST, user pools for Cognito.
func checkAuthorizer(a *restAuthorizer) error {
	if a.Name == "" {
		return emptyAuthorizerName()
	}
	if a.Type == authorizerCognito {
		if len(a.ProviderARNs) == 0 {
			return cognitoNeedsProviders()
		}
	} else {
		if !restAuthorizerURI.MatchString(a.AuthorizerURI) {
			return invalidAuthorizerURI()
		}
		if a.Type == "TOKEN" && a.IdentitySource == "" {
			return tokenNeedsIdentitySource()
		}
	}
	if ttl := a.AuthorizerResultTTLInSeconds; ttl != nil && (*ttl < 0 || *ttl > maxAuthorizerTTLSeconds) {
		return invalidAuthorizerTTL()
	}
	return nil
}

var authorizerKind = restKind[restAuthorizer]{
	label:    "authorizer_id",
	of:       func(t *restChildren) map[string]*restAuthorizer { return t.Authorizers },
	idOf:     func(a *restAuthorizer) string { return a.ID },
	notFound: func(string) error { return authorizerNotFound() },
	update:   "updateAuthorizerInput",
	check:    func(_ *restChildren, a *restAuthorizer) error { return checkAuthorizer(a) },
	patches: restPatchTable[restAuthorizer]{patchers: []restPatcher[restAuthorizer]{
		{path: "/name", ops: []string{"replace"}, apply: stringMember(func(a *restAuthorizer) *string { return &a.Name })},
		{path: "/authorizerUri", ops: []string{"replace"}, apply: stringMember(func(a *restAuthorizer) *string { return &a.AuthorizerURI })},
		{path: "/identitySource", ops: []string{"replace"}, apply: stringMember(func(a *restAuthorizer) *string { return &a.IdentitySource })},
		{path: "/identityValidationExpression", ops: []string{"replace", "remove"}, apply: stringMember(func(a *restAuthorizer) *string { return &a.IdentityValidationExpression })},
		{path: "/authorizerCredentials", ops: []string{"replace", "remove"}, apply: stringMember(func(a *restAuthorizer) *string { return &a.AuthorizerCredentials })},
		{path: "/authType", ops: []string{"replace"}, apply: stringMember(func(a *restAuthorizer) *string { return &a.AuthType })},
		{path: "/type", ops: []string{"replace"}, apply: func(_ *core.Call, a *restAuthorizer, op restPatchOperation, _ string) error {
			if !slices.Contains(restAuthorizerTypes, op.value()) {
				return invalidAuthorizerType(op.value())
			}
			a.Type = op.value()
			return nil
		}},
		{path: "/authorizerResultTtlInSeconds", ops: []string{"replace"}, apply: func(_ *core.Call, a *restAuthorizer, op restPatchOperation, _ string) error {
			ttl, err := strconv.ParseInt(op.value(), 10, 64)
			if err != nil {
				return invalidAuthorizerTTL()
			}
			a.AuthorizerResultTTLInSeconds = &ttl
			return nil
		}},
		// The pool ARN as the value, or (escaped) as the last path segment.
		{path: "/providerARNs", ops: []string{"add", "remove"}, apply: patchProviderARN},
		{path: "/providerARNs/", ops: []string{"add", "remove"}, apply: patchProviderARN},
	}},
	deletable: func(t *restChildren, a *restAuthorizer) error {
		for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
			res := t.Resources[id]
			for _, verb := range slices.Sorted(maps.Keys(res.Methods)) {
				if res.Methods[verb].AuthorizerID == a.ID {
					return authorizerInUse(a.ID, verb, t.resourcePath(res))
				}
			}
		}
		return nil
	},
}

func patchProviderARN(_ *core.Call, a *restAuthorizer, op restPatchOperation, key string) error {
	arn := key
	if arn == "" {
		arn = op.value()
	}
	a.ProviderARNs = patchSetMember(a.ProviderARNs, op, arn)
	return nil
}

// testInvokeAuthorizer is out of the emulator's scope: it would run the
// authorizer's Lambda function.
func (s *Service) testInvokeAuthorizer(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	if _, _, err := authorizerKind.lookup(s, c, params); err != nil {
		return 0, nil, err
	}
	return 0, nil, notImplemented("TestInvokeAuthorizer")
}
