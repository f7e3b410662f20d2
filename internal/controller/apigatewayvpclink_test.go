package controller_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/vpclinks"
)

// Each VPC link test runs in a region of its own, so that AWS's 10 v2
// links per account and region never make the parallel tests collide.

const (
	subnetA  = "subnet-0a1b2c3d4e5f60718"
	subnetB  = "subnet-0b1b2c3d4e5f60718"
	subnetC  = "subnet-0c1b2c3d4e5f60718"
	groupA   = "sg-0a1b2c3d4e5f60718"
	nlbARN   = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/net/orders/0123456789abcdef"
	listener = "arn:aws:elasticloadbalancing:eu-west-3:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef"
)

// vpcLinkNamespace makes a namespace with an aws-provider in region.
func vpcLinkNamespace(t *testing.T, prefix, region string) string {
	t.Helper()
	ns := createNamespace(t, prefix)
	if err := createProvider(context.Background(), ns, "aws-provider", region, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	return ns
}

func linksClient(t *testing.T, region string) *vpclinks.Client {
	t.Helper()
	c, err := vpclinks.ClientFor(context.Background(), awsSide, "test/"+region, testSettings(region))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newV2Link(namespace, name string, subnets ...string) *v1alpha1.APIGatewayVPCLink {
	return &v1alpha1.APIGatewayVPCLink{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.APIGatewayVPCLinkSpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws-provider"},
			Name:        "link-" + name, Type: v1alpha1.VPCLinkV2,
			SubnetIDs: subnets, SecurityGroupIDs: []string{groupA},
			Tags: map[string]string{"team": "shop"},
		},
	}
}

func getLink(t *testing.T, key types.NamespacedName) *v1alpha1.APIGatewayVPCLink {
	t.Helper()
	obj := &v1alpha1.APIGatewayVPCLink{}
	if err := k8s.Get(context.Background(), key, obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func waitLinkCondition(t *testing.T, key types.NamespacedName, conditionType string, status metav1.ConditionStatus, reason string) *v1alpha1.APIGatewayVPCLink {
	t.Helper()
	return waitCondition[v1alpha1.APIGatewayVPCLink](t, key, conditionType, status, reason)
}

func waitLinkReady(t *testing.T, key types.NamespacedName) *v1alpha1.APIGatewayVPCLink {
	t.Helper()
	obj := waitLinkCondition(t, key, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
	if obj.Status.VPCLinkID == "" || obj.Status.State != v1alpha1.VPCLinkAvailable || obj.Status.PendingVPCLinkID != "" {
		t.Fatalf("Ready without an AVAILABLE link: %+v", obj.Status)
	}
	return obj
}

func updateLinkSpec(t *testing.T, key types.NamespacedName, change func(*v1alpha1.APIGatewayVPCLink)) {
	t.Helper()
	update(t, key, change)
}

// ownedLinks are the links of a family in AWS carrying the UID's mark.
func ownedLinks(t *testing.T, c *vpclinks.Client, linkType vpclinks.Type, uid types.UID) []vpclinks.Link {
	t.Helper()
	all, err := c.List(context.Background(), linkType)
	if err != nil {
		t.Fatal(err)
	}
	var owned []vpclinks.Link
	for _, l := range all {
		if l.OwnedBy(string(uid)) {
			owned = append(owned, l)
		}
	}
	return owned
}

// vpcLinkGateway is an HTTP API whose only integration reaches a listener
// through the VPC link object ref names, served on $default.
func vpcLinkGateway(namespace, name string, ref v1alpha1.VPCLinkReference) *v1alpha1.APIGateway {
	obj := newGateway(namespace, name, v1alpha1.ProtocolHTTP)
	obj.Spec.Integrations = []v1alpha1.Integration{{Name: "shop", VPCLink: &v1alpha1.VPCLinkIntegration{VPCLinkRef: &ref, ListenerARN: listener}}}
	obj.Spec.Routes = []v1alpha1.Route{{Key: "ANY /{proxy+}", Integration: "shop"}}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "$default"}}
	return obj
}

// connectionIDs are the connectionIds of an HTTP API's integrations in AWS,
// read with the SDK.
func connectionIDs(t *testing.T, v2 *apigatewayv2.Client, apiID string) []string {
	t.Helper()
	ids, err := readConnectionIDs(v2, apiID)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func readConnectionIDs(v2 *apigatewayv2.Client, apiID string) ([]string, error) {
	out, err := v2.GetIntegrations(context.Background(), &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(apiID)})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, in := range out.Items {
		ids = append(ids, aws.ToString(in.ConnectionId))
	}
	return ids, nil
}

func v2ClientIn(t *testing.T, region string) *apigatewayv2.Client {
	t.Helper()
	cfg, err := awsSide.Config(context.Background(), "test/"+region, testSettings(region))
	if err != nil {
		t.Fatal(err)
	}
	return apigatewayv2.NewFromConfig(cfg)
}

// A V2 link is made PENDING, reported Progressing while AWS provisions it,
// then Ready once AVAILABLE, with the spec's subnets, groups and tags and
// the owner mark; tags and a name changed outside are healed.
func TestVPCLinkV2BecomesAvailableAndDriftIsHealed(t *testing.T) {
	t.Parallel()
	const region = "eu-central-1"
	ns := vpcLinkNamespace(t, "vpclink-v2", region)
	obj := newV2Link(ns, "shop", subnetA, subnetB)
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })

	ready := waitLinkReady(t, key)
	// The pass that created it found it PENDING: Ready=False, Progressing.
	mustContain(t, waitEvent(t, ready, v1alpha1.ReasonProgressing), "is PENDING")
	links := linksClient(t, region)
	owned := ownedLinks(t, links, vpclinks.V2, ready.UID)
	if len(owned) != 1 || owned[0].ID != ready.Status.VPCLinkID {
		t.Fatalf("links owned in AWS: %+v, status %+v", owned, ready.Status)
	}
	l := owned[0]
	if !slices.Equal(l.SubnetIDs, []string{subnetA, subnetB}) || !slices.Equal(l.SecurityGroupIDs, []string{groupA}) ||
		l.Name != "link-shop" || l.Tags["team"] != "shop" || l.Tags[ownership.OwnerTagKey] != ns+"/shop" {
		t.Fatalf("link in AWS: %+v", l)
	}
	if ready.Status.Scope == nil || ready.Status.Scope.Region != region {
		t.Fatalf("scope %+v", ready.Status.Scope)
	}

	// Outside Kubernetes: a tag removed, one added, the name changed.
	ctx := context.Background()
	if err := links.Untag(ctx, l, []string{"team"}); err != nil {
		t.Fatal(err)
	}
	if err := links.Tag(ctx, l, map[string]string{"rogue": "yes"}); err != nil {
		t.Fatal(err)
	}
	if _, err := links.Update(ctx, l, vpclinks.Delta{Name: aws.String("renamed")}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, waitEvent(t, ready, v1alpha1.ReasonDriftHealed), "tag team")
	eventually(t, 20*time.Second, func() error {
		got, err := links.Get(ctx, vpclinks.V2, l.ID)
		if err != nil {
			return err
		}
		if got.Tags["team"] != "shop" || got.Tags["rogue"] != "" || got.Name != "link-shop" || !got.OwnedBy(string(ready.UID)) {
			return errorf("link not healed: %+v", got)
		}
		return nil
	})
}

