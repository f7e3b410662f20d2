package v1alpha1_test

// The admission rules of the CRDs, checked against a real kube-apiserver (no
// manager, no operator): every rule is seen refusing a value, with the exact
// message it gives, next to an accepted value at its edge. Creates are
// server-side dry runs, so the cases run in parallel and leave nothing behind.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	v1alpha1 "github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

var k8s client.Client

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if _, err := testenv.AssetsDir(); err != nil {
		fmt.Fprintln(os.Stderr, "envtest assets:", err)
		return 1
	}
	start := time.Now()
	// Start fails when the API server refuses a CRD, for instance when a
	// rule's estimated CEL cost exceeds the budget: installing is a test.
	env := &envtest.Environment{CRDDirectoryPaths: testenv.CRDPaths(), ErrorIfCRDPathMissing: true}
	cfg, err := env.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the API server and installing the CRDs:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	fmt.Fprintf(os.Stderr, "API server up, CRDs installed in %s\n", time.Since(start).Round(time.Millisecond))

	scheme := runtime.NewScheme()
	if err := corev1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		return 1
	}
	// The namespaces the cases and the samples use ("default" exists).
	for _, ns := range []string{"production", "updates"} {
		if err := k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			fmt.Fprintln(os.Stderr, "namespace:", err)
			return 1
		}
	}
	return m.Run()
}

// refusal is one cause the API server must give: the field it names and the
// message, which the cause's text ends with (the API server puts
// `Invalid value: "...": ` before a rule's message).
type refusal struct {
	field string
	msg   string
}

type admissionCase struct {
	name string
	obj  client.Object
	want *refusal // nil: accepted
}

func refused(field, msg string) *refusal { return &refusal{field: field, msg: msg} }

// check says whether err is what the case expects.
func check(t *testing.T, err error, want *refusal) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("refused, want accepted: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("accepted, want refused on %s with %q", want.field, want.msg)
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		t.Fatalf("refused without field causes: %v", err)
	}
	causes := status.Status().Details.Causes
	for _, c := range causes {
		if c.Field == want.field && strings.HasSuffix(c.Message, want.msg) {
			return
		}
	}
	var got strings.Builder
	for _, c := range causes {
		fmt.Fprintf(&got, "\n  %s: %s", c.Field, c.Message)
	}
	t.Fatalf("refused, but not on %s with %q; causes:%s", want.field, want.msg, got.String())
}

func runCases(t *testing.T, cases []admissionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			check(t, k8s.Create(context.Background(), tc.obj, client.DryRunAll), tc.want)
		})
	}
}

