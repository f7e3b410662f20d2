package apigateway

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restIntegration is the Integration object, stored as answered.
type restIntegration struct {
	Type                 string                              `json:"type"`
	HTTPMethod           string                              `json:"httpMethod,omitempty"`
	URI                  string                              `json:"uri,omitempty"`
	ConnectionType       string                              `json:"connectionType,omitempty"`
	ConnectionID         string                              `json:"connectionId,omitempty"`
	Credentials          string                              `json:"credentials,omitempty"`
	RequestParameters    map[string]string                   `json:"requestParameters,omitzero"`
	RequestTemplates     map[string]string                   `json:"requestTemplates,omitzero"`
	PassthroughBehavior  string                              `json:"passthroughBehavior,omitempty"`
	ContentHandling      string                              `json:"contentHandling,omitempty"`
	TimeoutInMillis      int64                               `json:"timeoutInMillis"`
	CacheNamespace       string                              `json:"cacheNamespace,omitempty"`
	CacheKeyParameters   []string                            `json:"cacheKeyParameters"`
	IntegrationResponses map[string]*restIntegrationResponse `json:"integrationResponses,omitempty"`
	TLSConfig            *restTLSConfig                      `json:"tlsConfig,omitempty"`
	ResponseTransferMode string                              `json:"responseTransferMode,omitempty"`
	IntegrationTarget    string                              `json:"integrationTarget,omitempty"`
}

type restTLSConfig struct {
	InsecureSkipVerification bool `json:"insecureSkipVerification"`
}

// restIntegrationResponse is the IntegrationResponse object. A
// selectionPattern sent empty is kept and answered as "" (recorded).
type restIntegrationResponse struct {
	StatusCode         string            `json:"statusCode"`
	SelectionPattern   *string           `json:"selectionPattern,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters,omitzero"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitzero"`
	ContentHandling    string            `json:"contentHandling,omitempty"`
}

const (
	integrationMock       = "MOCK"
	connectionInternet    = "INTERNET"
	connectionVpcLink     = "VPC_LINK"
	minIntegrationTimeout = 50
	maxIntegrationTimeout = 29000
)

