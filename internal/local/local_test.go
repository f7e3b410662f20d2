package local

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/config/samples"
)

func TestRegionFromName(t *testing.T) {
	for name, want := range map[string]string{
		"aws-provider":           "us-east-1",
		"aws-provider-us-east-1": "us-east-1",
		"aws-provider-eu-west-1": "eu-west-1",
		"my-provider-eu-west-1":  "eu-west-1", // "my" is two letters too, but not part of the region
		"gov-us-gov-west-1":      "us-gov-west-1",
		"ap-southeast-2":         "ap-southeast-2",
		"provider-1":             "us-east-1",
		"east-1":                 "us-east-1",
	} {
		if got := regionFromName(name); got != want {
			t.Errorf("regionFromName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestNeededProvidersFromTheSeedExamples(t *testing.T) {
	manifests, err := readManifests(samples.Examples)
	if err != nil {
		t.Fatal(err)
	}
	objects := objectsOf(manifests)
	for _, object := range objects {
		if object.GetNamespace() == "" {
			object.SetNamespace("default") // as defaultNamespaces does against a server
		}
	}
	var got []string
	for _, need := range neededProviders(objects) {
		got = append(got, need.key.String())
	}
	slices.Sort(got)
	want := []string{"default/aws-provider", "production/aws-provider", "production/aws-provider-eu-west-1", "production/aws-provider-us-east-1"}
	if !slices.Equal(got, want) {
		t.Errorf("providers the seed examples need: %v, want %v", got, want)
	}
}

func TestNeededProvidersAcrossNamespacesAndDefinedOnes(t *testing.T) {
	objects := []*unstructured.Unstructured{
		gatewayObject("team-a", "api", map[string]any{"name": "shared", "namespace": "infra"}),
		gatewayObject("team-b", "api", map[string]any{"name": "shared", "namespace": "infra"}),
		gatewayObject("infra", "own", map[string]any{"name": "shared"}),
		gatewayObject("team-a", "other", map[string]any{"name": "mine"}),
		providerObject("team-a", "mine"),
	}
	needs := neededProviders(objects)
	if len(needs) != 2 {
		t.Fatalf("want 2 providers, got %d: %+v", len(needs), needs)
	}
	shared, mine := needs[0], needs[1]
	if shared.key != (client.ObjectKey{Namespace: "infra", Name: "shared"}) || !slices.Equal(shared.fromOthers, []string{"team-a", "team-b"}) || shared.definedHere {
		t.Errorf("shared provider: %+v", shared)
	}
	if mine.key != (client.ObjectKey{Namespace: "team-a", Name: "mine"}) || !mine.definedHere {
		t.Errorf("a provider among the applied objects must not be created: %+v", mine)
	}
}

func TestReadManifestPathsReadsFilesAndDirectories(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("b.yaml", "# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n")
	write("a.yml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a2}\n")
	single := write("c.txt", `{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "c"}}`)

	manifests, err := readManifestPaths([]string{dir, single})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range manifests {
		names = append(names, m.object.GetName()+"@"+filepath.Base(m.source))
	}
	want := []string{"a@a.yml", "a2@a.yml", "b@b.yaml", "c@c.txt"}
	if !slices.Equal(names, want) {
		t.Errorf("read %v, want %v", names, want)
	}

	if _, err := readManifestPaths([]string{write("bad.yaml", "metadata: {name: x}\n")}); err == nil || !strings.Contains(err.Error(), "without apiVersion or kind") {
		t.Errorf("an object without kind: err = %v", err)
	}
}

func TestGatewayTableShowsStatusSortedAndFallsBackToSpec(t *testing.T) {
	table := gatewayTable([]v1alpha1.APIGateway{
		{ObjectMeta: metav1.ObjectMeta{Namespace: "production", Name: "b"},
			Spec: v1alpha1.APIGatewaySpec{ProtocolType: "HTTP"}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "a"},
			Status: v1alpha1.APIGatewayStatus{ManagedStatus: v1alpha1.ManagedStatus{ReconcileStatus: v1alpha1.ReconcileStatus{Ready: true}}, APIID: "abc123", ProtocolType: "REST", APIEndpoint: "http://abc123.execute-api.localhost:4566"}},
	})
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and 2 rows:\n%s", table)
	}
	for i, want := range [][]string{
		{"NAMESPACE", "NAME", "PROTOCOL", "READY", "API-ID", "ENDPOINT"},
		{"default", "a", "REST", "true", "abc123", "http://abc123.execute-api.localhost:4566"},
		{"production", "b", "HTTP", "false", "-", "-"},
	} {
		if got := strings.Fields(lines[i]); !slices.Equal(got, want) {
			t.Errorf("line %d = %v, want %v", i, got, want)
		}
	}
}

func gatewayObject(namespace, name string, providerRef map[string]any) *unstructured.Unstructured {
	object := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{"providerRef": providerRef}}}
	object.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind("APIGateway"))
	object.SetNamespace(namespace)
	object.SetName(name)
	return object
}

func providerObject(namespace, name string) *unstructured.Unstructured {
	object := &unstructured.Unstructured{Object: map[string]any{}}
	object.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind("AWSProvider"))
	object.SetNamespace(namespace)
	object.SetName(name)
	return object
}
