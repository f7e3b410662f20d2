package controller

import (
	"context"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/domains"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/awsquotas"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewaydomainnames,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewaydomainnames/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewaydomainnames/finalizers,verbs=update

// APIGatewayDomainNames is the APIGatewayDomainName kind: how the shared
// managed reconciler reaches an object's custom domain name in AWS.
type APIGatewayDomainNames struct {
	AWS *session.Factory
	// Reader reads the APIGateways mapping stages to a domain (the
	// manager's cache).
	Reader client.Reader
	// Poll is how soon a deletion waiting for the domain's mappings looks
	// again (the APIGateway watch usually brings it back sooner).
	Poll time.Duration
}

// Kind describes the kind to the managed reconciler.
func (k *APIGatewayDomainNames) Kind() managed.Kind[*v1alpha1.APIGatewayDomainName] {
	return managed.Kind[*v1alpha1.APIGatewayDomainName]{
		Name:            "APIGatewayDomainName",
		Resource:        "domain name",
		Finalizer:       v1alpha1.APIGatewayDomainNameFinalizer,
		AdoptAnnotation: v1alpha1.AdoptDomainNameAnnotation,
		New:             func() *v1alpha1.APIGatewayDomainName { return &v1alpha1.APIGatewayDomainName{} },
		Connect:         k.connect,
		RecordedID:      func(obj *v1alpha1.APIGatewayDomainName) string { return obj.Status.DomainName },
		Forget:          forgetDomain,
		ReadyMessage: func(obj *v1alpha1.APIGatewayDomainName) string {
			return fmt.Sprintf("Domain name %s matches the spec; point its DNS at %s (hosted zone %s)", obj.Status.DomainName, obj.Status.TargetDomainName, obj.Status.HostedZoneID)
		},
	}
}

func forgetDomain(obj *v1alpha1.APIGatewayDomainName) {
	st := &obj.Status
	st.DomainName, st.TargetDomainName, st.HostedZoneID, st.EndpointType, st.DomainNameStatus = "", "", "", "", ""
	st.Mappings, st.MappingCount = nil, 0
}

func (k *APIGatewayDomainNames) connect(ctx context.Context, obj *v1alpha1.APIGatewayDomainName, p *providers.Resolved) (managed.External, error) {
	if err := refuseTags("domain name", obj.Spec.Tags, p); err != nil {
		return nil, err
	}
	endpointType := obj.EndpointTypeOrDefault()
	if region := certificateRegion(obj.Spec.CertificateARN); endpointType == v1alpha1.DomainRegional && region != p.Scope.Region {
		return nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
			"certificateARN is a certificate of region %s, but a REGIONAL domain name is served with a certificate of its own region, %s (%s's): import or request the certificate in ACM in %s and name it",
			region, p.Scope.Region, providers.Describe(p.Ref), p.Scope.Region)
	}
	client, err := domains.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	users, err := domainUsers(ctx, k.Reader, obj)
	if err != nil {
		return nil, err
	}
	markDomainInUse(obj, users)
	desired := domains.Domain{
		Name: obj.Spec.DomainName, EndpointType: string(endpointType), CertificateARN: obj.Spec.CertificateARN,
		SecurityPolicy: string(obj.SecurityPolicyOrDefault()),
		Tags:           ownership.Merge(p.DefaultTags, obj.Spec.Tags, ownership.Tags(obj.Namespace, obj.Name, string(obj.UID))),
	}
	if m := obj.Spec.MutualTLS; m != nil {
		desired.TruststoreURI, desired.TruststoreVersion = m.TruststoreURI, m.TruststoreVersion
	}
	return &domainExternal{obj: obj, domains: client, slots: k.AWS, clientKey: p.ClientKey, desired: desired, users: users, poll: k.Poll}, nil
}

// certificateRegion is the region field of an ACM ARN.
func certificateRegion(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 4 {
		return ""
	}
	return parts[3]
}

// markDomainInUse sets InUse, naming the APIGateways mapping stages to the
// domain.
func markDomainInUse(obj *v1alpha1.APIGatewayDomainName, users []v1alpha1.APIGateway) {
	if len(users) == 0 {
		reconciler.SetCondition(&obj.Status.Conditions, obj.Generation, v1alpha1.ConditionInUse, metav1.ConditionFalse,
			v1alpha1.ReasonNotInUse, "No APIGateway maps a stage to this domain name")
		return
	}
	reconciler.SetCondition(&obj.Status.Conditions, obj.Generation, v1alpha1.ConditionInUse, metav1.ConditionTrue,
		v1alpha1.ReasonInUse, fmt.Sprintf("Mapped by %d APIGateway(s): %s", len(users), gatewayNames(users)))
}

