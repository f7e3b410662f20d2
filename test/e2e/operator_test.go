package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/runner-codes/infra-operator/internal/local"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

// TestOperatorAppliesTheSeedExamples is the user's path end to end: the built
// infra-operator binary runs against a real kube-apiserver and the emulator
// process; the seed page's YAML (config/samples) is applied with kubectl; the
// result is read back with kubectl and with the AWS CLI.
func TestOperatorAppliesTheSeedExamples(t *testing.T) {
	kubeconfig := startKubeAPIServer(t, true)
	// The serving samples name these functions; the operator grants API
	// Gateway the right to invoke them, which needs them to exist.
	var functions []string
	for _, name := range local.SampleFunctions {
		functions = append(functions, "--lambda-function", name)
	}
	emulatorURL := startEmulator(t, functions...)
	startOperator(t, kubeconfig)
	aws := newCLIEnv(t, emulatorURL)

	mustKubectl(t, kubeconfig, "", "create", "namespace", "production")
	mustKubectl(t, kubeconfig, providersFor(emulatorURL), "apply", "-f", "-")

	samples := sampleFiles(t)
	refused := map[string]string{
		"private-api":      "endpointType EDGE and PRIVATE exist only for protocolType: REST",
		"cors-enabled-api": "allowCredentials: true cannot be combined with allowOrigins \"*\"",
	}
	for _, file := range samples {
		output, ok := kubectl(t, kubeconfig, "", "apply", "-f", file)
		name := refusedSampleName(file, refused)
		switch {
		case name != "" && ok:
			t.Errorf("%s: the API server accepted an example AWS cannot honour:\n%s", file, output)
		case name != "" && !strings.Contains(output, refused[name]):
			t.Errorf("%s: refused, but without saying why (want %q):\n%s", file, refused[name], output)
		case name == "" && !ok:
			t.Errorf("%s: a seed example was refused:\n%s", file, output)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	waitOutput, ok := kubectl(t, kubeconfig, "", "wait", "apigateways", "--all", "--all-namespaces",
		"--for=jsonpath={.status.ready}=true", "--timeout=120s")
	if !ok {
		all, _ := kubectl(t, kubeconfig, "", "get", "apigateways", "-A", "-o", "yaml")
		t.Fatalf("APIGateways did not become ready:\n%s\n%s", waitOutput, all)
	}

	table := mustKubectl(t, kubeconfig, "", "get", "apigw", "-A")
	for _, column := range []string{"PROTOCOL", "READY", "API-ID", "ENDPOINT", "AGE"} {
		if !strings.Contains(strings.SplitN(table, "\n", 2)[0], column) {
			t.Errorf("kubectl get apigw has no %s column:\n%s", column, table)
		}
	}

	// Every object's API exists in AWS under the id its status reports.
	gateways := listGateways(t, kubeconfig)
	if want := servedSampleGateways(t, "private-api", "cors-enabled-api"); len(gateways) != want {
		t.Fatalf("want the %d APIGateways of config/samples but the 2 refused examples, got %d: %v", want, len(gateways), gateways)
	}
	for _, gw := range gateways {
		region := "us-east-1"
		if gw.Provider == "aws-provider-eu-west-1" {
			region = "eu-west-1"
		}
		if gw.Protocol == "REST" {
			api := aws.json(t, "--region", region, "apigateway", "get-rest-api", "--rest-api-id", gw.APIID)
			cliExpectField(t, api, gw.Name, "name")
		} else {
			api := aws.json(t, "--region", region, "apigatewayv2", "get-api", "--api-id", gw.APIID)
			cliExpectField(t, api, gw.Name, "Name")
			cliExpectField(t, api, gw.Protocol, "ProtocolType")
		}
	}

	// The production example keeps its tags and CORS origins in AWS.
	production := findGateway(t, gateways, "production", "production-api")
	api := aws.json(t, "apigatewayv2", "get-api", "--api-id", production.APIID)
	cliExpectField(t, api, "platform", "Tags", "Team")
	origins, _ := cliField(api, "CorsConfiguration", "AllowOrigins").([]any)
	if len(origins) != 2 {
		t.Errorf("production-api CORS origins in AWS: %v", origins)
	}

	// Delete (the default policy) removes the API from AWS; Retain keeps it.
	myAPI := findGateway(t, gateways, "default", "my-api")
	mustKubectl(t, kubeconfig, "", "delete", "apigateway", "my-api", "--timeout=60s")
	aws.fails(t, "NotFoundException", "apigateway", "get-rest-api", "--rest-api-id", myAPI.APIID)
	mustKubectl(t, kubeconfig, "", "delete", "apigateway", "-n", "production", "production-api", "--timeout=60s")
	aws.succeeds(t, "apigatewayv2", "get-api", "--api-id", production.APIID)
}

// startOperator runs `infra-operator run` against the API server until the
// test ends, with extra run flags if any. AWS credentials come from the
// providers' Secret, not from here.
func startOperator(t *testing.T, kubeconfig string, extraArgs ...string) {
	t.Helper()
	args := append([]string{"run", "--kubeconfig", kubeconfig,
		"--metrics-bind-address", "0", "--health-probe-bind-address", "127.0.0.1:" + freePort(t),
		"--resync-period", "10s"}, extraArgs...)
	cmd := exec.Command(infraOperatorBinary(t), args...)
	var output lockedBuffer
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.Env = append(os.Environ(), "AWS_EC2_METADATA_DISABLED=true")
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the operator: %v", err)
	}
	t.Cleanup(func() {
		stopProcess(cmd)
		if t.Failed() {
			t.Logf("operator output:\n%s", output.String())
		}
	})
}

// providersFor returns the AWSProviders the seed examples reference, all
// pointing at the emulator, with their credentials in a Secret.
func providersFor(endpoint string) string {
	var docs []string
	for _, p := range []struct{ namespace, name, region string }{
		{"default", "aws-provider", "us-east-1"},
		{"production", "aws-provider", "us-east-1"},
		{"production", "aws-provider-us-east-1", "us-east-1"},
		{"production", "aws-provider-eu-west-1", "eu-west-1"},
	} {
		docs = append(docs, `apiVersion: v1
kind: Secret
metadata: {name: `+p.name+`-credentials, namespace: `+p.namespace+`}
stringData: {AWS_ACCESS_KEY_ID: AKIAE2ETEST, AWS_SECRET_ACCESS_KEY: e2e-secret}
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata: {name: `+p.name+`, namespace: `+p.namespace+`}
spec:
  region: `+p.region+`
  endpoint: `+endpoint+`
  credentialsSecret: {name: `+p.name+`-credentials}
  defaultTags: {managed-by: infra-operator}`)
	}
	return strings.Join(docs, "\n---\n")
}

// sampleFiles lists config/samples, which holds every example of the seed page.
func sampleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in config/samples: %v", err)
	}
	slices.Sort(files)
	return files
}

