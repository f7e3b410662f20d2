package controller

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/lambdaperm"
	"github.com/runner-codes/infra-operator/internal/aws/openapi"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/reconciler"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// The operator reads a ConfigMap only when an APIGateway names it, with a
// live GET, and watches ConfigMaps by their metadata alone: caching every
// ConfigMap's data of the cluster would cost memory for documents it never
// reads.
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch

// openAPIConfigMapIndex indexes APIGateways by the ConfigMap
// ("namespace/name") their spec.openAPI reads the document from.
const openAPIConfigMapIndex = ".spec.openAPI.configMapRef"

// indexOpenAPIConfigMaps lets a ConfigMap event find the APIGateways reading
// it without listing them all.
func indexOpenAPIConfigMaps(ctx context.Context, indexer client.FieldIndexer) error {
	return indexer.IndexField(ctx, &v1alpha1.APIGateway{}, openAPIConfigMapIndex, func(o client.Object) []string {
		if ref := openAPIConfigMap(o.(*v1alpha1.APIGateway)); ref != nil {
			return []string{o.GetNamespace() + "/" + ref.Name}
		}
		return nil
	})
}

func openAPIConfigMap(obj *v1alpha1.APIGateway) *v1alpha1.ConfigMapKeyReference {
	if obj.Spec.OpenAPI == nil {
		return nil
	}
	return obj.Spec.OpenAPI.ConfigMapRef
}

// gatewaysOfConfigMap maps a ConfigMap event (its metadata) to passes of
// the APIGateways reading their document from it: a changed document is
// applied, a created one unblocks an object waiting for it.
func gatewaysOfConfigMap(reader client.Reader) func(context.Context, client.Object) []reconcile.Request {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		key := o.GetNamespace() + "/" + o.GetName()
		var gateways v1alpha1.APIGatewayList
		if err := reader.List(ctx, &gateways, client.InNamespace(o.GetNamespace()), client.MatchingFields{openAPIConfigMapIndex: key}); err != nil {
			log.FromContext(ctx).Error(err, "Listing the APIGateways of a ConfigMap failed", "configMap", key)
			return nil
		}
		objects := make([]*v1alpha1.APIGateway, len(gateways.Items))
		for i := range gateways.Items {
			objects[i] = &gateways.Items[i]
		}
		return requestsFor(objects)
	}
}

// readDocument reads spec.openAPI's document into e.document, refusing
// first what AWS would refuse later: tags that leave no room for the
// digest tag. A document that cannot be read is also OpenAPIApplied=False.
func (e *apiExternal) readDocument(ctx context.Context, configMaps client.Reader) error {
	obj := e.obj
	if obj.Spec.OpenAPI != nil && len(e.desired.Tags) >= ownership.MaxTags {
		return outcome.Stall(v1alpha1.ReasonTooManyTags,
			"The API would carry %d tags, more than AWS's %d: spec.openAPI takes one for the digest of the document applied; remove a tag from spec.tags or from the provider's defaultTags",
			len(e.desired.Tags)+1, ownership.MaxTags)
	}
	doc, err := documentOf(ctx, configMaps, obj)
	if st, ok := outcome.AsStalled(err); ok {
		reconciler.SetCondition(&obj.Status.Conditions, obj.Generation, v1alpha1.ConditionOpenAPIApplied, metav1.ConditionFalse, st.Reason, st.Message)
	}
	e.document = doc
	return err
}

