package v1alpha1_test

// The admission rules of the serving part of an APIGateway (integrations,
// authorizers, routes, stages, openAPI), against the real kube-apiserver of
// validation_test.go's TestMain: each rule refusing, with its message, next
// to an accepted value at its edge; the largest objects the bounds allow,
// accepted within the API server's CEL budget; and the serving samples.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	v1alpha1 "github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

// The messages of the serving rules, as the markers spell them.
const (
	msgHTTPRouteKey       = " is not valid for an HTTP API: write $default or METHOD /path, METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY and the path of literal segments, {name} segments and at most a last {name+}, such as GET /orders/{id} or ANY /{proxy+}"
	msgRESTRouteKey       = " is not valid for a REST API: write METHOD /path, METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY and the path of segments of a-zA-Z0-9._- , {name} segments and at most a last {name+}, such as GET /pets/{id} or ANY /{proxy+} ($default exists only for HTTP APIs)"
	msgWSRouteKey         = " is not valid for a WEBSOCKET API: use $connect, $disconnect, $default or a custom key without spaces that does not start with $ (the value routeSelectionExpression picks, such as sendmessage)"
	msgNoIntegration      = ", which spec.integrations does not declare; add an integration of that name, or fix the name"
	msgNoAuthorizer       = ", which spec.authorizers does not declare; add an authorizer of that name, or fix the name"
	msgScopes             = "authorizationScopes are checked only by a JWT (HTTP) or Cognito (REST) authorizer: set the route's authorizer to one, or remove authorizationScopes"
	msgWSAuthorizer       = "a WEBSOCKET API authorizes only the $connect route (AWS checks the connection once); move the authorizer or iamAuthorization to the $connect route"
	msgHTTPRouteOptions   = "apiKeyRequired and route requestParameters exist only for REST and WEBSOCKET APIs (HTTP APIs have neither API keys nor declared parameters); remove them"
	msgRouteParamProto    = "route requestParameters are named method.request.... on REST APIs and route.request.... on WEBSOCKET APIs; rename the parameter for this API's protocol"
	msgRouteParamKey      = "requestParameters keys must be method.request.(path|querystring|header).NAME (REST) or route.request.(header|querystring).NAME (WEBSOCKET), such as method.request.querystring.page; fix the key"
	msgReturnResponse     = "returnResponse (a two-way route) exists only for WEBSOCKET APIs; HTTP and REST routes always answer: remove returnResponse"
	msgAuthorizerAndIAM   = "a route uses either an authorizer or iamAuthorization, not both; remove one"
	msgMockOnHTTP         = "mock integrations exist only for REST and WEBSOCKET APIs; on an HTTP API use a Lambda or HTTP backend"
	msgPayload2           = "payloadFormatVersion \"2.0\" exists only for HTTP APIs; REST and WEBSOCKET APIs send 1.0 events: remove payloadFormatVersion"
	msgVPCLinkTarget      = "a vpcLink integration names listenerARN on HTTP APIs and uri (the NLB's URL) on REST and WEBSOCKET APIs; use the field of this API's protocol"
	msgVPCLinkOneTarget   = "vpcLink sets exactly one of listenerARN (HTTP APIs: the ALB or NLB listener or Cloud Map service) and uri (REST and WEBSOCKET APIs: the NLB's URL)"
	msgVPCLinkOneLink     = "vpcLink sets exactly one of vpcLinkRef (an APIGatewayVPCLink object) and vpcLinkID (the id of a VPC link made outside Kubernetes)"
	msgListenerARN        = "listenerARN must be the ARN of an ALB or NLB listener (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID) or of a Cloud Map service (arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID); fix it"
	msgTimeout            = "timeoutMillis is at most 30000 for HTTP APIs, 29000 for WEBSOCKET and EDGE REST APIs, and 300000 for REGIONAL and PRIVATE REST APIs (beyond 29000 after a quota increase); lower it"
	msgOneBackend         = "an integration sets exactly one of lambda, http, vpcLink and mock; keep the one backend this integration sends requests to"
	msgIntegrationName    = "integration names are lowercase letters, digits and - (not at either end), at most 63 characters, such as orders-fn; rename the integration"
	msgFunctionARN        = "functionARN must be a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:orders (optionally :version or :alias); fix it"
	msgURL                = "url must be an http or https URL with a host and no spaces, such as https://catalog.example.com/{proxy}; fix it"
	msgIntegrationParam   = "requestParameters keys must be 1 to 256 characters, such as overwrite:path or integration.request.header.x-user; fix the key"
	msgJWTOnlyHTTP        = "jwt authorizers exist only for HTTP APIs; on a REST API use cognito (user pools) or lambda, on a WEBSOCKET API lambda"
	msgCognitoOnlyREST    = "cognito authorizers exist only for REST APIs; on an HTTP API use jwt with the user pool's issuer (https://cognito-idp.REGION.amazonaws.com/POOL_ID), on a WEBSOCKET API lambda"
	msgLambdaAuthHTTPOnly = "payloadFormatVersion and simpleResponses of a lambda authorizer exist only for HTTP APIs; remove them"
	msgTokenOnlyREST      = "type: TOKEN exists only for REST APIs; HTTP and WEBSOCKET Lambda authorizers are REQUEST authorizers: remove type"
	msgIdentityProtocol   = "identitySource entries take the protocol's form: $request.header.NAME on HTTP APIs, method.request.header.NAME on REST APIs, route.request.header.NAME on WEBSOCKET APIs (or the protocol's forms of querystring, context and stageVariables); fix the entry"
	msgIdentityForm       = "identitySource entries must name where the identity is, such as $request.header.Authorization (HTTP), method.request.header.Authorization (REST) or route.request.header.Auth (WEBSOCKET); fix the entry"
	msgRESTOneHeader      = "REST TOKEN and cognito authorizers read one header: set identitySource to one method.request.header.NAME entry (such as method.request.header.Authorization), or use a lambda authorizer of type: REQUEST"
	msgOneAuthorizerKind  = "an authorizer sets exactly one of jwt, lambda and cognito; keep the one that checks this authorizer's requests"
	msgValidationExpr     = "identityValidationExpression applies only to type: TOKEN (REST APIs); remove it, or set type: TOKEN"
	msgSimpleResponses    = "simpleResponses needs payloadFormatVersion: \"2.0\" (HTTP APIs); set it, or remove simpleResponses"
	msgIssuer             = "issuer must be an https URL without query or fragment, such as https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf (http only for localhost or 127.0.0.1); fix it"
	msgUserPoolARN        = "userPoolARNs entries must be user pool ARNs such as arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf; fix the entry"
	msgDefaultStage       = "the $default stage exists only for HTTP APIs; name the stage, such as prod"
	msgAutoDeployREST     = "autoDeploy exists only for HTTP and WEBSOCKET stages; the operator deploys REST stages on every change: remove autoDeploy"
	msgExecutionLogs      = "loggingLevel and dataTrace (execution logs) exist only for REST and WEBSOCKET stages; HTTP APIs log through accessLogs: remove them"
	msgRESTOnlyStage      = "cache and tracing exist only for REST stages; remove them"
	msgRouteSettingsKey   = " has routeSettings for a route key that spec.routes does not declare; declare the route, or fix the key (compared exactly with the keys of spec.routes, such as GET /orders/{id})"
	msgStageName          = "stage names are letters, digits, - and _ (at most 128), such as prod, or $default (HTTP APIs); rename the stage"
	msgVariableName       = "stage variable names are letters, digits and _ (at most 64), such as backend_url; rename the variable"
	msgVariableValue      = "stage variable values are letters, digits and - . _ ~ : / ? # & = , (at most 512, no spaces), such as blue or https://orders.internal/v2; fix the value"
	msgAccessLogFormat    = "accessLogs.format must hold $context.requestId (AWS refuses formats without it), such as {\"requestId\":\"$context.requestId\",\"status\":\"$context.status\"}; add it"
	msgAccessLogARN       = "destinationARN must be a CloudWatch Logs group ARN such as arn:aws:logs:eu-west-1:123456789012:log-group:/apigw/orders (or a Firehose stream named amazon-apigateway-...); fix it"
	msgCacheSize          = "a stage cache that is enabled needs a size (\"0.5\" to \"237\" GB); set cache.size"
	msgOpenAPIExclusive   = "openAPI defines the API's routes, integrations and authorizers: remove spec.routes, spec.integrations and spec.authorizers (put them in the document), or remove openAPI (spec.stages stay with either)"
	msgOpenAPIWebSocket   = "openAPI applies to HTTP and REST APIs only (AWS imports no WebSocket document); declare spec.routes and spec.integrations instead"
	msgOpenAPIMerge       = "openAPI.mode: Merge exists only for REST APIs (PutRestApi); HTTP APIs are always overwritten: remove mode or set it to Overwrite"
	msgOpenAPISource      = "openAPI sets exactly one of inline (the document itself) and configMapRef (a ConfigMap key holding it)"
)

