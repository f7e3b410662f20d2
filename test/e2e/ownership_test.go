package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// The mistakes and races of "Trust and ownership", end to end: the built
// operator (two processes: one with a single worker and AWS's quotas, for
// the REST deletion case) against a real kube-apiserver and the emulator
// checking signatures, driven with kubectl and checked with the AWS CLI.
// (Tenants borrowing credentials and forging status are in security_test.go.)

const (
	ownershipAccount = "111122223333"
	// The AWS CLI helper's keys: the providers use them too, so that the
	// CLI sees the operator's account.
	cliAccessKey = "AKIAEMULATORTEST0001"
	cliSecretKey = "emulator-test-secret"
)

// ownershipNamespaces are watched by the main operator; slotsNamespace by
// the single-worker one.
var ownershipNamespaces = []string{"own-adopt", "own-move", "own-teardown", "own-home", "own-outsider", "own-flaky", "own-long"}

const slotsNamespace = "own-slots"

func TestOwnershipEndToEnd(t *testing.T) {
	kubeconfig := startKubeAPIServer(t, true)
	emulatorURL := startEmulator(t, "--credentials", cliAccessKey+":"+cliSecretKey+":"+ownershipAccount)
	startOperator(t, kubeconfig, "--namespaces", strings.Join(ownershipNamespaces, ","))
	startOperator(t, kubeconfig, "--namespaces", slotsNamespace, "--max-concurrent-reconciles", "1", "--quota-time-scale", "3")
	aws := newCLIEnv(t, emulatorURL)
	for _, ns := range append(ownershipNamespaces, slotsNamespace) {
		mustKubectl(t, kubeconfig, "", "create", "namespace", ns)
		if ns != "own-outsider" && ns != "own-flaky" {
			mustKubectl(t, kubeconfig, providerYAML(ns, "aws-provider", "us-east-1", emulatorURL), "apply", "-f", "-")
		}
	}
	k := kube{t: t, kubeconfig: kubeconfig}

	t.Run("adoption race has one winner", func(t *testing.T) {
		t.Parallel()
		k := k.with(t)
		id := cliField(aws.json(t, "apigatewayv2", "create-api", "--name", "unowned", "--protocol-type", "HTTP"), "ApiId").(string)
		k.apply(gatewayYAML("own-adopt", "first", "HTTP", map[string]string{"aws-infra-operator.runner.codes/adopt-api-id": id}) +
			"\n---\n" + gatewayYAML("own-adopt", "second", "HTTP", map[string]string{"aws-infra-operator.runner.codes/adopt-api-id": id}))
		var winner, loser string
		waitFor(t, 60*time.Second, "one adopter Ready and one Stalled", func() (bool, string) {
			winner, loser = "", ""
			for _, name := range []string{"first", "second"} {
				switch {
				case k.get("own-adopt", "apigateway/"+name, "{.status.apiId}") == id && k.get("own-adopt", "apigateway/"+name, "{.status.ready}") == "true":
					winner = name
				case k.get("own-adopt", "apigateway/"+name, `{.status.conditions[?(@.type=="Stalled")].reason}`) == "AdoptionFailed":
					loser = name
				}
			}
			return winner != "" && loser != "", fmt.Sprintf("winner %q, loser %q of API %s", winner, loser, id)
		})
		tags := aws.json(t, "apigatewayv2", "get-tags", "--resource-arn", "arn:aws:apigateway:us-east-1::/apis/"+id)
		cliExpectField(t, tags, k.get("own-adopt", "apigateway/"+winner, "{.metadata.uid}"), "Tags", "aws-infra-operator.runner.codes/owner-uid")
		k.run("delete", "apigateway", "-n", "own-adopt", loser, "--timeout=60s")
		aws.succeeds(t, "apigatewayv2", "get-api", "--api-id", id)
		k.run("delete", "apigateway", "-n", "own-adopt", winner, "--timeout=60s")
		aws.fails(t, "NotFoundException", "apigatewayv2", "get-api", "--api-id", id)
	})

	t.Run("region change moves the API", func(t *testing.T) {
		t.Parallel()
		k := k.with(t)
		k.apply(gatewayYAML("own-move", "mover", "HTTP", nil))
		k.wait("own-move", "apigateway/mover", "--for=jsonpath={.status.ready}=true")
		oldID := k.get("own-move", "apigateway/mover", "{.status.apiId}")
		k.run("patch", "awsprovider", "-n", "own-move", "aws-provider", "--type=merge", "-p", `{"spec":{"region":"eu-west-1"}}`)
		k.wait("own-move", "apigateway/mover", "--for=jsonpath={.status.scope.region}=eu-west-1")
		k.wait("own-move", "apigateway/mover", "--for=jsonpath={.status.ready}=true")
		newID := k.get("own-move", "apigateway/mover", "{.status.apiId}")
		aws.fails(t, "NotFoundException", "apigatewayv2", "get-api", "--api-id", oldID)
		aws.succeeds(t, "--region", "eu-west-1", "apigatewayv2", "get-api", "--api-id", newID)
		if events := k.run("get", "events", "-n", "own-move", "--field-selector", "reason=Moved", "-o", "name"); strings.TrimSpace(events) == "" {
			t.Error("no Moved event")
		}
		k.run("delete", "apigateway", "-n", "own-move", "mover", "--timeout=60s")
		aws.fails(t, "NotFoundException", "--region", "eu-west-1", "apigatewayv2", "get-api", "--api-id", newID)
	})

	t.Run("namespace teardown completes", func(t *testing.T) {
		t.Parallel()
		k := k.with(t)
		k.apply(gatewayYAML("own-teardown", "http", "HTTP", nil) + "\n---\n" + gatewayYAML("own-teardown", "rest", "REST", nil))
		k.wait("own-teardown", "apigateway", "--all", "--for=jsonpath={.status.ready}=true")
		ids := []string{k.get("own-teardown", "apigateway/http", "{.status.apiId}"), k.get("own-teardown", "apigateway/rest", "{.status.apiId}")}
		k.wait("own-teardown", "secret/aws-provider-credentials", "--for=jsonpath={.metadata.finalizers[0]}=aws-infra-operator.runner.codes/credentials-in-use")
		// What the namespace controller does: delete everything at once,
		// the Secret first.
		k.run("delete", "secret,awsprovider,apigateway", "--all", "-n", "own-teardown", "--wait=false")
		k.wait("own-teardown", "secret,awsprovider,apigateway", "--all", "--for=delete")
		aws.fails(t, "NotFoundException", "apigatewayv2", "get-api", "--api-id", ids[0])
		aws.fails(t, "NotFoundException", "apigateway", "get-rest-api", "--rest-api-id", ids[1])
	})

	t.Run("refused reference is no dependent", func(t *testing.T) {
		t.Parallel()
		k := k.with(t)
		outsider := strings.Replace(gatewayYAML("own-outsider", "outsider", "HTTP", nil), "name: aws-provider", "name: aws-provider\n    namespace: own-home", 1)
		k.apply(outsider)
		k.wait("own-outsider", "apigateway/outsider", "--for=jsonpath={.status.conditions[?(@.type==\"Stalled\")].reason}=ProviderNotAllowed")
		if inUse := k.get("own-home", "awsprovider/aws-provider", `{.status.conditions[?(@.type=="InUse")]}`); strings.Contains(inUse, "own-outsider") || !strings.Contains(inUse, `"status":"False"`) {
			t.Fatalf("the provider counts or names the refused outsider: %s", inUse)
		}
		k.run("delete", "awsprovider", "-n", "own-home", "aws-provider", "--timeout=60s")
	})

	t.Run("a repeating failure makes one event", func(t *testing.T) {
		t.Parallel()
		k := k.with(t)
		failing := testenv.NewFailingAWS(t)
		k.apply(providerYAML("own-flaky", "flaky", "us-east-1", failing.URL))
		waitFor(t, 90*time.Second, "five failing passes", func() (bool, string) {
			n := failing.Requests()
			return n >= 5, fmt.Sprintf("%d so far", n)
		})
		events := k.run("get", "events", "-n", "own-flaky", "--field-selector", "reason=AWSUnavailable,involvedObject.name=flaky", "-o", "name")
		if n := len(strings.Fields(events)); n != 1 {
			t.Fatalf("%d failing passes made %d AWSUnavailable events, want 1:\n%s", failing.Requests(), n, events)
		}
		if message := k.get("own-flaky", "awsprovider/flaky", `{.status.conditions[?(@.type=="Ready")].message}`); strings.Contains(message, "req-") {
			t.Fatalf("the condition carries a request id: %q", message)
		}
	})

	t.Run("the longest name is created", func(t *testing.T) {
		t.Parallel()
		k := k.with(t)
		name := strings.Repeat("n", 253)
		k.apply(strings.Replace(gatewayYAML("own-long", name, "HTTP", nil), "  name: "+name+"-api", "  name: longest", 1))
		k.wait("own-long", "apigateway/"+name, "--for=jsonpath={.status.ready}=true")
		id := k.get("own-long", "apigateway/"+name, "{.status.apiId}")
		tags := aws.json(t, "apigatewayv2", "get-tags", "--resource-arn", "arn:aws:apigateway:us-east-1::/apis/"+id)
		hint, _ := cliField(tags, "Tags", "aws-infra-operator.runner.codes/owner").(string)
		if len(hint) > 256 || !strings.HasPrefix(hint, "own-long/nnnn") {
			t.Fatalf("owner hint %q (%d characters)", hint, len(hint))
		}
	})

	t.Run("REST deletions hold no worker", func(t *testing.T) {
		t.Parallel()
		k := k.with(t)
		var docs []string
		for i := range 3 {
			docs = append(docs, gatewayYAML(slotsNamespace, fmt.Sprint("rest-", i), "REST", nil))
		}
		k.apply(strings.Join(docs, "\n---\n"))
		k.wait(slotsNamespace, "apigateway", "--all", "--for=jsonpath={.status.ready}=true")
		k.run("delete", "apigateway", "--all", "-n", slotsNamespace, "--wait=false")
		waitFor(t, 60*time.Second, "a REST deletion waiting for its slot", func() (bool, string) {
			all := k.run("get", "apigateway", "-n", slotsNamespace, "-o", "json")
			return strings.Contains(all, "DeleteRestApi slot"), "none says it waits"
		})
		k.apply(gatewayYAML(slotsNamespace, "http-meanwhile", "HTTP", nil))
		k.wait(slotsNamespace, "apigateway/http-meanwhile", "--for=jsonpath={.status.ready}=true")
		var pending []string
		for i := range 3 {
			if _, ok := kubectl(t, kubeconfig, "", "get", "apigateway", "-n", slotsNamespace, fmt.Sprint("rest-", i)); ok {
				pending = append(pending, fmt.Sprint("rest-", i))
			}
		}
		// The second and third deletions leave 10 and 20 s after the first.
		if len(pending) < 2 {
			t.Fatalf("the HTTP API became ready only after the REST deletions (pending: %v): they held the only worker", pending)
		}
	})
}

