package controller

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/lambdaperm"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
	"github.com/runner-codes/infra-operator/internal/reconciler"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// ReconcileSubresources brings what the API serves to the spec, after the
// API itself: the OpenAPI document, or integrations, authorizers and
// routes; stages, one deployment when what a stage serves changed, and the
// Lambda invoke permissions. An object that declares none of these, and
// never did, leaves its API's children alone (the seed's examples declare
// none).
func (e *apiExternal) ReconcileSubresources(ctx context.Context) ([]managed.Event, error) {
	if !e.managesServing() {
		return nil, nil
	}
	events, err := e.reconcileOpenAPI(ctx)
	if err != nil {
		return events, err
	}
	desired, err := servingOf(ctx, e.obj, e.vpcLinks)
	if err != nil {
		return events, err
	}
	desired.Document, desired.ResponseResync = e.documentDigest(), e.responseResync
	result, err := e.serving.Reconcile(ctx, e.current, desired)
	events = append(events, e.servingEvents(result)...)
	if err != nil {
		e.setDeployed(metav1.ConditionFalse, v1alpha1.ReasonDeploymentFailed, "Bringing what the API serves to the spec failed: "+err.Error())
		return events, err
	}
	e.recordStages(result)
	e.forgetRemovedDocument()
	permissionEvents, err := e.reconcileInvokePermissions(ctx)
	events = append(events, permissionEvents...)
	if err != nil {
		return events, err
	}
	// Mappings come last: a stage must exist before a domain serves it.
	domainEvents, err := e.domains.reconcile(ctx, e.current.ID)
	return append(events, domainEvents...), err
}

// managesServing reports whether the operator owns what the API serves: the
// spec declares some of it, or status says an earlier generation did (its
// children must then be swept).
func (e *apiExternal) managesServing() bool {
	spec, st := e.obj.Spec, e.obj.Status
	return len(spec.Integrations) > 0 || len(spec.Authorizers) > 0 || len(spec.Routes) > 0 || len(spec.Stages) > 0 || spec.OpenAPI != nil ||
		len(st.Stages) > 0 || st.RouteCount > 0 || len(st.InvokePermissions) > 0 || st.OpenAPI != nil
}

// servingEvents words what a pass did: a deployment, and changes that undid
// edits made outside Kubernetes (the spec had already been applied).
func (e *apiExternal) servingEvents(result serving.Result) []managed.Event {
	var events []managed.Event
	if len(result.Changes) > 0 && managed.SpecApplied(e.obj) {
		described := make([]string, len(result.Changes))
		for i, c := range result.Changes {
			described[i] = c.String()
		}
		text := strings.Join(described, "; ")
		events = append(events,
			managed.Event{Type: corev1.EventTypeWarning, Reason: v1alpha1.ReasonDriftDetected, Message: "What API " + e.current.ID + " serves was changed outside Kubernetes: " + text},
			managed.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonDriftHealed, Message: "Reverted what API " + e.current.ID + " serves to the spec: " + text})
	}
	if id := result.DeploymentCreated; id != "" {
		events = append(events, managed.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonDeploymentCreated,
			Message: fmt.Sprintf("Deployed generation %d as deployment %s to stages %s", e.obj.Generation, id, strings.Join(deployedStages(result, id), ", "))})
	}
	return events
}

func deployedStages(result serving.Result, deploymentID string) []string {
	var names []string
	for _, st := range result.Stages {
		if st.DeploymentID == deploymentID {
			names = append(names, st.Name)
		}
	}
	return names
}

// recordStages writes what each stage serves after a pass that converged:
// every stage then serves this generation.
func (e *apiExternal) recordStages(result serving.Result) {
	st := &e.obj.Status
	st.Stages = make([]v1alpha1.StageStatus, len(result.Stages))
	for i, stage := range result.Stages {
		st.Stages[i] = v1alpha1.StageStatus{Name: stage.Name, InvokeURL: stage.InvokeURL, DeploymentID: stage.DeploymentID, DeployedGeneration: e.obj.Generation}
	}
	st.StageCount = int32(len(result.Stages))
	st.RouteCount = int32(len(e.obj.Spec.Routes))
	if e.document != nil {
		// The document's routes are not in the spec: count what AWS has.
		st.RouteCount = int32(result.ObservedRoutes)
	}
	e.setDeployed(metav1.ConditionTrue, v1alpha1.ReasonDeploymentCreated,
		fmt.Sprintf("%d stages serve generation %d", len(result.Stages), e.obj.Generation))
}

func (e *apiExternal) setDeployed(status metav1.ConditionStatus, reason, message string) {
	reconciler.SetCondition(&e.obj.Status.Conditions, e.obj.Generation, v1alpha1.ConditionDeployed, status, reason, message)
}