// The messages of the rules, as the markers in api/v1alpha1 spell them.
const (
	msgTagSize       = "tag keys must be 1 to 128 characters and values at most 256 (AWS's limits); shorten or remove the tag"
	msgTagReserved   = "tag keys starting with aws: (in any case) are reserved by AWS; rename the tag"
	msgTagCharset    = "tag keys may hold only letters, digits, spaces and _ . : / = + - @ (AWS's character set); remove or replace the other characters"
	msgTooManyTags   = "Too many: 49: must have at most 48 items"
	msgNameControl   = "name must not hold control characters (tabs, newlines, escapes); remove them"
	msgDescControl   = "description must not hold control characters (tabs, newlines, escapes); write it on one line without them"
	msgMethods       = "allowMethods entries must be GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or \"*\", in upper case (browsers compare methods case-sensitively); fix the misspelt or unknown method"
	msgMethodTwice   = "allowMethods lists a method twice (methods are case-insensitive); remove the duplicate"
	msgOrigin        = "allowOrigins entries must be \"*\" or origins such as https://app.example.com (scheme, host and optional port, without path or trailing slash, which browsers never send); fix the entry"
	msgOriginTwice   = "allowOrigins lists an origin twice; remove the duplicate"
	msgAllowHeader   = "allowHeaders entries must be header names such as Content-Type (no spaces, colons or values) or \"*\"; fix the entry"
	msgAllowHdrTwice = "allowHeaders lists a header twice (header names are case-insensitive); remove the duplicate"
	msgExposeHeader  = "exposeHeaders entries must be header names such as X-Request-Id (no spaces, colons or values) or \"*\"; fix the entry"
	msgExposeTwice   = "exposeHeaders lists a header twice (header names are case-insensitive); remove the duplicate"
	msgMaxAge        = "maxAge must be between -1 and 86400 seconds (AWS's range; -1 disables caching of preflight answers)"
	msgCredentials   = "allowCredentials: true cannot be combined with allowOrigins \"*\": AWS refuses it (allow-credentials is not supported if 'allow-origin' is *) and browsers never send credentials to a wildcard origin; list the exact origins instead (for example https://app.example.com), or set allowCredentials: false"
	msgCORSOnlyHTTP  = "corsConfiguration is supported only with protocolType: HTTP (API Gateway has no CORS setting for REST or WEBSOCKET APIs); remove corsConfiguration, or use protocolType: HTTP"
	msgEndpointType  = "endpointType EDGE and PRIVATE exist only for protocolType: REST; HTTP and WEBSOCKET APIs (API Gateway v2) are always regional and cannot be private, so AWS would expose this API publicly. Use endpointType: REGIONAL (or omit it), or for a VPC-only API use protocolType: REST with endpointType: PRIVATE"
	msgVPCEOnly      = "vpcEndpointIds apply only to endpointType: PRIVATE (a REST API); remove them or set endpointType: PRIVATE"
	msgVPCEID        = "vpcEndpointIds entries must be VPC endpoint ids such as vpce-0123456789abcdef0; fix the entry"
	msgVPCETwice     = "vpcEndpointIds lists an endpoint twice; remove the duplicate"
	msgWebSocketOnly = "routeSelectionExpression and apiKeySelectionExpression apply only to protocolType: WEBSOCKET; remove them"
	msgProtocolImm   = "protocolType is immutable: AWS cannot change the protocol of an API; create a new APIGateway with the other protocol instead"
	msgPrivateToEdge = "endpointType cannot change from PRIVATE to EDGE (AWS refuses it); change it to REGIONAL, or create a new APIGateway"
	msgClusterNS     = "providerRef.namespace applies only to kind AWSProvider: a ClusterAWSProvider is cluster-scoped; remove namespace"
	msgRefNamespace  = "providerRef.namespace must be a namespace name (lowercase letters, digits and -, at most 63); fix it, or remove it to use this object's namespace"
	msgUnknownKind   = `Unsupported value: "Provider": supported values: "AWSProvider", "ClusterAWSProvider"`

	msgCredsRequired = "credentialsSecret is required: a namespaced AWSProvider authenticates with a Secret of its own namespace (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). The operator's own identity (IRSA, EKS Pod Identity, instance profile) is the cluster admin's to hand out: ask for a ClusterAWSProvider and reference it with providerRef.kind: ClusterAWSProvider"
	msgExternalID    = "externalID is sent only when assuming a role: set roleARN too, or remove externalID"
	msgExternalIDFmt = "externalID must be 2 to 1224 characters of letters, digits and _ + = , . @ : / - (STS's limits); fix it to the value the role's trust policy names"
	msgRoleARN       = "roleARN must be the ARN of an IAM role, such as arn:aws:iam::123456789012:role/my-role"
	msgRegion        = "region must be an AWS region code such as us-east-1 or eu-west-1 (lowercase, no availability-zone letter)"
	msgEndpoint      = "endpoint must be an http or https URL with a host, such as http://127.0.0.1:4566 or https://localstack.example.com; remove it to reach AWS itself"
	msgAllowedNS     = "allowedNamespaces entries must be namespace names (lowercase letters, digits and -, at most 63) or \"*\"; fix or remove the entry"
	msgRequired      = "Required value"
)

// apigw is a valid REST APIGateway in namespace default, changed by mut.
func apigw(mut func(*v1alpha1.APIGateway)) *v1alpha1.APIGateway {
	a := &v1alpha1.APIGateway{
		ObjectMeta: metav1.ObjectMeta{Name: "api", Namespace: "default"},
		Spec: v1alpha1.APIGatewaySpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws"},
			Name:        "my-api",
		},
	}
	if mut != nil {
		mut(a)
	}
	return a
}

// withTags sets the APIGateway's tags.
func withTags(tags map[string]string) *v1alpha1.APIGateway {
	return apigw(func(a *v1alpha1.APIGateway) { a.Spec.Tags = tags })
}

// httpCORS is a valid HTTP APIGateway whose CORS settings mut changes.
func httpCORS(mut func(*v1alpha1.CORSConfiguration)) *v1alpha1.APIGateway {
	return apigw(func(a *v1alpha1.APIGateway) {
		a.Spec.ProtocolType = v1alpha1.ProtocolHTTP
		a.Spec.CORSConfiguration = &v1alpha1.CORSConfiguration{}
		mut(a.Spec.CORSConfiguration)
	})
}

// nTags is n distinct valid tags.
func nTags(n int) map[string]string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("key-%02d", i)] = "value"
	}
	return tags
}

// distinct is n distinct strings made by format from 0..n-1, each padded
// with the letter x up to size characters.
func distinct(n, size int, format string) []string {
	out := make([]string, n)
	for i := range out {
		s := fmt.Sprintf(format, i)
		out[i] = s + strings.Repeat("x", max(0, size-len(s)))
	}
	return out
}

