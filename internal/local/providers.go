package local

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

const (
	// defaultRegion is the region of a provider whose name does not end in one.
	defaultRegion = "us-east-1"
	// credentialsSecretName holds the static test keys of the providers this
	// command creates, one Secret a namespace. The emulator accepts any key.
	credentialsSecretName = "infra-operator-local-credentials"
)

// regionShape is AWS's region naming: us-east-1, eu-central-2, us-gov-west-1.
var regionShape = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// regionFromName returns the region a provider's name ends with
// (aws-provider-eu-west-1 → eu-west-1), or us-east-1. The shortest
// region-shaped suffix wins, so a name's own words never join the region.
func regionFromName(name string) string {
	words := strings.Split(name, "-")
	for n := 3; n <= 4 && n <= len(words); n++ {
		if suffix := strings.Join(words[len(words)-n:], "-"); regionShape.MatchString(suffix) {
			return suffix
		}
	}
	return defaultRegion
}

// providerNeed is an AWSProvider the applied objects reference, and the other
// namespaces whose APIGateways reach it.
type providerNeed struct {
	key         client.ObjectKey
	fromOthers  []string
	definedHere bool // the applied objects define it themselves
}

// neededProviders lists the providers the APIGateways among objects
// reference, in order of first reference. Objects must have their namespace
// set already.
func neededProviders(objects []*unstructured.Unstructured) []*providerNeed {
	var needs []*providerNeed
	find := func(key client.ObjectKey) *providerNeed {
		for _, need := range needs {
			if need.key == key {
				return need
			}
		}
		need := &providerNeed{key: key}
		needs = append(needs, need)
		return need
	}
	for _, object := range objects {
		switch object.GroupVersionKind().GroupKind() {
		case v1alpha1.GroupVersion.WithKind("AWSProvider").GroupKind():
			find(client.ObjectKeyFromObject(object)).definedHere = true
		case v1alpha1.GroupVersion.WithKind("APIGateway").GroupKind():
			name, _, _ := unstructured.NestedString(object.Object, "spec", "providerRef", "name")
			namespace, _, _ := unstructured.NestedString(object.Object, "spec", "providerRef", "namespace")
			if name == "" {
				continue // the API server will say what is wrong
			}
			if namespace == "" {
				namespace = object.GetNamespace()
			}
			need := find(client.ObjectKey{Namespace: namespace, Name: name})
			if namespace != object.GetNamespace() && !slices.Contains(need.fromOthers, object.GetNamespace()) {
				need.fromOthers = append(need.fromOthers, object.GetNamespace())
			}
		}
	}
	return needs
}

// ensureNamespaces creates the namespaces that do not exist yet.
func ensureNamespaces(ctx context.Context, c client.Client, names []string) error {
	for _, name := range names {
		namespace := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
		if err := c.Create(ctx, namespace); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating namespace %s: %w", name, err)
		}
	}
	return nil
}

// ensureProvider creates a provider pointing at endpoint, with test
// credentials, unless it exists or the applied objects define it. It
// reports whether it created one.
func ensureProvider(ctx context.Context, c client.Client, need *providerNeed, endpoint string) (bool, error) {
	if need.definedHere {
		return false, nil
	}
	existing := &v1alpha1.AWSProvider{}
	err := c.Get(ctx, need.key, existing)
	if err == nil {
		return false, nil
	}
	if !apierrors.IsNotFound(err) {
		return false, err
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: credentialsSecretName, Namespace: need.key.Namespace},
		StringData: map[string]string{"AWS_ACCESS_KEY_ID": "AKIALOCALTEST", "AWS_SECRET_ACCESS_KEY": "local-test-secret"},
	}
	if err := c.Create(ctx, secret); err != nil && !apierrors.IsAlreadyExists(err) {
		return false, fmt.Errorf("creating the credentials Secret in %s: %w", need.key.Namespace, err)
	}
	provider := &v1alpha1.AWSProvider{
		ObjectMeta: metav1.ObjectMeta{Name: need.key.Name, Namespace: need.key.Namespace},
		Spec: v1alpha1.AWSProviderSpec{
			AWSConnection:     v1alpha1.AWSConnection{Region: regionFromName(need.key.Name), Endpoint: endpoint},
			CredentialsSecret: &v1alpha1.SecretReference{Name: credentialsSecretName},
			AllowedNamespaces: need.fromOthers,
		},
	}
	if err := c.Create(ctx, provider); err != nil {
		return false, fmt.Errorf("creating AWSProvider %s: %w", need.key, err)
	}
	return true, nil
}
