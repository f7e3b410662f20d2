package controller_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/domains"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

// Domain names are one namespace per account and region: each test names
// its domains after its own namespace, so that the tests never collide.

const domainCertificate = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001"

func domainsClient(t *testing.T) *domains.Client {
	t.Helper()
	c, err := domains.ClientFor(context.Background(), awsSide, "test/"+testRegion, testSettings(testRegion))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// domainNamespace makes a namespace with an aws-provider of the test region.
func domainNamespace(t *testing.T, prefix string) string {
	t.Helper()
	ns := createNamespace(t, prefix)
	if err := createProvider(context.Background(), ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	return ns
}

func newDomain(namespace, name, domainName string) *v1alpha1.APIGatewayDomainName {
	return &v1alpha1.APIGatewayDomainName{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.APIGatewayDomainNameSpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws-provider"},
			DomainName:  domainName, CertificateARN: domainCertificate,
			Tags: map[string]string{"team": "shop"},
		},
	}
}

func waitDomainCondition(t *testing.T, key types.NamespacedName, conditionType string, status metav1.ConditionStatus, reason string) *v1alpha1.APIGatewayDomainName {
	t.Helper()
	return waitCondition[v1alpha1.APIGatewayDomainName](t, key, conditionType, status, reason)
}

func waitDomainReady(t *testing.T, key types.NamespacedName) *v1alpha1.APIGatewayDomainName {
	t.Helper()
	obj := waitDomainCondition(t, key, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
	if obj.Status.TargetDomainName == "" || obj.Status.HostedZoneID == "" || obj.Status.DomainName != obj.Spec.DomainName {
		t.Fatalf("Ready without the DNS target: %+v", obj.Status)
	}
	return obj
}

// createReadyDomain makes a domain object and waits until its domain name
// is made.
func createReadyDomain(t *testing.T, namespace, name, domainName string) *v1alpha1.APIGatewayDomainName {
	t.Helper()
	domain := newDomain(namespace, name, domainName)
	create(t, domain)
	return waitDomainReady(t, client.ObjectKeyFromObject(domain))
}

// mappedGateway is an HTTP API with one MOCK-free HTTP route, served on
// $default and mapped to the domain object under basePath.
func mappedGateway(namespace, name string, ref v1alpha1.DomainNameReference, basePath string) *v1alpha1.APIGateway {
	obj := newGateway(namespace, name, v1alpha1.ProtocolHTTP)
	obj.Spec.Integrations = []v1alpha1.Integration{{Name: "backend", HTTP: &v1alpha1.HTTPIntegration{URL: "https://backend.example.com/{proxy}"}}}
	obj.Spec.Routes = []v1alpha1.Route{{Key: "ANY /{proxy+}", Integration: "backend"}}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "$default", Domains: []v1alpha1.StageDomain{{DomainRef: ref, BasePath: basePath}}}}
	return obj
}

// awsMappings are the domain's mappings in AWS, as "basePath=apiID/stage".
func awsMappings(t *testing.T, c *domains.Client, domainName string) []string {
	t.Helper()
	mappings, err := c.Mappings(context.Background(), domains.Regional, domainName)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(mappings))
	for i, m := range mappings {
		out[i] = m.BasePath + "=" + m.APIID + "/" + m.Stage
	}
	slices.Sort(out)
	return out
}

