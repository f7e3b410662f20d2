package controller

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/aws/vpclinks"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayvpclinks,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayvpclinks/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayvpclinks/finalizers,verbs=update

// Event reasons of the VPC link rollout.
const (
	reasonVPCLinkSwitched = "VPCLinkSwitched"
	reasonVPCLinkRetired  = "VPCLinkRetired"
)

// quotaRefusedRetry is how often a create AWS refused for the account's
// link quota is tried again: the fix (deleting a link, a quota increase) is
// made outside Kubernetes.
const quotaRefusedRetry = 5 * time.Minute

// APIGatewayVPCLinks is the APIGatewayVPCLink kind: how the shared managed
// reconciler reaches an object's VPC links in AWS.
type APIGatewayVPCLinks struct {
	AWS *session.Factory
	// Reader reads the APIGateways using a link (the manager's cache).
	Reader client.Reader
	// Poll is how soon a link that is not AVAILABLE yet, or an old link
	// integrations still use, is looked at again.
	Poll time.Duration
}

// vpcLinkPoll is how often a link being made is looked at: AWS takes
// minutes, but never later than the drift check would.
func vpcLinkPoll(resync time.Duration) time.Duration { return min(15*time.Second, resync) }

// Kind describes the kind to the managed reconciler.
func (k *APIGatewayVPCLinks) Kind() managed.Kind[*v1alpha1.APIGatewayVPCLink] {
	return managed.Kind[*v1alpha1.APIGatewayVPCLink]{
		Name:            "APIGatewayVPCLink",
		Resource:        "VPC link",
		Finalizer:       v1alpha1.APIGatewayVPCLinkFinalizer,
		AdoptAnnotation: v1alpha1.AdoptVPCLinkIDAnnotation,
		New:             func() *v1alpha1.APIGatewayVPCLink { return &v1alpha1.APIGatewayVPCLink{} },
		Connect:         k.connect,
		RecordedID:      recordedLinkID,
		Forget:          forgetLinks,
		ReadyMessage: func(obj *v1alpha1.APIGatewayVPCLink) string {
			return "VPC link " + obj.Status.VPCLinkID + " is AVAILABLE and matches the spec"
		},
	}
}

// recordedLinkID is the newest link status names.
func recordedLinkID(obj *v1alpha1.APIGatewayVPCLink) string {
	if id := obj.Status.PendingVPCLinkID; id != "" {
		return id
	}
	return obj.Status.VPCLinkID
}

func forgetLinks(obj *v1alpha1.APIGatewayVPCLink) {
	st := &obj.Status
	st.VPCLinkID, st.PendingVPCLinkID, st.State, st.StatusMessage, st.ReplacedVPCLinkIDs = "", "", "", "", nil
}

func (k *APIGatewayVPCLinks) connect(ctx context.Context, obj *v1alpha1.APIGatewayVPCLink, p *providers.Resolved) (managed.External, error) {
	if err := refuseTags("VPC link", obj.Spec.Tags, p); err != nil {
		return nil, err
	}
	links, err := vpclinks.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	apis, err := gateway.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	users, err := vpcLinkUsers(ctx, k.Reader, obj)
	if err != nil {
		return nil, err
	}
	markLinkInUse(obj, users)
	mark := ownership.Tags(obj.Namespace, obj.Name, string(obj.UID))
	desired := vpclinks.Link{
		Type: vpclinks.Type(obj.TypeOrDefault()), Name: obj.Spec.Name, Description: obj.Spec.Description,
		SubnetIDs: obj.Spec.SubnetIDs, SecurityGroupIDs: obj.Spec.SecurityGroupIDs, TargetARNs: obj.Spec.TargetARNs,
		Tags: ownership.Merge(p.DefaultTags, obj.Spec.Tags, mark),
	}
	return &linkExternal{obj: obj, links: links, apis: apis, slots: k.AWS, clientKey: p.ClientKey, desired: desired, users: users, poll: k.Poll}, nil
}