// reconcileInvokePermissions makes the policies of the functions the spec's
// Lambda integrations and authorizers name grant API Gateway exactly what
// they need, and removes the statements of those no longer declared.
func (e *apiExternal) reconcileInvokePermissions(ctx context.Context) ([]managed.Event, error) {
	want, err := e.invokeGrants()
	if err != nil {
		return nil, err
	}
	if len(want) == 0 && len(e.obj.Status.InvokePermissions) == 0 {
		meta.RemoveStatusCondition(&e.obj.Status.Conditions, v1alpha1.ConditionPermissionsReady)
		return nil, nil
	}
	changes, err := e.permissions.Reconcile(ctx, e.permissionPrefix(), want, e.grantedFunctions())
	events := make([]managed.Event, 0, len(changes))
	for _, c := range changes {
		events = append(events, managed.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonPermissionsGranted, Message: "Invoke permission " + c.String()})
	}
	if err != nil {
		reconciler.SetCondition(&e.obj.Status.Conditions, e.obj.Generation, v1alpha1.ConditionPermissionsReady, metav1.ConditionFalse,
			v1alpha1.ReasonPermissionsFailed, "Granting API Gateway the right to invoke the Lambda functions failed: "+err.Error())
		return events, outcome.StallCause(err, v1alpha1.ReasonPermissionsFailed,
			"Granting API Gateway the right to invoke a Lambda function failed: %v; check the function exists and the operator may call lambda:AddPermission on it, or set invokePermission: None and grant it yourself", err)
	}
	e.obj.Status.InvokePermissions = make([]v1alpha1.InvokePermissionStatus, len(want))
	for i, g := range want {
		e.obj.Status.InvokePermissions[i] = v1alpha1.InvokePermissionStatus{FunctionARN: g.FunctionARN, StatementID: g.StatementID}
	}
	if len(want) == 0 {
		e.obj.Status.InvokePermissions = nil
		meta.RemoveStatusCondition(&e.obj.Status.Conditions, v1alpha1.ConditionPermissionsReady)
		return events, nil
	}
	reconciler.SetCondition(&e.obj.Status.Conditions, e.obj.Generation, v1alpha1.ConditionPermissionsReady, metav1.ConditionTrue,
		v1alpha1.ReasonPermissionsGranted, fmt.Sprintf("API Gateway may invoke the %d Lambda functions this API uses", len(lambdaperm.Functions(want))))
	return events, nil
}

// revokeInvokePermissions removes every statement the operator wrote for
// this object, before its API is deleted.
func (e *apiExternal) revokeInvokePermissions(ctx context.Context) error {
	if len(e.obj.Status.InvokePermissions) == 0 || e.permissions == nil {
		return nil
	}
	if _, err := e.permissions.Reconcile(ctx, e.permissionPrefix(), nil, e.grantedFunctions()); err != nil {
		return err
	}
	e.obj.Status.InvokePermissions = nil
	return nil
}

func (e *apiExternal) permissionPrefix() string { return lambdaperm.StatementPrefix(e.uid()) }

// grantedFunctions are the functions status says earlier passes granted on:
// a hint of where to look, since only statements with this object's prefix
// are ever removed.
func (e *apiExternal) grantedFunctions() []string {
	functions := make([]string, 0, len(e.obj.Status.InvokePermissions))
	for _, p := range e.obj.Status.InvokePermissions {
		functions = append(functions, p.FunctionARN)
	}
	return functions
}

// invokeGrants are the statements the spec needs: one per Lambda
// integration with the narrowest source ARN covering the routes that use
// it, one per Lambda authorizer, but those whose invokePermission is None,
// and those of the OpenAPI document's functions.
func (e *apiExternal) invokeGrants() ([]lambdaperm.Grant, error) {
	spec, prefix := e.obj.Spec, e.permissionPrefix()
	grants, err := e.documentGrants()
	if err != nil {
		return nil, err
	}
	for _, in := range spec.Integrations {
		if in.Lambda == nil || in.Lambda.InvokePermission == v1alpha1.InvokePermissionNone {
			continue
		}
		var routes []string
		for _, r := range spec.Routes {
			if r.Integration == in.Name {
				routes = append(routes, r.Key)
			}
		}
		if len(routes) == 0 {
			continue // nothing invokes it
		}
		grants = append(grants, lambdaperm.Grant{
			FunctionARN: in.Lambda.FunctionARN,
			StatementID: lambdaperm.StatementID(prefix, "integration", in.Name),
			SourceARN:   lambdaperm.RouteSourceARN(e.region, e.account, e.current.ID, routes),
		})
	}
	for _, au := range spec.Authorizers {
		if au.Lambda == nil || au.Lambda.InvokePermission == v1alpha1.InvokePermissionNone {
			continue
		}
		grants = append(grants, lambdaperm.Grant{
			FunctionARN: au.Lambda.FunctionARN,
			StatementID: lambdaperm.StatementID(prefix, "authorizer", au.Name),
			// Any authorizer of this API: its id is AWS's, known only once
			// it exists, and the statement is written before.
			SourceARN: lambdaperm.AuthorizerSourceARN(e.region, e.account, e.current.ID, "*"),
		})
	}
	slices.SortFunc(grants, func(a, b lambdaperm.Grant) int { return strings.Compare(a.StatementID, b.StatementID) })
	return grants, nil
}
