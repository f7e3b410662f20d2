package local

import (
	"context"
	"fmt"
	"io"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// fieldManager owns the fields this command applies (server-side apply), so
// that applying the same files on every start changes nothing.
const fieldManager = "infra-operator-local"

// applyManifests makes sure the namespaces and providers the objects need
// exist, then applies each object. An object the API server refuses is
// reported on out with the server's message, and the others still go on;
// the error is for failures that are not about one object.
func applyManifests(ctx context.Context, c client.Client, manifests []manifest, endpoint string, out io.Writer) error {
	defaultNamespaces(c, manifests)
	var namespaces []string
	for _, m := range manifests {
		if ns := m.object.GetNamespace(); ns != "" && !slices.Contains(namespaces, ns) {
			namespaces = append(namespaces, ns)
		}
	}
	if err := ensureNamespaces(ctx, c, namespaces); err != nil {
		return err
	}
	for _, need := range neededProviders(objectsOf(manifests)) {
		created, err := ensureProvider(ctx, c, need, endpoint)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintf(out, "created AWSProvider %s (region %s, endpoint %s)\n", need.key, regionFromName(need.key.Name), endpoint)
		}
	}
	for _, m := range manifests {
		err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(m.object), client.FieldOwner(fieldManager), client.ForceOwnership)
		if err != nil {
			fmt.Fprintf(out, "refused %s %s (%s): %v\n", m.object.GetKind(), describe(m), m.source, err)
			continue
		}
		fmt.Fprintf(out, "applied %s %s\n", m.object.GetKind(), describe(m))
	}
	return nil
}

// defaultNamespaces puts objects of namespaced kinds without a namespace in
// "default", as kubectl does. Kinds the server does not know keep none, and
// their apply reports why.
func defaultNamespaces(c client.Client, manifests []manifest) {
	for _, m := range manifests {
		if m.object.GetNamespace() != "" {
			continue
		}
		if namespaced, err := c.IsObjectNamespaced(m.object); err == nil && namespaced {
			m.object.SetNamespace("default")
		}
	}
}

func objectsOf(manifests []manifest) []*unstructured.Unstructured {
	objects := make([]*unstructured.Unstructured, 0, len(manifests))
	for _, m := range manifests {
		objects = append(objects, m.object)
	}
	return objects
}

func describe(m manifest) string {
	if ns := m.object.GetNamespace(); ns != "" {
		return ns + "/" + m.object.GetName()
	}
	return m.object.GetName()
}