// A domain name is made with the owner mark and reports where DNS must
// point; a changed security policy is applied, and one changed outside
// Kubernetes is reverted with events.
func TestDomainNameIsMadeUpdatedAndHealed(t *testing.T) {
	t.Parallel()
	ns := domainNamespace(t, "domain-made")
	name := "api." + ns + ".example.test"
	obj := newDomain(ns, "api", name)
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	ready := waitDomainReady(t, key)
	if ready.Status.EndpointType != v1alpha1.DomainRegional || ready.Status.Scope == nil || ready.Status.Scope.AccountID != testAccount {
		t.Fatalf("status %+v", ready.Status)
	}
	c := domainsClient(t)
	observed, err := c.Get(context.Background(), domains.Regional, name)
	if err != nil {
		t.Fatal(err)
	}
	if !observed.OwnedBy(string(ready.UID)) || observed.Tags["team"] != "shop" || observed.SecurityPolicy != "TLS_1_2" ||
		observed.TargetDomainName != ready.Status.TargetDomainName || observed.HostedZoneID != ready.Status.HostedZoneID {
		t.Fatalf("domain in AWS %+v, status %+v", observed, ready.Status)
	}
	mustContain(t, readyMessage(ready.Status.Conditions), ready.Status.TargetDomainName)

	update(t, key, func(d *v1alpha1.APIGatewayDomainName) { d.Spec.SecurityPolicy = "TLS_1_0" })
	waitDomainReady(t, key)
	eventually(t, 30*time.Second, func() error {
		d, err := c.Get(context.Background(), domains.Regional, name)
		if err != nil {
			return err
		}
		if d.SecurityPolicy != "TLS_1_0" {
			return fmt.Errorf("security policy in AWS %q, want TLS_1_0", d.SecurityPolicy)
		}
		return nil
	})

	// Mutual TLS is turned on, then off again.
	update(t, key, func(d *v1alpha1.APIGatewayDomainName) {
		d.Spec.MutualTLS = &v1alpha1.MutualTLSSettings{TruststoreURI: "s3://example-truststores/api.pem", TruststoreVersion: "2"}
	})
	eventually(t, 30*time.Second, func() error {
		d, err := c.Get(context.Background(), domains.Regional, name)
		if err != nil {
			return err
		}
		if d.TruststoreURI != "s3://example-truststores/api.pem" || d.TruststoreVersion != "2" {
			return fmt.Errorf("truststore in AWS %q version %q", d.TruststoreURI, d.TruststoreVersion)
		}
		return nil
	})
	update(t, key, func(d *v1alpha1.APIGatewayDomainName) { d.Spec.MutualTLS = nil })
	eventually(t, 30*time.Second, func() error {
		d, err := c.Get(context.Background(), domains.Regional, name)
		if err != nil {
			return err
		}
		if d.TruststoreURI != "" {
			return fmt.Errorf("mutual TLS still on in AWS: %q", d.TruststoreURI)
		}
		return nil
	})
	ready = waitDomainReady(t, key)

	v2 := rawClients(t).v2
	if _, err := v2.UpdateDomainName(context.Background(), &apigatewayv2.UpdateDomainNameInput{DomainName: aws.String(name),
		DomainNameConfigurations: []v2types.DomainNameConfiguration{{CertificateArn: aws.String(domainCertificate), SecurityPolicy: v2types.SecurityPolicyTls12}}}); err != nil {
		t.Fatal(err)
	}
	note := waitEvent(t, ready, v1alpha1.ReasonDriftHealed)
	mustContain(t, note, `securityPolicy: "TLS_1_2" => "TLS_1_0"`)
	d, err := c.Get(context.Background(), domains.Regional, name)
	if err != nil || d.SecurityPolicy != "TLS_1_0" {
		t.Fatalf("drift not healed: %+v (%v)", d, err)
	}

	deleteAndWait(t, ready)
	if _, err := c.Get(context.Background(), domains.Regional, name); !awserrors.IsNotFound(err) {
		t.Fatalf("domain left in AWS after delete: %v", err)
	}
}

// A REGIONAL domain name's certificate must be of the provider's region:
// refused before any AWS call, naming the fix.
func TestDomainNameRefusesACertificateOfAnotherRegion(t *testing.T) {
	t.Parallel()
	ns := domainNamespace(t, "domain-cert")
	obj := newDomain(ns, "api", "api."+ns+".example.test")
	obj.Spec.CertificateARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d"
	create(t, obj)
	stalled := waitDomainCondition(t, client.ObjectKeyFromObject(obj), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec)
	mustContain(t, conditionMessage(stalled.Status.Conditions, v1alpha1.ConditionStalled), "request the certificate in ACM in us-east-1")
	if _, err := domainsClient(t).Get(context.Background(), domains.Regional, obj.Spec.DomainName); !awserrors.IsNotFound(err) {
		t.Fatalf("a domain was made: %v", err)
	}
}

