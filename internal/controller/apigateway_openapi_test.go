package controller_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	apigatewaytypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/openapi"
)

// httpDocument is an HTTP API definition routing GET /hello to backend, with
// its own title and description (the spec's must win).
func httpDocument(backend string, extraRoot string) string {
	return `openapi: 3.0.1
info:
  title: title-from-the-document
  description: description from the document
  version: "1.0"
` + extraRoot + `paths:
  /hello:
    get:
      responses:
        "200":
          description: ok
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: ` + backend + `/hello
        payloadFormatVersion: "1.0"
`
}

// restDocument is a REST API definition with a MOCK method on each path.
func restDocument(paths ...string) string {
	doc := "openapi: 3.0.1\ninfo:\n  title: rest-from-the-document\n  version: \"1.0\"\npaths:\n"
	for _, p := range paths {
		doc += `  ` + p + `:
    get:
      responses:
        "200":
          description: ok
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "200"
`
	}
	return doc
}

func waitOpenAPIApplied(t *testing.T, key client.ObjectKey, reason string) *v1alpha1.APIGateway {
	t.Helper()
	obj := waitGatewayCondition(t, key, v1alpha1.ConditionOpenAPIApplied, metav1.ConditionTrue, reason)
	if obj.Status.OpenAPI == nil || obj.Status.OpenAPI.Digest == "" {
		t.Fatalf("OpenAPIApplied without status.openAPI: %+v", obj.Status)
	}
	return obj
}

// digestTag is the digest tag AWS holds on the object's API.
func digestTag(t *testing.T, protocol gateway.Protocol, apiID string) string {
	t.Helper()
	api, err := awsClient(t, testRegion).Get(context.Background(), protocol, apiID)
	if err != nil {
		t.Fatal(err)
	}
	return api.Tags[openapi.DigestTagKey]
}

// callsDuring counts the emulator's calls of an operation while run runs.
func callsDuring(operation string, run func()) int64 {
	before := emu.Stats().Calls[operation]
	run()
	return emu.Stats().Calls[operation] - before
}

// An inline document defines what an HTTP API serves; the spec's own API
// settings survive the import; an unchanged document costs no import on
// resync, whatever status says; only the digest tag AWS holds decides. Not
// parallel: it counts the emulator's ReimportApi calls.
func TestOpenAPIInlineDocumentDefinesAnHTTPAPI(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "backend "+r.URL.Path) }))
	t.Cleanup(backend.Close)
	obj := newGateway("default", "openapi-http", v1alpha1.ProtocolHTTP)
	obj.Spec.Description = "description from the spec"
	obj.Spec.CORSConfiguration = &v1alpha1.CORSConfiguration{AllowOrigins: []string{"https://example.com"}}
	obj.Spec.OpenAPI = &v1alpha1.OpenAPISource{Inline: httpDocument(backend.URL, "")}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "$default"}}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })

	applied := waitOpenAPIApplied(t, key, v1alpha1.ReasonSucceeded)
	deployed := waitDeployed(t, key)
	apiID := deployed.Status.APIID
	if got := v2RouteKeys(t, rawClients(t), apiID); !slices.Equal(got, []string{"GET /hello"}) {
		t.Errorf("routes in AWS = %v, want the document's GET /hello", got)
	}
	if deployed.Status.RouteCount != 1 {
		t.Errorf("status.routeCount = %d, want the document's 1 route", deployed.Status.RouteCount)
	}
	if tag := digestTag(t, gateway.ProtocolHTTP, apiID); tag != applied.Status.OpenAPI.Digest {
		t.Errorf("digest tag %q, status says %q", tag, applied.Status.OpenAPI.Digest)
	}
	api, err := awsClient(t, testRegion).Get(context.Background(), gateway.ProtocolHTTP, apiID)
	if err != nil {
		t.Fatal(err)
	}
	if api.Name != obj.Spec.Name || api.Description != obj.Spec.Description || api.CORS == nil || !slices.Equal(api.CORS.AllowOrigins, []string{"https://example.com"}) {
		t.Errorf("the import's name/description/CORS were not put back to the spec's: %+v", api)
	}
	waitServes(t, apiID, "GET", "/hello", nil, 200, "backend /hello")

	// Steady state: no import, no write.
	time.Sleep(resync)
	before := emu.Stats().Calls
	time.Sleep(2 * resync)
	after := emu.Stats().Calls
	for _, op := range append([]string{"ReimportApi", "CreateDeployment", "UpdateStage", "CreateRoute", "DeleteRoute", "AddPermission"}, writeOperations...) {
		if n := after[op] - before[op]; n != 0 {
			t.Errorf("%s called %d times by resyncs of an unchanged document", op, n)
		}
	}
	steady := map[string]int64{}
	for op, n := range after {
		if n > before[op] {
			steady[op] = n - before[op]
		}
	}
	t.Logf("calls in two resync periods of an unchanged document: %v", steady)

	// A forged status digest changes nothing in AWS, and is put right.
	forged := getGateway(t, key)
	forged.Status.OpenAPI.Digest = strings.Repeat("0", 64)
	if err := k8s.Status().Update(context.Background(), forged); err != nil {
		t.Fatal(err)
	}
	n := callsDuring("ReimportApi", func() {
		eventually(t, 10*time.Second, func() error {
			if got := getGateway(t, key).Status.OpenAPI.Digest; got != applied.Status.OpenAPI.Digest {
				return errorf("status digest %q not restored to the tag's %q", got, applied.Status.OpenAPI.Digest)
			}
			return nil
		})
	})
	if n != 0 {
		t.Errorf("a forged status digest made %d imports; the tag says the document is applied", n)
	}

	// The tag gone from AWS (someone else's doing), the document is applied
	// again, once, whatever status says.
	n = callsDuring("ReimportApi", func() {
		if err := awsClient(t, testRegion).Untag(context.Background(), api, []string{openapi.DigestTagKey}); err != nil {
			t.Fatal(err)
		}
		eventually(t, 20*time.Second, func() error {
			if tag := digestTag(t, gateway.ProtocolHTTP, apiID); tag != applied.Status.OpenAPI.Digest {
				return errorf("digest tag %q not written back", tag)
			}
			return nil
		})
		time.Sleep(resync)
	})
	if n != 1 {
		t.Errorf("ReimportApi called %d times after the tag was removed, want 1", n)
	}
}