const (
	functionARN  = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
	listenerARN  = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/0467ef3c8400ae65"
	userPoolARN  = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"
	issuerURL    = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf"
	logGroupARN  = "arn:aws:logs:eu-west-1:123456789012:log-group:/apigw/orders"
	accessFormat = `{"requestId":"$context.requestId"}`
)

// serving is a valid API of the protocol with one HTTP backend ("backend")
// and one route to it (a key of the protocol), changed by mut.
func serving(protocol v1alpha1.ProtocolType, mut func(*v1alpha1.APIGatewaySpec)) *v1alpha1.APIGateway {
	key := "GET /orders/{id}"
	if protocol == v1alpha1.ProtocolWebSocket {
		key = "$default"
	}
	return apigw(func(a *v1alpha1.APIGateway) {
		a.Spec.ProtocolType = protocol
		a.Spec.Integrations = []v1alpha1.Integration{httpBackend("backend")}
		a.Spec.Routes = []v1alpha1.Route{{Key: key, Integration: "backend"}}
		if mut != nil {
			mut(&a.Spec)
		}
	})
}

func httpBackend(name string) v1alpha1.Integration {
	return v1alpha1.Integration{Name: name, HTTP: &v1alpha1.HTTPIntegration{URL: "https://backend.example.com/{proxy}"}}
}

// withRouteKeys is an API of the protocol whose routes have the keys.
func withRouteKeys(protocol v1alpha1.ProtocolType, keys ...string) *v1alpha1.APIGateway {
	return serving(protocol, func(s *v1alpha1.APIGatewaySpec) {
		s.Routes = nil
		for _, key := range keys {
			s.Routes = append(s.Routes, v1alpha1.Route{Key: key, Integration: "backend"})
		}
	})
}

// withRoute is an API of the protocol whose one route mut changes.
func withRoute(protocol v1alpha1.ProtocolType, mut func(*v1alpha1.Route)) *v1alpha1.APIGateway {
	return serving(protocol, func(s *v1alpha1.APIGatewaySpec) { mut(&s.Routes[0]) })
}

// withIntegration is an API of the protocol whose one integration mut changes.
func withIntegration(protocol v1alpha1.ProtocolType, mut func(*v1alpha1.Integration)) *v1alpha1.APIGateway {
	return serving(protocol, func(s *v1alpha1.APIGatewaySpec) { mut(&s.Integrations[0]) })
}

// withAuthorizer is an API of the protocol with one authorizer ("auth"),
// which its route uses (the $connect route of a WebSocket API).
func withAuthorizer(protocol v1alpha1.ProtocolType, authorizer v1alpha1.Authorizer) *v1alpha1.APIGateway {
	authorizer.Name = "auth"
	return serving(protocol, func(s *v1alpha1.APIGatewaySpec) {
		s.Authorizers = []v1alpha1.Authorizer{authorizer}
		if protocol == v1alpha1.ProtocolWebSocket {
			s.Routes[0].Key = "$connect"
		}
		s.Routes[0].Authorizer = "auth"
	})
}

// withStage is an API of the protocol with one stage ("prod") changed by mut.
func withStage(protocol v1alpha1.ProtocolType, mut func(*v1alpha1.Stage)) *v1alpha1.APIGateway {
	return serving(protocol, func(s *v1alpha1.APIGatewaySpec) {
		s.Stages = []v1alpha1.Stage{{Name: "prod"}}
		mut(&s.Stages[0])
	})
}

func lambdaAuthorizer(mut func(*v1alpha1.LambdaAuthorizer)) v1alpha1.Authorizer {
	l := &v1alpha1.LambdaAuthorizer{FunctionARN: functionARN}
	if mut != nil {
		mut(l)
	}
	return v1alpha1.Authorizer{Lambda: l}
}

func jwtAuthorizer(issuer string) v1alpha1.Authorizer {
	return v1alpha1.Authorizer{JWT: &v1alpha1.JWTAuthorizer{Issuer: issuer, Audience: []string{"client-id"}}}
}

func cognitoAuthorizer(identitySource ...string) v1alpha1.Authorizer {
	return v1alpha1.Authorizer{Cognito: &v1alpha1.CognitoAuthorizer{UserPoolARNs: []string{userPoolARN}}, IdentitySource: identitySource}
}