// SetupWithManager watches the kind (spec and annotation changes only), its
// providers, and the APIGateways mapping to a domain: their mappings are
// the domain's status, and hold its deletion.
func (k *APIGatewayDomainNames) SetupWithManager(mgr ctrl.Manager, r *managed.Reconciler[*v1alpha1.APIGatewayDomainName], options controller.Options) error {
	return sharedKindController(mgr, &v1alpha1.APIGatewayDomainName{}, domainRefs).
		WithOptions(options).
		Named("apigatewaydomainname").
		Complete(r)
}

// domainExternal is one object's domain name in one account and region.
type domainExternal struct {
	obj       *v1alpha1.APIGatewayDomainName
	domains   *domains.Client
	slots     *session.Factory
	clientKey string
	desired   domains.Domain
	users     []v1alpha1.APIGateway
	poll      time.Duration
	// current is the domain Observe found (owned); foreign one of the
	// name that is not this object's.
	current domains.Domain
	foreign *domains.Domain
}

func (e *domainExternal) uid() string { return string(e.obj.UID) }

func (e *domainExternal) found(d domains.Domain) managed.Observation {
	e.current = d
	st := &e.obj.Status
	st.DomainName, st.TargetDomainName, st.HostedZoneID = d.Name, d.TargetDomainName, d.HostedZoneID
	st.EndpointType, st.DomainNameStatus = v1alpha1.DomainEndpointType(d.EndpointType), d.Status
	return managed.Observation{Exists: true, ID: d.Name, Changes: domains.Changes(d, domains.Compare(d, e.desired))}
}

// Observe reads the domain by its name, the natural key. A domain of that
// name that is not this object's is never touched: AWS would refuse the
// create, and adoption (by annotation) is the way to take over an unowned
// one.
func (e *domainExternal) Observe(ctx context.Context) (managed.Observation, error) {
	d, err := e.domains.Get(ctx, e.desired.EndpointType, e.desired.Name)
	if awserrors.IsNotFound(err) {
		return managed.Observation{}, nil
	}
	if err != nil {
		return managed.Observation{}, err
	}
	if d.OwnedBy(e.uid()) {
		return e.found(d), nil
	}
	// Not this object's: nothing to observe, update or delete; Create
	// refuses it, and Claim (by annotation) may take over an unowned one.
	e.foreign = &d
	return managed.Observation{}, nil
}

func (e *domainExternal) taken(d domains.Domain) error {
	return outcome.Stall(v1alpha1.ReasonDomainNameTaken,
		"Domain name %s already exists in the provider's account and region and %s; AWS holds one domain name of a name per account and region. Delete it there, or, if no one owns it, adopt it with the annotation %s: %s",
		d.Name, ownerWords(d.Tags), v1alpha1.AdoptDomainNameAnnotation, d.Name)
}

// Create makes the domain once its quota slot comes (1 create every 30
// seconds per account), waiting in the queue, not in a worker. A create
// AWS answers with a conflict (another create won, or our own earlier
// attempt whose answer was lost) is settled by reading the owner mark.
func (e *domainExternal) Create(ctx context.Context) (managed.Observation, error) {
	if e.foreign != nil {
		return managed.Observation{}, e.taken(*e.foreign)
	}
	if err := e.waitForSlot(domains.CreateBucket(e.desired.EndpointType)); err != nil {
		return managed.Observation{}, err
	}
	created, err := e.domains.Create(session.WithSlotHolder(ctx, e.uid()), e.desired)
	if awserrors.IsConflict(err) {
		observed, readErr := e.domains.Get(ctx, e.desired.EndpointType, e.desired.Name)
		if readErr != nil {
			return managed.Observation{}, readErr
		}
		if !observed.OwnedBy(e.uid()) {
			return managed.Observation{}, e.taken(observed)
		}
		return e.found(observed), nil
	}
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(created), nil
}

func (e *domainExternal) waitForSlot(bucket awsquotas.Operation) error {
	return waitForSlot(e.slots, e.clientKey, bucket, e.uid(), "call every 30 seconds")
}

