package apigateway

import (
	"crypto/rand"
	"net/http"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// apiKey is an ApiKey as stored. The views below leave out what AWS leaves
// out: the value outside Create (unless asked for), tags in Create and in
// lists, name when there is none.
type apiKey struct {
	ID              string            `json:"id"`
	Value           string            `json:"value,omitempty"`
	Name            string            `json:"name,omitempty"`
	CustomerID      string            `json:"customerId,omitempty"`
	Description     string            `json:"description,omitempty"`
	Enabled         bool              `json:"enabled"`
	CreatedDate     int64             `json:"createdDate"`
	LastUpdatedDate int64             `json:"lastUpdatedDate"`
	StageKeys       []string          `json:"stageKeys"`
	Tags            map[string]string `json:"tags,omitempty"`
}

// apiKeyWithTags is the answer of GetApiKey and UpdateApiKey, which carry
// "tags": {} even when there are none (recorded for UpdateApiKey).
type apiKeyWithTags struct {
	*apiKey
	Tags map[string]string `json:"tags"`
}

const (
	maxAPIKeyName        = 1024
	maxAPIKeyDescription = 125000
	minAPIKeyValue       = 20
	maxAPIKeyValue       = 128
	generatedKeyLength   = 40
)

// view answers a copy of the key, with its value only when withValue.
func (k *apiKey) view(withValue bool) *apiKey {
	c := core.DeepCopy(*k)
	if !withValue {
		c.Value = ""
	}
	if c.StageKeys == nil {
		c.StageKeys = []string{}
	}
	return &c
}

func (k *apiKey) withTags(withValue bool) apiKeyWithTags {
	v := k.view(withValue)
	return apiKeyWithTags{apiKey: v, Tags: tags.Merge(v.Tags, nil)}
}

type apiKeyInput struct {
	Name        *string           `json:"name"`
	Description *string           `json:"description"`
	Enabled     bool              `json:"enabled"`
	Value       *string           `json:"value"`
	CustomerID  *string           `json:"customerId"`
	StageKeys   []restStageKey    `json:"stageKeys"`
	Tags        map[string]string `json:"tags"`
}

type restStageKey struct {
	RestAPIID string `json:"restApiId"`
	StageName string `json:"stageName"`
}

func (s *Service) keysOf(c *core.Call) map[string]*apiKey {
	return s.apiKeys.Of(c, func() map[string]*apiKey { return map[string]*apiKey{} })
}

func (s *Service) lookupAPIKey(c *core.Call, id string) (*apiKey, error) {
	if key, ok := s.apiKeys[c.WorldKey()][id]; ok {
		return key, nil
	}
	return nil, errAPIKeyNotFound()
}

func (s *Service) createAPIKey(c *core.Call, r *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	if r.URL.Query().Get("mode") == "import" {
		return 0, nil, errImportAPIKeysUnsupported()
	}
	var in apiKeyInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	key := &apiKey{
		ID: s.unusedKeyID(c), Name: restDeref(in.Name), Description: restDeref(in.Description),
		CustomerID: restDeref(in.CustomerID), Enabled: in.Enabled,
		CreatedDate: c.Now.Unix(), LastUpdatedDate: c.Now.Unix(), StageKeys: []string{},
	}
	if err := checkAPIKeyText(key.Name, key.Description); err != nil {
		return 0, nil, err
	}
	key.Value = restDeref(in.Value)
	if in.Value == nil {
		key.Value = generateKeyValue()
	}
	if err := s.checkKeyValue(c, key.Value); err != nil {
		return 0, nil, err
	}
	for _, sk := range in.StageKeys {
		stageKey, err := s.checkStageKey(c, sk.RestAPIID+"/"+sk.StageName)
		if err != nil {
			return 0, nil, err
		}
		key.StageKeys = appendUnique(key.StageKeys, stageKey)
	}
	if err := checkTags(nil, in.Tags); err != nil {
		return 0, nil, err
	}
	if len(in.Tags) > 0 {
		key.Tags = tags.Merge(nil, in.Tags)
	}
	s.keysOf(c)[key.ID] = key
	created := key.view(true)
	created.Tags = nil // the recorded Create answer has no tags member
	return http.StatusCreated, created, nil
}

func (s *Service) unusedKeyID(c *core.Call) string {
	for {
		id := core.NewID(10)
		if _, taken := s.keysOf(c)[id]; !taken {
			return id
		}
	}
}

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// generateKeyValue returns 40 random alphanumerics, the shape of AWS's keys.
func generateKeyValue() string {
	buf := make([]byte, generatedKeyLength)
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	for i, b := range buf {
		buf[i] = keyAlphabet[int(b)%len(keyAlphabet)]
	}
	return string(buf)
}

func checkAPIKeyText(name, description string) error {
	if len(name) > maxAPIKeyName {
		return errAPIKeyNameTooLong()
	}
	if len(description) > maxAPIKeyDescription {
		return errAPIKeyDescription()
	}
	return nil
}

// checkKeyValue enforces the value's length and its uniqueness in the
// account and region.
func (s *Service) checkKeyValue(c *core.Call, value string) error {
	if len(value) < minAPIKeyValue || len(value) > maxAPIKeyValue {
		return errAPIKeyValueLength()
	}
	for _, other := range s.apiKeys[c.WorldKey()] {
		if other.Value == value {
			return errAPIKeyExists()
		}
	}
	return nil
}

// checkStageKey validates "restApiId/stageName" against the REST APIs.
func (s *Service) checkStageKey(c *core.Call, stageKey string) (string, error) {
	apiID, stage, ok := strings.Cut(stageKey, "/")
	if !ok || apiID == "" || stage == "" {
		return "", errInvalidStageKey(stageKey)
	}
	apiFound, stageFound := s.findRestStage(c, apiID, stage)
	if !apiFound || !stageFound {
		return "", errInvalidStageKey(stageKey)
	}
	return stageKey, nil
}

func appendUnique(list []string, item string) []string {
	if slices.Contains(list, item) {
		return list
	}
	return append(list, item)
}

func (s *Service) getAPIKey(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	key, err := s.lookupAPIKey(c, params["api_Key"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, key.withTags(restBool(r.URL.Query().Get("includeValue"))), nil
}

// getAPIKeys lists keys by id. nameQuery (query "name") is a case-sensitive prefix of the
// name (recorded); customerId an exact match.
func (s *Service) getAPIKeys(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	q := r.URL.Query()
	nameQuery, customerID := q.Get("name"), q.Get("customerId")
	withValues := restBool(q.Get("includeValues"))
	keep := func(k *apiKey) bool {
		return strings.HasPrefix(k.Name, nameQuery) && (customerID == "" || k.CustomerID == customerID)
	}
	page, err := restList(r, s.apiKeys[c.WorldKey()], func(k *apiKey) string { return k.ID }, keep,
		func(k *apiKey) *apiKey { v := k.view(withValues); v.Tags = nil; return v })
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// apiKeyPatchPaths lists what UpdateApiKey accepts, by op.
var apiKeyPatchPaths = map[string][]string{
	"replace": {"/name", "/description", "/enabled", "/customerId"},
	"add":     {"/stages"},
	"remove":  {"/stages"},
}

func (s *Service) updateAPIKey(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateApiKeyInput")
	if err != nil {
		return 0, nil, err
	}
	stored, err := s.lookupAPIKey(c, params["api_Key"])
	if err != nil {
		return 0, nil, err
	}
	key := core.DeepCopy(*stored)
	for _, op := range ops {
		if err := s.patchAPIKey(c, &key, op); err != nil {
			return 0, nil, err
		}
	}
	key.LastUpdatedDate = c.Now.Unix()
	s.keysOf(c)[key.ID] = &key
	return http.StatusOK, key.withTags(false), nil
}

func (s *Service) patchAPIKey(c *core.Call, key *apiKey, op restPatchOperation) error {
	if !slices.Contains(apiKeyPatchPaths[op.Op], op.Path) {
		return invalidPatchPath(op, apiKeyPatchPaths[op.Op])
	}
	value := op.value()
	switch op.Path {
	case "/name":
		key.Name = value
	case "/description":
		key.Description = value
	case "/customerId":
		key.CustomerID = value
	case "/enabled":
		key.Enabled = restBool(value)
	case "/stages":
		if op.Op == "remove" {
			key.StageKeys = slices.DeleteFunc(key.StageKeys, func(k string) bool { return k == value })
			return nil
		}
		stageKey, err := s.checkStageKey(c, value)
		if err != nil {
			return err
		}
		key.StageKeys = appendUnique(key.StageKeys, stageKey)
	}
	return checkAPIKeyText(key.Name, key.Description)
}

// deleteAPIKey also takes the key out of every usage plan (recorded: the
// plan then lists no keys).
func (s *Service) deleteAPIKey(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	key, err := s.lookupAPIKey(c, params["api_Key"])
	if err != nil {
		return 0, nil, err
	}
	delete(s.keysOf(c), key.ID)
	for _, plan := range s.usagePlans[c.WorldKey()] {
		delete(plan.Keys, key.ID)
	}
	return http.StatusAccepted, nil, nil
}