// Two APIs map to one domain under two base paths and are served there; a
// third claiming a taken base path is refused, naming the holder. Deleting
// the domain waits (InUse) until no stage maps to it: a removed domains
// entry removes its mapping, and a deleted APIGateway its mappings, before
// the domain goes.
func TestDomainNameMappingsConflictAndDeletionOrder(t *testing.T) {
	t.Parallel()
	ns := domainNamespace(t, "domain-map")
	name := "api." + ns + ".example.test"
	domain := createReadyDomain(t, ns, "api", name)
	domainKey := client.ObjectKeyFromObject(domain)
	ref := v1alpha1.DomainNameReference{Name: "api"}

	orders := mappedGateway(ns, "orders", ref, "orders")
	pets := mappedGateway(ns, "pets", ref, "pets")
	create(t, orders)
	create(t, pets)
	orders = waitGatewayReady(t, client.ObjectKeyFromObject(orders))
	pets = waitGatewayReady(t, client.ObjectKeyFromObject(pets))
	c := domainsClient(t)
	want := []string{"orders=" + orders.Status.APIID + "/$default", "pets=" + pets.Status.APIID + "/$default"}
	if got := awsMappings(t, c, name); !slices.Equal(got, want) {
		t.Fatalf("mappings %v, want %v", got, want)
	}
	if got := orders.Status.DomainMappings; len(got) != 1 || got[0].URL != "https://"+name+"/orders" {
		t.Fatalf("orders status.domainMappings %+v", got)
	}
	waitEvent(t, orders, v1alpha1.ReasonDomainMapped)
	eventually(t, 30*time.Second, func() error {
		d := &v1alpha1.APIGatewayDomainName{}
		if err := k8s.Get(context.Background(), domainKey, d); err != nil {
			return err
		}
		if d.Status.MappingCount != 2 || !slices.ContainsFunc(d.Status.Mappings, func(m v1alpha1.DomainMappingStatus) bool {
			return m.API == ns+"/orders" && m.BasePath == "orders"
		}) {
			return fmt.Errorf("domain status mappings %+v", d.Status.Mappings)
		}
		return nil
	})
	// The front door routes the domain by Host header and base path, as
	// AWS does: each base path reaches its own API.
	for _, path := range []string{"/orders/x", "/pets/x"} {
		status, _ := viaDomain(t, name, path)
		if status == http.StatusNotFound || status == http.StatusForbidden {
			t.Fatalf("GET %s on %s answered %d", path, name, status)
		}
	}
	if status, _ := viaDomain(t, name, "/unmapped/x"); status != http.StatusForbidden && status != http.StatusNotFound {
		t.Fatalf("an unmapped base path answered %d", status)
	}

	thief := mappedGateway(ns, "thief", ref, "orders")
	create(t, thief)
	refused := waitGatewayCondition(t, client.ObjectKeyFromObject(thief), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonBasePathTaken)
	mustContain(t, conditionMessage(refused.Status.Conditions, v1alpha1.ConditionStalled), "APIGateway "+ns+"/orders")
	if got := awsMappings(t, c, name); !slices.Equal(got, want) {
		t.Fatalf("the refused claim changed the mappings: %v", got)
	}
	deleteAndWait(t, refused)

	if err := k8s.Delete(context.Background(), domain); err != nil {
		t.Fatal(err)
	}
	waiting := waitDomainCondition(t, domainKey, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonWaitingForDependents)
	mustContain(t, readyMessage(waiting.Status.Conditions), ns+"/orders")
	if inUse := conditionMessage(waiting.Status.Conditions, v1alpha1.ConditionInUse); !strings.Contains(inUse, ns+"/pets") {
		t.Fatalf("InUse = %q", inUse)
	}

	updateSpec(t, client.ObjectKeyFromObject(orders), func(gw *v1alpha1.APIGateway) { gw.Spec.Stages[0].Domains = nil })
	waitEvent(t, orders, v1alpha1.ReasonDomainUnmapped)
	if got := awsMappings(t, c, name); !slices.Equal(got, want[1:]) {
		t.Fatalf("after removing orders' entry: %v, want %v", got, want[1:])
	}
	deleteAndWait(t, pets)
	eventually(t, 60*time.Second, func() error {
		err := k8s.Get(context.Background(), domainKey, &v1alpha1.APIGatewayDomainName{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return errors.New("the domain object is still there")
	})
	if _, err := c.Get(context.Background(), domains.Regional, name); !awserrors.IsNotFound(err) {
		t.Fatalf("domain left in AWS: %v", err)
	}
	deleteAndWait(t, orders)
}

// viaDomain calls the emulator's front door as curl -H 'Host: domain' would.
func viaDomain(t *testing.T, domain, path string) (int, string) {
	t.Helper()
	return invokeHost(t, domain, http.MethodGet, path, nil)
}

// A domain of another namespace is used only with its owner's consent
// (allowedNamespaces); once granted, the stage is mapped.
func TestDomainNameConsentRefusedThenGranted(t *testing.T) {
	t.Parallel()
	owner := domainNamespace(t, "domain-owner")
	tenant := domainNamespace(t, "domain-tenant")
	name := "api." + owner + ".example.test"
	domain := createReadyDomain(t, owner, "shared", name)
	domainKey := client.ObjectKeyFromObject(domain)

	gw := mappedGateway(tenant, "shop", v1alpha1.DomainNameReference{Name: "shared", Namespace: owner}, "shop")
	create(t, gw)
	key := client.ObjectKeyFromObject(gw)
	refused := waitGatewayCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonDomainNotAllowed)
	mustContain(t, conditionMessage(refused.Status.Conditions, v1alpha1.ConditionStalled), "add it (or \"*\") to the domain's spec.allowedNamespaces")
	c := domainsClient(t)
	if got := awsMappings(t, c, name); len(got) != 0 {
		t.Fatalf("a refused stage was mapped: %v", got)
	}
	// A refused reference does not hold the domain.
	if inUse := conditionMessage(waitDomainReady(t, domainKey).Status.Conditions, v1alpha1.ConditionInUse); !strings.Contains(inUse, "No APIGateway") {
		t.Fatalf("InUse = %q", inUse)
	}

	update(t, domainKey, func(d *v1alpha1.APIGatewayDomainName) { d.Spec.AllowedNamespaces = []string{tenant} })
	ready := waitGatewayReady(t, key)
	if got := awsMappings(t, c, name); !slices.Equal(got, []string{"shop=" + ready.Status.APIID + "/$default"}) {
		t.Fatalf("mappings %v", got)
	}
	deleteAndWait(t, ready)
	if got := awsMappings(t, c, name); len(got) != 0 {
		t.Fatalf("mappings left after the APIGateway was deleted: %v", got)
	}
	deleteAndWait(t, domain)
}

// A crash between the create and the status write leaves a domain carrying
// the object's mark: the next pass adopts it, no second create. A domain of
// the same name that is someone else's is refused and left alone.
func TestDomainNameCrashBetweenCreateAndStatusWriteAndForeignName(t *testing.T) {
	t.Parallel()
	ns := createNamespace(t, "domain-crash")
	name := "api." + ns + ".example.test"
	// No provider yet: the object waits before any AWS call, as if the
	// operator had stopped right after its create.
	obj := newDomain(ns, "api", name)
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	waitDomainCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	v2 := rawClients(t).v2
	if _, err := v2.CreateDomainName(context.Background(), &apigatewayv2.CreateDomainNameInput{
		DomainName:               aws.String(name),
		DomainNameConfigurations: []v2types.DomainNameConfiguration{{CertificateArn: aws.String(domainCertificate)}},
		Tags:                     ownership.Merge(nil, map[string]string{"team": "shop"}, ownership.Tags(ns, "api", string(obj.UID))),
	}); err != nil {
		t.Fatal(err)
	}
	if err := createProvider(context.Background(), ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	ready := waitDomainReady(t, key)
	if notes, _ := eventNotes(ready, v1alpha1.ReasonDriftHealed); len(notes) > 0 {
		t.Fatalf("the crash was taken for drift: %v", notes)
	}

	foreign := newDomain(ns, "copy", name)
	create(t, foreign)
	stalled := waitDomainCondition(t, client.ObjectKeyFromObject(foreign), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonDomainNameTaken)
	mustContain(t, conditionMessage(stalled.Status.Conditions, v1alpha1.ConditionStalled), "is owned by "+ns+"/api")
	deleteAndWait(t, stalled)
	c := domainsClient(t)
	if d, err := c.Get(context.Background(), domains.Regional, name); err != nil || !d.OwnedBy(string(ready.UID)) {
		t.Fatalf("the refused object touched the domain: %+v (%v)", d, err)
	}
	deleteAndWait(t, ready)
}

// mockRESTGateway is a REST API whose GET /info answers body (a mock),
// served by its prod stage mapped to the domain object under basePath.
func mockRESTGateway(namespace, name, body string, ref v1alpha1.DomainNameReference, basePath string) *v1alpha1.APIGateway {
	obj := newGateway(namespace, name, v1alpha1.ProtocolREST)
	obj.Spec.EndpointType = v1alpha1.EndpointRegional
	obj.Spec.Integrations = []v1alpha1.Integration{{Name: "info", Mock: &v1alpha1.MockIntegration{StatusCode: 200, Body: body}}}
	obj.Spec.Routes = []v1alpha1.Route{{Key: "GET /info", Integration: "info"}}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "prod", Domains: []v1alpha1.StageDomain{{DomainRef: ref, BasePath: basePath}}}}
	return obj
}

