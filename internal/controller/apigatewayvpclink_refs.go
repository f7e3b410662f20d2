package controller

import (
	"context"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/vpclinks"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// vpcLinkRefIndex finds the APIGateways whose integrations name a VPC link
// object, by "namespace/name".
const vpcLinkRefIndex = ".spec.integrations.vpcLink.vpcLinkRef"

// vpcLinkWaitRetry is how soon an APIGateway waiting for its VPC link looks
// again; the VPC link watch usually brings it back sooner.
const vpcLinkWaitRetry = time.Minute

// vpcLinkRefs are the APIGateways' references to VPC link objects, from
// their integrations.
var vpcLinkRefs = gatewayReferences{field: vpcLinkRefIndex, named: func(obj *v1alpha1.APIGateway) []string {
	var keys []string
	for _, in := range obj.Spec.Integrations {
		if in.VPCLink != nil && in.VPCLink.VPCLinkRef != nil {
			ref := in.VPCLink.VPCLinkRef
			keys = appendKey(keys, referenceKey(ref.Name, ref.Namespace, obj.Namespace))
		}
	}
	return keys
}}

func indexVPCLinkRefs(ctx context.Context, indexer client.FieldIndexer) error {
	return vpcLinkRefs.index(ctx, indexer)
}

// vpcLinkUsers are the APIGateways that may use the link.
func vpcLinkUsers(ctx context.Context, reader client.Reader, link *v1alpha1.APIGatewayVPCLink) ([]v1alpha1.APIGateway, error) {
	return vpcLinkRefs.users(ctx, reader, link, link.Spec.AllowedNamespaces)
}

// vpcLinkServingChanged passes the VPC link events that change what its
// users resolve: creation, deletion, a new serving id, a spec change
// (allowedNamespaces) and readiness flips.
func vpcLinkServingChanged() predicate.Predicate {
	return resolvedChange(func(l *v1alpha1.APIGatewayVPCLink) []any { return []any{l.Status.VPCLinkID, l.Status.Ready} })
}

// vpcLinkResolver gives an APIGateway's integrations the AWS id of the VPC
// link objects they name, in the API's own account and region.
type vpcLinkResolver struct {
	reader client.Reader
	// links reads VPC links with the API's provider: a link found there is
	// in the API's account and region.
	links   *vpclinks.Client
	gateway *v1alpha1.APIGateway
	// scope is where the API lives (the provider's, this pass).
	scope v1alpha1.ResourceScope
}

// resolveVPCLink returns the id of the link ref names, for an integration
// of the gateway: the object must be of the gateway's namespace or consent
// to it (allowedNamespaces), of the family the API's protocol needs, in the
// API's account and region, and its status id must name a link AVAILABLE
// in AWS that carries the object's owner-uid tag (status is a cache: a
// forged id naming someone else's link is refused). Otherwise the gateway
// waits (the link is being made) or stalls (only a change can help).
func resolveVPCLink(ctx context.Context, r *vpcLinkResolver, integration string, ref v1alpha1.VPCLinkReference) (string, error) {
	link, err := r.linkObject(ctx, ref)
	if err != nil {
		return "", err
	}
	named := "APIGatewayVPCLink " + link.Namespace + "/" + link.Name
	if !providers.ConsentsTo(link.Namespace, link.Spec.AllowedNamespaces, r.gateway.Namespace) {
		return "", outcome.Stall(v1alpha1.ReasonVPCLinkNotAllowed,
			"Integration %s names %s, which does not allow namespace %q: its owner must add it (or \"*\") to the link's spec.allowedNamespaces", integration, named, r.gateway.Namespace)
	}
	if want := vpcLinkTypeFor(r.gateway.Spec.ProtocolType); link.TypeOrDefault() != want {
		return "", outcome.Stall(v1alpha1.ReasonInvalidSpec,
			"Integration %s names %s, a %s link; %s APIs use %s links (V2: subnets and security groups, for HTTP APIs; V1: a Network Load Balancer, for REST and WEBSOCKET APIs): name a %s link", integration, named, link.TypeOrDefault(), r.gateway.Spec.ProtocolType, want, want)
	}
	if scope := link.Status.Scope; scope != nil && !scope.SameAWS(r.scope) {
		return "", outcome.Stall(v1alpha1.ReasonInvalidSpec,
			"Integration %s names %s, which lives in %s, but this API lives in %s: a VPC link serves the APIs of its own account and region; use a link made through a provider of this API's account and region",
			integration, named, describeAWS(*scope), describeAWS(r.scope))
	}
	id := link.Status.VPCLinkID
	if id == "" {
		return "", outcome.Wait(vpcLinkWaitRetry, v1alpha1.ReasonVPCLinkNotReady, "Integration %s waits for %s to be AVAILABLE (it is %s)", integration, named, stateOf(link))
	}
	return id, r.confirm(ctx, link, named, integration, id)
}

// confirm reads the link in the API's account: it must exist there, carry
// the object's owner-uid tag and route traffic.
func (r *vpcLinkResolver) confirm(ctx context.Context, link *v1alpha1.APIGatewayVPCLink, named, integration, id string) error {
	observed, err := r.links.Get(ctx, vpclinks.Type(link.TypeOrDefault()), id)
	if awserrors.IsNotFound(err) {
		return outcome.Wait(vpcLinkWaitRetry, v1alpha1.ReasonVPCLinkNotReady,
			"Integration %s waits for %s: VPC link %s is not in this API's account and region (yet)", integration, named, id)
	}
	if err != nil {
		return err
	}
	if !observed.OwnedBy(string(link.UID)) {
		return outcome.Stall(v1alpha1.ReasonNotOwned,
			"Integration %s names %s, whose status names VPC link %s, which %s: it is not used", integration, named, id, ownerWords(observed.Tags))
	}
	if !observed.Available() {
		return outcome.Wait(vpcLinkWaitRetry, v1alpha1.ReasonVPCLinkNotReady, "Integration %s waits for VPC link %s of %s to be AVAILABLE (it is %s)", integration, id, named, observed.State)
	}
	return nil
}

func (r *vpcLinkResolver) linkObject(ctx context.Context, ref v1alpha1.VPCLinkReference) (*v1alpha1.APIGatewayVPCLink, error) {
	key := types.NamespacedName{Namespace: r.gateway.Namespace, Name: ref.Name}
	if ref.Namespace != "" {
		key.Namespace = ref.Namespace
	}
	link := &v1alpha1.APIGatewayVPCLink{}
	if err := r.reader.Get(ctx, key, link); err != nil {
		if apierrors.IsNotFound(err) {
			// Waiting, not Stalled: a link and its APIGateways are often
			// applied together, in any order.
			return nil, outcome.Wait(vpcLinkWaitRetry, v1alpha1.ReasonVPCLinkNotReady, "APIGatewayVPCLink %s not found", key)
		}
		return nil, err
	}
	return link, nil
}

// vpcLinkTypeFor is the family of link an API's protocol uses: HTTP APIs
// v2 links; REST and WebSocket APIs v1 links.
func vpcLinkTypeFor(protocol v1alpha1.ProtocolType) v1alpha1.VPCLinkType {
	if protocol == v1alpha1.ProtocolHTTP {
		return v1alpha1.VPCLinkV2
	}
	return v1alpha1.VPCLinkV1
}

func stateOf(link *v1alpha1.APIGatewayVPCLink) string {
	if link.Status.State == "" {
		return "not made yet"
	}
	return string(link.Status.State)
}

func ownerWords(tags map[string]string) string {
	if owner := tags[ownership.OwnerTagKey]; owner != "" {
		return "is owned by " + owner
	}
	return "carries no owner mark of this object"
}

func describeAWS(s v1alpha1.ResourceScope) string {
	return "account " + s.AccountID + " region " + s.Region
}
