package controller

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The Secret cache keeps the credentials the operator reads and nothing else
// of any Secret, whatever it holds.
func TestSecretCacheKeepsOnlyCredentials(t *testing.T) {
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{
			Name: "aws", Namespace: "default",
			Annotations:   map[string]string{"kubectl.kubernetes.io/last-applied-configuration": `{"data":{"tls.key":"..."}}`},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl"}},
		},
		Data: map[string][]byte{
			"AWS_ACCESS_KEY_ID":     []byte("AKIA"),
			"AWS_SECRET_ACCESS_KEY": []byte("secret"),
			"AWS_SESSION_TOKEN":     []byte("token"),
			"tls.key":               []byte("unrelated"),
		},
	}
	transformed, err := credentialsOnly(secret)
	if err != nil {
		t.Fatal(err)
	}
	kept := transformed.(*corev1.Secret)
	want := map[string][]byte{"AWS_ACCESS_KEY_ID": []byte("AKIA"), "AWS_SECRET_ACCESS_KEY": []byte("secret"), "AWS_SESSION_TOKEN": []byte("token")}
	if !reflect.DeepEqual(kept.Data, want) {
		t.Errorf("cached data %q, want only the credentials %q", kept.Data, want)
	}
	if kept.Annotations != nil || kept.ManagedFields != nil {
		t.Errorf("annotations %v and managedFields %v were kept", kept.Annotations, kept.ManagedFields)
	}
	if kept.Name != "aws" || kept.Namespace != "default" {
		t.Errorf("the Secret lost its name: %s/%s", kept.Namespace, kept.Name)
	}
}