// An EDGE domain name is made through v1 (CloudFront's target and hosted
// zone) and takes REST APIs only, under one-segment base paths: an HTTP API
// and a multi-level base path are refused before any AWS call, naming the
// fix; a REST API is mapped (a v1 base path mapping) and served there.
func TestEdgeDomainNameMapsRESTAPIsOnly(t *testing.T) {
	t.Parallel()
	ns := domainNamespace(t, "domain-edge")
	name := "edge." + ns + ".example.test"
	domain := newDomain(ns, "edge", name)
	domain.Spec.EndpointType = v1alpha1.DomainEdge
	create(t, domain)
	ready := waitDomainReady(t, client.ObjectKeyFromObject(domain))
	if ready.Status.EndpointType != v1alpha1.DomainEdge || !strings.HasSuffix(ready.Status.TargetDomainName, ".cloudfront.net") {
		t.Fatalf("an EDGE domain's status %+v, want CloudFront's target", ready.Status)
	}
	// An EDGE domain is updated through v1 (UpdateDomainName patches).
	update(t, client.ObjectKeyFromObject(domain), func(d *v1alpha1.APIGatewayDomainName) { d.Spec.SecurityPolicy = "TLS_1_0" })
	eventually(t, 30*time.Second, func() error {
		d, err := domainsClient(t).Get(context.Background(), domains.Edge, name)
		if err != nil {
			return err
		}
		if d.SecurityPolicy != "TLS_1_0" || !d.OwnedBy(string(ready.UID)) {
			return fmt.Errorf("EDGE domain in AWS %+v", d)
		}
		return nil
	})
	ref := v1alpha1.DomainNameReference{Name: "edge"}

	httpAPI := mappedGateway(ns, "http", ref, "orders")
	create(t, httpAPI)
	refused := waitGatewayCondition(t, client.ObjectKeyFromObject(httpAPI), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec)
	mustContain(t, conditionMessage(refused.Status.Conditions, v1alpha1.ConditionStalled), "serves REST APIs only")
	deleteAndWait(t, refused)

	rest := mockRESTGateway(ns, "pets", `{"api":"pets"}`, ref, "pets/v1")
	create(t, rest)
	key := client.ObjectKeyFromObject(rest)
	refused = waitGatewayCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec)
	mustContain(t, conditionMessage(refused.Status.Conditions, v1alpha1.ConditionStalled), "use a one-segment basePath")
	updateSpec(t, key, func(gw *v1alpha1.APIGateway) { gw.Spec.Stages[0].Domains[0].BasePath = "pets" })
	served := waitGatewayReady(t, key)
	mappings, err := domainsClient(t).Mappings(context.Background(), domains.Edge, name)
	if err != nil || len(mappings) != 1 || mappings[0].BasePath != "pets" || mappings[0].APIID != served.Status.APIID || mappings[0].Stage != "prod" {
		t.Fatalf("base path mappings %+v (%v)", mappings, err)
	}
	eventually(t, 30*time.Second, func() error {
		if status, body := viaDomain(t, name, "/pets/info"); status != http.StatusOK || !strings.Contains(body, `"api":"pets"`) {
			return fmt.Errorf("GET /pets/info on %s answered %d %s", name, status, body)
		}
		return nil
	})
	deleteAndWait(t, served)
	deleteAndWait(t, ready)
}

