package controller

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/domains"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// domainRefIndex finds the APIGateways whose stages map to a domain
// object, by "namespace/name".
const domainRefIndex = ".spec.stages.domains.domainRef"

// domainWaitRetry is how soon a stage waiting for its domain looks again;
// the domain watch usually brings it back sooner.
const domainWaitRetry = time.Minute

// domainRefs are the APIGateways' references to domain objects, from
// their stages' domains.
var domainRefs = gatewayReferences{field: domainRefIndex, named: func(obj *v1alpha1.APIGateway) []string {
	var keys []string
	for _, stage := range obj.Spec.Stages {
		for _, d := range stage.Domains {
			keys = appendKey(keys, domainKey(d.DomainRef, obj.Namespace))
		}
	}
	return keys
}}

// domainKey is the index key of a reference made from namespace.
func domainKey(ref v1alpha1.DomainNameReference, namespace string) string {
	return referenceKey(ref.Name, ref.Namespace, namespace)
}

func indexDomainRefs(ctx context.Context, indexer client.FieldIndexer) error {
	return domainRefs.index(ctx, indexer)
}

// domainUsers are the APIGateways that may map stages to the domain.
func domainUsers(ctx context.Context, reader client.Reader, domain *v1alpha1.APIGatewayDomainName) ([]v1alpha1.APIGateway, error) {
	return domainRefs.users(ctx, reader, domain, domain.Spec.AllowedNamespaces)
}

// domainReadinessChanged passes the domain events that change what its
// APIGateways resolve: creation, deletion, a spec change, the domain name
// made, readiness flips, and the domain's mappings in AWS changing. The
// last matters when the domain was deleted outside Kubernetes and made
// again within one pass: it stays Ready under the same name, but its
// mappings are gone, and its APIGateways must map their stages again now
// rather than at their next resync.
func domainReadinessChanged() predicate.Predicate {
	return resolvedChange(func(d *v1alpha1.APIGatewayDomainName) []any {
		return []any{d.Status.DomainName, d.Status.Ready, d.Status.TargetDomainName, d.Status.MappingCount}
	})
}

// domainMapper brings an APIGateway's API mappings to its stages'
// domains, in the API's own account and region.
type domainMapper struct {
	reader  client.Reader
	domains *domains.Client
	gateway *v1alpha1.APIGateway
	scope   v1alpha1.ResourceScope
}

// wantedMapping is one stage's domains entry, resolved.
type wantedMapping struct {
	stage  string
	domain *v1alpha1.APIGatewayDomainName
	path   string
	// waiting is set when the domain cannot take mappings now (it is
	// being made, or deleted): an existing mapping stays, none is made.
	waiting bool
}

// target is a domain name in AWS, with how to reach its mappings.
type target struct{ name, endpointType string }

