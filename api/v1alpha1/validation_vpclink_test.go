package v1alpha1_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1alpha1 "github.com/runner-codes/infra-operator/api/v1alpha1"
)

const (
	msgLinkV2Fields  = "a V2 VPC link (HTTP APIs) needs subnetIDs (and optionally securityGroupIDs); targetARNs and description belong to V1 links: remove them, or set type: V1"
	msgLinkV1Fields  = "a V1 VPC link (REST and WEBSOCKET APIs) needs targetARNs (the Network Load Balancer's ARN); subnetIDs and securityGroupIDs belong to V2 links: remove them, or set type: V2"
	msgLinkTypeImm   = "type is immutable: a V1 and a V2 VPC link are different AWS resources serving different APIs; create another APIGatewayVPCLink instead"
	msgSubnetID      = "subnetIDs entries must be subnet ids such as subnet-0123456789abcdef0; fix the entry"
	msgSubnetTwice   = "subnetIDs lists a subnet twice; remove the duplicate"
	msgGroupID       = "securityGroupIDs entries must be security group ids such as sg-0123456789abcdef0; fix the entry"
	msgGroupTwice    = "securityGroupIDs lists a security group twice; remove the duplicate"
	msgTargetARN     = "targetARNs must hold the ARN of one Network Load Balancer (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID); an ALB or a listener cannot be the target of a V1 link"
	msgLinkRefNS     = "vpcLinkRef.namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
	testSubnet       = "subnet-0123456789abcdef0"
	testNLB          = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders/0123456789abcdef"
	testListenerARN  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef"
	linkIntegrations = "spec.integrations[0].vpcLink.vpcLinkRef.namespace"
)

// vpcLink is a valid V2 link in namespace default, changed by mut.
func vpcLink(mut func(*v1alpha1.APIGatewayVPCLinkSpec)) *v1alpha1.APIGatewayVPCLink {
	l := &v1alpha1.APIGatewayVPCLink{
		ObjectMeta: metav1.ObjectMeta{Name: "link", Namespace: "default"},
		Spec: v1alpha1.APIGatewayVPCLinkSpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws"},
			Name:        "shop", SubnetIDs: []string{testSubnet},
		},
	}
	if mut != nil {
		mut(&l.Spec)
	}
	return l
}

func v1Link(mut func(*v1alpha1.APIGatewayVPCLinkSpec)) *v1alpha1.APIGatewayVPCLink {
	return vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) {
		s.Type, s.SubnetIDs, s.TargetARNs = v1alpha1.VPCLinkV1, nil, []string{testNLB}
		if mut != nil {
			mut(s)
		}
	})
}