func TestAPIGatewayTags(t *testing.T) {
	runCases(t, []admissionCase{
		{"letters digits spaces and every allowed symbol", withTags(map[string]string{"Team name_1.a:b/c=d+e-f@g": "platform"}), nil},
		{"non-ASCII letters, digits and spaces", withTags(map[string]string{"Größe 日本 ٣": "ok"}), nil},
		{"asterisk in key", withTags(map[string]string{"a*b": "v"}), refused("spec.tags", msgTagCharset)},
		{"newline in key", withTags(map[string]string{"x\ny": "v"}), refused("spec.tags", msgTagCharset)},
		{"emoji in key (not a letter, AWS refuses it)", withTags(map[string]string{"rocket🚀": "v"}), refused("spec.tags", msgTagCharset)},
		{"tab in key", withTags(map[string]string{"a\tb": "v"}), refused("spec.tags", msgTagCharset)},
		{"aws: prefix", withTags(map[string]string{"aws:cloudformation": "v"}), refused("spec.tags", msgTagReserved)},
		{"AWS: prefix", withTags(map[string]string{"AWS:x": "v"}), refused("spec.tags", msgTagReserved)},
		{"Aws: prefix, nothing after", withTags(map[string]string{"Aws:": "v"}), refused("spec.tags", msgTagReserved)},
		{"aws without colon", withTags(map[string]string{"awsome": "v"}), nil},
		{"aws: not at the start", withTags(map[string]string{"team:aws:x": "v"}), nil},
		{"empty key", withTags(map[string]string{"": "v"}), refused("spec.tags", msgTagSize)},
		{"one-character key, empty value", withTags(map[string]string{"k": ""}), nil},
		{"key of 128", withTags(map[string]string{strings.Repeat("k", 128): "v"}), nil},
		{"key of 129", withTags(map[string]string{strings.Repeat("k", 129): "v"}), refused("spec.tags", msgTagSize)},
		{"value of 256", withTags(map[string]string{"k": strings.Repeat("v", 256)}), nil},
		{"value of 256 non-ASCII characters", withTags(map[string]string{"k": strings.Repeat("é", 256)}), nil},
		{"value of 257", withTags(map[string]string{"k": strings.Repeat("v", 257)}), refused("spec.tags", msgTagSize)},
		{"48 tags", withTags(nTags(48)), nil},
		{"49 tags", withTags(nTags(49)), refused("spec.tags", msgTooManyTags)},
	})
}

func TestAPIGatewayNameAndDescription(t *testing.T) {
	name := func(s string) *v1alpha1.APIGateway { return apigw(func(a *v1alpha1.APIGateway) { a.Spec.Name = s }) }
	desc := func(s string) *v1alpha1.APIGateway {
		return apigw(func(a *v1alpha1.APIGateway) { a.Spec.Description = s })
	}
	runCases(t, []admissionCase{
		{"name with spaces, punctuation and non-ASCII", name("My API (v2) – Größe"), nil},
		{"name with tab", name("my\tapi"), refused("spec.name", msgNameControl)},
		{"name with newline", name("my-api\n"), refused("spec.name", msgNameControl)},
		{"name with DEL", name("my\x7fapi"), refused("spec.name", msgNameControl)},
		{"name with ESC", name("\x1b[31mred"), refused("spec.name", msgNameControl)},
		{"name with NUL", name("a\x00b"), refused("spec.name", msgNameControl)},
		{"description on one line", desc("Production REST API: orders, payments & refunds."), nil},
		{"description with newline", desc("line one\nline two"), refused("spec.description", msgDescControl)},
		{"description with tab", desc("a\tb"), refused("spec.description", msgDescControl)},
		{"description with DEL", desc("a\x7f"), refused("spec.description", msgDescControl)},
		{"description with ESC", desc("\x1b"), refused("spec.description", msgDescControl)},
	})
}