// A domain object's status is a cache: one whose spec names someone else's
// domain name, with a status forged to say it made it, is refused (the domain
// carries no owner mark of the object) and no mapping is made on it.
func TestForgedDomainStatusIsNotUsed(t *testing.T) {
	t.Parallel()
	ns := domainNamespace(t, "domain-forged")
	name := "forged." + ns + ".example.test"
	if _, err := rawClients(t).v2.CreateDomainName(context.Background(), &apigatewayv2.CreateDomainNameInput{
		DomainName:               aws.String(name),
		DomainNameConfigurations: []v2types.DomainNameConfiguration{{CertificateArn: aws.String(domainCertificate)}},
		Tags:                     map[string]string{ownership.OwnerTagKey: "another/team"},
	}); err != nil {
		t.Fatal(err)
	}
	domain := newDomain(ns, "forged", name)
	domain.Spec.ProviderRef.Name = "no-such-provider" // holds the object still
	create(t, domain)
	domainKey := client.ObjectKeyFromObject(domain)
	waitDomainCondition(t, domainKey, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	eventually(t, 10*time.Second, func() error {
		obj := &v1alpha1.APIGatewayDomainName{}
		if err := k8s.Get(context.Background(), domainKey, obj); err != nil {
			return err
		}
		obj.Status.DomainName = name
		return k8s.Status().Update(context.Background(), obj)
	})

	gw := mappedGateway(ns, "victim", v1alpha1.DomainNameReference{Name: "forged"}, "victim")
	create(t, gw)
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(gw), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonNotOwned)
	mustContain(t, conditionMessage(stalled.Status.Conditions, v1alpha1.ConditionStalled), "is owned by another/team")
	if got := awsMappings(t, domainsClient(t), name); len(got) != 0 {
		t.Fatalf("a mapping was made on someone else's domain: %v", got)
	}
	deleteAndWait(t, stalled)
	deleteAndWait(t, domain)
}