const (
	http = v1alpha1.ProtocolHTTP
	rest = v1alpha1.ProtocolREST
	ws   = v1alpha1.ProtocolWebSocket
)

func TestRouteKeys(t *testing.T) {
	const routes = "spec.routes"
	runCases(t, []admissionCase{
		{"HTTP: methods, variables, a greedy variable, the root and $default", withRouteKeys(http,
			"GET /orders/{id}", "ANY /{proxy+}", "$default", "GET /", "POST /a/b.c/{x}/{rest+}", "HEAD /h", "OPTIONS /o",
			"PUT /p", "PATCH /p", "DELETE /p", "GET /files/report:2024~v1"), nil},
		{"HTTP: lower-case method", withRouteKeys(http, "get /orders"), refused(routes, "route key get /orders"+msgHTTPRouteKey)},
		{"HTTP: unknown method", withRouteKeys(http, "FETCH /orders"), refused(routes, "route key FETCH /orders"+msgHTTPRouteKey)},
		{"HTTP: path without its slash", withRouteKeys(http, "GET orders"), refused(routes, "route key GET orders"+msgHTTPRouteKey)},
		{"HTTP: greedy variable not last", withRouteKeys(http, "GET /a/{rest+}/b"), refused(routes, "route key GET /a/{rest+}/b"+msgHTTPRouteKey)},
		{"HTTP: trailing slash", withRouteKeys(http, "GET /orders/"), refused(routes, "route key GET /orders/"+msgHTTPRouteKey)},
		{"HTTP: variable inside a segment", withRouteKeys(http, "GET /orders{id}"), refused(routes, "route key GET /orders{id}"+msgHTTPRouteKey)},
		{"HTTP: two spaces", withRouteKeys(http, "GET  /orders"), refused(routes, "route key GET  /orders"+msgHTTPRouteKey)},
		{"HTTP: a WebSocket key", withRouteKeys(http, "GET /ok", "$connect"), refused(routes, "route key $connect"+msgHTTPRouteKey)},

		{"REST: methods, variables and a greedy variable", withRouteKeys(rest, "GET /pets", "GET /pets/{id}", "ANY /{proxy+}", "GET /", "POST /a-b/c_d.e"), nil},
		{"REST: $default", withRouteKeys(rest, "$default"), refused(routes, "route key $default"+msgRESTRouteKey)},
		{"REST: a colon in a path part", withRouteKeys(rest, "GET /files/a:b"), refused(routes, "route key GET /files/a:b"+msgRESTRouteKey)},
		{"REST: greedy variable not last", withRouteKeys(rest, "GET /{proxy+}/x"), refused(routes, "route key GET /{proxy+}/x"+msgRESTRouteKey)},

		{"WEBSOCKET: the predefined keys and a custom one", withRouteKeys(ws, "$connect", "$disconnect", "$default", "sendmessage"), nil},
		{"WEBSOCKET: an unknown $ key", withRouteKeys(ws, "$ping"), refused(routes, "route key $ping"+msgWSRouteKey)},
		{"WEBSOCKET: a key with a space", withRouteKeys(ws, "send message"), refused(routes, "route key send message"+msgWSRouteKey)},
		{"WEBSOCKET: an HTTP key", withRouteKeys(ws, "GET /orders"), refused(routes, "route key GET /orders"+msgWSRouteKey)},

		{"a key twice", withRouteKeys(http, "GET /orders", "GET /orders"), refused("spec.routes[1]", `Duplicate value: {"key":"GET /orders"}`)},
		{"301 routes (AWS's quota is 300)", withRouteKeys(http, distinct(301, 0, "GET /r%03d")...), refused(routes, "Too many: 301: must have at most 300 items")},
	})
}

func TestRouteReferences(t *testing.T) {
	const routes = "spec.routes"
	runCases(t, []admissionCase{
		{"an integration not declared", withRoute(http, func(r *v1alpha1.Route) { r.Integration = "orders-fn" }),
			refused(routes, "route GET /orders/{id} names integration orders-fn"+msgNoIntegration)},
		{"no integrations at all", serving(http, func(s *v1alpha1.APIGatewaySpec) { s.Integrations = nil }),
			refused(routes, "route GET /orders/{id} names integration backend"+msgNoIntegration)},
		{"an authorizer not declared", withRoute(http, func(r *v1alpha1.Route) { r.Authorizer = "cognito" }),
			refused(routes, "route GET /orders/{id} names authorizer cognito"+msgNoAuthorizer)},
		{"an authorizer declared", withAuthorizer(http, jwtAuthorizer(issuerURL)), nil},

		{"scopes with a JWT authorizer", scoped(http, jwtAuthorizer(issuerURL)), nil},
		{"scopes with a Cognito authorizer", scoped(rest, cognitoAuthorizer()), nil},
		{"scopes with a Lambda authorizer", scoped(http, lambdaAuthorizer(nil)), refused(routes, msgScopes)},
		{"scopes without an authorizer", withRoute(http, func(r *v1alpha1.Route) { r.AuthorizationScopes = []string{"orders/read"} }),
			refused(routes, msgScopes)},

		{"WEBSOCKET: an authorizer on $connect", withAuthorizer(ws, lambdaAuthorizer(nil)), nil},
		{"WEBSOCKET: IAM on $connect", withRoute(ws, func(r *v1alpha1.Route) { r.Key = "$connect"; r.IAMAuthorization = ptr.To(true) }), nil},
		{"WEBSOCKET: an authorizer on another route", serving(ws, func(s *v1alpha1.APIGatewaySpec) {
			s.Authorizers = []v1alpha1.Authorizer{lambdaAuthorizer(nil)}
			s.Authorizers[0].Name = "auth"
			s.Routes[0].Authorizer = "auth"
		}), refused(routes, msgWSAuthorizer)},
		{"WEBSOCKET: IAM on another route", withRoute(ws, func(r *v1alpha1.Route) { r.IAMAuthorization = ptr.To(true) }), refused(routes, msgWSAuthorizer)},
		{"an authorizer and IAM", serving(http, func(s *v1alpha1.APIGatewaySpec) {
			s.Authorizers = []v1alpha1.Authorizer{jwtAuthorizer(issuerURL)}
			s.Authorizers[0].Name = "auth"
			s.Routes[0].Authorizer, s.Routes[0].IAMAuthorization = "auth", ptr.To(true)
		}), refused("spec.routes[0]", msgAuthorizerAndIAM)},
	})
}