func TestAPIGatewayCORS(t *testing.T) {
	const cors = "spec.corsConfiguration"
	methods := func(m ...string) *v1alpha1.APIGateway {
		return httpCORS(func(c *v1alpha1.CORSConfiguration) { c.AllowMethods = m })
	}
	origins := func(o ...string) *v1alpha1.APIGateway {
		return httpCORS(func(c *v1alpha1.CORSConfiguration) { c.AllowOrigins = o })
	}
	allowHeaders := func(h ...string) *v1alpha1.APIGateway {
		return httpCORS(func(c *v1alpha1.CORSConfiguration) { c.AllowHeaders = h })
	}
	exposeHeaders := func(h ...string) *v1alpha1.APIGateway {
		return httpCORS(func(c *v1alpha1.CORSConfiguration) { c.ExposeHeaders = h })
	}
	maxAge := func(s int32) *v1alpha1.APIGateway {
		return httpCORS(func(c *v1alpha1.CORSConfiguration) { c.MaxAge = ptr.To(s) })
	}
	credentials := func(allow bool, o ...string) *v1alpha1.APIGateway {
		return httpCORS(func(c *v1alpha1.CORSConfiguration) { c.AllowCredentials = ptr.To(allow); c.AllowOrigins = o })
	}
	runCases(t, []admissionCase{
		{"every method AWS names", methods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"), nil},
		{"any method", methods("*"), nil},
		{"misspelt method", methods("GET", "GETT"), refused(cors+".allowMethods", msgMethods)},
		{"CONNECT", methods("CONNECT"), refused(cors+".allowMethods", msgMethods)},
		{"TRACE", methods("TRACE"), refused(cors+".allowMethods", msgMethods)},
		{"lower-case method", methods("patch"), refused(cors+".allowMethods", msgMethods)},
		{"method twice", methods("GET", "POST", "GET"), refused(cors+".allowMethods", msgMethodTwice)},
		{"method twice in two cases", methods("GET", "get"), refused(cors+".allowMethods", msgMethodTwice)},

		{"exact origins, wildcard forms and localhost", origins("https://app.example.com", "http://localhost:3000", "https://*", "*", "null"), nil},
		{"origins differing in case only (compared exactly)", origins("https://app.example.com", "https://APP.example.com"), nil},
		{"origin twice", origins("https://app.example.com", "https://admin.example.com", "https://app.example.com"), refused(cors+".allowOrigins", msgOriginTwice)},
		{"origin with trailing slash", origins("https://app.example.com/"), refused(cors+".allowOrigins", msgOrigin)},
		{"origin with path", origins("https://app.example.com/login"), refused(cors+".allowOrigins", msgOrigin)},
		{"origin without scheme", origins("app.example.com"), refused(cors+".allowOrigins", msgOrigin)},

		{"header names and *", allowHeaders("Content-Type", "Authorization", "X-Api-Key", "*"), nil},
		{"header twice in two cases", allowHeaders("Content-Type", "content-type"), refused(cors+".allowHeaders", msgAllowHdrTwice)},
		{"header with its value", allowHeaders("Content-Type: application/json"), refused(cors+".allowHeaders", msgAllowHeader)},
		{"header with a space", allowHeaders("X Api Key"), refused(cors+".allowHeaders", msgAllowHeader)},
		{"exposed headers", exposeHeaders("X-Request-Id", "ETag"), nil},
		{"exposed header twice in two cases", exposeHeaders("X-Request-Id", "x-request-id"), refused(cors+".exposeHeaders", msgExposeTwice)},
		{"exposed header with a comma", exposeHeaders("X-Request-Id, ETag"), refused(cors+".exposeHeaders", msgExposeHeader)},

		// The longest lists at the longest items: the pairwise duplicate
		// checks stay within the per-request CEL budget.
		{"100 origins of 512", origins(distinct(100, 512, "https://%03d.example.com")...), nil},
		{"100 allowed headers of 256", allowHeaders(distinct(100, 256, "X-H%03d-")...), nil},
		{"100 exposed headers of 256", exposeHeaders(distinct(100, 256, "X-H%03d-")...), nil},

		{"maxAge -1 (no caching)", maxAge(-1), nil},
		{"maxAge 86400", maxAge(86400), nil},
		{"maxAge -2", maxAge(-2), refused(cors+".maxAge", msgMaxAge)},
		{"maxAge 86401", maxAge(86401), refused(cors+".maxAge", msgMaxAge)},

		{"credentials with exact origins", credentials(true, "https://app.example.com"), nil},
		{"no credentials with *", credentials(false, "*"), nil},
		{"credentials with *", credentials(true, "https://app.example.com", "*"), refused(cors, msgCredentials)},

		{"CORS on a REST API", apigw(func(a *v1alpha1.APIGateway) {
			a.Spec.CORSConfiguration = &v1alpha1.CORSConfiguration{AllowOrigins: []string{"*"}}
		}), refused("spec", msgCORSOnlyHTTP)},
		{"CORS on a WEBSOCKET API", apigw(func(a *v1alpha1.APIGateway) {
			a.Spec.ProtocolType = v1alpha1.ProtocolWebSocket
			a.Spec.CORSConfiguration = &v1alpha1.CORSConfiguration{AllowOrigins: []string{"*"}}
		}), refused("spec", msgCORSOnlyHTTP)},
	})
}

func TestAPIGatewayEndpointsAndProtocols(t *testing.T) {
	kind := func(p v1alpha1.ProtocolType, e v1alpha1.EndpointType) *v1alpha1.APIGateway {
		return apigw(func(a *v1alpha1.APIGateway) { a.Spec.ProtocolType = p; a.Spec.EndpointType = e })
	}
	vpce := func(e v1alpha1.EndpointType, ids ...string) *v1alpha1.APIGateway {
		return apigw(func(a *v1alpha1.APIGateway) { a.Spec.EndpointType = e; a.Spec.VPCEndpointIDs = ids })
	}
	runCases(t, []admissionCase{
		{"REST PRIVATE", kind(v1alpha1.ProtocolREST, v1alpha1.EndpointPrivate), nil},
		{"REST EDGE", kind(v1alpha1.ProtocolREST, v1alpha1.EndpointEdge), nil},
		{"HTTP REGIONAL", kind(v1alpha1.ProtocolHTTP, v1alpha1.EndpointRegional), nil},
		{"HTTP without endpointType (defaults to REGIONAL)", kind(v1alpha1.ProtocolHTTP, ""), nil},
		{"HTTP PRIVATE", kind(v1alpha1.ProtocolHTTP, v1alpha1.EndpointPrivate), refused("spec", msgEndpointType)},
		{"HTTP EDGE", kind(v1alpha1.ProtocolHTTP, v1alpha1.EndpointEdge), refused("spec", msgEndpointType)},
		{"WEBSOCKET PRIVATE", kind(v1alpha1.ProtocolWebSocket, v1alpha1.EndpointPrivate), refused("spec", msgEndpointType)},

		{"VPC endpoints on PRIVATE, 17 and 8 hex digits", vpce(v1alpha1.EndpointPrivate, "vpce-0123456789abcdef0", "vpce-1a2b3c4d"), nil},
		{"VPC endpoints on REGIONAL", vpce(v1alpha1.EndpointRegional, "vpce-0123456789abcdef0"), refused("spec", msgVPCEOnly)},
		{"VPC endpoint id of a VPC", vpce(v1alpha1.EndpointPrivate, "vpc-0123456789abcdef0"), refused("spec.vpcEndpointIds", msgVPCEID)},
		{"VPC endpoint id in upper case", vpce(v1alpha1.EndpointPrivate, "vpce-0123456789ABCDEF0"), refused("spec.vpcEndpointIds", msgVPCEID)},
		{"VPC endpoint twice", vpce(v1alpha1.EndpointPrivate, "vpce-0123456789abcdef0", "vpce-0123456789abcdef0"), refused("spec.vpcEndpointIds", msgVPCETwice)},

		{"route selection on WEBSOCKET", apigw(func(a *v1alpha1.APIGateway) {
			a.Spec.ProtocolType = v1alpha1.ProtocolWebSocket
			a.Spec.RouteSelectionExpression = "$request.body.action"
			a.Spec.APIKeySelectionExpression = "$request.header.x-api-key"
		}), nil},
		{"route selection on HTTP", apigw(func(a *v1alpha1.APIGateway) {
			a.Spec.ProtocolType = v1alpha1.ProtocolHTTP
			a.Spec.RouteSelectionExpression = "$request.body.action"
		}), refused("spec", msgWebSocketOnly)},
		{"API key selection on REST", apigw(func(a *v1alpha1.APIGateway) {
			a.Spec.APIKeySelectionExpression = "$request.header.x-api-key"
		}), refused("spec", msgWebSocketOnly)},
	})
}

func TestAPIGatewayProviderRef(t *testing.T) {
	ref := func(r v1alpha1.ProviderReference) *v1alpha1.APIGateway {
		return apigw(func(a *v1alpha1.APIGateway) { a.Spec.ProviderRef = r })
	}
	runCases(t, []admissionCase{
		{"AWSProvider of another namespace", ref(v1alpha1.ProviderReference{Kind: v1alpha1.KindAWSProvider, Name: "shared", Namespace: "platform"}), nil},
		{"ClusterAWSProvider", ref(v1alpha1.ProviderReference{Kind: v1alpha1.KindClusterAWSProvider, Name: "org"}), nil},
		{"ClusterAWSProvider with a namespace", ref(v1alpha1.ProviderReference{Kind: v1alpha1.KindClusterAWSProvider, Name: "org", Namespace: "platform"}), refused("spec.providerRef", msgClusterNS)},
		{"unknown kind", ref(v1alpha1.ProviderReference{Kind: "Provider", Name: "aws"}), refused("spec.providerRef.kind", msgUnknownKind)},
		{"namespace that is no namespace name", ref(v1alpha1.ProviderReference{Name: "aws", Namespace: "Team_A"}), refused("spec.providerRef.namespace", msgRefNamespace)},
		{"no provider name", ref(v1alpha1.ProviderReference{}), refused("spec.providerRef.name", "should be at least 1 chars long")},
	})

	t.Run("kind defaults to AWSProvider", func(t *testing.T) {
		t.Parallel()
		a := apigw(nil)
		if err := k8s.Create(context.Background(), a, client.DryRunAll); err != nil {
			t.Fatal(err)
		}
		if a.Spec.ProviderRef.Kind != v1alpha1.KindAWSProvider {
			t.Fatalf("providerRef.kind = %q, want the default %q", a.Spec.ProviderRef.Kind, v1alpha1.KindAWSProvider)
		}
	})
}

// TestAPIGatewayUpdates checks the rules that compare a change with the
// object before it: each case creates its object for real, then dry-runs
// the update.
func TestAPIGatewayUpdates(t *testing.T) {
	cases := []struct {
		name   string
		before func(*v1alpha1.APIGateway)
		change func(*v1alpha1.APIGateway)
		want   *refusal
	}{
		{"REST to HTTP", nil, func(a *v1alpha1.APIGateway) { a.Spec.ProtocolType = v1alpha1.ProtocolHTTP },
			refused("spec.protocolType", msgProtocolImm)},
		{"HTTP to WEBSOCKET", func(a *v1alpha1.APIGateway) { a.Spec.ProtocolType = v1alpha1.ProtocolHTTP },
			func(a *v1alpha1.APIGateway) { a.Spec.ProtocolType = v1alpha1.ProtocolWebSocket },
			refused("spec.protocolType", msgProtocolImm)},
		{"protocol kept, description changed", nil, func(a *v1alpha1.APIGateway) { a.Spec.Description = "changed" }, nil},
		{"PRIVATE to EDGE", func(a *v1alpha1.APIGateway) { a.Spec.EndpointType = v1alpha1.EndpointPrivate },
			func(a *v1alpha1.APIGateway) { a.Spec.EndpointType = v1alpha1.EndpointEdge },
			refused("spec.endpointType", msgPrivateToEdge)},
		{"PRIVATE to REGIONAL", func(a *v1alpha1.APIGateway) { a.Spec.EndpointType = v1alpha1.EndpointPrivate },
			func(a *v1alpha1.APIGateway) { a.Spec.EndpointType = v1alpha1.EndpointRegional }, nil},
		{"EDGE to PRIVATE", func(a *v1alpha1.APIGateway) { a.Spec.EndpointType = v1alpha1.EndpointEdge },
			func(a *v1alpha1.APIGateway) { a.Spec.EndpointType = v1alpha1.EndpointPrivate }, nil},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := apigw(tc.before)
			a.Namespace = "updates"
			a.Name = fmt.Sprintf("update-%d", i)
			if err := k8s.Create(ctx, a); err != nil {
				t.Fatalf("creating the object to update: %v", err)
			}
			t.Cleanup(func() { _ = k8s.Delete(context.Background(), a) })
			tc.change(a)
			check(t, k8s.Update(ctx, a, client.DryRunAll), tc.want)
		})
	}
}

