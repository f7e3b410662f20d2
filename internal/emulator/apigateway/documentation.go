package apigateway

import (
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restDocPart is a DocumentationPart; restDocVersion a DocumentationVersion.
// The emulator keeps them so that stages can name a documentation version;
// it does not validate the locations against the API.
type restDocPart struct {
	ID         string          `json:"id"`
	Location   restDocLocation `json:"location"`
	Properties string          `json:"properties"`
}

type restDocLocation struct {
	Type       string `json:"type"`
	Path       string `json:"path,omitempty"`
	Method     string `json:"method,omitempty"`
	StatusCode string `json:"statusCode,omitempty"`
	Name       string `json:"name,omitempty"`
}

type restDocVersion struct {
	Version     string `json:"version"`
	CreatedDate int64  `json:"createdDate"`
	Description string `json:"description,omitempty"`
}

var restDocLocationTypes = []string{
	"API", "AUTHORIZER", "MODEL", "RESOURCE", "METHOD", "PATH_PARAMETER", "QUERY_PARAMETER",
	"REQUEST_HEADER", "REQUEST_BODY", "RESPONSE", "RESPONSE_HEADER", "RESPONSE_BODY",
}

func (s *Service) createDocumentationPart(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		Location   *restDocLocation `json:"location"`
		Properties *string          `json:"properties"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	if in.Location == nil {
		v.null("createDocumentationPartInput.location")
	} else {
		v.enum("createDocumentationPartInput.location.type", &in.Location.Type, restDocLocationTypes)
	}
	if in.Properties == nil {
		v.null("createDocumentationPartInput.properties")
	}
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	for _, other := range tree.DocParts {
		if other.Location == *in.Location {
			return 0, nil, docPartExists()
		}
	}
	part := &restDocPart{ID: unusedChildID(tree.DocParts, 6), Location: *in.Location, Properties: *in.Properties}
	tree.DocParts[part.ID] = part
	return http.StatusCreated, core.DeepCopy(*part), nil
}

var docPartKind = restKind[restDocPart]{
	label:    "part_id",
	of:       func(t *restChildren) map[string]*restDocPart { return t.DocParts },
	idOf:     func(p *restDocPart) string { return p.ID },
	notFound: func(string) error { return docPartNotFound() },
	update:   "updateDocumentationPartInput",
	patches: restPatchTable[restDocPart]{patchers: []restPatcher[restDocPart]{
		{path: "/properties", ops: []string{"replace"}, apply: stringMember(func(p *restDocPart) *string { return &p.Properties })},
	}},
}

func (s *Service) createDocumentationVersion(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		DocumentationVersion *string `json:"documentationVersion"`
		StageName            string  `json:"stageName"`
		Description          string  `json:"description"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if in.DocumentationVersion == nil {
		var v restModelValidation
		v.null("createDocumentationVersionInput.documentationVersion")
		return 0, nil, v.err()
	}
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	if _, taken := tree.DocVersions[*in.DocumentationVersion]; taken {
		return 0, nil, docVersionExists()
	}
	var stage *restStage
	if in.StageName != "" {
		if stage = tree.Stages[in.StageName]; stage == nil {
			return 0, nil, stageNotFound()
		}
	}
	version := &restDocVersion{Version: *in.DocumentationVersion, CreatedDate: c.Now.Unix(), Description: in.Description}
	tree.DocVersions[version.Version] = version
	if stage != nil {
		stage.DocumentationVersion = version.Version
	}
	return http.StatusCreated, core.DeepCopy(*version), nil
}

var docVersionKind = restKind[restDocVersion]{
	label:    "doc_version",
	of:       func(t *restChildren) map[string]*restDocVersion { return t.DocVersions },
	idOf:     func(v *restDocVersion) string { return v.Version },
	notFound: func(string) error { return docVersionNotFound() },
	update:   "updateDocumentationVersionInput",
	patches: restPatchTable[restDocVersion]{patchers: []restPatcher[restDocVersion]{
		{path: "/description", ops: []string{"replace"}, apply: stringMember(func(v *restDocVersion) *string { return &v.Description })},
	}},
}