// refuseTags refuses, before any AWS call, tags AWS would refuse: too many
// once the provider's defaults and the owner mark are added, or values
// with characters outside AWS's set.
func refuseTags(resource string, own map[string]string, p *providers.Resolved) error {
	if n, fromDefaults := ownership.TooMany(p.DefaultTags, own); n > 0 {
		return outcome.Stall(v1alpha1.ReasonTooManyTags,
			"The %s would carry %d tags, more than AWS's %d: %d from spec.tags, %d more from %s's defaultTags (%v) and 2 ownership tags; remove some",
			resource, n, ownership.MaxTags, len(own), len(fromDefaults), providers.Describe(p.Ref), fromDefaults)
	}
	for source, tags := range map[string]map[string]string{"spec.tags": own, providers.Describe(p.Ref) + "'s defaultTags": p.DefaultTags} {
		if key, bad := ownership.InvalidValue(tags); bad {
			return outcome.Stall(v1alpha1.ReasonInvalidSpec,
				"The value of tag %q in %s holds characters AWS refuses: tag values may hold only letters, digits, spaces and _ . : / = + - @; change it", key, source)
		}
	}
	return nil
}

// markLinkInUse sets InUse, naming the APIGateways that may use the link.
func markLinkInUse(obj *v1alpha1.APIGatewayVPCLink, users []v1alpha1.APIGateway) {
	if len(users) == 0 {
		reconciler.SetCondition(&obj.Status.Conditions, obj.Generation, v1alpha1.ConditionInUse, metav1.ConditionFalse,
			v1alpha1.ReasonNotInUse, "No APIGateway uses this VPC link")
		return
	}
	reconciler.SetCondition(&obj.Status.Conditions, obj.Generation, v1alpha1.ConditionInUse, metav1.ConditionTrue,
		v1alpha1.ReasonInUse, fmt.Sprintf("Used by %d APIGateway(s): %s", len(users), gatewayNames(users)))
}

func gatewayNames(gateways []v1alpha1.APIGateway) string {
	names := make([]string, len(gateways))
	for i, gw := range gateways {
		names[i] = gw.Namespace + "/" + gw.Name
	}
	return strings.Join(names, ", ")
}

// SetupWithManager watches the kind (spec and annotation changes only),
// its providers, and the APIGateways naming a link: their coming, going
// and switching decide when a link may be deleted.
func (k *APIGatewayVPCLinks) SetupWithManager(mgr ctrl.Manager, r *managed.Reconciler[*v1alpha1.APIGatewayVPCLink], options controller.Options) error {
	return sharedKindController(mgr, &v1alpha1.APIGatewayVPCLink{}, vpcLinkRefs).
		WithOptions(options).
		Named("apigatewayvpclink").
		Complete(r)
}

// linkExternal is one object's VPC links in one account and region. An
// object owns one link per spec of its targets: a change of subnets,
// security groups or target makes a new link, and the old one stays, owned,
// until no integration uses it.
type linkExternal struct {
	obj       *v1alpha1.APIGatewayVPCLink
	links     *vpclinks.Client
	apis      gateway.Client
	slots     *session.Factory
	clientKey string
	desired   vpclinks.Link
	users     []v1alpha1.APIGateway
	poll      time.Duration
	// owned are the links carrying the object's owner mark; current is
	// the one the spec asks for (or, before its replacement exists, the
	// one it replaces).
	owned   []vpclinks.Link
	current vpclinks.Link
}

func (e *linkExternal) uid() string { return string(e.obj.UID) }