// connection is a valid connection (us-east-1) changed by mut.
func connection(mut func(*v1alpha1.AWSConnection)) v1alpha1.AWSConnection {
	c := v1alpha1.AWSConnection{Region: "us-east-1"}
	if mut != nil {
		mut(&c)
	}
	return c
}

// connectionCases are the rules every provider shares, for a provider built
// by mk from a connection.
func connectionCases(mk func(v1alpha1.AWSConnection) client.Object) []admissionCase {
	c := func(mut func(*v1alpha1.AWSConnection)) client.Object { return mk(connection(mut)) }
	endpoint := func(e string) client.Object { return c(func(c *v1alpha1.AWSConnection) { c.Endpoint = e }) }
	region := func(r string) client.Object { return c(func(c *v1alpha1.AWSConnection) { c.Region = r }) }
	tags := func(t map[string]string) client.Object {
		return c(func(c *v1alpha1.AWSConnection) { c.DefaultTags = t })
	}
	role := func(arn, externalID string) client.Object {
		return c(func(c *v1alpha1.AWSConnection) { c.RoleARN = arn; c.ExternalID = externalID })
	}
	const arn = "arn:aws:iam::123456789012:role/operator"
	return []admissionCase{
		{"region us-east-1", region("us-east-1"), nil},
		{"region us-gov-west-1", region("us-gov-west-1"), nil},
		{"region ap-southeast-2", region("ap-southeast-2"), nil},
		{"region in upper case", region("US-EAST-1"), refused("spec.region", msgRegion)},
		{"availability zone for region", region("us-east-1a"), refused("spec.region", msgRegion)},
		{"region without dashes", region("useast1"), refused("spec.region", msgRegion)},
		{"no region", region(""), refused("spec.region", msgRegion)},

		{"endpoint http with IP and port", endpoint("http://127.0.0.1:4566"), nil},
		{"endpoint https with port and slash", endpoint("https://localstack.example.com:4566/"), nil},
		{"endpoint that is no URL", endpoint("not a url"), refused("spec.endpoint", msgEndpoint)},
		{"endpoint ftp", endpoint("ftp://x"), refused("spec.endpoint", msgEndpoint)},
		{"endpoint without host", endpoint("http://"), refused("spec.endpoint", msgEndpoint)},
		{"endpoint with one slash", endpoint("http:/x"), refused("spec.endpoint", msgEndpoint)},
		{"endpoint with port only", endpoint("http://:4566"), refused("spec.endpoint", msgEndpoint)},

		{"role", role(arn, ""), nil},
		{"role in aws-cn with path", role("arn:aws-cn:iam::123456789012:role/path/to/operator", ""), nil},
		{"role with external ID", role(arn, "tenant-42"), nil},
		{"external ID of 2", role(arn, "ab"), nil},
		{"external ID without role", role("", "tenant-42"), refused("spec", msgExternalID)},
		{"external ID of 1", role(arn, "a"), refused("spec.externalID", msgExternalIDFmt)},
		{"external ID with a space", role(arn, "tenant 42"), refused("spec.externalID", msgExternalIDFmt)},
		{"role ARN of a user", role("arn:aws:iam::123456789012:user/bob", ""), refused("spec.roleARN", msgRoleARN)},
		{"role ARN with a short account", role("arn:aws:iam::1234:role/operator", ""), refused("spec.roleARN", msgRoleARN)},

		{"default tags", tags(map[string]string{"CostCenter": "engineering", "owner": "team@example.com"}), nil},
		{"default tag aws:", tags(map[string]string{"AWS:owner": "x"}), refused("spec.defaultTags", msgTagReserved)},
		{"default tag key with *", tags(map[string]string{"a*b": "x"}), refused("spec.defaultTags", msgTagCharset)},
		{"default tag empty key", tags(map[string]string{"": "x"}), refused("spec.defaultTags", msgTagSize)},
		{"default tag value of 257", tags(map[string]string{"k": strings.Repeat("v", 257)}), refused("spec.defaultTags", msgTagSize)},
		{"48 default tags", tags(nTags(48)), nil},
		{"49 default tags", tags(nTags(49)), refused("spec.defaultTags", msgTooManyTags)},
	}
}