// Enums in the order AWS prints them (recorded for the type).
var (
	restIntegrationTypes    = []string{"HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS"}
	restPassthroughBehavior = []string{"WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"}
	restContentHandling     = []string{"CONVERT_TO_BINARY", "CONVERT_TO_TEXT"}
	restConnectionTypes     = []string{connectionInternet, connectionVpcLink}
	restTransferModes       = []string{"BUFFERED", "STREAM"}
	restIntegrationMethods  = append(slices.Clone(restHTTPMethods[:7]), "ANY")
	// restAWSIntegrationURI is an AWS service URI: a path or an action.
	restAWSIntegrationURI = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:[a-zA-Z0-9.-]+:(path|action)/.+$`)
	restARN               = regexp.MustCompile(`^arn:aws[a-z-]*:`)
)

type putIntegrationInput struct {
	Type                 *string           `json:"type"`
	HTTPMethod           string            `json:"httpMethod"`
	URI                  string            `json:"uri"`
	ConnectionType       *string           `json:"connectionType"`
	ConnectionID         string            `json:"connectionId"`
	Credentials          string            `json:"credentials"`
	RequestParameters    map[string]string `json:"requestParameters"`
	RequestTemplates     map[string]string `json:"requestTemplates"`
	PassthroughBehavior  *string           `json:"passthroughBehavior"`
	CacheNamespace       string            `json:"cacheNamespace"`
	CacheKeyParameters   []string          `json:"cacheKeyParameters"`
	ContentHandling      *string           `json:"contentHandling"`
	TimeoutInMillis      *int64            `json:"timeoutInMillis"`
	TLSConfig            *restTLSConfig    `json:"tlsConfig"`
	ResponseTransferMode *string           `json:"responseTransferMode"`
	IntegrationTarget    string            `json:"integrationTarget"`
}

func (in *putIntegrationInput) validateModel() error {
	var v restModelValidation
	const input = "putIntegrationInput"
	if in.Type == nil {
		v.null(input + ".type")
	}
	v.enum(input+".type", in.Type, restIntegrationTypes)
	v.enum(input+".connectionType", in.ConnectionType, restConnectionTypes)
	v.enum(input+".contentHandling", in.ContentHandling, restContentHandling)
	v.enum(input+".responseTransferMode", in.ResponseTransferMode, restTransferModes)
	return v.err()
}

// build makes the integration with AWS's defaults (recorded): the resource
// id as cache namespace, no cache key parameters, WHEN_NO_MATCH, 29 s, and
// INTERNET for every type but MOCK, which keeps neither uri nor connection.
func (in *putIntegrationInput) build(resourceID string) *restIntegration {
	i := &restIntegration{
		Type:                 *in.Type,
		HTTPMethod:           in.HTTPMethod,
		URI:                  in.URI,
		ConnectionType:       connectionInternet,
		ConnectionID:         in.ConnectionID,
		Credentials:          in.Credentials,
		RequestParameters:    in.RequestParameters,
		RequestTemplates:     in.RequestTemplates,
		PassthroughBehavior:  "WHEN_NO_MATCH",
		ContentHandling:      restDeref(in.ContentHandling),
		TimeoutInMillis:      maxIntegrationTimeout,
		CacheNamespace:       in.CacheNamespace,
		CacheKeyParameters:   in.CacheKeyParameters,
		TLSConfig:            in.TLSConfig,
		ResponseTransferMode: restDeref(in.ResponseTransferMode),
		IntegrationTarget:    in.IntegrationTarget,
	}
	assignIfSet(&i.ConnectionType, in.ConnectionType)
	assignIfSet(&i.PassthroughBehavior, in.PassthroughBehavior)
	assignIfSet(&i.TimeoutInMillis, in.TimeoutInMillis)
	if i.CacheNamespace == "" {
		i.CacheNamespace = resourceID
	}
	if i.CacheKeyParameters == nil {
		i.CacheKeyParameters = []string{}
	}
	if i.Type == integrationMock {
		i.URI, i.ConnectionType, i.ConnectionID = "", "", ""
	}
	return i
}

// checkIntegration applies the service's rules to an integration, as
// PutIntegration and UpdateIntegration (after all operations) do.
func checkIntegration(i *restIntegration) error {
	if i.Type != integrationMock {
		if i.HTTPMethod == "" {
			return integrationMethodRequired()
		}
		if !slices.Contains(restIntegrationMethods, i.HTTPMethod) {
			return invalidIntegrationMethod()
		}
		if err := checkIntegrationURI(i); err != nil {
			return err
		}
	}
	if i.ConnectionType == connectionVpcLink && i.ConnectionID == "" {
		return vpcLinkConnectionRequired()
	}
	if !slices.Contains(restPassthroughBehavior, i.PassthroughBehavior) {
		return invalidPassthroughBehavior(i.PassthroughBehavior)
	}
	if i.TimeoutInMillis < minIntegrationTimeout || i.TimeoutInMillis > maxIntegrationTimeout {
		return invalidIntegrationTimeout()
	}
	return nil
}

func checkIntegrationURI(i *restIntegration) error {
	switch i.Type {
	case "HTTP", "HTTP_PROXY":
		u, err := url.Parse(i.URI)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return invalidHTTPEndpoint()
		}
	case "AWS", "AWS_PROXY":
		if !restARN.MatchString(i.URI) {
			return invalidARN()
		}
		if !restAWSIntegrationURI.MatchString(i.URI) {
			return awsIntegrationNeedsPathOrAction()
		}
	}
	return nil
}

func (s *Service) putIntegration(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in putIntegrationInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if err := in.validateModel(); err != nil {
		return 0, nil, err
	}
	_, res, m, err := s.lookupMethod(c, params)
	if err != nil {
		return 0, nil, err
	}
	i := in.build(res.ID)
	if err := checkIntegration(i); err != nil {
		return 0, nil, err
	}
	m.MethodIntegration = i
	return http.StatusCreated, core.DeepCopy(*i), nil
}

func (s *Service) lookupIntegration(c *core.Call, params core.PathParams) (*restChildren, *restIntegration, error) {
	tree, m, err := s.lookupIntegrationOf(c, params)
	if err != nil {
		return nil, nil, err
	}
	return tree, m.MethodIntegration, nil
}

// lookupIntegrationOf finds the method of an integration that exists.
func (s *Service) lookupIntegrationOf(c *core.Call, params core.PathParams) (*restChildren, *restMethod, error) {
	tree, _, m, err := s.lookupMethod(c, params)
	if err != nil {
		return nil, nil, err
	}
	if m.MethodIntegration == nil {
		return nil, nil, integrationNotFound()
	}
	return tree, m, nil
}

func (s *Service) getIntegration(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, i, err := s.lookupIntegration(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, core.DeepCopy(*i), nil
}

// integrationPatches are UpdateIntegration's paths.
var integrationPatches = restPatchTable[restIntegration]{patchers: []restPatcher[restIntegration]{
	{path: "/uri", ops: []string{"replace"}, apply: stringMember(func(i *restIntegration) *string { return &i.URI })},
	{path: "/httpMethod", ops: []string{"replace"}, apply: stringMember(func(i *restIntegration) *string { return &i.HTTPMethod })},
	{path: "/connectionId", ops: []string{"replace"}, apply: stringMember(func(i *restIntegration) *string { return &i.ConnectionID })},
	{path: "/credentials", ops: []string{"replace", "remove"}, apply: stringMember(func(i *restIntegration) *string { return &i.Credentials })},
	{path: "/cacheNamespace", ops: []string{"replace"}, apply: stringMember(func(i *restIntegration) *string { return &i.CacheNamespace })},
	{path: "/integrationTarget", ops: []string{"replace", "remove"}, apply: stringMember(func(i *restIntegration) *string { return &i.IntegrationTarget })},
	{path: "/connectionType", ops: []string{"replace"}, apply: func(_ *core.Call, i *restIntegration, op restPatchOperation, _ string) error {
		if !slices.Contains(restConnectionTypes, op.value()) {
			return invalidConnectionType(op.value())
		}
		i.ConnectionType = op.value()
		if i.ConnectionType == connectionInternet {
			i.ConnectionID = ""
		}
		return nil
	}},
	{path: "/passthroughBehavior", ops: []string{"replace"}, apply: stringMember(func(i *restIntegration) *string { return &i.PassthroughBehavior })},
	{path: "/contentHandling", ops: []string{"replace", "remove"}, apply: patchContentHandling(func(i *restIntegration) *string { return &i.ContentHandling })},
	{path: "/responseTransferMode", ops: []string{"replace"}, apply: func(_ *core.Call, i *restIntegration, op restPatchOperation, _ string) error {
		if !slices.Contains(restTransferModes, op.value()) {
			return invalidTransferMode(op.value())
		}
		i.ResponseTransferMode = op.value()
		return nil
	}},
	{path: "/timeoutInMillis", ops: []string{"replace"}, apply: func(_ *core.Call, i *restIntegration, op restPatchOperation, _ string) error {
		n, err := strconv.ParseInt(op.value(), 10, 64)
		if err != nil {
			return invalidIntegrationTimeout()
		}
		i.TimeoutInMillis = n
		return nil
	}},
	{path: "/tlsConfig/insecureSkipVerification", ops: []string{"replace"}, apply: func(_ *core.Call, i *restIntegration, op restPatchOperation, _ string) error {
		i.TLSConfig = &restTLSConfig{InsecureSkipVerification: patchBool(op)}
		return nil
	}},
	{path: "/cacheKeyParameters/", ops: []string{"add", "remove"}, apply: func(_ *core.Call, i *restIntegration, op restPatchOperation, key string) error {
		i.CacheKeyParameters = patchSetMember(i.CacheKeyParameters, op, key)
		return nil
	}},
	{path: "/requestParameters/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(i *restIntegration) *map[string]string { return &i.RequestParameters }, stringValue)},
	{path: "/requestTemplates/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(i *restIntegration) *map[string]string { return &i.RequestTemplates }, stringValue)},
}}

// patchContentHandling sets or removes a contentHandling member.
func patchContentHandling[T any](member func(*T) *string) func(*core.Call, *T, restPatchOperation, string) error {
	return func(_ *core.Call, item *T, op restPatchOperation, _ string) error {
		if op.Op == "replace" && !slices.Contains(restContentHandling, op.value()) {
			return invalidContentHandling(op.value())
		}
		setString(member(item), op)
		return nil
	}
}

func (s *Service) updateIntegration(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateIntegrationInput")
	if err != nil {
		return 0, nil, err
	}
	_, m, err := s.lookupIntegrationOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated, err := patchedCopy(c, integrationPatches, m.MethodIntegration, ops, checkIntegration)
	if err != nil {
		return 0, nil, err
	}
	if updated.CacheKeyParameters == nil {
		updated.CacheKeyParameters = []string{}
	}
	m.MethodIntegration = updated
	return http.StatusOK, core.DeepCopy(*updated), nil
}

func (s *Service) deleteIntegration(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, m, err := s.lookupIntegrationOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	m.MethodIntegration = nil
	return http.StatusNoContent, nil, nil
}

// Integration responses.

func (s *Service) putIntegrationResponse(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	if err := validateStatusCode(params["status_code"]); err != nil {
		return 0, nil, err
	}
	var in struct {
		SelectionPattern   *string           `json:"selectionPattern"`
		ResponseParameters map[string]string `json:"responseParameters"`
		ResponseTemplates  map[string]string `json:"responseTemplates"`
		ContentHandling    *string           `json:"contentHandling"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	v.enum("putIntegrationResponseInput.contentHandling", in.ContentHandling, restContentHandling)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	tree, i, err := integrationResponses.parent(s, c, params)
	if err != nil {
		return 0, nil, err
	}
	ir := &restIntegrationResponse{
		StatusCode:         params["status_code"],
		SelectionPattern:   in.SelectionPattern,
		ResponseParameters: in.ResponseParameters,
		ResponseTemplates:  in.ResponseTemplates,
		ContentHandling:    restDeref(in.ContentHandling),
	}
	return responseHandlers[restIntegration, restIntegrationResponse]{integrationResponses, s}.put(tree, i, ir.StatusCode, ir)
}