// documentOf reads spec.openAPI's document: inline, or from the ConfigMap
// key with a live read (the operator caches no ConfigMap data). A missing
// ConfigMap or key, or a ConfigMap without OpenAPIDocumentLabel (the
// operator reads every ConfigMap; the object's author may not), stalls the
// object until the ConfigMap changes (watched).
func documentOf(ctx context.Context, configMaps client.Reader, obj *v1alpha1.APIGateway) (*openapi.Document, error) {
	source := obj.Spec.OpenAPI
	if source == nil {
		return nil, nil
	}
	doc := &openapi.Document{Body: source.Inline, Mode: openapi.ModeOverwrite, FailOnWarnings: source.FailOnWarnings}
	if source.Mode == v1alpha1.OpenAPIMerge {
		doc.Mode = openapi.ModeMerge
	}
	ref := source.ConfigMapRef
	if ref == nil {
		return doc, nil
	}
	var cm corev1.ConfigMap
	err := configMaps.Get(ctx, client.ObjectKey{Namespace: obj.Namespace, Name: ref.Name}, &cm)
	if apierrors.IsNotFound(err) {
		return nil, outcome.Stall(v1alpha1.ReasonOpenAPISourceNotFound,
			"ConfigMap %s/%s named by spec.openAPI.configMapRef does not exist; create it with the document under key %q", obj.Namespace, ref.Name, ref.Key)
	}
	if err != nil {
		return nil, err
	}
	if cm.Labels[v1alpha1.OpenAPIDocumentLabel] != "true" {
		return nil, outcome.Stall(v1alpha1.ReasonOpenAPISourceNotAllowed,
			"ConfigMap %s/%s does not carry the label %s=true; label it to let APIGateways read their OpenAPI document from it (the label is the consent of whoever may change the ConfigMap)",
			obj.Namespace, ref.Name, v1alpha1.OpenAPIDocumentLabel)
	}
	body, ok := cm.Data[ref.Key]
	if !ok {
		binary, isBinary := cm.BinaryData[ref.Key]
		if !isBinary {
			return nil, outcome.Stall(v1alpha1.ReasonOpenAPISourceNotFound,
				"ConfigMap %s/%s has no key %q (it has %s); add the document under that key, or fix spec.openAPI.configMapRef.key",
				obj.Namespace, ref.Name, ref.Key, configMapKeys(&cm))
		}
		body = string(binary)
	}
	doc.Body = body
	return doc, nil
}

func configMapKeys(cm *corev1.ConfigMap) string {
	var keys []string
	for k := range cm.Data {
		keys = append(keys, k)
	}
	for k := range cm.BinaryData {
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return "no keys"
	}
	slices.Sort(keys)
	return "keys " + strings.Join(keys, ", ")
}

// documentDigest is the digest of spec.openAPI's document for this API, ""
// when there is none.
func (e *apiExternal) documentDigest() string {
	if e.document == nil {
		return ""
	}
	return e.document.Digest(e.desired.Protocol)
}

// reconcileOpenAPI applies spec.openAPI's document when the digest tag on
// the API names another one (or none): AWS's record of what was applied,
// never status, decides, and an unchanged document costs no call. AWS takes
// the API's name, description and CORS from a document as well: the spec's
// are put back in the same pass, with the new digest tag.
func (e *apiExternal) reconcileOpenAPI(ctx context.Context) ([]managed.Event, error) {
	if e.document == nil {
		return nil, nil
	}
	digest := e.documentDigest()
	if e.current.Tags[openapi.DigestTagKey] == digest {
		e.recordOpenAPI(digest, e.recordedWarnings(digest))
		return nil, nil
	}
	warnings, err := e.openAPI.Apply(ctx, e.current, *e.document)
	if err != nil {
		if !awserrors.IsTerminal(err) || awserrors.IsAccessDenied(err) {
			return nil, err
		}
		message := "AWS refused the OpenAPI document: " + awserrors.Message(err)
		reconciler.SetCondition(&e.obj.Status.Conditions, e.obj.Generation, v1alpha1.ConditionOpenAPIApplied, metav1.ConditionFalse,
			v1alpha1.ReasonOpenAPIRejected, message)
		// No retry: the same document would be refused again; a change of
		// the spec or of the ConfigMap starts the next pass.
		return nil, outcome.StallCause(err, v1alpha1.ReasonOpenAPIRejected, "%s; fix the document (it is applied again once changed)", message)
	}
	if err := e.restoreAPIAfterImport(ctx, digest); err != nil {
		return nil, err
	}
	e.recordOpenAPI(digest, warnings)
	events := []managed.Event{{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonSucceeded,
		Message: fmt.Sprintf("Applied the OpenAPI document %s to API %s", shortDigest(digest), e.current.ID)}}
	if len(warnings) > 0 {
		events = append(events, managed.Event{Type: corev1.EventTypeWarning, Reason: v1alpha1.ReasonOpenAPIWarnings,
			Message: "AWS imported the OpenAPI document with warnings: " + strings.Join(warnings, "; ")})
	}
	return events, nil
}