// allowedNamespacesCases are the allowedNamespaces rules, for a provider
// built by mk from the list.
func allowedNamespacesCases(mk func([]string) client.Object) []admissionCase {
	const field = "spec.allowedNamespaces"
	return []admissionCase{
		{"namespace names and *", mk([]string{"team-a", "b", "0", "*", strings.Repeat("n", 63)}), nil},
		{"upper case", mk([]string{"team-a", "Team-A"}), refused(field, msgAllowedNS)},
		{"underscore", mk([]string{"team_a"}), refused(field, msgAllowedNS)},
		{"leading dash", mk([]string{"-a"}), refused(field, msgAllowedNS)},
		{"trailing dash", mk([]string{"a-"}), refused(field, msgAllowedNS)},
		{"empty", mk([]string{""}), refused(field, msgAllowedNS)},
		{"glob", mk([]string{"team-*"}), refused(field, msgAllowedNS)},
		// The items' maxLength (which bounds the rule's cost) refuses it
		// first, naming the limit; the API server then skips the rules.
		{"64 characters", mk([]string{strings.Repeat("n", 64)}), refused(field+"[0]", "Too long: may not be more than 63 bytes")},
	}
}

func awsProvider(mut func(*v1alpha1.AWSProviderSpec)) *v1alpha1.AWSProvider {
	p := &v1alpha1.AWSProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "aws", Namespace: "default"},
		Spec: v1alpha1.AWSProviderSpec{
			AWSConnection:     connection(nil),
			CredentialsSecret: &v1alpha1.SecretReference{Name: "aws-credentials"},
		},
	}
	if mut != nil {
		mut(&p.Spec)
	}
	return p
}