// scoped is an API whose route asks for a scope of the authorizer.
func scoped(protocol v1alpha1.ProtocolType, authorizer v1alpha1.Authorizer) *v1alpha1.APIGateway {
	a := withAuthorizer(protocol, authorizer)
	a.Spec.Routes[0].AuthorizationScopes = []string{"orders/read"}
	return a
}

func TestRouteOptions(t *testing.T) {
	const routes = "spec.routes"
	parameters := func(protocol v1alpha1.ProtocolType, name string) *v1alpha1.APIGateway {
		return withRoute(protocol, func(r *v1alpha1.Route) {
			r.RequestParameters = map[string]v1alpha1.RouteParameter{name: {Required: true}}
		})
	}
	runCases(t, []admissionCase{
		{"REST: API key and a required query string", withRoute(rest, func(r *v1alpha1.Route) {
			r.APIKeyRequired = ptr.To(true)
			r.RequestParameters = map[string]v1alpha1.RouteParameter{"method.request.querystring.page": {Required: true}}
		}), nil},
		{"WEBSOCKET: a required header", parameters(ws, "route.request.header.Auth"), nil},
		{"HTTP: API key", withRoute(http, func(r *v1alpha1.Route) { r.APIKeyRequired = ptr.To(true) }), refused(routes, msgHTTPRouteOptions)},
		{"HTTP: request parameters", parameters(http, "method.request.querystring.page"), refused(routes, msgHTTPRouteOptions)},
		{"REST: a WebSocket parameter", parameters(rest, "route.request.header.Auth"), refused(routes, msgRouteParamProto)},
		{"WEBSOCKET: a REST parameter", parameters(ws, "method.request.header.Auth"), refused(routes, msgRouteParamProto)},
		{"REST: a parameter of no known place", parameters(rest, "method.request.body.x"), refused(routes+"[0].requestParameters", msgRouteParamKey)},
		{"WEBSOCKET: two-way route", withRoute(ws, func(r *v1alpha1.Route) { r.ReturnResponse = ptr.To(true) }), nil},
		{"HTTP: two-way route", withRoute(http, func(r *v1alpha1.Route) { r.ReturnResponse = ptr.To(false) }), refused(routes, msgReturnResponse)},
	})
}