// A crash between a mapping's create and the APIGateway's status write
// leaves a mapping of its API that its status does not name: the domain
// records it (by API id), and the APIGateway's next pass finds it there and
// removes it, since no stage declares it.
func TestUndeclaredMappingLeftByACrashIsRemoved(t *testing.T) {
	t.Parallel()
	ns := domainNamespace(t, "domain-lost")
	name := "api." + ns + ".example.test"
	domain := createReadyDomain(t, ns, "api", name)
	gw := mappedGateway(ns, "orders", v1alpha1.DomainNameReference{Name: "api"}, "orders")
	gw.Spec.Stages[0].Domains = nil
	create(t, gw)
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(gw))

	if _, err := rawClients(t).v2.CreateApiMapping(context.Background(), &apigatewayv2.CreateApiMappingInput{
		DomainName: aws.String(name), ApiId: aws.String(ready.Status.APIID), Stage: aws.String("$default"), ApiMappingKey: aws.String("lost"),
	}); err != nil {
		t.Fatal(err)
	}
	note := waitEvent(t, ready, v1alpha1.ReasonDomainUnmapped)
	mustContain(t, note, "https://"+name+"/lost")
	if got := awsMappings(t, domainsClient(t), name); len(got) != 0 {
		t.Fatalf("mappings left: %v", got)
	}
	deleteAndWait(t, ready)
	deleteAndWait(t, domain)
}

// A domain name deleted outside Kubernetes is made again (DriftHealed), and
// the APIGateways mapped to it map their stages again on their next pass.
func TestDomainNameDeletedOutsideIsRecreatedWithItsMappings(t *testing.T) {
	t.Parallel()
	ns := domainNamespace(t, "domain-gone")
	name := "api." + ns + ".example.test"
	domain := createReadyDomain(t, ns, "api", name)
	gw := mappedGateway(ns, "orders", v1alpha1.DomainNameReference{Name: "api"}, "orders")
	create(t, gw)
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(gw))
	want := []string{"orders=" + ready.Status.APIID + "/$default"}
	c := domainsClient(t)
	if got := awsMappings(t, c, name); !slices.Equal(got, want) {
		t.Fatalf("mappings %v, want %v", got, want)
	}

	if _, err := rawClients(t).v2.DeleteDomainName(context.Background(), &apigatewayv2.DeleteDomainNameInput{DomainName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, waitEvent(t, domain, v1alpha1.ReasonDriftHealed), "Recreated the domain name as "+name)
	eventually(t, 30*time.Second, func() error {
		mappings, err := c.Mappings(context.Background(), domains.Regional, name)
		if err != nil {
			return err
		}
		if len(mappings) != 1 || mappings[0].APIID != ready.Status.APIID || mappings[0].BasePath != "orders" {
			return fmt.Errorf("mappings after the domain came back: %+v", mappings)
		}
		return nil
	})
	deleteAndWait(t, ready)
	deleteAndWait(t, domain)
}