// A document in a ConfigMap: missing, the object says so and waits; created,
// it is applied; changed, it is applied once more and the REST stage moves
// to a new deployment. Not parallel: it counts PutRestApi calls.
func TestOpenAPIConfigMapDocumentRedeploysRESTStages(t *testing.T) {
	ns := createNamespace(t, "openapi-rest")
	if err := createProvider(context.Background(), ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	obj := newGateway(ns, "openapi-rest", v1alpha1.ProtocolREST)
	obj.Spec.EndpointType = v1alpha1.EndpointRegional
	obj.Spec.OpenAPI = &v1alpha1.OpenAPISource{ConfigMapRef: &v1alpha1.ConfigMapKeyReference{Name: "pets-openapi", Key: "openapi.yaml"}}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "prod"}}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })

	missing := waitGatewayCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonOpenAPISourceNotFound)
	mustContain(t, conditionMessage(missing.Status.Conditions, v1alpha1.ConditionStalled), "pets-openapi")
	mustContain(t, waitEvent(t, missing, v1alpha1.ReasonOpenAPISourceNotFound), "create it")

	// A ConfigMap nobody labelled for APIGateways is not read: the object's
	// author may have no right to read it.
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "pets-openapi"}, Data: map[string]string{"openapi.yaml": restDocument("/pets")}}
	create(t, cm)
	unlabelled := waitGatewayCondition(t, key, v1alpha1.ConditionOpenAPIApplied, metav1.ConditionFalse, v1alpha1.ReasonOpenAPISourceNotAllowed)
	mustContain(t, conditionMessage(unlabelled.Status.Conditions, v1alpha1.ConditionStalled), v1alpha1.OpenAPIDocumentLabel+"=true")

	var first *v1alpha1.APIGateway
	n := callsDuring("PutRestApi", func() {
		cm.Labels = map[string]string{v1alpha1.OpenAPIDocumentLabel: "true"}
		if err := k8s.Update(context.Background(), cm); err != nil {
			t.Fatal(err)
		}
		waitOpenAPIApplied(t, key, v1alpha1.ReasonSucceeded)
		first = waitDeployed(t, key)
	})
	if n != 1 {
		t.Errorf("PutRestApi called %d times for the first document, want 1", n)
	}
	if got := restPaths(t, first.Status.APIID); !slices.Equal(got, []string{"/", "/pets"}) {
		t.Errorf("resources = %v", got)
	}

	var second *v1alpha1.APIGateway
	n = callsDuring("PutRestApi", func() {
		cm.Data["openapi.yaml"] = restDocument("/pets", "/toys")
		if err := k8s.Update(context.Background(), cm); err != nil {
			t.Fatal(err)
		}
		eventually(t, 30*time.Second, func() error {
			second = getGateway(t, key)
			if len(second.Status.Stages) != 1 || second.Status.Stages[0].DeploymentID == first.Status.Stages[0].DeploymentID {
				return errorf("stage still serves %+v", second.Status.Stages)
			}
			return nil
		})
		time.Sleep(2 * resync) // and nothing more happens
	})
	if n != 1 {
		t.Errorf("PutRestApi called %d times for one ConfigMap change, want 1", n)
	}
	if second.Status.OpenAPI.Digest == first.Status.OpenAPI.Digest {
		t.Errorf("status digest unchanged: %s", second.Status.OpenAPI.Digest)
	}
	if got := restPaths(t, first.Status.APIID); !slices.Equal(got, []string{"/", "/pets", "/toys"}) {
		t.Errorf("resources after the change = %v", got)
	}
}