func (e *linkExternal) Observe(ctx context.Context) (managed.Observation, error) {
	all, err := e.links.List(ctx, e.desired.Type)
	if err != nil {
		return managed.Observation{}, err
	}
	var observed managed.Observation
	e.owned = nil
	for _, l := range all {
		switch {
		case l.OwnedBy(e.uid()):
			e.owned = append(e.owned, l)
		case l.ID == recordedLinkID(e.obj) || l.ID == e.obj.Status.VPCLinkID:
			observed.Foreign = &managed.Foreign{ID: l.ID, Owner: l.Tags[ownership.OwnerTagKey]}
		}
	}
	if len(e.owned) == 0 {
		return observed, nil
	}
	e.current = e.pickCurrent()
	observed.Exists, observed.ID = true, e.current.ID
	observed.Changes = e.changes()
	return observed, nil
}

// pickCurrent prefers a link matching the spec (the one status names, else
// an AVAILABLE one), and otherwise the link status says integrations use.
func (e *linkExternal) pickCurrent() vpclinks.Link {
	st := e.obj.Status
	best, bestScore := e.owned[0], -1
	for _, l := range e.owned {
		score := 0
		if vpclinks.Matches(l, e.desired) {
			score += 4
		}
		if l.ID == st.PendingVPCLinkID || l.ID == st.VPCLinkID {
			score += 2
		}
		if l.Available() {
			score++
		}
		if score > bestScore {
			best, bestScore = l, score
		}
	}
	return best
}

// changes words how the current link differs from the spec: targets that
// need a new link, or what can change in place.
func (e *linkExternal) changes() []string {
	if replaced := vpclinks.Replaced(e.current, e.desired); len(replaced) > 0 {
		return append(replaced, "a new VPC link replaces "+e.current.ID)
	}
	return vpclinks.Changes(e.current, vpclinks.Compare(e.current, e.desired))
}

// Create makes a link for the spec: the first, or the replacement of one
// whose targets changed. v2 creates wait for their quota slot (1 per 15 s
// per account) in the queue, not in a worker.
func (e *linkExternal) Create(ctx context.Context) (managed.Observation, error) {
	if e.desired.Type == vpclinks.V2 {
		if err := e.waitForCreateSlot(); err != nil {
			return managed.Observation{}, err
		}
	}
	created, err := e.links.Create(session.WithSlotHolder(ctx, e.uid()), e.desired)
	if vpclinks.IsQuotaExceeded(err) {
		return managed.Observation{}, &outcome.Stalled{Reason: v1alpha1.ReasonVPCLinkQuotaExceeded, RetryAfter: quotaRefusedRetry, Err: err,
			Message: fmt.Sprintf("AWS refused a new %s VPC link: %s. An account holds 10 V2 and 20 V1 VPC links per region by default (a replacement needs room for one more while the old link still serves); delete unused links or ask AWS for a higher quota (Service Quotas); retried every %s",
				e.desired.Type, awserrors.Message(err), quotaRefusedRetry)}
	}
	if err != nil {
		return managed.Observation{}, err
	}
	e.owned = append(e.owned, created)
	e.current = created
	return managed.Observation{Exists: true, ID: created.ID}, nil
}

func (e *linkExternal) waitForCreateSlot() error {
	return waitForSlot(e.slots, e.clientKey, vpclinks.CreateV2Bucket, e.uid(), "V2 VPC link create every 15 seconds")
}

// Update changes the current link in place, or makes its replacement when
// its targets changed (the current link keeps serving meanwhile).
func (e *linkExternal) Update(ctx context.Context) (managed.Observation, error) {
	if !vpclinks.Matches(e.current, e.desired) {
		log.FromContext(ctx).Info("Replacing VPC link", "id", e.current.ID, "changes", strings.Join(vpclinks.Replaced(e.current, e.desired), "; "))
		return e.Create(ctx)
	}
	updated, err := e.links.Update(ctx, e.current, vpclinks.Compare(e.current, e.desired))
	if err != nil {
		return managed.Observation{}, err
	}
	for i := range e.owned {
		if e.owned[i].ID == updated.ID {
			e.owned[i] = updated
		}
	}
	e.current = updated
	return managed.Observation{Exists: true, ID: updated.ID}, nil
}