// refusedSampleName returns the name of the refused example a sample file
// holds, or "" when it holds none.
func refusedSampleName(file string, refused map[string]string) string {
	content, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	for name := range refused {
		if strings.Contains(string(content), "name: "+name+"\n") {
			return name
		}
	}
	return ""
}

// gatewaySummary is what the e2e checks need of one APIGateway.
type gatewaySummary struct {
	Object   string // namespace/name
	Name     string // the API's name in AWS
	Provider string
	Protocol string
	APIID    string
}

func listGateways(t *testing.T, kubeconfig string) []gatewaySummary {
	t.Helper()
	var list struct {
		Items []struct {
			Metadata struct{ Namespace, Name string }
			Spec     struct {
				Name        string
				ProviderRef struct{ Name string }
			}
			Status struct {
				APIID        string `json:"apiId"`
				ProtocolType string
				Ready        bool
			}
		}
	}
	output := mustKubectl(t, kubeconfig, "", "get", "apigateways", "-A", "-o", "json")
	if err := json.Unmarshal([]byte(output), &list); err != nil {
		t.Fatalf("decoding kubectl output: %v", err)
	}
	var gateways []gatewaySummary
	for _, item := range list.Items {
		if item.Status.APIID == "" || !item.Status.Ready {
			t.Errorf("%s/%s: ready %v, apiId %q", item.Metadata.Namespace, item.Metadata.Name, item.Status.Ready, item.Status.APIID)
		}
		gateways = append(gateways, gatewaySummary{
			Object:   item.Metadata.Namespace + "/" + item.Metadata.Name,
			Name:     item.Spec.Name,
			Provider: item.Spec.ProviderRef.Name,
			Protocol: item.Status.ProtocolType,
			APIID:    item.Status.APIID,
		})
	}
	return gateways
}

func findGateway(t *testing.T, gateways []gatewaySummary, namespace, name string) gatewaySummary {
	t.Helper()
	for _, gw := range gateways {
		if gw.Object == namespace+"/"+name {
			return gw
		}
	}
	t.Fatalf("no APIGateway %s/%s among %v", namespace, name, gateways)
	return gatewaySummary{}
}

// servedSampleGateways counts the APIGateway objects of config/samples that
// the API server accepts: every one but the refused examples. The operator
// must make each of them Ready, so adding a sample raises the count.
func servedSampleGateways(t *testing.T, refused ...string) int {
	t.Helper()
	count := 0
	for _, file := range sampleFiles(t) {
		content, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range strings.Split(string(content), "\n---\n") {
			var head struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Name string `json:"name"`
				} `json:"metadata"`
			}
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if head.Kind == "APIGateway" && !slices.Contains(refused, head.Metadata.Name) {
				count++
			}
		}
	}
	return count
}
