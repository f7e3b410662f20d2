package apigateway

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

func TestCheckPathPart(t *testing.T) {
	tree := newRestChildren("root")
	tree.Resources["pets"] = &restResource{ID: "pets", ParentID: "root", PathPart: "pets"}
	tree.Resources["id"] = &restResource{ID: "id", ParentID: "pets", PathPart: "{id}"}
	tree.Resources["proxy"] = &restResource{ID: "proxy", ParentID: "root", PathPart: "{proxy+}"}
	tests := []struct {
		parent, part, self string
		want               string // "" accepts
	}{
		{"root", "orders", "", ""},
		{"root", "a.b-c_d", "", ""},
		{"pets", "owners", "", ""},
		{"root", "pets", "", "Another resource with the same parent already has this name: pets"},
		{"root", "pets", "pets", ""}, // renaming to its own name
		{"root", "{name}", "", "A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed"},
		{"pets", "{name+}", "", "A sibling ({id}) of this resource already has a variable path part -- only one is allowed"},
		{"proxy", "child", "", "Cannot create a child of a resource with a greedy path variable: {proxy+}"},
		{"pets", "a/b", "", "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."},
		{"pets", "{bad", "", "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."},
		{"pets", "", "", "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."},
		{"pets", "$metadata", "", "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."},
	}
	for _, tt := range tests {
		err := tree.checkPathPart(tree.Resources[tt.parent], tt.part, tt.self)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s under %s: %v, want accepted", tt.part, tt.parent, err)
		case tt.want != "" && !hasMessage(err, tt.want):
			t.Errorf("%s under %s: %v, want %q", tt.part, tt.parent, err, tt.want)
		}
	}
}

func TestPatchTables(t *testing.T) {
	c := &core.Call{Account: "000000000000", Region: "us-east-1"}
	op := func(o, path, value string) restPatchOperation {
		return restPatchOperation{Op: o, Path: path, Value: &value}
	}
	tests := []struct {
		name  string
		apply func() error
		want  string // "" accepts
	}{
		{"method: short unknown path", func() error {
			return methodPatches.apply(c, &restMethod{}, []restPatchOperation{op("add", "/httpMethod", "PUT")})
		}, "Invalid patch path /httpMethod"},
		{"method: raw slash in a key", func() error {
			return methodPatches.apply(c, &restMethod{}, []restPatchOperation{op("add", "/requestModels/application/json", "Empty")})
		}, "Invalid patch path /requestModels/application/json"},
		{"method: add on a replace-only path", func() error {
			return methodPatches.apply(c, &restMethod{}, []restPatchOperation{op("add", "/operationName", "x")})
		}, "Invalid patch operation specified. Must be one of: [replace]"},
		{"method: escaped key", func() error {
			return methodPatches.apply(c, &restMethod{}, []restPatchOperation{op("add", "/requestModels/application~1json", "Empty")})
		}, ""},
		{"resource: wrong op is an unknown path", func() error {
			return resourcePatches.apply(c, &resourcePatch{tree: newRestChildren("r")}, []restPatchOperation{op("remove", "/pathPart", "")})
		}, "Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported operations"},
		{"resource: unknown path lists the valid ones", func() error {
			return resourcePatches.apply(c, &resourcePatch{tree: newRestChildren("r")}, []restPatchOperation{op("replace", "/invalid", "")})
		}, "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]"},
		{"model: replace /name", func() error {
			return modelKind.patches.apply(c, &restModel{}, []restPatchOperation{op("replace", "/name", "x")})
		}, "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]"},
		{"stage: unknown path", func() error {
			return patchStage(c, &restStage{}, op("replace", "/tags/a", "b"))
		}, "Invalid method setting path: /tags/a. Must be one of: " + restStagePatchPaths},
		{"stage: bad logging level", func() error {
			return patchStage(c, &restStage{}, op("replace", "/*/*/logging/loglevel", "LOUD"))
		}, "Invalid logging level specified: LOUD. Valid options are OFF,ERROR,INFO"},
		{"stage: per-method setting", func() error {
			return patchStage(c, &restStage{}, op("replace", "/~1pets/POST/caching/ttlInSeconds", "60"))
		}, ""},
		{"stage: cache TTL out of range", func() error {
			return patchStage(c, &restStage{}, op("replace", "/*/*/caching/ttlInSeconds", "3601"))
		}, "Cache TTL must be between 0 and 3600 seconds"},
		{"stage: unknown verb is an unknown path", func() error {
			return patchStage(c, &restStage{}, op("replace", "/pets/FETCH/metrics/enabled", "true"))
		}, "Invalid method setting path: /pets/FETCH/metrics/enabled. Must be one of: " + restStagePatchPaths},
		{"integration: bad content handling", func() error {
			return integrationPatches.apply(c, &restIntegration{}, []restPatchOperation{op("replace", "/contentHandling", "GZIP")})
		}, "Invalid content handling specified: GZIP. Valid options are CONVERT_TO_BINARY,CONVERT_TO_TEXT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.apply()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("%v, want accepted", err)
			case tt.want != "" && !hasMessage(err, tt.want):
				t.Fatalf("%v, want %q", err, tt.want)
			}
		})
	}
}

// TestOldStateFileGetsRootAndDefaultModels: an API stored before the
// emulator kept children gets its root resource and the default models.
func TestOldStateFileGetsRootAndDefaultModels(t *testing.T) {
	api := &restAPI{ID: "a", RootResourceID: "root"}
	tree := api.children()
	if tree.Resources["root"] == nil || tree.Models["Empty"] == nil || tree.Models["Error"] == nil || tree.Stages == nil {
		t.Fatalf("children of an old record = %+v", tree)
	}
}

// TestRestAPIAnswersNeverCarryChildren: the children live in the API's
// record but are no member of the RestApi object AWS answers.
func TestRestAPIAnswersNeverCarryChildren(t *testing.T) {
	var spent []string
	s := New()
	c := fakeCall(&spent)
	api := createForTest(t, s, c, `{"name":"n"}`)
	id, root := api["id"].(string), api["rootResourceId"].(string)
	if _, _, err := invoke(t, s, c, http.MethodPost, restAPIPath+"/resources/{parent_id}", "/x", `{"pathPart":"pets"}`,
		core.PathParams{"restapi_id": id, "parent_id": root}); err != nil {
		t.Fatal(err)
	}
	answers := map[string]core.PathParams{"/restapis/{restapi_id}": {"restapi_id": id}, "/restapis": nil}
	for pattern, params := range answers {
		_, encoded, err := invoke(t, s, c, http.MethodGet, pattern, "/restapis", "", params)
		if err != nil || strings.Contains(string(encoded), "children") || strings.Contains(string(encoded), "pets") {
			t.Errorf("GET %s = %s, %v: the children leaked into the answer", pattern, encoded, err)
		}
	}
	_, encoded, err := invoke(t, s, c, http.MethodPatch, "/restapis/{restapi_id}", "/x",
		`{"patchOperations":[{"op":"replace","path":"/description","value":"d"}]}`, core.PathParams{"restapi_id": id})
	if err != nil || strings.Contains(string(encoded), "children") {
		t.Errorf("UpdateRestApi = %s, %v: the children leaked into the answer", encoded, err)
	}
	if len(s.apis[c.WorldKey()][id].Children.Resources) != 2 {
		t.Errorf("UpdateRestApi lost the children")
	}
}

// hasMessage reports whether err is an AWS error with that message.
func hasMessage(err error, message string) bool {
	var e *core.Error
	return errors.As(err, &e) && e.Message == message
}