// A V1 link reaches its NLB; its description changes in place.
func TestVPCLinkV1(t *testing.T) {
	t.Parallel()
	const region = "eu-west-2"
	ns := vpcLinkNamespace(t, "vpclink-v1", region)
	obj := &v1alpha1.APIGatewayVPCLink{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "orders"},
		Spec: v1alpha1.APIGatewayVPCLinkSpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws-provider"},
			Name:        "orders-nlb", Type: v1alpha1.VPCLinkV1, TargetARNs: []string{nlbARN}, Description: "orders",
		},
	}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	ready := waitLinkReady(t, key)
	links := linksClient(t, region)
	owned := ownedLinks(t, links, vpclinks.V1, ready.UID)
	if len(owned) != 1 || !slices.Equal(owned[0].TargetARNs, []string{nlbARN}) || owned[0].Description != "orders" {
		t.Fatalf("V1 links owned in AWS: %+v", owned)
	}

	updateLinkSpec(t, key, func(l *v1alpha1.APIGatewayVPCLink) { l.Spec.Description = "orders, v2" })
	waitLinkReady(t, key)
	got, err := links.Get(context.Background(), vpclinks.V1, owned[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "description", got.Description, "orders, v2")
	expectEqual(t, "id kept", getLink(t, key).Status.VPCLinkID, owned[0].ID)
}