func TestAWSProvider(t *testing.T) {
	cases := []admissionCase{
		{"credentials Secret", awsProvider(nil), nil},
		{"no credentials Secret", awsProvider(func(s *v1alpha1.AWSProviderSpec) { s.CredentialsSecret = nil }),
			refused("spec", msgCredsRequired)},
		{"credentials Secret without name", awsProvider(func(s *v1alpha1.AWSProviderSpec) { s.CredentialsSecret.Name = "" }),
			refused("spec.credentialsSecret.name", "should be at least 1 chars long")},
	}
	cases = append(cases, connectionCases(func(c v1alpha1.AWSConnection) client.Object {
		return awsProvider(func(s *v1alpha1.AWSProviderSpec) { s.AWSConnection = c })
	})...)
	cases = append(cases, allowedNamespacesCases(func(ns []string) client.Object {
		return awsProvider(func(s *v1alpha1.AWSProviderSpec) { s.AllowedNamespaces = ns })
	})...)
	runCases(t, cases)
}

func clusterProvider(mut func(*v1alpha1.ClusterAWSProviderSpec)) *v1alpha1.ClusterAWSProvider {
	p := &v1alpha1.ClusterAWSProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "org"},
		Spec:       v1alpha1.ClusterAWSProviderSpec{AWSConnection: connection(nil)},
	}
	if mut != nil {
		mut(&p.Spec)
	}
	return p
}