// Update brings the domain's certificate, security policy, mutual TLS and
// tags to the spec.
func (e *domainExternal) Update(ctx context.Context) (managed.Observation, error) {
	if err := e.domains.Update(ctx, e.current, e.desired, domains.Compare(e.current, e.desired)); err != nil {
		return managed.Observation{}, err
	}
	updated, err := e.domains.Get(ctx, e.desired.EndpointType, e.desired.Name)
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(updated), nil
}

// Delete deletes the domain once no APIGateway maps a stage to it: the
// mappings go first (their APIGateways remove them), then the domain.
func (e *domainExternal) Delete(ctx context.Context) (bool, error) {
	if len(e.users) > 0 {
		return false, &outcome.Waiting{Reason: v1alpha1.ReasonWaitingForDependents, After: e.poll,
			Message: fmt.Sprintf("Deletion waits for the %d APIGateway(s) mapping stages to this domain name: %s; remove the domains entries of their stages, or delete them", len(e.users), gatewayNames(e.users))}
	}
	if err := e.waitForSlot(domains.DeleteBucket(e.current.EndpointType)); err != nil {
		return false, err
	}
	if err := e.domains.Delete(session.WithSlotHolder(ctx, e.uid()), e.current); err != nil {
		return false, err
	}
	_, err := e.domains.Get(ctx, e.current.EndpointType, e.current.Name)
	if awserrors.IsNotFound(err) {
		return true, nil
	}
	return false, err
}

// Release strips the owner mark.
func (e *domainExternal) Release(ctx context.Context) error {
	return e.domains.Untag(ctx, e.current, ownership.Keys)
}

// Claim takes over a domain name no one owns: the mark is written, then
// read back before any other write.
func (e *domainExternal) Claim(ctx context.Context, name string) (managed.Observation, error) {
	if name != e.desired.Name {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"Annotation %s names %s, but spec.domainName is %s: a domain name is adopted by its own name; fix the annotation", v1alpha1.AdoptDomainNameAnnotation, name, e.desired.Name)
	}
	d, err := e.domains.Get(ctx, e.desired.EndpointType, name)
	if awserrors.IsNotFound(err) {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"Domain name %s named by annotation %s was not found among the %s domain names of the provider's account and region", name, v1alpha1.AdoptDomainNameAnnotation, e.desired.EndpointType)
	}
	if err != nil {
		return managed.Observation{}, err
	}
	if owner := ownership.OwnerUID(d.Tags); owner != "" && owner != e.uid() {
		return managed.Observation{}, e.taken(d)
	}
	if err := e.domains.Tag(ctx, d, ownership.Tags(e.obj.Namespace, e.obj.Name, e.uid())); err != nil {
		return managed.Observation{}, err
	}
	confirmed, err := e.domains.Get(ctx, e.desired.EndpointType, name)
	if err != nil {
		return managed.Observation{}, err
	}
	if !confirmed.OwnedBy(e.uid()) {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"Domain name %s was adopted by %s at the same time; it is theirs now", name, confirmed.Tags[ownership.OwnerTagKey])
	}
	return e.found(confirmed), nil
}

// ReconcileSubresources records the mappings the domain serves, naming the
// APIGateway behind each (the mappings themselves are made by the
// APIGateways, where they are declared).
func (e *domainExternal) ReconcileSubresources(ctx context.Context) ([]managed.Event, error) {
	mappings, err := e.domains.Mappings(ctx, e.current.EndpointType, e.current.Name)
	if err != nil {
		return nil, err
	}
	st := &e.obj.Status
	st.Mappings = make([]v1alpha1.DomainMappingStatus, len(mappings))
	for i, m := range mappings {
		st.Mappings[i] = v1alpha1.DomainMappingStatus{API: apiOwnerName(e.users, m.APIID), APIID: m.APIID, Stage: m.Stage, BasePath: m.BasePath}
	}
	st.MappingCount = int32(len(mappings))
	return nil, nil
}

// apiOwnerName is the APIGateway among gateways whose API is apiID, or
// "API <id>" for one no APIGateway declares.
func apiOwnerName(gateways []v1alpha1.APIGateway, apiID string) string {
	for _, gw := range gateways {
		if gw.Status.APIID == apiID {
			return gw.Namespace + "/" + gw.Name
		}
	}
	return "API " + apiID
}