func TestIntegrations(t *testing.T) {
	const integrations = "spec.integrations"
	lambda := func(protocol v1alpha1.ProtocolType, version v1alpha1.PayloadFormatVersion) *v1alpha1.APIGateway {
		return withIntegration(protocol, func(i *v1alpha1.Integration) {
			i.HTTP, i.Lambda = nil, &v1alpha1.LambdaIntegration{FunctionARN: functionARN, PayloadFormatVersion: version}
		})
	}
	vpcLink := func(protocol v1alpha1.ProtocolType, link v1alpha1.VPCLinkIntegration) *v1alpha1.APIGateway {
		return withIntegration(protocol, func(i *v1alpha1.Integration) { i.HTTP, i.VPCLink = nil, &link })
	}
	timeout := func(protocol v1alpha1.ProtocolType, endpoint v1alpha1.EndpointType, millis int32) *v1alpha1.APIGateway {
		a := withIntegration(protocol, func(i *v1alpha1.Integration) { i.TimeoutMillis = ptr.To(millis) })
		a.Spec.EndpointType = endpoint
		return a
	}
	mock := func(protocol v1alpha1.ProtocolType) *v1alpha1.APIGateway {
		return withIntegration(protocol, func(i *v1alpha1.Integration) { i.HTTP, i.Mock = nil, &v1alpha1.MockIntegration{Body: `{"ok":true}`} })
	}
	runCases(t, []admissionCase{
		{"HTTP: Lambda 2.0", lambda(http, v1alpha1.PayloadFormat2), nil},
		{"REST: Lambda 1.0", lambda(rest, v1alpha1.PayloadFormat1), nil},
		{"REST: Lambda 2.0", lambda(rest, v1alpha1.PayloadFormat2), refused(integrations, msgPayload2)},
		{"WEBSOCKET: Lambda 2.0", lambda(ws, v1alpha1.PayloadFormat2), refused(integrations, msgPayload2)},
		{"Lambda alias", withIntegration(http, func(i *v1alpha1.Integration) {
			i.HTTP, i.Lambda = nil, &v1alpha1.LambdaIntegration{FunctionARN: functionARN + ":live"}
		}), nil},
		{"Lambda ARN of a layer", withIntegration(http, func(i *v1alpha1.Integration) {
			i.HTTP, i.Lambda = nil, &v1alpha1.LambdaIntegration{FunctionARN: "arn:aws:lambda:eu-west-1:123456789012:layer:x"}
		}), refused(integrations+"[0].lambda.functionARN", msgFunctionARN)},

		{"REST: mock", mock(rest), nil},
		{"WEBSOCKET: mock", mock(ws), nil},
		{"HTTP: mock", mock(http), refused(integrations, msgMockOnHTTP)},

		{"HTTP: VPC link to a listener", vpcLink(http, v1alpha1.VPCLinkIntegration{VPCLinkRef: &v1alpha1.VPCLinkReference{Name: "shop-link"}, ListenerARN: listenerARN}), nil},
		{"REST: VPC link to an NLB URL", vpcLink(rest, v1alpha1.VPCLinkIntegration{VPCLinkID: "abc123", URI: "http://orders.internal:8080/{proxy}"}), nil},
		{"REST: VPC link to a listener", vpcLink(rest, v1alpha1.VPCLinkIntegration{VPCLinkID: "abc123", ListenerARN: listenerARN}), refused(integrations, msgVPCLinkTarget)},
		{"HTTP: VPC link to a URL", vpcLink(http, v1alpha1.VPCLinkIntegration{VPCLinkID: "abc123", URI: "http://orders.internal/"}), refused(integrations, msgVPCLinkTarget)},
		{"VPC link to both", vpcLink(http, v1alpha1.VPCLinkIntegration{VPCLinkID: "abc123", ListenerARN: listenerARN, URI: "http://orders.internal/"}),
			refused(integrations+"[0].vpcLink", msgVPCLinkOneTarget)},
		{"VPC link named twice", vpcLink(http, v1alpha1.VPCLinkIntegration{VPCLinkRef: &v1alpha1.VPCLinkReference{Name: "shop-link"}, VPCLinkID: "abc123", ListenerARN: listenerARN}),
			refused(integrations+"[0].vpcLink", msgVPCLinkOneLink)},
		{"VPC link to a load balancer, not a listener", vpcLink(http, v1alpha1.VPCLinkIntegration{VPCLinkID: "abc123",
			ListenerARN: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188"}),
			refused(integrations+"[0].vpcLink.listenerARN", msgListenerARN)},

		{"HTTP: 30000 ms", timeout(http, "", 30000), nil},
		{"HTTP: 30001 ms", timeout(http, "", 30001), refused(integrations, msgTimeout)},
		{"WEBSOCKET: 29000 ms", timeout(ws, "", 29000), nil},
		{"WEBSOCKET: 29001 ms", timeout(ws, "", 29001), refused(integrations, msgTimeout)},
		{"REST EDGE: 29001 ms", timeout(rest, v1alpha1.EndpointEdge, 29001), refused(integrations, msgTimeout)},
		{"REST REGIONAL: 300000 ms (after a quota increase)", timeout(rest, v1alpha1.EndpointRegional, 300000), nil},
		{"REST PRIVATE: 300000 ms", timeout(rest, v1alpha1.EndpointPrivate, 300000), nil},
		{"REST REGIONAL: 300001 ms", timeout(rest, v1alpha1.EndpointRegional, 300001), refused(integrations+"[0].timeoutMillis", "should be less than or equal to 300000")},
		{"49 ms", timeout(http, "", 49), refused(integrations+"[0].timeoutMillis", "should be greater than or equal to 50")},

		{"no backend", withIntegration(http, func(i *v1alpha1.Integration) { i.HTTP = nil }), refused(integrations+"[0]", msgOneBackend)},
		{"two backends", withIntegration(http, func(i *v1alpha1.Integration) {
			i.Lambda = &v1alpha1.LambdaIntegration{FunctionARN: functionARN}
		}), refused(integrations+"[0]", msgOneBackend)},
		{"a name with upper case and _", serving(http, func(s *v1alpha1.APIGatewaySpec) {
			s.Integrations[0].Name, s.Routes[0].Integration = "Orders_Fn", "Orders_Fn"
		}), refused(integrations+"[0].name", msgIntegrationName)},
		{"a URL without scheme", withIntegration(http, func(i *v1alpha1.Integration) { i.HTTP.URL = "backend.example.com/x" }),
			refused(integrations+"[0].http.url", msgURL)},
		{"request parameter mappings", withIntegration(http, func(i *v1alpha1.Integration) {
			i.RequestParameters = map[string]v1alpha1.ParameterMapping{"overwrite:path": "$request.path", "append:header.x-stage": "$context.stage"}
		}), nil},
		{"a request parameter with an empty name", withIntegration(http, func(i *v1alpha1.Integration) {
			i.RequestParameters = map[string]v1alpha1.ParameterMapping{"": "$request.path"}
		}), refused(integrations+"[0].requestParameters", msgIntegrationParam)},
		{"a name twice", serving(http, func(s *v1alpha1.APIGatewaySpec) {
			s.Integrations = append(s.Integrations, httpBackend("backend"))
		}), refused(integrations+"[1]", `Duplicate value: {"name":"backend"}`)},
		{"301 integrations (AWS's quota is 300)", serving(http, func(s *v1alpha1.APIGatewaySpec) {
			for _, name := range distinct(300, 0, "i%03d") {
				s.Integrations = append(s.Integrations, httpBackend(name))
			}
		}), refused(integrations, "Too many: 301: must have at most 300 items")},
	})
}

func TestAuthorizers(t *testing.T) {
	const authorizers = "spec.authorizers"
	tokenWith := func(identitySource ...string) v1alpha1.Authorizer {
		a := lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) { l.Type = v1alpha1.LambdaAuthorizerToken })
		a.IdentitySource = identitySource
		return a
	}
	withIdentity := func(a v1alpha1.Authorizer, identitySource ...string) v1alpha1.Authorizer {
		a.IdentitySource = identitySource
		return a
	}
	runCases(t, []admissionCase{
		{"HTTP: JWT", withAuthorizer(http, withIdentity(jwtAuthorizer(issuerURL), "$request.header.Authorization")), nil},
		{"HTTP: JWT from a local issuer", withAuthorizer(http, jwtAuthorizer("http://127.0.0.1:4566/_local/oidc")), nil},
		{"HTTP: JWT from a plain-http issuer", withAuthorizer(http, jwtAuthorizer("http://issuer.example.com")), refused(authorizers+"[0].jwt.issuer", msgIssuer)},
		{"REST: JWT", withAuthorizer(rest, jwtAuthorizer(issuerURL)), refused(authorizers, msgJWTOnlyHTTP)},
		{"WEBSOCKET: JWT", withAuthorizer(ws, jwtAuthorizer(issuerURL)), refused(authorizers, msgJWTOnlyHTTP)},
		{"REST: Cognito", withAuthorizer(rest, cognitoAuthorizer("method.request.header.Authorization")), nil},
		{"HTTP: Cognito", withAuthorizer(http, cognitoAuthorizer()), refused(authorizers, msgCognitoOnlyREST)},
		{"REST: Cognito with a user pool id", withAuthorizer(rest, v1alpha1.Authorizer{Cognito: &v1alpha1.CognitoAuthorizer{UserPoolARNs: []string{"eu-west-1_AbCdEf"}}}),
			refused(authorizers+"[0].cognito.userPoolARNs", msgUserPoolARN)},
		{"REST: Cognito reading two headers", withAuthorizer(rest, cognitoAuthorizer("method.request.header.A", "method.request.header.B")), refused(authorizers, msgRESTOneHeader)},

		{"HTTP: Lambda 2.0 with simple responses and caching", withAuthorizer(http, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) {
			l.PayloadFormatVersion, l.SimpleResponses, l.ResultTTLSeconds = v1alpha1.PayloadFormat2, ptr.To(true), ptr.To[int32](3600)
		})), nil},
		{"HTTP: Lambda TOKEN", withAuthorizer(http, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) { l.Type = v1alpha1.LambdaAuthorizerToken })),
			refused(authorizers, msgTokenOnlyREST)},
		{"REST: Lambda with a payload format", withAuthorizer(rest, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) { l.PayloadFormatVersion = v1alpha1.PayloadFormat1 })),
			refused(authorizers, msgLambdaAuthHTTPOnly)},
		{"WEBSOCKET: Lambda with simple responses", withAuthorizer(ws, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) {
			l.PayloadFormatVersion, l.SimpleResponses = v1alpha1.PayloadFormat2, ptr.To(true)
		})), refused(authorizers, msgLambdaAuthHTTPOnly)},
		{"HTTP: simple responses with 1.0", withAuthorizer(http, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) {
			l.PayloadFormatVersion, l.SimpleResponses = v1alpha1.PayloadFormat1, ptr.To(true)
		})), refused(authorizers+"[0].lambda", msgSimpleResponses)},
		{"REST: TOKEN with a validation expression", withAuthorizer(rest, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) {
			l.Type, l.IdentityValidationExpression = v1alpha1.LambdaAuthorizerToken, "^Bearer [-0-9a-zA-Z._]*$"
		})), nil},
		{"REST: REQUEST with a validation expression", withAuthorizer(rest, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) {
			l.Type, l.IdentityValidationExpression = v1alpha1.LambdaAuthorizerRequest, "^Bearer .*$"
		})), refused(authorizers+"[0].lambda", msgValidationExpr)},
		{"REST: TOKEN reading two headers", withAuthorizer(rest, tokenWith("method.request.header.A", "method.request.header.B")), refused(authorizers, msgRESTOneHeader)},
		{"REST: REQUEST reading a header and a query string", withAuthorizer(rest, withIdentity(lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) {
			l.Type = v1alpha1.LambdaAuthorizerRequest
		}), "method.request.header.Auth", "method.request.querystring.token", "context.sourceIp")), nil},
		{"a TTL of 3601 s", withAuthorizer(http, lambdaAuthorizer(func(l *v1alpha1.LambdaAuthorizer) { l.ResultTTLSeconds = ptr.To[int32](3601) })),
			refused(authorizers+"[0].lambda.resultTTLSeconds", "should be less than or equal to 3600")},

		{"HTTP: a REST identity source", withAuthorizer(http, withIdentity(jwtAuthorizer(issuerURL), "method.request.header.Authorization")), refused(authorizers, msgIdentityProtocol)},
		{"REST: an HTTP identity source", withAuthorizer(rest, tokenWith("$request.header.Authorization")), refused(authorizers, msgIdentityProtocol)},
		{"WEBSOCKET: a REST identity source", withAuthorizer(ws, withIdentity(lambdaAuthorizer(nil), "method.request.header.Auth")), refused(authorizers, msgIdentityProtocol)},
		{"WEBSOCKET: a header and a query string", withAuthorizer(ws, withIdentity(lambdaAuthorizer(nil), "route.request.header.Auth", "route.request.querystring.token")), nil},
		{"an identity source of no known place", withAuthorizer(http, withIdentity(jwtAuthorizer(issuerURL), "Authorization")), refused(authorizers+"[0].identitySource", msgIdentityForm)},

		{"no kind", withAuthorizer(http, v1alpha1.Authorizer{}), refused(authorizers+"[0]", msgOneAuthorizerKind)},
		{"two kinds", withAuthorizer(http, v1alpha1.Authorizer{JWT: jwtAuthorizer(issuerURL).JWT, Lambda: lambdaAuthorizer(nil).Lambda}),
			refused(authorizers+"[0]", msgOneAuthorizerKind)},
		{"11 authorizers (AWS's quota is 10)", serving(http, func(s *v1alpha1.APIGatewaySpec) {
			for _, name := range distinct(11, 0, "a%02d") {
				a := jwtAuthorizer(issuerURL)
				a.Name = name
				s.Authorizers = append(s.Authorizers, a)
			}
		}), refused(authorizers, "Too many: 11: must have at most 10 items")},
	})
}

