package v1alpha1_test

import (
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"

	v1alpha1 "github.com/runner-codes/infra-operator/api/v1alpha1"
)

// AddToScheme registers every kind and list of the package, and the metav1
// kinds (the options and WatchEvent) of its group version; nothing else.
func TestAddToSchemeRegistersEveryKind(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for kind := range scheme.KnownTypes(v1alpha1.GroupVersion) {
		kinds = append(kinds, kind)
	}
	slices.Sort(kinds)
	want := []string{
		"APIGateway", "APIGatewayList",
		"APIGatewayDomainName", "APIGatewayDomainNameList",
		"APIGatewayVPCLink", "APIGatewayVPCLinkList",
		"APIGatewayUsagePlan", "APIGatewayUsagePlanList",
		"APIGatewayAPIKey", "APIGatewayAPIKeyList",
		"AWSProvider", "AWSProviderList",
		"ClusterAWSProvider", "ClusterAWSProviderList",
		"CreateOptions", "DeleteOptions", "GetOptions", "ListOptions",
		"PatchOptions", "UpdateOptions", "WatchEvent",
	}
	slices.Sort(want)
	if !slices.Equal(kinds, want) {
		t.Errorf("kinds = %v\nwant %v", kinds, want)
	}
	gvks, _, err := scheme.ObjectKinds(&v1alpha1.ClusterAWSProviderList{})
	if err != nil || len(gvks) != 1 || gvks[0] != v1alpha1.GroupVersion.WithKind("ClusterAWSProviderList") {
		t.Errorf("ObjectKinds(ClusterAWSProviderList) = %v, %v", gvks, err)
	}
}