func restPaths(t *testing.T, apiID string) []string {
	t.Helper()
	out, err := rawClients(t).rest.GetResources(context.Background(), &apigateway.GetResourcesInput{RestApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	return sortedValues(out.Items, func(r apigatewaytypes.Resource) *string { return r.Path })
}

// sortedValues is one string member of each item, sorted.
func sortedValues[T any](items []T, member func(T) *string) []string {
	values := make([]string, 0, len(items))
	for _, item := range items {
		values = append(values, aws.ToString(member(item)))
	}
	slices.Sort(values)
	return values
}

// Warnings are reported; with failOnWarnings the document is refused,
// with AWS's words, until it changes.
func TestOpenAPIWarningsAndRejection(t *testing.T) {
	t.Parallel()
	// An extension of REST APIs at the root of an HTTP API's document:
	// AWS imports the rest and warns.
	warned := httpDocument("http://127.0.0.1:9", "x-amazon-apigateway-binary-media-types: [image/png]\n")
	obj := newGateway("default", "openapi-warnings", v1alpha1.ProtocolHTTP)
	obj.Spec.OpenAPI = &v1alpha1.OpenAPISource{Inline: warned}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })

	applied := waitOpenAPIApplied(t, key, v1alpha1.ReasonOpenAPIWarnings)
	if len(applied.Status.OpenAPI.Warnings) != 1 || !contains(applied.Status.OpenAPI.Warnings[0], "x-amazon-apigateway-binary-media-types") {
		t.Errorf("status.openAPI.warnings = %q", applied.Status.OpenAPI.Warnings)
	}
	mustContain(t, conditionMessage(applied.Status.Conditions, v1alpha1.ConditionOpenAPIApplied), "x-amazon-apigateway-binary-media-types")
	mustContain(t, waitEvent(t, applied, v1alpha1.ReasonOpenAPIWarnings), "x-amazon-apigateway-binary-media-types")

	updateSpec(t, key, func(o *v1alpha1.APIGateway) {
		o.Spec.OpenAPI.Inline = strings.Replace(warned, "/hello", "/refused", 1)
		o.Spec.OpenAPI.FailOnWarnings = true
	})
	rejected := waitGatewayCondition(t, key, v1alpha1.ConditionOpenAPIApplied, metav1.ConditionFalse, v1alpha1.ReasonOpenAPIRejected)
	if err := conditionIs(rejected.Status.Conditions, rejected.Generation, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonOpenAPIRejected); err != nil {
		t.Error(err)
	}
	mustContain(t, waitEvent(t, rejected, v1alpha1.ReasonOpenAPIRejected), "Warnings found during import")
	// The refused document changed nothing: the API still serves the first.
	if got := v2RouteKeys(t, rawClients(t), rejected.Status.APIID); !slices.Equal(got, []string{"GET /hello"}) {
		t.Errorf("routes after a refused document = %v", got)
	}
}