func TestStages(t *testing.T) {
	const stages = "spec.stages"
	named := func(protocol v1alpha1.ProtocolType, name string) *v1alpha1.APIGateway {
		return withStage(protocol, func(s *v1alpha1.Stage) { s.Name = name })
	}
	perRoute := func(protocol v1alpha1.ProtocolType, key string, settings v1alpha1.RouteSettings) *v1alpha1.APIGateway {
		return withStage(protocol, func(s *v1alpha1.Stage) { s.PerRoute = map[string]v1alpha1.RouteSettings{key: settings} })
	}
	logging := func(protocol v1alpha1.ProtocolType) *v1alpha1.APIGateway {
		return withStage(protocol, func(s *v1alpha1.Stage) { s.LoggingLevel = "INFO"; s.DataTrace = ptr.To(true) })
	}
	cache := func(protocol v1alpha1.ProtocolType, c v1alpha1.StageCache) *v1alpha1.APIGateway {
		return withStage(protocol, func(s *v1alpha1.Stage) { s.Cache = &c })
	}
	variables := func(v map[string]v1alpha1.StageVariableValue) *v1alpha1.APIGateway {
		return withStage(http, func(s *v1alpha1.Stage) { s.Variables = v })
	}
	accessLogs := func(destination, format string) *v1alpha1.APIGateway {
		return withStage(http, func(s *v1alpha1.Stage) {
			s.AccessLogs = &v1alpha1.AccessLogSettings{DestinationARN: destination, Format: format}
		})
	}
	throttled := v1alpha1.RouteSettings{Throttling: &v1alpha1.Throttling{RateLimit: ptr.To[int32](50), BurstLimit: ptr.To[int32](100)}, DetailedMetrics: ptr.To(true)}
	runCases(t, []admissionCase{
		{"HTTP: $default", named(http, "$default"), nil},
		{"REST: $default", named(rest, "$default"), refused(stages, msgDefaultStage)},
		{"WEBSOCKET: $default", named(ws, "$default"), refused(stages, msgDefaultStage)},
		{"a name with a dot", named(http, "v1.2"), refused(stages+"[0].name", msgStageName)},
		{"a name of 128", named(rest, strings.Repeat("s", 128)), nil},

		{"HTTP: autoDeploy", withStage(http, func(s *v1alpha1.Stage) { s.AutoDeploy = ptr.To(false) }), nil},
		{"REST: autoDeploy", withStage(rest, func(s *v1alpha1.Stage) { s.AutoDeploy = ptr.To(true) }), refused(stages, msgAutoDeployREST)},

		{"route settings of a declared route", perRoute(http, "GET /orders/{id}", throttled), nil},
		{"route settings of an undeclared route", perRoute(http, "GET /orders", throttled), refused(stages, "stage prod"+msgRouteSettingsKey)},
		{"route settings of a route the OpenAPI document declares", serving(http, func(s *v1alpha1.APIGatewaySpec) {
			s.Routes, s.Integrations = nil, nil
			s.OpenAPI = &v1alpha1.OpenAPISource{Inline: "openapi: 3.0.1"}
			s.Stages = []v1alpha1.Stage{{Name: "prod", PerRoute: map[string]v1alpha1.RouteSettings{"GET /orders": throttled}}}
		}), nil},

		{"REST: execution logs", logging(rest), nil},
		{"WEBSOCKET: execution logs", logging(ws), nil},
		{"HTTP: execution logs", logging(http), refused(stages, msgExecutionLogs)},
		{"HTTP: data trace of a route", perRoute(http, "GET /orders/{id}", v1alpha1.RouteSettings{DataTrace: ptr.To(false)}), refused(stages, msgExecutionLogs)},
		{"HTTP: logging level of a route", perRoute(http, "GET /orders/{id}", v1alpha1.RouteSettings{LoggingLevel: "ERROR"}), refused(stages, msgExecutionLogs)},

		{"REST: cache and tracing", withStage(rest, func(s *v1alpha1.Stage) {
			s.Cache = &v1alpha1.StageCache{Enabled: true, Size: "0.5", TTLSeconds: ptr.To[int32](300)}
			s.Tracing = ptr.To(true)
		}), nil},
		{"REST: cache without size", cache(rest, v1alpha1.StageCache{Enabled: true}), refused(stages+"[0]", msgCacheSize)},
		{"REST: cache of an unknown size", cache(rest, v1alpha1.StageCache{Enabled: true, Size: "1"}), refused(stages+"[0].cache.size", `Unsupported value: "1": supported values: "0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"`)},
		{"HTTP: cache", cache(http, v1alpha1.StageCache{Enabled: false}), refused(stages, msgRESTOnlyStage)},
		{"WEBSOCKET: tracing", withStage(ws, func(s *v1alpha1.Stage) { s.Tracing = ptr.To(true) }), refused(stages, msgRESTOnlyStage)},

		{"variables", variables(map[string]v1alpha1.StageVariableValue{"backend_url": "https://orders.internal/v2?x=1&y=2,3", "color": "blue"}), nil},
		{"a variable name with -", variables(map[string]v1alpha1.StageVariableValue{"backend-url": "x"}), refused(stages+"[0].variables", msgVariableName)},
		{"a variable name of 65", variables(map[string]v1alpha1.StageVariableValue{strings.Repeat("v", 65): "x"}), refused(stages+"[0].variables", msgVariableName)},
		{"a variable value with a space", variables(map[string]v1alpha1.StageVariableValue{"color": "light blue"}), refused(stages+"[0].variables[color]", msgVariableValue)},

		{"access logs", accessLogs(logGroupARN, accessFormat), nil},
		{"access logs without the request id", accessLogs(logGroupARN, `{"status":"$context.status"}`), refused(stages+"[0].accessLogs.format", msgAccessLogFormat)},
		{"access logs to a bucket", accessLogs("arn:aws:s3:::logs", accessFormat), refused(stages+"[0].accessLogs.destinationARN", msgAccessLogARN)},

		{"a name twice", serving(http, func(s *v1alpha1.APIGatewaySpec) { s.Stages = []v1alpha1.Stage{{Name: "prod"}, {Name: "prod"}} }),
			refused(stages+"[1]", `Duplicate value: {"name":"prod"}`)},
		{"11 stages (AWS's quota is 10)", serving(http, func(s *v1alpha1.APIGatewaySpec) {
			for _, name := range distinct(11, 0, "s%02d") {
				s.Stages = append(s.Stages, v1alpha1.Stage{Name: name})
			}
		}), refused(stages, "Too many: 11: must have at most 10 items")},
	})
}