func TestClusterAWSProvider(t *testing.T) {
	secret := func(name, namespace string) *v1alpha1.ClusterAWSProvider {
		return clusterProvider(func(s *v1alpha1.ClusterAWSProviderSpec) {
			s.CredentialsSecret = &v1alpha1.NamespacedSecretReference{Name: name, Namespace: namespace}
		})
	}
	cases := []admissionCase{
		{"operator's own identity", clusterProvider(nil), nil},
		{"credentials Secret", secret("aws-credentials", "infra-operator-system"), nil},
		// The Go client omits neither field (neither is omitempty): the
		// empty strings are what a YAML without them would be refused for.
		{"credentials Secret without namespace", secret("aws-credentials", ""),
			refused("spec.credentialsSecret.namespace", "should be at least 1 chars long")},
		{"credentials Secret without name", secret("", "infra-operator-system"),
			refused("spec.credentialsSecret.name", "should be at least 1 chars long")},
		{"namespace selector", clusterProvider(func(s *v1alpha1.ClusterAWSProviderSpec) {
			s.NamespaceSelector = &metav1.LabelSelector{
				MatchLabels: map[string]string{"aws-access": "org"},
				MatchExpressions: []metav1.LabelSelectorRequirement{
					{Key: "team", Operator: metav1.LabelSelectorOpIn, Values: []string{"a", "b"}},
				},
			}
			s.AllowedNamespaces = []string{"platform"}
		}), nil},
	}
	cases = append(cases, connectionCases(func(c v1alpha1.AWSConnection) client.Object {
		return clusterProvider(func(s *v1alpha1.ClusterAWSProviderSpec) { s.AWSConnection = c })
	})...)
	cases = append(cases, allowedNamespacesCases(func(ns []string) client.Object {
		return clusterProvider(func(s *v1alpha1.ClusterAWSProviderSpec) { s.AllowedNamespaces = ns })
	})...)
	runCases(t, cases)

	// A YAML credentialsSecret without namespace, as a user writes it.
	t.Run("credentials Secret without namespace, from YAML", func(t *testing.T) {
		t.Parallel()
		u := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": v1alpha1.GroupVersion.String(),
			"kind":       "ClusterAWSProvider",
			"metadata":   map[string]any{"name": "org"},
			"spec": map[string]any{
				"region":            "us-east-1",
				"credentialsSecret": map[string]any{"name": "aws-credentials"},
			},
		}}
		check(t, k8s.Create(context.Background(), u, client.DryRunAll), refused("spec.credentialsSecret.namespace", msgRequired))
	})
}

// TestSamples dry-runs every example of config/samples, unchanged: all are
// accepted but the two that show what admission refuses.
func TestSamples(t *testing.T) {
	refusedSamples := map[string]*refusal{
		"apigateway_private_http.yaml":              refused("spec", msgEndpointType),
		"apigateway_cors_credentials_wildcard.yaml": refused("spec.corsConfiguration", msgCredentials),
	}
	dir := filepath.Join(testenv.RepoRoot(), "config", "samples")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in %s: %v", dir, err)
	}
	seen := 0
	for _, file := range files {
		base := filepath.Base(file)
		want, isRefused := refusedSamples[base]
		if isRefused {
			seen++
		}
		objs := readObjects(t, file)
		if len(objs) == 0 {
			t.Fatalf("%s holds no object", base)
		}
		for _, obj := range objs {
			if obj.GetNamespace() == "" {
				obj.SetNamespace("default")
			}
			t.Run(base+"/"+obj.GetName(), func(t *testing.T) {
				t.Parallel()
				check(t, k8s.Create(context.Background(), obj, client.DryRunAll), want)
			})
		}
	}
	if seen != len(refusedSamples) {
		t.Errorf("found %d of the %d samples that must be refused", seen, len(refusedSamples))
	}
}

func readObjects(t *testing.T, file string) []*unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var objs []*unstructured.Unstructured
	decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		u := &unstructured.Unstructured{}
		if err := decoder.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return objs
			}
			t.Fatalf("%s: %v", file, err)
		}
		if len(u.Object) > 0 {
			objs = append(objs, u)
		}
	}
}