// kube runs kubectl for one test against one API server.
type kube struct {
	t          *testing.T
	kubeconfig string
}

func (k kube) with(t *testing.T) kube { return kube{t: t, kubeconfig: k.kubeconfig} }

func (k kube) run(args ...string) string {
	k.t.Helper()
	return mustKubectl(k.t, k.kubeconfig, "", args...)
}

func (k kube) apply(yaml string) {
	k.t.Helper()
	mustKubectl(k.t, k.kubeconfig, yaml, "apply", "-f", "-")
}

// get returns a jsonpath of one object.
func (k kube) get(namespace, object, path string) string {
	k.t.Helper()
	return strings.TrimSpace(jsonpath(k.t, k.kubeconfig, path, "-n", namespace, object))
}

func (k kube) wait(namespace string, objectAndCondition ...string) {
	k.t.Helper()
	args := append([]string{"wait", "-n", namespace, "--timeout=90s"}, objectAndCondition...)
	if output, ok := kubectl(k.t, k.kubeconfig, "", args...); !ok {
		all, _ := kubectl(k.t, k.kubeconfig, "", "get", "apigateways,awsproviders", "-n", namespace, "-o", "yaml")
		k.t.Fatalf("kubectl %s:\n%s\n%s", strings.Join(args, " "), output, all)
	}
}

func providerYAML(namespace, name, region, endpoint string) string {
	return `apiVersion: v1
kind: Secret
metadata: {name: ` + name + `-credentials, namespace: ` + namespace + `}
stringData: {AWS_ACCESS_KEY_ID: ` + cliAccessKey + `, AWS_SECRET_ACCESS_KEY: ` + cliSecretKey + `}
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata: {name: ` + name + `, namespace: ` + namespace + `}
spec:
  region: ` + region + `
  endpoint: ` + endpoint + `
  credentialsSecret: {name: ` + name + `-credentials}`
}

func gatewayYAML(namespace, name, protocol string, annotations map[string]string) string {
	meta, _ := json.Marshal(map[string]any{"name": name, "namespace": namespace, "annotations": annotations})
	return `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: APIGateway
metadata: ` + string(meta) + `
spec:
  providerRef:
    name: aws-provider
  name: ` + name + `-api
  protocolType: ` + protocol + `
  endpointType: REGIONAL`
}