func TestOpenAPI(t *testing.T) {
	document := func(protocol v1alpha1.ProtocolType, source v1alpha1.OpenAPISource, mut func(*v1alpha1.APIGatewaySpec)) *v1alpha1.APIGateway {
		return serving(protocol, func(s *v1alpha1.APIGatewaySpec) {
			s.Routes, s.Integrations = nil, nil
			s.OpenAPI = &source
			s.Stages = []v1alpha1.Stage{{Name: "prod"}}
			if mut != nil {
				mut(s)
			}
		})
	}
	inline := v1alpha1.OpenAPISource{Inline: "openapi: 3.0.1\ninfo: {title: orders, version: '1'}\npaths: {}\n"}
	fromConfigMap := v1alpha1.OpenAPISource{ConfigMapRef: &v1alpha1.ConfigMapKeyReference{Name: "orders-openapi", Key: "openapi.yaml"}}
	runCases(t, []admissionCase{
		{"HTTP: inline, with stages", document(http, inline, nil), nil},
		{"REST: from a ConfigMap, merged", document(rest, v1alpha1.OpenAPISource{ConfigMapRef: fromConfigMap.ConfigMapRef, Mode: v1alpha1.OpenAPIMerge, FailOnWarnings: true}, nil), nil},
		{"with routes", document(http, inline, func(s *v1alpha1.APIGatewaySpec) {
			s.Integrations = []v1alpha1.Integration{httpBackend("backend")}
			s.Routes = []v1alpha1.Route{{Key: "GET /orders", Integration: "backend"}}
		}), refused("spec", msgOpenAPIExclusive)},
		{"with integrations", document(http, inline, func(s *v1alpha1.APIGatewaySpec) {
			s.Integrations = []v1alpha1.Integration{httpBackend("backend")}
		}), refused("spec", msgOpenAPIExclusive)},
		{"with authorizers", document(http, inline, func(s *v1alpha1.APIGatewaySpec) {
			a := jwtAuthorizer(issuerURL)
			a.Name = "auth"
			s.Authorizers = []v1alpha1.Authorizer{a}
		}), refused("spec", msgOpenAPIExclusive)},
		{"WEBSOCKET", document(ws, inline, nil), refused("spec", msgOpenAPIWebSocket)},
		{"HTTP: merged", document(http, v1alpha1.OpenAPISource{Inline: inline.Inline, Mode: v1alpha1.OpenAPIMerge}, nil), refused("spec.openAPI.mode", msgOpenAPIMerge)},
		{"both inline and from a ConfigMap", document(http, v1alpha1.OpenAPISource{Inline: inline.Inline, ConfigMapRef: fromConfigMap.ConfigMapRef}, nil),
			refused("spec.openAPI", msgOpenAPISource)},
		{"neither", document(http, v1alpha1.OpenAPISource{}, nil), refused("spec.openAPI", msgOpenAPISource)},
	})

	t.Run("mode defaults to Overwrite, invokePermission to Managed, methods to ANY", func(t *testing.T) {
		t.Parallel()
		a := document(rest, inline, nil)
		if err := k8s.Create(context.Background(), a, client.DryRunAll); err != nil {
			t.Fatal(err)
		}
		if a.Spec.OpenAPI.Mode != v1alpha1.OpenAPIOverwrite {
			t.Errorf("openAPI.mode = %q, want %q", a.Spec.OpenAPI.Mode, v1alpha1.OpenAPIOverwrite)
		}
		b := serving(http, func(s *v1alpha1.APIGatewaySpec) {
			s.Integrations = append(s.Integrations, v1alpha1.Integration{Name: "fn", Lambda: &v1alpha1.LambdaIntegration{FunctionARN: functionARN}})
		})
		if err := k8s.Create(context.Background(), b, client.DryRunAll); err != nil {
			t.Fatal(err)
		}
		if got := b.Spec.Integrations[1].Lambda.InvokePermission; got != v1alpha1.InvokePermissionManaged {
			t.Errorf("lambda.invokePermission = %q, want %q", got, v1alpha1.InvokePermissionManaged)
		}
		if got := b.Spec.Integrations[0].HTTP.Method; got != v1alpha1.HTTPMethodAny {
			t.Errorf("http.method = %q, want %q", got, v1alpha1.HTTPMethodAny)
		}
	})
}

