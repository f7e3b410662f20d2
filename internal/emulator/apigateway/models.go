package apigateway

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restModel is the Model object, stored as answered and kept by name (the
// name is how every operation and method names a model).
type restModel struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Schema      string `json:"schema,omitempty"`
	ContentType string `json:"contentType"`
}

// defaultModels are the two models AWS creates with every REST API.
func defaultModels() map[string]*restModel {
	return map[string]*restModel{
		"Empty": {
			ID: core.NewID(6), Name: "Empty", ContentType: "application/json",
			Description: "This is a default empty schema model",
			Schema:      "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Empty Schema\",\n  \"type\" : \"object\"\n}",
		},
		"Error": {
			ID: core.NewID(6), Name: "Error", ContentType: "application/json",
			Description: "This is a default error schema model",
			Schema:      "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Error Schema\",\n  \"type\" : \"object\",\n  \"properties\" : {\n    \"message\" : { \"type\" : \"string\" }\n  }\n}",
		},
	}
}

var restModelName = regexp.MustCompile(`^[a-zA-Z0-9]+$`)

// checkModelSchema refuses an empty schema (recorded) and one that is not a
// JSON document.
func checkModelSchema(schema string) error {
	if strings.TrimSpace(schema) == "" {
		return emptyModelSchema()
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(schema), &doc); err != nil {
		return invalidModelSchema()
	}
	return nil
}

func (s *Service) createModel(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		Name        *string `json:"name"`
		Description string  `json:"description"`
		Schema      string  `json:"schema"`
		ContentType *string `json:"contentType"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	if in.Name == nil {
		v.null("createModelInput.name")
	}
	if in.ContentType == nil {
		v.null("createModelInput.contentType")
	}
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	switch {
	case *in.Name == "":
		return 0, nil, emptyModelName()
	case !restModelName.MatchString(*in.Name):
		return 0, nil, invalidModelName(*in.Name)
	}
	if err := checkModelSchema(in.Schema); err != nil {
		return 0, nil, err
	}
	if _, taken := tree.Models[*in.Name]; taken {
		return 0, nil, modelExists()
	}
	m := &restModel{ID: core.NewID(6), Name: *in.Name, Description: in.Description, Schema: in.Schema, ContentType: *in.ContentType}
	tree.Models[m.Name] = m
	return http.StatusCreated, core.DeepCopy(*m), nil
}

var modelKind = restKind[restModel]{
	label:    "model_name",
	of:       func(t *restChildren) map[string]*restModel { return t.Models },
	idOf:     func(m *restModel) string { return m.Name },
	notFound: modelNotFound,
	update:   "updateModelInput",
	check:    func(_ *restChildren, m *restModel) error { return checkModelSchema(m.Schema) },
	patches: restPatchTable[restModel]{patchers: []restPatcher[restModel]{
		{path: "/description", ops: []string{"replace"}, apply: stringMember(func(m *restModel) *string { return &m.Description })},
		{path: "/schema", ops: []string{"replace"}, apply: stringMember(func(m *restModel) *string { return &m.Schema })},
	}},
	deletable: func(t *restChildren, m *restModel) error {
		for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
			for _, method := range t.Resources[id].Methods {
				if modelUsed(method, m.Name) {
					return modelInUse(m.Name)
				}
			}
		}
		return nil
	},
}

func modelUsed(m *restMethod, name string) bool {
	for _, used := range m.RequestModels {
		if used == name {
			return true
		}
	}
	for _, mr := range m.MethodResponses {
		for _, used := range mr.ResponseModels {
			if used == name {
				return true
			}
		}
	}
	return false
}

// getModelTemplate answers a mapping template drawn from the model's
// top-level properties, as the console's "generate template" does.
func (s *Service) getModelTemplate(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, m, err := modelKind.lookup(s, c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, struct {
		Value string `json:"value"`
	}{modelTemplate(m.Schema)}, nil
}

func modelTemplate(schema string) string {
	var doc struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	_ = json.Unmarshal([]byte(schema), &doc)
	var b strings.Builder
	b.WriteString("#set($inputRoot = $input.path('$'))\n{\n")
	names := slices.Sorted(maps.Keys(doc.Properties))
	for i, name := range names {
		value := fmt.Sprintf("$inputRoot.%s", name)
		if t := doc.Properties[name].Type; t == "string" || t == "" {
			value = `"` + value + `"`
		}
		fmt.Fprintf(&b, "  %q : %s", name, value)
		if i < len(names)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}
