package v1alpha1_test

import (
	"context"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1alpha1 "github.com/runner-codes/infra-operator/api/v1alpha1"
)

const (
	msgEdgeCertificate = "an EDGE domain name is served by CloudFront, which takes certificates from ACM in us-east-1 only: use a certificateARN of us-east-1, or set endpointType: REGIONAL"
	msgEdgeMutualTLS   = "mutual TLS is for REGIONAL domain names only: remove mutualTLS, or set endpointType: REGIONAL"
	msgDomainName      = "domainName must be a lower-case DNS name such as api.example.com (or a wildcard such as *.example.com); fix it"
	msgDomainNameImm   = "domainName is immutable: it is the domain name's key in AWS; create another APIGatewayDomainName instead"
	msgCertificateARN  = "certificateARN must be an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-...; fix it"
	msgTruststoreURI   = "mutualTLS.truststoreURI must be an S3 URI such as s3://my-bucket/truststore.pem; fix it"
	msgBasePath        = "basePath is path segments of letters, digits and . _ - separated by single slashes, without a leading or trailing slash, such as orders or orders/v1; fix it, or remove it to map the domain's root"
	msgDomainRefNS     = "domainRef.namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
	certEU             = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-4000-8000-000000000000"
	certUSEast1        = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-4000-8000-000000000000"
)

// domainName is a valid REGIONAL domain name in namespace default, changed
// by mut.
func domainName(mut func(*v1alpha1.APIGatewayDomainNameSpec)) *v1alpha1.APIGatewayDomainName {
	d := &v1alpha1.APIGatewayDomainName{
		ObjectMeta: metav1.ObjectMeta{Name: "domain", Namespace: "default"},
		Spec: v1alpha1.APIGatewayDomainNameSpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws"},
			DomainName:  "api.example.com", CertificateARN: certEU,
		},
	}
	if mut != nil {
		mut(&d.Spec)
	}
	return d
}

func TestAPIGatewayDomainName(t *testing.T) {
	edge := func(mut func(*v1alpha1.APIGatewayDomainNameSpec)) *v1alpha1.APIGatewayDomainName {
		return domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) {
			s.EndpointType = v1alpha1.DomainEdge
			s.CertificateARN = certUSEast1
			if mut != nil {
				mut(s)
			}
		})
	}
	cases := []admissionCase{
		{"REGIONAL by default", domainName(nil), nil},
		{"wildcard", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.DomainName = "*.example.com" }), nil},
		{"upper case", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.DomainName = "API.example.com" }), refused("spec.domainName", msgDomainName)},
		{"no dot", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.DomainName = "localhost" }), refused("spec.domainName", msgDomainName)},
		{"trailing dot", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.DomainName = "api.example.com." }), refused("spec.domainName", msgDomainName)},
		{"inner wildcard", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.DomainName = "api.*.example.com" }), refused("spec.domainName", msgDomainName)},
		{"not an ACM ARN", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) {
			s.CertificateARN = "arn:aws:iam::123456789012:server-certificate/api"
		}), refused("spec.certificateARN", msgCertificateARN)},
		{"EDGE with a us-east-1 certificate", edge(nil), nil},
		{"EDGE with a certificate of eu-west-1", edge(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.CertificateARN = certEU }), refused("spec", msgEdgeCertificate)},
		{"EDGE with mutual TLS", edge(func(s *v1alpha1.APIGatewayDomainNameSpec) {
			s.MutualTLS = &v1alpha1.MutualTLSSettings{TruststoreURI: "s3://bucket/truststore.pem"}
		}), refused("spec", msgEdgeMutualTLS)},
		{"REGIONAL with mutual TLS", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) {
			s.MutualTLS = &v1alpha1.MutualTLSSettings{TruststoreURI: "s3://bucket/truststore.pem", TruststoreVersion: "3"}
		}), nil},
		{"truststore over HTTPS", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) {
			s.MutualTLS = &v1alpha1.MutualTLSSettings{TruststoreURI: "https://bucket.s3.amazonaws.com/truststore.pem"}
		}), refused("spec.mutualTLS.truststoreURI", msgTruststoreURI)},
		{"security policy TLS_1_0", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.SecurityPolicy = "TLS_1_0" }), nil},
		{"security policy unknown", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.SecurityPolicy = "TLS_1_3" }),
			refused("spec.securityPolicy", `supported values: "TLS_1_0", "TLS_1_2"`)},
		{"tag aws:", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.Tags = map[string]string{"aws:x": "y"} }), refused("spec.tags", msgTagReserved)},
		{"49 tags", domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.Tags = nTags(49) }), refused("spec.tags", msgTooManyTags)},
	}
	cases = append(cases, allowedNamespacesCases(func(ns []string) client.Object {
		return domainName(func(s *v1alpha1.APIGatewayDomainNameSpec) { s.AllowedNamespaces = ns })
	})...)
	runCases(t, cases)
}

func TestAPIGatewayDomainNameIsImmutable(t *testing.T) {
	ctx := context.Background()
	d := domainName(nil)
	d.Namespace, d.Name = "updates", "immutable-domain"
	if err := k8s.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = k8s.Delete(context.Background(), d) })
	renamed := d.DeepCopy()
	renamed.Spec.DomainName = "other.example.com"
	check(t, k8s.Update(ctx, renamed, client.DryRunAll), refused("spec.domainName", msgDomainNameImm))
	// The certificate may change: UpdateDomainName takes it.
	recertified := d.DeepCopy()
	recertified.Spec.CertificateARN = certEU + "1"
	check(t, k8s.Update(ctx, recertified, client.DryRunAll), nil)
}

func TestStageDomains(t *testing.T) {
	withDomains := func(domains ...v1alpha1.StageDomain) client.Object {
		return apigw(func(a *v1alpha1.APIGateway) {
			a.Spec.ProtocolType = v1alpha1.ProtocolHTTP
			a.Spec.Stages = []v1alpha1.Stage{{Name: "$default", Domains: domains}}
		})
	}
	ref := v1alpha1.DomainNameReference{Name: "api"}
	field := "spec.stages[0].domains[0].basePath"
	runCases(t, []admissionCase{
		{"root", withDomains(v1alpha1.StageDomain{DomainRef: ref}), nil},
		{"one segment", withDomains(v1alpha1.StageDomain{DomainRef: ref, BasePath: "orders"}), nil},
		{"two segments", withDomains(v1alpha1.StageDomain{DomainRef: ref, BasePath: "orders/v1"}), nil},
		{"leading slash", withDomains(v1alpha1.StageDomain{DomainRef: ref, BasePath: "/orders"}), refused(field, msgBasePath)},
		{"trailing slash", withDomains(v1alpha1.StageDomain{DomainRef: ref, BasePath: "orders/"}), refused(field, msgBasePath)},
		{"a space", withDomains(v1alpha1.StageDomain{DomainRef: ref, BasePath: "my orders"}), refused(field, msgBasePath)},
		{"another namespace", withDomains(v1alpha1.StageDomain{DomainRef: v1alpha1.DomainNameReference{Name: "api", Namespace: "edge"}}), nil},
		{"namespace in upper case", withDomains(v1alpha1.StageDomain{DomainRef: v1alpha1.DomainNameReference{Name: "api", Namespace: "Edge"}}),
			refused("spec.stages[0].domains[0].domainRef.namespace", msgDomainRefNS)},
	})
}