// TestLargestObjects submits, per protocol, an object at every bound the
// schema sets on what the cross-list rules read (300 routes of 256
// characters, 300 integrations, 10 authorizers, 10 stages of 100 route
// settings and 100 variables of 512): the API server evaluates every rule
// within its CEL budget (1M per rule and 10M per object), or refuses the
// object for it. A refusal of its last route shows that the message
// expressions fit too.
func TestLargestObjects(t *testing.T) {
	for _, protocol := range []v1alpha1.ProtocolType{http, rest, ws} {
		t.Run(string(protocol), func(t *testing.T) {
			t.Parallel()
			check(t, k8s.Create(context.Background(), largest(protocol), client.DryRunAll), nil)
		})
	}
	lastRoute := func(a *v1alpha1.APIGateway, mut func(*v1alpha1.Route)) *v1alpha1.APIGateway {
		mut(&a.Spec.Routes[len(a.Spec.Routes)-1])
		return a
	}
	badKey := lastRoute(largest(http), func(r *v1alpha1.Route) { r.Key = "get /last" })
	badIntegration := lastRoute(largest(http), func(r *v1alpha1.Route) { r.Integration = "missing" })
	badAuthorizer := lastRoute(largest(rest), func(r *v1alpha1.Route) { r.Authorizer = "missing" })
	badRouteSettings := largest(ws)
	delete(badRouteSettings.Spec.Stages[9].PerRoute, badRouteSettings.Spec.Routes[99].Key) // stays at 100
	badRouteSettings.Spec.Stages[9].PerRoute["missing"] = v1alpha1.RouteSettings{}
	runCases(t, []admissionCase{
		{"HTTP: the last of 300 route keys wrong", badKey, refused("spec.routes", "route key get /last"+msgHTTPRouteKey)},
		{"HTTP: the last of 300 routes naming an integration not declared", badIntegration,
			refused("spec.routes", "route "+badIntegration.Spec.Routes[299].Key+" names integration missing"+msgNoIntegration)},
		{"REST: the last of 300 routes naming an authorizer not declared", badAuthorizer,
			refused("spec.routes", "route "+badAuthorizer.Spec.Routes[299].Key+" names authorizer missing"+msgNoAuthorizer)},
		{"WEBSOCKET: the last of 10 stages with settings of an undeclared route", badRouteSettings,
			refused("spec.stages", "stage stage-09"+msgRouteSettingsKey)},
	})
}

// largest is a valid API of the protocol at the bounds TestLargestObjects
// names.
func largest(protocol v1alpha1.ProtocolType) *v1alpha1.APIGateway {
	return apigw(func(a *v1alpha1.APIGateway) {
		s := &a.Spec
		s.ProtocolType = protocol
		for i := range 300 {
			name := fmt.Sprintf("integration-%03d-", i)
			name += strings.Repeat("x", 63-len(name)-1) + "z"
			s.Integrations = append(s.Integrations, v1alpha1.Integration{Name: name, HTTP: &v1alpha1.HTTPIntegration{
				URL: "https://backend.example.com/" + strings.Repeat("p", 1024),
			}})
			key := fmt.Sprintf("GET /r%03d/", i)
			if protocol == v1alpha1.ProtocolWebSocket {
				key = fmt.Sprintf("action-%03d-", i)
			}
			key += strings.Repeat("k", 256-len(key))
			s.Routes = append(s.Routes, v1alpha1.Route{Key: key, Integration: name})
		}
		for i := range 10 {
			authorizer := lambdaAuthorizer(nil)
			authorizer.Name = fmt.Sprintf("authorizer-%02d", i)
			s.Authorizers = append(s.Authorizers, authorizer)
			if protocol != v1alpha1.ProtocolWebSocket {
				s.Routes[i].Authorizer = authorizer.Name
			}
			stage := v1alpha1.Stage{Name: fmt.Sprintf("stage-%02d", i), PerRoute: map[string]v1alpha1.RouteSettings{},
				Variables: map[string]v1alpha1.StageVariableValue{}}
			for j := range 100 {
				stage.PerRoute[s.Routes[j].Key] = v1alpha1.RouteSettings{DetailedMetrics: ptr.To(true)}
				variable := fmt.Sprintf("variable_%03d_", j)
				stage.Variables[variable+strings.Repeat("v", 64-len(variable))] = v1alpha1.StageVariableValue(strings.Repeat("a", 512))
			}
			s.Stages = append(s.Stages, stage)
		}
	})
}

// servingSamples are the samples that serve traffic, beside the seed's.
var servingSamples = []string{"apigateway_serving_http.yaml", "apigateway_serving_rest.yaml", "apigateway_serving_websocket.yaml"}

// TestServingSamples reads each serving sample strictly into the Go types
// (a misspelt field fails here, where the API server would only drop it)
// and dry-runs it: each is accepted and declares routes and stages.
// TestSamples dry-runs them again among all the samples, unchanged.
func TestServingSamples(t *testing.T) {
	for _, file := range servingSamples {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "samples", file))
			if err != nil {
				t.Fatal(err)
			}
			obj := &v1alpha1.APIGateway{}
			if err := yaml.UnmarshalStrict(raw, obj); err != nil {
				t.Fatalf("%s does not match the Go types: %v", file, err)
			}
			if len(obj.Spec.Routes) == 0 || len(obj.Spec.Integrations) == 0 || len(obj.Spec.Stages) == 0 {
				t.Fatalf("%s serves nothing: %d routes, %d integrations, %d stages", file, len(obj.Spec.Routes), len(obj.Spec.Integrations), len(obj.Spec.Stages))
			}
			obj.Namespace = "default"
			check(t, k8s.Create(context.Background(), obj, client.DryRunAll), nil)
		})
	}
}