// forgetRemovedDocument clears what status says of a document spec.openAPI
// no longer names, once the pass has swept what it made: until then, status
// keeps saying the operator has children to sweep.
func (e *apiExternal) forgetRemovedDocument() {
	if e.document == nil {
		e.obj.Status.OpenAPI = nil
		meta.RemoveStatusCondition(&e.obj.Status.Conditions, v1alpha1.ConditionOpenAPIApplied)
	}
}

// restoreAPIAfterImport reads the API back from AWS (the import changed
// it; the shared inventory has not seen that) and brings it to the spec,
// writing the digest tag with the same calls.
func (e *apiExternal) restoreAPIAfterImport(ctx context.Context, digest string) error {
	imported, err := e.raw.Get(ctx, e.current.Protocol, e.current.ID)
	if err != nil {
		return err
	}
	e.desired.Tags[openapi.DigestTagKey] = digest
	updated, err := e.gw.Update(ctx, imported, e.desired)
	if err != nil {
		return err
	}
	e.current = updated
	recordObservedAPI(e.obj, updated)
	return nil
}

// keepDigestTag carries the digest tag AWS holds into the desired API, so
// that bringing the API to the spec leaves it; without a document it is
// not desired, and goes.
func (e *apiExternal) keepDigestTag(observed map[string]string) {
	if e.document == nil {
		return
	}
	if digest, ok := observed[openapi.DigestTagKey]; ok {
		e.desired.Tags[openapi.DigestTagKey] = digest
	}
}

// recordedWarnings are the warnings status holds for the digest: AWS gives
// them only when it imports.
func (e *apiExternal) recordedWarnings(digest string) []string {
	if st := e.obj.Status.OpenAPI; st != nil && st.Digest == digest {
		return st.Warnings
	}
	return nil
}

// recordOpenAPI mirrors the applied document in status and OpenAPIApplied.
func (e *apiExternal) recordOpenAPI(digest string, warnings []string) {
	e.obj.Status.OpenAPI = &v1alpha1.OpenAPIStatus{Digest: digest, Warnings: warnings}
	status, reason := metav1.ConditionTrue, v1alpha1.ReasonSucceeded
	message := "The API serves the OpenAPI document " + shortDigest(digest)
	if len(warnings) > 0 {
		reason = v1alpha1.ReasonOpenAPIWarnings
		message += fmt.Sprintf(", which AWS imported with %d warnings: %s", len(warnings), strings.Join(warnings, "; "))
	}
	reconciler.SetCondition(&e.obj.Status.Conditions, e.obj.Generation, v1alpha1.ConditionOpenAPIApplied, status, reason, message)
}

func shortDigest(digest string) string { return "sha256:" + digest[:12] }

// documentGrants are the invoke permissions the document's Lambda
// integrations and authorizers need: one statement per function its routes
// invoke, with the narrowest source ARN covering those routes, and one per
// Lambda authorizer.
func (e *apiExternal) documentGrants() ([]lambdaperm.Grant, error) {
	if e.document == nil {
		return nil, nil
	}
	lambdas, err := openapi.LambdaFunctions(e.document.Body)
	if err != nil {
		return nil, outcome.StallCause(err, v1alpha1.ReasonPermissionsFailed, "Finding the Lambda functions of the OpenAPI document failed: %v", err)
	}
	prefix := e.permissionPrefix()
	var grants []lambdaperm.Grant
	for function, routes := range lambdas.Routes {
		grants = append(grants, lambdaperm.Grant{
			FunctionARN: function,
			StatementID: lambdaperm.StatementID(prefix, "openapi", function),
			SourceARN:   lambdaperm.RouteSourceARN(e.region, e.account, e.current.ID, routes),
		})
	}
	for scheme, function := range lambdas.Authorizers {
		grants = append(grants, lambdaperm.Grant{
			FunctionARN: function,
			StatementID: lambdaperm.StatementID(prefix, "openapi-authorizer", scheme),
			SourceARN:   lambdaperm.AuthorizerSourceARN(e.region, e.account, e.current.ID, "*"),
		})
	}
	return grants, nil
}