// Delete deletes every link the object owns, once no APIGateway names the
// object: deleting a link under an integration would break its API.
func (e *linkExternal) Delete(ctx context.Context) (bool, error) {
	if len(e.users) > 0 {
		return false, &outcome.Waiting{Reason: v1alpha1.ReasonWaitingForDependents, After: e.poll,
			Message: fmt.Sprintf("Deletion waits for the %d APIGateway(s) using this VPC link: %s; remove their vpcLinkRef or delete them", len(e.users), gatewayNames(e.users))}
	}
	for _, l := range e.owned {
		if err := e.links.Delete(ctx, l); err != nil {
			return false, err
		}
	}
	left, err := e.links.List(ctx, e.desired.Type)
	if err != nil {
		return false, err
	}
	for _, l := range left {
		if l.OwnedBy(e.uid()) {
			return false, nil // DELETING: AWS tears it down asynchronously
		}
	}
	return true, nil
}

// Release strips the owner mark from every link the object owns.
func (e *linkExternal) Release(ctx context.Context) error {
	for _, l := range e.owned {
		if err := e.links.Untag(ctx, l, ownership.Keys); err != nil {
			return err
		}
	}
	return nil
}

// Claim takes over a link no one owns: the mark is written, then read back
// before any other write.
func (e *linkExternal) Claim(ctx context.Context, id string) (managed.Observation, error) {
	l, err := e.links.Get(ctx, e.desired.Type, id)
	if awserrors.IsNotFound(err) {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"VPC link %s named by annotation %s was not found among the %s VPC links of the provider's account and region", id, v1alpha1.AdoptVPCLinkIDAnnotation, e.desired.Type)
	}
	if err != nil {
		return managed.Observation{}, err
	}
	if owner := ownership.OwnerUID(l.Tags); owner != "" && owner != e.uid() {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"VPC link %s is owned by %s; orphan it there first (deletionPolicy: Orphan, then delete that object)", id, l.Tags[ownership.OwnerTagKey])
	}
	if err := e.links.Tag(ctx, l, ownership.Tags(e.obj.Namespace, e.obj.Name, e.uid())); err != nil {
		return managed.Observation{}, err
	}
	confirmed, err := e.links.Get(ctx, e.desired.Type, id)
	if err != nil {
		return managed.Observation{}, err
	}
	if !confirmed.OwnedBy(e.uid()) {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"VPC link %s was adopted by %s at the same time; it is theirs now", id, confirmed.Tags[ownership.OwnerTagKey])
	}
	e.owned = append(e.owned, confirmed)
	e.current = confirmed
	return managed.Observation{Exists: true, ID: id, Changes: e.changes()}, nil
}

// ReconcileSubresources is the link's rollout, after the link itself: wait
// until the newest link is AVAILABLE (a requeue, not a held worker), hand
// it to the integrations, then delete the links it replaced once no
// integration of the APIs using this object reaches them.
func (e *linkExternal) ReconcileSubresources(ctx context.Context) ([]managed.Event, error) {
	st := &e.obj.Status
	st.State, st.StatusMessage = v1alpha1.VPCLinkState(e.current.State), e.current.StatusMessage
	serving := e.serving()
	if !e.current.Available() {
		st.PendingVPCLinkID, st.VPCLinkID = e.current.ID, serving
		if e.current.State == vpclinks.StateFailed {
			return nil, outcome.Stall(v1alpha1.ReasonVPCLinkFailed,
				"AWS could not make VPC link %s: %s. Fix the spec (subnetIDs, securityGroupIDs or targetARNs: a change makes a new link)%s",
				e.current.ID, e.current.StatusMessage, servingPhrase(serving))
		}
		return nil, outcome.Wait(e.poll, v1alpha1.ReasonProgressing, "VPC link %s is %s (%s): AWS is provisioning it, which takes a few minutes%s",
			e.current.ID, e.current.State, e.current.StatusMessage, servingPhrase(serving))
	}
	var events []managed.Event
	if previous := st.VPCLinkID; previous != e.current.ID {
		if previous != "" {
			events = append(events, managed.Event{Type: corev1.EventTypeNormal, Reason: reasonVPCLinkSwitched,
				Message: fmt.Sprintf("Integrations now connect through VPC link %s instead of %s", e.current.ID, previous)})
		}
		st.VPCLinkID = e.current.ID
	}
	st.PendingVPCLinkID = ""
	retired, stillUsed, err := e.retireReplaced(ctx)
	events = append(events, retired...)
	if err != nil {
		return events, err
	}
	if len(stillUsed) > 0 {
		return events, &outcome.Waiting{Reason: v1alpha1.ReasonProgressing, After: e.poll, StillReady: true,
			Message: fmt.Sprintf("VPC link %s serves; the links it replaced are deleted once no integration uses them: %s", e.current.ID, strings.Join(stillUsed, "; "))}
	}
	return events, nil
}