// reconcile makes the API mappings the stages declare and removes those of
// this API that no stage declares any more. A mapping is this object's
// when it points at the object's API, which carries the owner mark. Each
// entry is handled on its own: one refused entry does not hold the others.
func (m *domainMapper) reconcile(ctx context.Context, apiID string) ([]managed.Event, error) {
	wanted, refusals := m.resolve(ctx)
	targets, err := m.recordedTargets(ctx, apiID)
	if err != nil {
		return nil, err
	}
	for _, w := range wanted {
		t := target{w.domain.Spec.DomainName, string(w.domain.EndpointTypeOrDefault())}
		if !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	var events []managed.Event
	var mapped []v1alpha1.DomainMapping
	for _, t := range targets {
		existing, err := m.domains.Mappings(ctx, t.endpointType, t.name)
		if awserrors.IsNotFound(err) {
			continue // the domain is gone, and its mappings with it
		}
		if err != nil {
			return events, err
		}
		for _, w := range wanted {
			if w.domain.Spec.DomainName != t.name {
				continue
			}
			if w.waiting {
				// Nothing is made, but a mapping already there is kept
				// on record, so that it is found when its entry goes.
				if !slices.ContainsFunc(existing, func(have domains.Mapping) bool { return have.APIID == apiID && have.BasePath == w.path }) {
					continue
				}
			} else {
				event, err := m.ensure(ctx, t, existing, w, apiID)
				if err != nil {
					refusals = append(refusals, err)
					continue
				}
				if event != nil {
					events = append(events, *event)
				}
			}
			mapped = append(mapped, v1alpha1.DomainMapping{Stage: w.stage, Domain: w.domain.Namespace + "/" + w.domain.Name,
				DomainName: t.name, EndpointType: v1alpha1.DomainEndpointType(t.endpointType), BasePath: w.path, URL: strings.TrimSuffix("https://"+t.name+"/"+w.path, "/")})
		}
		removed, err := m.removeUndeclared(ctx, t, existing, wanted, apiID)
		events = append(events, removed...)
		if err != nil {
			return events, err
		}
	}
	m.gateway.Status.DomainMappings = mapped
	if len(refusals) > 0 {
		return events, refusals[0]
	}
	return events, nil
}

// ensure makes the stage's mapping, or finds it made. A base path another
// API holds is refused, naming the APIGateway that holds it.
func (m *domainMapper) ensure(ctx context.Context, t target, existing []domains.Mapping, w wantedMapping, apiID string) (*managed.Event, error) {
	want := domains.Mapping{APIID: apiID, Stage: w.stage, BasePath: w.path}
	for _, have := range existing {
		if have.BasePath != w.path {
			continue
		}
		if have.APIID != apiID {
			return nil, outcome.Stall(v1alpha1.ReasonBasePathTaken,
				"Stage %s cannot be mapped to %s under base path %q: %s already holds it; choose another basePath, or remove that mapping first",
				w.stage, t.name, w.path, m.holderOf(ctx, w.domain, have.APIID))
		}
		if have.Stage == w.stage {
			return nil, nil
		}
		want.ID = have.ID
		if err := m.domains.Restage(ctx, t.endpointType, t.name, want); err != nil {
			return nil, err
		}
		return &managed.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonDomainMapped,
			Message: fmt.Sprintf("Mapped https://%s/%s to stage %s instead of %s", t.name, w.path, w.stage, have.Stage)}, nil
	}
	if err := m.domains.Map(ctx, t.endpointType, t.name, want); err != nil {
		return nil, err
	}
	return &managed.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonDomainMapped,
		Message: fmt.Sprintf("Mapped stage %s to https://%s/%s", w.stage, t.name, w.path)}, nil
}

// holderOf names the APIGateway whose API is apiID among those mapping to
// the domain, or the bare API id.
func (m *domainMapper) holderOf(ctx context.Context, domain *v1alpha1.APIGatewayDomainName, apiID string) string {
	gateways, err := domainRefs.gateways(ctx, m.reader, domain.Namespace+"/"+domain.Name)
	if err != nil {
		return "API " + apiID
	}
	if name := apiOwnerName(gateways, apiID); !strings.HasPrefix(name, "API ") {
		return "APIGateway " + name + " (API " + apiID + ")"
	}
	return "API " + apiID + ", which no APIGateway of this cluster declares,"
}

// removeUndeclared removes this API's mappings on the domain that no stage
// declares.
func (m *domainMapper) removeUndeclared(ctx context.Context, t target, existing []domains.Mapping, wanted []wantedMapping, apiID string) ([]managed.Event, error) {
	var events []managed.Event
	for _, have := range existing {
		if have.APIID != apiID || slices.ContainsFunc(wanted, func(w wantedMapping) bool {
			return w.domain.Spec.DomainName == t.name && w.path == have.BasePath
		}) {
			continue
		}
		if err := m.domains.Unmap(ctx, t.endpointType, t.name, have); err != nil {
			return events, err
		}
		events = append(events, managed.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonDomainUnmapped,
			Message: fmt.Sprintf("Removed the mapping of stage %s at https://%s/%s: no stage declares it any more", have.Stage, t.name, have.BasePath)})
	}
	return events, nil
}

