package apigatewayv2_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

func TestImportApiAndExportApiThroughTheAWSCLI(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	dir := t.TempDir()
	definition := filepath.Join(dir, "pets.yaml")
	if err := os.WriteFile(definition, []byte(petsDefinition), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := sdktest.AWSCLI(t, e.BaseURL, "apigatewayv2", "import-api", "--body", "file://"+definition)
	if err != nil {
		t.Fatalf("import-api: %v\n%s", err, stderr)
	}
	var imported struct {
		APIID              string `json:"ApiId"`
		Name, ProtocolType string
	}
	if err := json.Unmarshal([]byte(out), &imported); err != nil || imported.Name != "pets" || imported.ProtocolType != "HTTP" {
		t.Fatalf("import-api printed %s (%v)", out, err)
	}

	for _, outputType := range []string{"YAML", "JSON"} {
		exported := filepath.Join(dir, "exported."+strings.ToLower(outputType))
		if _, stderr, err := sdktest.AWSCLI(t, e.BaseURL, "apigatewayv2", "export-api", "--api-id", imported.APIID,
			"--output-type", outputType, "--specification", "OAS30", exported); err != nil {
			t.Fatalf("export-api %s: %v\n%s", outputType, err, stderr)
		}
		body, err := os.ReadFile(exported)
		if err != nil {
			t.Fatal(err)
		}
		requireEquivalent(t, petsDefinition, string(body))
	}

	changed := strings.Replace(petsDefinition, "timeoutInMillis: 10000", "timeoutInMillis: 20000", 2)
	if err := os.WriteFile(definition, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := sdktest.AWSCLI(t, e.BaseURL, "apigatewayv2", "reimport-api", "--api-id", imported.APIID, "--body", "file://"+definition); err != nil {
		t.Fatalf("reimport-api: %v\n%s", err, stderr)
	}
	exported := filepath.Join(dir, "reimported.json")
	if _, stderr, err := sdktest.AWSCLI(t, e.BaseURL, "apigatewayv2", "export-api", "--api-id", imported.APIID,
		"--output-type", "JSON", "--specification", "OAS30", exported); err != nil {
		t.Fatalf("export-api: %v\n%s", err, stderr)
	}
	body, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	requireEquivalent(t, changed, string(body))

	_, stderr, err = sdktest.AWSCLI(t, e.BaseURL, "apigatewayv2", "import-api", "--body", "file://"+definition, "--basepath", "sideways")
	if err == nil || !strings.Contains(stderr, "An error occurred (BadRequestException) when calling the ImportApi operation: Invalid basepath sideways") {
		t.Fatalf("import-api --basepath sideways: %v\n%s", err, stderr)
	}
}