// serving is the link integrations may keep using while the current one
// is not AVAILABLE: the one status handed out, if it is still ours and
// AVAILABLE.
func (e *linkExternal) serving() string {
	for _, l := range e.owned {
		if l.ID == e.obj.Status.VPCLinkID && l.Available() {
			return l.ID
		}
	}
	return ""
}

func servingPhrase(serving string) string {
	if serving == "" {
		return ""
	}
	return "; integrations keep using VPC link " + serving + " meanwhile"
}

// retireReplaced deletes each owned link but the current one that no
// integration of the APIs using this object reaches, and words where the
// others are still used.
func (e *linkExternal) retireReplaced(ctx context.Context) ([]managed.Event, []string, error) {
	var events []managed.Event
	var stillUsed []string
	e.obj.Status.ReplacedVPCLinkIDs = nil
	for _, l := range e.owned {
		if l.ID == e.current.ID {
			continue
		}
		uses, err := e.usesOf(ctx, l.ID)
		if err != nil {
			return events, stillUsed, err
		}
		if len(uses) > 0 {
			e.obj.Status.ReplacedVPCLinkIDs = append(e.obj.Status.ReplacedVPCLinkIDs, l.ID)
			stillUsed = append(stillUsed, l.ID+" by "+strings.Join(uses, ", "))
			continue
		}
		if err := e.links.Delete(ctx, l); err != nil {
			return events, stillUsed, err
		}
		log.FromContext(ctx).Info("Deleted replaced VPC link", "id", l.ID, "replacedBy", e.current.ID)
		events = append(events, managed.Event{Type: corev1.EventTypeNormal, Reason: reasonVPCLinkRetired,
			Message: fmt.Sprintf("Deleted VPC link %s, replaced by %s: no integration uses it any more", l.ID, e.current.ID)})
	}
	return events, stillUsed, nil
}

// usesOf reads, in AWS, where the APIs of the APIGateways using this
// object still reach a link: their integrations and deployed stages. Only
// an API carrying its APIGateway's owner-uid tag is read (status.apiId is a
// cache); an API not found in this account cannot use the link.
func (e *linkExternal) usesOf(ctx context.Context, linkID string) ([]string, error) {
	var uses []string
	for _, gw := range e.users {
		if gw.Status.APIID == "" {
			continue
		}
		protocol := gateway.Protocol(gw.Spec.ProtocolType)
		api, err := e.apis.Get(ctx, protocol, gw.Status.APIID)
		if awserrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !ownership.OwnedBy(api.Tags, string(gw.UID)) {
			continue
		}
		found, err := e.links.Uses(ctx, protocol, api.ID, linkID)
		if err != nil {
			return nil, err
		}
		for _, where := range found {
			uses = append(uses, fmt.Sprintf("APIGateway %s/%s (%s)", gw.Namespace, gw.Name, where))
		}
	}
	return uses, nil
}