func TestAPIGatewayVPCLink(t *testing.T) {
	cases := []admissionCase{
		{"V2 with subnets and groups", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SecurityGroupIDs = []string{"sg-0123abcd"} }), nil},
		{"V2 by default", vpcLink(nil), nil},
		{"V2 without subnets", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SubnetIDs = nil }), refused("spec", msgLinkV2Fields)},
		{"V2 with a target", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.TargetARNs = []string{testNLB} }), refused("spec", msgLinkV2Fields)},
		{"V2 with a description", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Description = "x" }), refused("spec", msgLinkV2Fields)},
		{"V1 with an NLB", v1Link(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Description = "orders" }), nil},
		{"V1 without a target", v1Link(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.TargetARNs = nil }), refused("spec", msgLinkV1Fields)},
		{"V1 with subnets", v1Link(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SubnetIDs = []string{testSubnet} }), refused("spec", msgLinkV1Fields)},
		{"V1 with groups", v1Link(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SecurityGroupIDs = []string{"sg-0123abcd"} }), refused("spec", msgLinkV1Fields)},
		{"V1 with an ALB", v1Link(func(s *v1alpha1.APIGatewayVPCLinkSpec) {
			s.TargetARNs = []string{strings.Replace(testNLB, "/net/", "/app/", 1)}
		}), refused("spec.targetARNs", msgTargetARN)},
		{"V1 with two targets", v1Link(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.TargetARNs = []string{testNLB, testNLB + "0"} }),
			refused("spec.targetARNs", "Too many: 2: must have at most 1 item")},
		{"subnet id of 8", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SubnetIDs = []string{"subnet-0123abcd"} }), nil},
		{"subnet id misspelt", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SubnetIDs = []string{"subnet_0123abcd"} }), refused("spec.subnetIDs", msgSubnetID)},
		{"subnet twice", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SubnetIDs = []string{testSubnet, testSubnet} }), refused("spec.subnetIDs", msgSubnetTwice)},
		{"group id misspelt", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SecurityGroupIDs = []string{"sg-XYZ"} }), refused("spec.securityGroupIDs", msgGroupID)},
		{"group twice", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.SecurityGroupIDs = []string{"sg-0123abcd", "sg-0123abcd"} }),
			refused("spec.securityGroupIDs", msgGroupTwice)},
		{"name with a newline", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Name = "a\nb" }), refused("spec.name", msgNameControl)},
		{"description with a tab", v1Link(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Description = "a\tb" }), refused("spec.description", msgDescControl)},
		{"tag aws:", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Tags = map[string]string{"aws:x": "y"} }), refused("spec.tags", msgTagReserved)},
		{"tag key with *", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Tags = map[string]string{"a*b": "y"} }), refused("spec.tags", msgTagCharset)},
		{"tag value of 257", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Tags = map[string]string{"k": strings.Repeat("v", 257)} }), refused("spec.tags", msgTagSize)},
		{"49 tags", vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.Tags = nTags(49) }), refused("spec.tags", msgTooManyTags)},
	}
	cases = append(cases, allowedNamespacesCases(func(ns []string) client.Object {
		return vpcLink(func(s *v1alpha1.APIGatewayVPCLinkSpec) { s.AllowedNamespaces = ns })
	})...)
	runCases(t, cases)
}

func TestAPIGatewayVPCLinkTypeIsImmutable(t *testing.T) {
	ctx := context.Background()
	l := vpcLink(nil)
	l.Namespace, l.Name = "updates", "immutable-link"
	if err := k8s.Create(ctx, l); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = k8s.Delete(context.Background(), l) })
	changed := l.DeepCopy()
	changed.Spec.Type, changed.Spec.SubnetIDs, changed.Spec.TargetARNs = v1alpha1.VPCLinkV1, nil, []string{testNLB}
	check(t, k8s.Update(ctx, changed, client.DryRunAll), refused("spec.type", msgLinkTypeImm))
	// Subnets may change: the operator replaces the link.
	moved := l.DeepCopy()
	moved.Spec.SubnetIDs = []string{"subnet-0123456789abcdef1"}
	check(t, k8s.Update(ctx, moved, client.DryRunAll), nil)
}

func TestVPCLinkReference(t *testing.T) {
	withRef := func(ref v1alpha1.VPCLinkReference) client.Object {
		return apigw(func(a *v1alpha1.APIGateway) {
			a.Spec.ProtocolType = v1alpha1.ProtocolHTTP
			a.Spec.Integrations = []v1alpha1.Integration{{Name: "shop", VPCLink: &v1alpha1.VPCLinkIntegration{VPCLinkRef: &ref, ListenerARN: testListenerARN}}}
		})
	}
	runCases(t, []admissionCase{
		{"same namespace", withRef(v1alpha1.VPCLinkReference{Name: "link"}), nil},
		{"another namespace", withRef(v1alpha1.VPCLinkReference{Name: "link", Namespace: "network"}), nil},
		{"namespace in upper case", withRef(v1alpha1.VPCLinkReference{Name: "link", Namespace: "Network"}), refused(linkIntegrations, msgLinkRefNS)},
		{"namespace of 64", withRef(v1alpha1.VPCLinkReference{Name: "link", Namespace: strings.Repeat("n", 64)}),
			refused(linkIntegrations, fmt.Sprintf("Too long: may not be more than %d bytes", 63))},
	})
}