// Merge adds the document to a REST API and keeps what it had.
func TestOpenAPIMergeKeepsRESTResources(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", "openapi-merge", v1alpha1.ProtocolREST)
	obj.Spec.EndpointType = v1alpha1.EndpointRegional
	obj.Spec.OpenAPI = &v1alpha1.OpenAPISource{Inline: restDocument("/pets"), Mode: v1alpha1.OpenAPIMerge}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	applied := waitOpenAPIApplied(t, key, v1alpha1.ReasonSucceeded)
	apiID := applied.Status.APIID

	// A resource made outside the document.
	c := rawClients(t)
	resources, err := c.rest.GetResources(context.Background(), &apigateway.GetResourcesInput{RestApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	var root string
	for _, r := range resources.Items {
		if aws.ToString(r.Path) == "/" {
			root = aws.ToString(r.Id)
		}
	}
	if _, err := c.rest.CreateResource(context.Background(), &apigateway.CreateResourceInput{RestApiId: aws.String(apiID), ParentId: aws.String(root), PathPart: aws.String("kept")}); err != nil {
		t.Fatal(err)
	}

	updateSpec(t, key, func(o *v1alpha1.APIGateway) { o.Spec.OpenAPI.Inline = restDocument("/toys") })
	eventually(t, 30*time.Second, func() error {
		if got := restPaths(t, apiID); !slices.Equal(got, []string{"/", "/kept", "/pets", "/toys"}) {
			return errorf("resources = %v, want the merge of both documents and /kept", got)
		}
		return nil
	})
	eventually(t, 10*time.Second, func() error {
		if tag, status := digestTag(t, gateway.ProtocolREST, apiID), getGateway(t, key).Status.OpenAPI.Digest; tag != status || tag == applied.Status.OpenAPI.Digest {
			return errorf("digest tag %q, status %q, first document's %q", tag, status, applied.Status.OpenAPI.Digest)
		}
		return nil
	})
}

// The document's Lambda integrations get invoke permissions, narrowed to
// their routes, and lose them when the document no longer has them.
func TestOpenAPILambdaIntegrationsGetInvokePermissions(t *testing.T) {
	t.Parallel()
	withLambda := `openapi: 3.0.1
info:
  title: lambda-document
  version: "1.0"
paths:
  /orders:
    post:
      responses:
        "200":
          description: ok
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ` + functionARN(testFunction) + `
        payloadFormatVersion: "2.0"
`
	obj := newGateway("default", "openapi-lambda", v1alpha1.ProtocolHTTP)
	obj.Spec.OpenAPI = &v1alpha1.OpenAPISource{Inline: withLambda}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "$default"}}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	deployed := waitDeployed(t, key)
	apiID := deployed.Status.APIID
	c := rawClients(t)

	if err := conditionIs(deployed.Status.Conditions, deployed.Generation, v1alpha1.ConditionPermissionsReady, metav1.ConditionTrue, v1alpha1.ReasonPermissionsGranted); err != nil {
		t.Error(err)
	}
	statements := policyStatements(t, c, deployed, functionARN(testFunction), nil)
	if len(statements) != 1 {
		t.Fatalf("statements = %v, want one", statements)
	}
	for _, source := range statements {
		if want := "arn:aws:execute-api:" + testRegion + ":" + testAccount + ":" + apiID + "/*/POST/orders"; source != want {
			t.Errorf("source ARN %s, want %s", source, want)
		}
	}
	waitServes(t, apiID, "POST", "/orders", nil, 200, "served POST /orders")

	updateSpec(t, key, func(o *v1alpha1.APIGateway) { o.Spec.OpenAPI.Inline = httpDocument("http://127.0.0.1:9", "") })
	eventually(t, 30*time.Second, func() error {
		if left := policyStatements(t, c, deployed, functionARN(testFunction), nil); len(left) != 0 {
			return errorf("statements left: %v", left)
		}
		return nil
	})

	// Without a document, the operator owns the children again: the
	// document's route goes (none is declared), and so do the digest tag
	// and what status said of the document.
	updateSpec(t, key, func(o *v1alpha1.APIGateway) { o.Spec.OpenAPI = nil })
	eventually(t, 30*time.Second, func() error {
		obj := getGateway(t, key)
		if routes := v2RouteKeys(t, c, apiID); len(routes) != 0 {
			return errorf("routes left: %v", routes)
		}
		if tag := digestTag(t, gateway.ProtocolHTTP, apiID); tag != "" {
			return errorf("digest tag left: %q", tag)
		}
		if obj.Status.OpenAPI != nil || conditionMessage(obj.Status.Conditions, v1alpha1.ConditionOpenAPIApplied) != "" || !obj.Status.Ready {
			return errorf("status still speaks of a document, or is not Ready: %+v", obj.Status)
		}
		return nil
	})
}

