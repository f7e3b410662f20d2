// Package v1alpha1 holds the infra-operator API: APIGateway and AWSProvider.
// +kubebuilder:object:generate=true
// +groupName=aws-infra-operator.runner.codes
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of every kind in this package.
	GroupVersion = schema.GroupVersion{Group: "aws-infra-operator.runner.codes", Version: "v1alpha1"}

	// SchemeBuilder registers the kinds of this package with a scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the kinds of this package to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme

	// knownTypes are the kinds and lists of this package, which the init
	// functions of the *_types.go files register.
	knownTypes []runtime.Object
)

// register adds kinds and their lists to those AddToScheme registers.
func register(objects ...runtime.Object) {
	knownTypes = append(knownTypes, objects...)
}

// addKnownTypes registers every kind and list of this package, and the
// metav1 options and status kinds, under GroupVersion.
func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, knownTypes...)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