// removeAll removes every mapping of the API on the domains status
// records, before the API is deleted.
func (m *domainMapper) removeAll(ctx context.Context, apiID string) error {
	targets, err := m.recordedTargets(ctx, apiID)
	if err != nil {
		return err
	}
	for _, t := range targets {
		existing, err := m.domains.Mappings(ctx, t.endpointType, t.name)
		if awserrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		if _, err := m.removeUndeclared(ctx, t, existing, nil, apiID); err != nil {
			return err
		}
	}
	m.gateway.Status.DomainMappings = nil
	return nil
}

// recordedTargets are the domains this API may hold mappings on: those
// status says the stages are mapped to, and those whose own status lists a
// mapping of the API (a crash between a mapping's create and this object's
// status write leaves it recorded there only, once the domain has looked).
func (m *domainMapper) recordedTargets(ctx context.Context, apiID string) ([]target, error) {
	var targets []target
	add := func(t target) {
		if !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	for _, d := range m.gateway.Status.DomainMappings {
		add(target{d.DomainName, string(d.EndpointType)})
	}
	var all v1alpha1.APIGatewayDomainNameList
	if err := m.reader.List(ctx, &all); err != nil {
		return nil, err
	}
	for _, domain := range all.Items {
		if domain.Status.DomainName != "" && slices.ContainsFunc(domain.Status.Mappings, func(mapping v1alpha1.DomainMappingStatus) bool { return mapping.APIID == apiID }) {
			add(target{domain.Status.DomainName, string(domain.EndpointTypeOrDefault())})
		}
	}
	return targets, nil
}

// resolve finds the domain object of each stage's domains entry: it must
// consent to the gateway's namespace, live in the API's account and region,
// and own its domain name in AWS (its status having named it). Entries that cannot be used come
// back as refusals; one that waits (its domain is being made or deleted)
// keeps its mapping, one that is refused (no consent, another account, a
// domain not its object's) holds nothing.
func (m *domainMapper) resolve(ctx context.Context) ([]wantedMapping, []error) {
	var wanted []wantedMapping
	var refusals []error
	for _, stage := range m.gateway.Spec.Stages {
		var named []string
		for _, entry := range stage.Domains {
			key := domainKey(entry.DomainRef, m.gateway.Namespace)
			if slices.Contains(named, key) {
				refusals = append(refusals, outcome.Stall(v1alpha1.ReasonInvalidSpec,
					"Stage %s names APIGatewayDomainName %s twice in domains: a stage is mapped once per domain; remove the duplicate", stage.Name, key))
				continue
			}
			named = append(named, key)
			domain, err := m.usableDomain(ctx, stage.Name, entry.DomainRef)
			if err == nil {
				err = refuseMultiLevel(stage.Name, domain, entry.BasePath)
			}
			if err != nil {
				refusals = append(refusals, err)
			}
			if _, waiting := outcome.AsWaiting(err); err == nil || (waiting && domain != nil) {
				wanted = append(wanted, wantedMapping{stage: stage.Name, domain: domain, path: entry.BasePath, waiting: err != nil})
			}
		}
	}
	return wanted, refusals
}

func (m *domainMapper) usableDomain(ctx context.Context, stage string, ref v1alpha1.DomainNameReference) (*v1alpha1.APIGatewayDomainName, error) {
	key := types.NamespacedName{Namespace: m.gateway.Namespace, Name: ref.Name}
	if ref.Namespace != "" {
		key.Namespace = ref.Namespace
	}
	domain := &v1alpha1.APIGatewayDomainName{}
	if err := m.reader.Get(ctx, key, domain); err != nil {
		if apierrors.IsNotFound(err) {
			// Waiting, not Stalled: a domain and its APIGateways are often
			// applied together, in any order.
			return nil, outcome.Wait(domainWaitRetry, v1alpha1.ReasonDomainNotReady, "Stage %s waits for APIGatewayDomainName %s, which does not exist", stage, key)
		}
		return nil, err
	}
	named := "APIGatewayDomainName " + key.String()
	if !providers.ConsentsTo(domain.Namespace, domain.Spec.AllowedNamespaces, m.gateway.Namespace) {
		return nil, outcome.Stall(v1alpha1.ReasonDomainNotAllowed,
			"Stage %s maps to %s, which does not allow namespace %q: its owner must add it (or \"*\") to the domain's spec.allowedNamespaces", stage, named, m.gateway.Namespace)
	}
	if domain.EndpointTypeOrDefault() == v1alpha1.DomainEdge && m.gateway.Spec.ProtocolType != v1alpha1.ProtocolREST {
		return nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
			"Stage %s maps to %s, an EDGE domain name, which serves REST APIs only: map this %s API to a REGIONAL domain name", stage, named, m.gateway.Spec.ProtocolType)
	}
	if scope := domain.Status.Scope; scope != nil && !scope.SameAWS(m.scope) {
		return nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
			"Stage %s maps to %s, which lives in %s, but this API lives in %s: a domain name serves the APIs of its own account and region; use a domain made through a provider of this API's account and region",
			stage, named, describeAWS(*scope), describeAWS(m.scope))
	}
	if !domain.DeletionTimestamp.IsZero() {
		return domain, outcome.Wait(domainWaitRetry, v1alpha1.ReasonDomainNotReady,
			"Stage %s maps to %s, which is being deleted and waits for this mapping to go: remove the stage's domains entry", stage, named)
	}
	// Status only says when to look: the owner mark in AWS decides.
	if domain.Status.DomainName == "" {
		return domain, outcome.Wait(domainWaitRetry, v1alpha1.ReasonDomainNotReady, "Stage %s waits for %s to make its domain name", stage, named)
	}
	observed, err := m.domains.Get(ctx, string(domain.EndpointTypeOrDefault()), domain.Spec.DomainName)
	if awserrors.IsNotFound(err) {
		return domain, outcome.Wait(domainWaitRetry, v1alpha1.ReasonDomainNotReady,
			"Stage %s waits for %s: domain name %s is not in this API's account and region (yet)", stage, named, domain.Spec.DomainName)
	}
	if err != nil {
		return nil, err
	}
	if !observed.OwnedBy(string(domain.UID)) {
		return nil, outcome.Stall(v1alpha1.ReasonNotOwned,
			"Stage %s maps to %s, whose domain name %s %s: it is not used", stage, named, domain.Spec.DomainName, ownerWords(observed.Tags))
	}
	return domain, nil
}

// refuseMultiLevel refuses a base path of several segments where AWS takes
// only one: multi-level API mappings are for REGIONAL domain names with the
// TLS 1.2 security policy (an EDGE domain's base path mappings are one
// segment).
func refuseMultiLevel(stage string, domain *v1alpha1.APIGatewayDomainName, basePath string) error {
	if !strings.Contains(basePath, "/") {
		return nil
	}
	if domain.EndpointTypeOrDefault() == v1alpha1.DomainEdge || domain.SecurityPolicyOrDefault() != "TLS_1_2" {
		return outcome.Stall(v1alpha1.ReasonInvalidSpec,
			"Stage %s maps to APIGatewayDomainName %s/%s under %q, a base path of several segments, which AWS takes only on REGIONAL domain names with securityPolicy TLS_1_2 (this one is %s with %s): use a one-segment basePath, or such a domain",
			stage, domain.Namespace, domain.Name, basePath, domain.EndpointTypeOrDefault(), domain.SecurityPolicyOrDefault())
	}
	return nil
}