// An HTTP APIGateway's integration naming the link by vpcLinkRef gets the
// link's id as its connectionId in AWS. Changing the subnets makes a new
// link; the integration switches to it once it is AVAILABLE, and only then
// is the old link deleted: at no moment does the integration name a link
// that is gone.
func TestVPCLinkReplacementSwitchesIntegrationsWithoutOutage(t *testing.T) {
	t.Parallel()
	const region = "eu-west-3"
	ns := vpcLinkNamespace(t, "vpclink-replace", region)
	link := newV2Link(ns, "shop", subnetA, subnetB)
	create(t, link)
	linkKey := client.ObjectKeyFromObject(link)
	gw := vpcLinkGateway(ns, "shop-api", v1alpha1.VPCLinkReference{Name: "shop"})
	create(t, gw)
	t.Cleanup(func() { deleteAndWait(t, gw); deleteAndWait(t, link) })

	oldID := waitLinkReady(t, linkKey).Status.VPCLinkID
	deployed := waitDeployed(t, client.ObjectKeyFromObject(gw))
	v2 := v2ClientIn(t, region)
	if got := connectionIDs(t, v2, deployed.Status.APIID); !slices.Equal(got, []string{oldID}) {
		t.Fatalf("connectionIds in AWS = %v, want [%s]", got, oldID)
	}
	links := linksClient(t, region)

	// Watch the invariant while the replacement runs: once the old link
	// is gone from AWS, the integration must already name the new one.
	ctx, stop := context.WithCancel(context.Background())
	var violation error
	var watching sync.WaitGroup
	watching.Go(func() {
		for ctx.Err() == nil {
			ids, err := readConnectionIDs(v2, deployed.Status.APIID)
			if err != nil {
				violation = err
				return
			}
			_, err = links.Get(context.Background(), vpclinks.V2, oldID)
			if apierrorsGone(err) && slices.Contains(ids, oldID) {
				violation = fmt.Errorf("old link %s deleted while the integration still names it", oldID)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	updateLinkSpec(t, linkKey, func(l *v1alpha1.APIGatewayVPCLink) { l.Spec.SubnetIDs = []string{subnetA, subnetC} })
	var newID string
	eventually(t, 45*time.Second, func() error {
		obj := getLink(t, linkKey)
		if obj.Status.VPCLinkID == oldID || obj.Status.VPCLinkID == "" || len(obj.Status.ReplacedVPCLinkIDs) > 0 || !obj.Status.Ready {
			return errorf("not replaced yet: %+v", obj.Status)
		}
		newID = obj.Status.VPCLinkID
		if _, err := links.Get(context.Background(), vpclinks.V2, oldID); !apierrorsGone(err) {
			return errorf("old link %s still in AWS (%v)", oldID, err)
		}
		return nil
	})
	stop()
	watching.Wait()
	if violation != nil {
		t.Fatal(violation)
	}
	if got := connectionIDs(t, v2, deployed.Status.APIID); !slices.Equal(got, []string{newID}) {
		t.Fatalf("connectionIds after the replacement = %v, want [%s]", got, newID)
	}
	replaced := getLink(t, linkKey)
	mustContain(t, waitEvent(t, replaced, "VPCLinkSwitched"), newID)
	mustContain(t, waitEvent(t, replaced, "VPCLinkRetired"), oldID)
	owned := ownedLinks(t, links, vpclinks.V2, replaced.UID)
	if len(owned) != 1 || !slices.Equal(owned[0].SubnetIDs, []string{subnetA, subnetC}) {
		t.Fatalf("links owned after the replacement: %+v", owned)
	}
}

func apierrorsGone(err error) bool { return awserrors.IsNotFound(err) }

// Deleting a link an APIGateway uses waits (InUse names it) and the link
// stays in AWS; once the APIGateway is gone, the link goes.
func TestVPCLinkDeletionWaitsForItsUsers(t *testing.T) {
	t.Parallel()
	const region = "ca-central-1"
	ns := vpcLinkNamespace(t, "vpclink-delete", region)
	link := newV2Link(ns, "shop", subnetA)
	create(t, link)
	linkKey := client.ObjectKeyFromObject(link)
	gw := vpcLinkGateway(ns, "shop-api", v1alpha1.VPCLinkReference{Name: "shop"})
	gw.Spec.Integrations[0].VPCLink.ListenerARN = "arn:aws:elasticloadbalancing:ca-central-1:123456789012:listener/net/shop/0123456789abcdef/0123456789abcdef"
	create(t, gw)
	id := waitLinkReady(t, linkKey).Status.VPCLinkID
	waitDeployed(t, client.ObjectKeyFromObject(gw))
	inUse := waitLinkCondition(t, linkKey, v1alpha1.ConditionInUse, metav1.ConditionTrue, v1alpha1.ReasonInUse)
	mustContain(t, conditionMessage(inUse.Status.Conditions, v1alpha1.ConditionInUse), ns+"/shop-api")

	if err := k8s.Delete(context.Background(), link); err != nil {
		t.Fatal(err)
	}
	waiting := waitLinkCondition(t, linkKey, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonWaitingForDependents)
	mustContain(t, readyMessage(waiting.Status.Conditions), ns+"/shop-api")
	links := linksClient(t, region)
	if _, err := links.Get(context.Background(), vpclinks.V2, id); err != nil {
		t.Fatalf("the link went while in use: %v", err)
	}

	deleteAndWait(t, gw)
	deleteAndWait(t, link)
	if _, err := links.Get(context.Background(), vpclinks.V2, id); !apierrorsGone(err) {
		t.Fatalf("link %s still in AWS after its object went: %v", id, err)
	}
}

// A link of another namespace is refused until its owner lists the
// APIGateway's namespace; the refused reference is no user of the link.
func TestVPCLinkCrossNamespaceNeedsConsent(t *testing.T) {
	t.Parallel()
	const region = "sa-east-1"
	owner := vpcLinkNamespace(t, "vpclink-owner", region)
	tenant := vpcLinkNamespace(t, "vpclink-tenant", region)
	link := newV2Link(owner, "shared", subnetA)
	create(t, link)
	linkKey := client.ObjectKeyFromObject(link)
	t.Cleanup(func() { deleteAndWait(t, link) })
	id := waitLinkReady(t, linkKey).Status.VPCLinkID

	gw := vpcLinkGateway(tenant, "tenant-api", v1alpha1.VPCLinkReference{Name: "shared", Namespace: owner})
	gw.Spec.Integrations[0].VPCLink.ListenerARN = "arn:aws:elasticloadbalancing:sa-east-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef"
	create(t, gw)
	gwKey := client.ObjectKeyFromObject(gw)
	t.Cleanup(func() { deleteAndWait(t, gw) })
	refusedGW := waitGatewayCondition(t, gwKey, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonVPCLinkNotAllowed)
	mustContain(t, readyMessage(refusedGW.Status.Conditions), "allowedNamespaces")
	notUsed := waitLinkCondition(t, linkKey, v1alpha1.ConditionInUse, metav1.ConditionFalse, v1alpha1.ReasonNotInUse)
	if msg := conditionMessage(notUsed.Status.Conditions, v1alpha1.ConditionInUse); contains(msg, tenant) {
		t.Fatalf("a refused reference shows in InUse: %q", msg)
	}

	updateLinkSpec(t, linkKey, func(l *v1alpha1.APIGatewayVPCLink) { l.Spec.AllowedNamespaces = []string{tenant} })
	deployed := waitDeployed(t, gwKey)
	if got := connectionIDs(t, v2ClientIn(t, region), deployed.Status.APIID); !slices.Equal(got, []string{id}) {
		t.Fatalf("connectionIds = %v, want [%s]", got, id)
	}
	waitLinkCondition(t, linkKey, v1alpha1.ConditionInUse, metav1.ConditionTrue, v1alpha1.ReasonInUse)
}

// A crash between CreateVpcLink and the status write leaves a link carrying
// the owner mark: the next pass finds it by its tag and makes no second.
func TestVPCLinkCrashBetweenCreateAndStatusMakesNoSecondLink(t *testing.T) {
	t.Parallel()
	const region = "ap-northeast-1"
	ns := createNamespace(t, "vpclink-crash")
	obj := newV2Link(ns, "crash", subnetA)
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	// No provider yet: the object holds still, and the "lost" create is
	// made as the operator would have made it.
	waitLinkCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	obj = getLink(t, key)
	links := linksClient(t, region)
	lost, err := links.Create(context.Background(), vpclinks.Link{
		Type: vpclinks.V2, Name: obj.Spec.Name, SubnetIDs: obj.Spec.SubnetIDs, SecurityGroupIDs: obj.Spec.SecurityGroupIDs,
		Tags: ownership.Merge(nil, obj.Spec.Tags, ownership.Tags(ns, obj.Name, string(obj.UID))),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := createProvider(context.Background(), ns, "aws-provider", region, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	ready := waitLinkReady(t, key)
	expectEqual(t, "vpcLinkID", ready.Status.VPCLinkID, lost.ID)
	if owned := ownedLinks(t, links, vpclinks.V2, obj.UID); len(owned) != 1 {
		t.Fatalf("want exactly one link owned by the object, found %d", len(owned))
	}
}

// When the account holds as many links as AWS allows, the object stalls
// with a message saying so.
func TestVPCLinkQuotaRefusalSaysSo(t *testing.T) {
	t.Parallel()
	const region = "us-west-2"
	ns := vpcLinkNamespace(t, "vpclink-quota", region)
	links := linksClient(t, region)
	for i := range 10 {
		if _, err := links.Create(context.Background(), vpclinks.Link{Type: vpclinks.V2, Name: fmt.Sprintf("filler-%d", i), SubnetIDs: []string{subnetA}}); err != nil {
			t.Fatal(err)
		}
	}
	obj := newV2Link(ns, "one-too-many", subnetA)
	create(t, obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	stalled := waitLinkCondition(t, client.ObjectKeyFromObject(obj), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonVPCLinkQuotaExceeded)
	mustContain(t, readyMessage(stalled.Status.Conditions), "10 V2 and 20 V1 VPC links per region")
}

// The sample's links become AVAILABLE and its HTTP API is deployed with
// the V2 link's id as its integration's connection.
func TestVPCLinkSampleBecomesReady(t *testing.T) {
	t.Parallel()
	ns := vpcLinkNamespace(t, "vpclink-sample", testRegion)
	docs := sampleDocuments(t, "apigateway_vpc_link.yaml", 3)
	v2Link, api, v1Link := &v1alpha1.APIGatewayVPCLink{}, &v1alpha1.APIGateway{}, &v1alpha1.APIGatewayVPCLink{}
	for i, obj := range []client.Object{v2Link, api, v1Link} {
		if err := yaml.UnmarshalStrict([]byte(docs[i]), obj); err != nil {
			t.Fatal(err)
		}
		obj.SetNamespace(ns)
		create(t, obj)
		t.Cleanup(func() { deleteAndWait(t, obj) })
	}
	id := waitLinkReady(t, client.ObjectKeyFromObject(v2Link)).Status.VPCLinkID
	waitLinkReady(t, client.ObjectKeyFromObject(v1Link))
	deployed := waitDeployed(t, client.ObjectKeyFromObject(api))
	if got := connectionIDs(t, v2ClientIn(t, testRegion), deployed.Status.APIID); !slices.Equal(got, []string{id}) {
		t.Fatalf("connectionIds = %v, want [%s]", got, id)
	}
}

// A VPC link object's status is a cache: one forged to name a link this
// object does not own (another team's, made outside) is refused, and the
// API never connects through it.
func TestForgedVPCLinkStatusIsNotUsed(t *testing.T) {
	t.Parallel()
	const region = "eu-north-1"
	ns := vpcLinkNamespace(t, "vpclink-forged", region)
	foreign, err := linksClient(t, region).Create(context.Background(), vpclinks.Link{Type: vpclinks.V2, Name: "someone-elses", SubnetIDs: []string{subnetA}})
	if err != nil {
		t.Fatal(err)
	}
	link := newV2Link(ns, "forged", subnetA)
	link.Spec.ProviderRef.Name = "no-such-provider" // holds the object still
	create(t, link)
	linkKey := client.ObjectKeyFromObject(link)
	t.Cleanup(func() { deleteAndWait(t, link) })
	waitLinkCondition(t, linkKey, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	eventually(t, 10*time.Second, func() error {
		obj := getLink(t, linkKey)
		obj.Status.VPCLinkID, obj.Status.State = foreign.ID, v1alpha1.VPCLinkAvailable
		return k8s.Status().Update(context.Background(), obj)
	})

	gw := vpcLinkGateway(ns, "victim-api", v1alpha1.VPCLinkReference{Name: "forged"})
	gw.Spec.Integrations[0].VPCLink.ListenerARN = "arn:aws:elasticloadbalancing:eu-north-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef"
	create(t, gw)
	t.Cleanup(func() { deleteAndWait(t, gw) })
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(gw), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonNotOwned)
	mustContain(t, readyMessage(stalled.Status.Conditions), foreign.ID)
	if got := connectionIDs(t, v2ClientIn(t, region), stalled.Status.APIID); len(got) != 0 {
		t.Fatalf("the API connected through %v", got)
	}
}