// The OpenAPI sample (a ConfigMap and the APIGateway reading it) is
// deployed with the document's route to local mode's echo backend.
func TestOpenAPISampleIsDeployed(t *testing.T) {
	t.Parallel()
	ns := createNamespace(t, "openapi-sample")
	if err := createProvider(context.Background(), ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	docs := sampleDocuments(t, "apigateway_openapi.yaml", 2)
	cm, api := &corev1.ConfigMap{}, &v1alpha1.APIGateway{}
	for i, obj := range []client.Object{cm, api} {
		if err := yaml.UnmarshalStrict([]byte(docs[i]), obj); err != nil {
			t.Fatal(err)
		}
		obj.SetNamespace(ns)
		create(t, obj)
	}
	t.Cleanup(func() { deleteAndWait(t, api) })
	deployed := waitDeployed(t, client.ObjectKeyFromObject(api))
	waitOpenAPIApplied(t, client.ObjectKeyFromObject(api), v1alpha1.ReasonSucceeded)
	c := rawClients(t)
	if got := v2RouteKeys(t, c, deployed.Status.APIID); !slices.Equal(got, []string{"GET /hello"}) {
		t.Errorf("routes = %v", got)
	}
	integrations, err := c.v2.GetIntegrations(context.Background(), &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(deployed.Status.APIID)})
	if err != nil {
		t.Fatal(err)
	}
	if len(integrations.Items) != 1 || aws.ToString(integrations.Items[0].IntegrationUri) != "http://127.0.0.1:4567/backend/hello" {
		t.Errorf("integrations = %+v", integrations.Items)
	}
}

// The digest tag is one of AWS's 50: an object whose tags already fill
// them is told so before any import.
func TestOpenAPIWithFullTagsIsRefused(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", "openapi-tags", v1alpha1.ProtocolHTTP)
	obj.Spec.Tags = map[string]string{}
	for i := range 48 {
		obj.Spec.Tags[fmt.Sprintf("tag-%02d", i)] = "v"
	}
	obj.Spec.OpenAPI = &v1alpha1.OpenAPISource{Inline: httpDocument("http://127.0.0.1:9", "")}
	create(t, obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(obj), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonTooManyTags)
	mustContain(t, conditionMessage(stalled.Status.Conditions, v1alpha1.ConditionStalled), "51 tags")
	if stalled.Status.APIID != "" {
		t.Errorf("an API %s was made for an object refused before any call", stalled.Status.APIID)
	}
}

// A labelled ConfigMap without the key names the keys it has.
func TestOpenAPIMissingKeyIsReported(t *testing.T) {
	t.Parallel()
	ns := createNamespace(t, "openapi-key")
	if err := createProvider(context.Background(), ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	create(t, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "docs", Labels: map[string]string{v1alpha1.OpenAPIDocumentLabel: "true"}},
		Data:       map[string]string{"other.yaml": "openapi: 3.0.1"},
	})
	obj := newGateway(ns, "openapi-key", v1alpha1.ProtocolHTTP)
	obj.Spec.OpenAPI = &v1alpha1.OpenAPISource{ConfigMapRef: &v1alpha1.ConfigMapKeyReference{Name: "docs", Key: "openapi.yaml"}}
	create(t, obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(obj), v1alpha1.ConditionOpenAPIApplied, metav1.ConditionFalse, v1alpha1.ReasonOpenAPISourceNotFound)
	mustContain(t, conditionMessage(stalled.Status.Conditions, v1alpha1.ConditionStalled), `has no key "openapi.yaml" (it has keys other.yaml)`)
}
