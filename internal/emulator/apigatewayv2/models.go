package apigatewayv2

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

var modelName = regexp.MustCompile(`^[A-Za-z0-9]{1,128}$`)

func (svc *Service) models() childHandlers[Model, Model] {
	return childHandlers[Model, Model]{svc: svc, kind: child[Model, Model]{
		label:    "modelId",
		of:       func(record *APIRecord) map[string]*Model { return record.Models },
		idOf:     func(m *Model) string { return m.ModelID },
		notFound: errNotFoundModel,
		view:     copyOf[Model],
		fresh:    func(*core.Call) *Model { return &Model{} },
		setID:    func(m *Model, id string) { m.ModelID = id },
		idLength: 6,
		prepare: func(_ *core.Call, record *APIRecord, current, model *Model) error {
			if current != nil && model.Name != current.Name {
				if err := record.modelUnused(current); err != nil {
					return err
				}
			}
			return validateModel(model)
		},
		stored:    redeploy[Model],
		deletable: func(record *APIRecord, model *Model) error { return record.modelUnused(model) },
		deleted:   func(c *core.Call, record *APIRecord) { record.autoDeploy(c) },
		keyOf:     func(m *Model) string { return m.Name },
		conflict:  errConflictModel,
	}}
}

// validateModel checks the name, the description and that the schema is a
// JSON object (AWS takes JSON Schema draft 4).
func validateModel(model *Model) error {
	if !modelName.MatchString(model.Name) {
		return errInvalidModelName.With(model.Name)
	}
	if model.Description != nil && len(*model.Description) > 1024 {
		return errInvalidDescription.With()
	}
	if model.Schema == nil {
		return errModelSchemaInvalid.With("a schema is required")
	}
	var schema map[string]any
	if err := json.Unmarshal([]byte(*model.Schema), &schema); err != nil {
		return errModelSchemaInvalid.With("the schema must be a JSON object")
	}
	return nil
}

// modelNamed returns the API's model of that name, or nil.
func (record *APIRecord) modelNamed(name string) *Model {
	for _, model := range record.Models {
		if model.Name == name {
			return model
		}
	}
	return nil
}

// modelUnused refuses to remove (or rename) a model a route or route
// response names.
func (record *APIRecord) modelUnused(model *Model) error {
	for _, routeID := range slices.Sorted(maps.Keys(record.Routes)) {
		route := record.Routes[routeID]
		uses := false
		for _, name := range route.RequestModels {
			uses = uses || name == model.Name
		}
		for _, response := range record.RouteResponses[routeID] {
			for _, name := range response.ResponseModels {
				uses = uses || name == model.Name
			}
		}
		if uses {
			return errModelInUse.With(model.Name, route.RouteKey)
		}
	}
	return nil
}

// getModelTemplate answers the mapping template a model's schema implies:
// each top-level property read from the input root.
func (svc *Service) getModelTemplate(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, model, err := svc.models().kind.lookup(svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ModelTemplate{Value: modelTemplate(*model.Schema)}, nil
}

// modelTemplate is "#set($inputRoot = $input.path('$'))" and an object of
// the schema's properties, in name order, each as "$inputRoot.{name}".
func modelTemplate(schema string) string {
	var parsed struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal([]byte(schema), &parsed)
	lines := make([]string, 0, len(parsed.Properties))
	for _, name := range slices.Sorted(maps.Keys(parsed.Properties)) {
		lines = append(lines, fmt.Sprintf("  %q : \"$inputRoot.%s\"", name, name))
	}
	return "#set($inputRoot = $input.path('$'))\n{\n" + strings.Join(lines, ",\n") + "\n}"
}
