package wsplane_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/coder/websocket"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

const account = "000000000000"

// The keys of sdktest's SDK clients and of its AWS CLI runner; configuring
// them turns SigV4 verification on.
var signingKeys = []emulator.Credential{
	{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret", Account: account},
	{AccessKeyID: "AKIDCLI", SecretAccessKey: "secret", Account: account},
}

// builder creates a WebSocket API through the real apigatewayv2 client.
type builder struct {
	t      *testing.T
	client *apigatewayv2.Client
	apiID  string
}

func newWebSocketAPI(t *testing.T, e *sdktest.Emulator) *builder {
	t.Helper()
	client := e.V2(sdktest.ClientOptions{})
	api := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("chat"), ProtocolType: types.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action"),
	}))(t)
	return &builder{t: t, client: client, apiID: *api.ApiId}
}

func (b *builder) integration(input apigatewayv2.CreateIntegrationInput) string {
	b.t.Helper()
	input.ApiId = aws.String(b.apiID)
	return *sdktest.Must(b.client.CreateIntegration(sdktest.Ctx, &input))(b.t).IntegrationId
}

func (b *builder) integrationResponse(integrationID, template string) {
	b.t.Helper()
	sdktest.Must(b.client.CreateIntegrationResponse(sdktest.Ctx, &apigatewayv2.CreateIntegrationResponseInput{
		ApiId: aws.String(b.apiID), IntegrationId: aws.String(integrationID), IntegrationResponseKey: aws.String("$default"),
		ResponseTemplates: map[string]string{"$default": template}, TemplateSelectionExpression: aws.String(`\$default`),
	}))(b.t)
}

// route creates a route; twoWay adds the $default route response that
// sends the integration's answer back.
func (b *builder) route(input apigatewayv2.CreateRouteInput, integrationID string, twoWay bool) {
	b.t.Helper()
	input.ApiId, input.Target = aws.String(b.apiID), aws.String("integrations/"+integrationID)
	if twoWay {
		input.RouteResponseSelectionExpression = aws.String("$default")
	}
	route := sdktest.Must(b.client.CreateRoute(sdktest.Ctx, &input))(b.t)
	if twoWay {
		sdktest.Must(b.client.CreateRouteResponse(sdktest.Ctx, &apigatewayv2.CreateRouteResponseInput{
			ApiId: aws.String(b.apiID), RouteId: route.RouteId, RouteResponseKey: aws.String("$default"),
		}))(b.t)
	}
}

// deploy deploys the API to a new stage.
func (b *builder) deploy(stage string) {
	b.t.Helper()
	deployment := sdktest.Must(b.client.CreateDeployment(sdktest.Ctx, &apigatewayv2.CreateDeploymentInput{ApiId: aws.String(b.apiID)}))(b.t)
	sdktest.Must(b.client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{
		ApiId: aws.String(b.apiID), StageName: aws.String(stage), DeploymentId: deployment.DeploymentId,
	}))(b.t)
}

func mockIntegration() apigatewayv2.CreateIntegrationInput {
	return apigatewayv2.CreateIntegrationInput{
		IntegrationType:             types.IntegrationTypeMock,
		RequestTemplates:            map[string]string{"$default": `{"statusCode": 200}`},
		TemplateSelectionExpression: aws.String(`\$default`),
	}
}

// backend is the HTTP backend of the echo and $disconnect routes.
type backend struct {
	server       *httptest.Server
	disconnected chan http.Header
}

func newBackend(t *testing.T) *backend {
	b := &backend{disconnected: make(chan http.Header, 1)}
	b.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/echo":
			_, _ = w.Write(append([]byte("echo:"), body...))
		case "/disconnect":
			b.disconnected <- r.Header.Clone()
		}
	}))
	t.Cleanup(b.server.Close)
	return b
}

// handshake is the HTTP answer to a WebSocket handshake.
type handshake struct {
	status int
	header http.Header
	body   string
}

// dial connects to a stage on its execute-api host, as a browser would;
// the connection is closed when the test ends.
func dial(ctx context.Context, t *testing.T, e *sdktest.Emulator, apiID, stage string, header http.Header) (*websocket.Conn, handshake, error) {
	t.Helper()
	url := strings.Replace(e.BaseURL, "http://", "ws://", 1) + "/" + stage
	conn, response, err := websocket.Dial(ctx, url, &websocket.DialOptions{Host: apiID + ".execute-api.localhost", HTTPHeader: header})
	var answer handshake
	if response != nil {
		answer = handshake{status: response.StatusCode, header: response.Header}
		if response.Body != nil {
			body, _ := io.ReadAll(response.Body)
			response.Body.Close()
			answer.body = string(body)
		}
	}
	if conn != nil {
		t.Cleanup(func() { _ = conn.CloseNow() })
	}
	return conn, answer, err
}

func read(ctx context.Context, t *testing.T, conn *websocket.Conn) string {
	t.Helper()
	_, data, err := conn.Read(ctx)
	if err != nil {
		t.Fatalf("reading a message: %v", err)
	}
	return string(data)
}

func managementEndpoint(e *sdktest.Emulator, apiID, stage string) string {
	return e.BaseURL + "/_aws/execute-api/" + apiID + "/" + stage
}

// The required scenario: an API built with the SDK ($connect → MOCK, an
// echo route chosen by "action" → HTTP_PROXY, $default → MOCK, both
// two-way, $disconnect → HTTP), a WebSocket client that sends routed
// messages and gets the route responses, a push through @connections by
// the AWS CLI (SigV4-signed, verified), GetConnection, and a close that the
// backend sees as $disconnect with the connection's id.
func TestWebSocketAPIWithMockAndHTTPIntegrations(t *testing.T) {
	t.Parallel()
	e := sdktest.Start(t, emulator.Options{Credentials: signingKeys})
	backend := newBackend(t)
	api := newWebSocketAPI(t, e)
	api.route(apigatewayv2.CreateRouteInput{RouteKey: aws.String("$connect")}, api.integration(mockIntegration()), false)
	echo := api.integration(apigatewayv2.CreateIntegrationInput{
		IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("POST"), IntegrationUri: aws.String(backend.server.URL + "/echo"),
	})
	api.route(apigatewayv2.CreateRouteInput{RouteKey: aws.String("echo")}, echo, true)
	fallback := api.integration(mockIntegration())
	api.integrationResponse(fallback, `{"route":"$context.routeKey","connectionId":"$context.connectionId"}`)
	api.route(apigatewayv2.CreateRouteInput{RouteKey: aws.String("$default")}, fallback, true)
	disconnect := api.integration(apigatewayv2.CreateIntegrationInput{
		IntegrationType: types.IntegrationTypeHttp, IntegrationMethod: aws.String("POST"), IntegrationUri: aws.String(backend.server.URL + "/disconnect"),
		RequestParameters: map[string]string{"integration.request.header.connectionId": "context.connectionId"},
	})
	api.route(apigatewayv2.CreateRouteInput{RouteKey: aws.String("$disconnect")}, disconnect, false)
	api.deploy("prod")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := dial(ctx, t, e, api.apiID, "prod", nil)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}

	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"action":"echo","text":"hi"}`)); err != nil {
		t.Fatal(err)
	}
	if got, want := read(ctx, t, conn), `echo:{"action":"echo","text":"hi"}`; got != want {
		t.Fatalf("echo route answered %q, want %q", got, want)
	}
	if err := conn.Write(ctx, websocket.MessageText, []byte("not json")); err != nil {
		t.Fatal(err)
	}
	var fromDefault struct{ Route, ConnectionID string }
	if err := json.Unmarshal([]byte(read(ctx, t, conn)), &fromDefault); err != nil || fromDefault.Route != "$default" || len(fromDefault.ConnectionID) != 16 {
		t.Fatalf("$default route answered %+v (%v), want its route key and a 16-character connection id", fromDefault, err)
	}
	connectionID := fromDefault.ConnectionID

	endpoint := managementEndpoint(e, api.apiID, "prod")
	if _, stderr, err := sdktest.AWSCLI(t, endpoint, "apigatewaymanagementapi", "post-to-connection",
		"--connection-id", connectionID, "--data", "pushed by the backend"); err != nil {
		t.Fatalf("post-to-connection: %v\n%s", err, stderr)
	}
	if got := read(ctx, t, conn); got != "pushed by the backend" {
		t.Fatalf("pushed message = %q", got)
	}
	stdout, stderr, err := sdktest.AWSCLI(t, endpoint, "apigatewaymanagementapi", "get-connection", "--connection-id", connectionID)
	if err != nil {
		t.Fatalf("get-connection: %v\n%s", err, stderr)
	}
	var info struct {
		ConnectedAt, LastActiveAt string
		Identity                  struct {
			SourceIP  string `json:"SourceIp"`
			UserAgent string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &info); err != nil || info.Identity.SourceIP != "127.0.0.1" || info.ConnectedAt == "" || info.LastActiveAt < info.ConnectedAt {
		t.Fatalf("get-connection = %s (%v)", stdout, err)
	}

	if err := conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatalf("closing: %v", err)
	}
	select {
	case headers := <-backend.disconnected:
		if got := headers.Get("connectionId"); got != connectionID {
			t.Fatalf("$disconnect's connectionId header = %q, want %q", got, connectionID)
		}
	case <-ctx.Done():
		t.Fatal("the backend never saw $disconnect")
	}
	_, stderr, err = sdktest.AWSCLI(t, endpoint, "apigatewaymanagementapi", "post-to-connection", "--connection-id", connectionID, "--data", "late")
	if err == nil || !strings.Contains(stderr, "GoneException") {
		t.Fatalf("post-to-connection after the close: %v\n%s; want GoneException", err, stderr)
	}
}

// A message that no route takes, on an API without $default, gets AWS's
// error frame, word for word and space for space.
func TestMessageWithoutRouteGetsForbiddenFrame(t *testing.T) {
	t.Parallel()
	e := sdktest.Start(t, emulator.Options{})
	api := newWebSocketAPI(t, e)
	oneWay := api.integration(mockIntegration())
	api.integrationResponse(oneWay, `{"answered":"$context.routeKey"}`)
	api.route(apigatewayv2.CreateRouteInput{RouteKey: aws.String("echo")}, oneWay, false)
	api.deploy("dev")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := dial(ctx, t, e, api.apiID, "dev", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"action":"nothing"}`)); err != nil {
		t.Fatal(err)
	}
	frame := read(ctx, t, conn)
	var fields struct{ Message, ConnectionID, RequestID string }
	if err := json.Unmarshal([]byte(frame), &fields); err != nil || fields.Message != "Forbidden" {
		t.Fatalf("frame = %s (%v)", frame, err)
	}
	if want := `{"message": "Forbidden", "connectionId":"` + fields.ConnectionID + `", "requestId":"` + fields.RequestID + `"}`; frame != want || len(fields.RequestID) != 16 {
		t.Fatalf("frame = %s, want %s", frame, want)
	}
	// The one-way echo route sends nothing back, though its integration
	// answered.
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"action":"echo"}`)); err != nil {
		t.Fatal(err)
	}
	readCtx, stop := context.WithTimeout(ctx, 300*time.Millisecond)
	defer stop()
	if _, data, err := conn.Read(readCtx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a one-way route sent %q (%v), want nothing", data, err)
	}
}

// lambdaAPI is a WebSocket API whose routes run the test Lambda function:
// $connect behind its REQUEST authorizer (identity: the Authorization
// header), echo and $default two-way.
func lambdaAPI(t *testing.T) (*sdktest.Emulator, *builder) {
	t.Helper()
	e := sdktest.Start(t, emulator.Options{LambdaFunctions: []emulator.LambdaFunction{{Name: "chat", Handler: sdktest.BuildTestLambda(t)}}})
	api := newWebSocketAPI(t, e)
	functionARN := "arn:aws:lambda:us-east-1:" + account + ":function:chat"
	sdktest.Must(e.Lambda(sdktest.ClientOptions{}).AddPermission(sdktest.Ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("chat"), StatementId: aws.String("apigateway"), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("apigateway.amazonaws.com"), SourceArn: aws.String("arn:aws:execute-api:us-east-1:" + account + ":" + api.apiID + "/*"),
	}))(t)
	invocationURI := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + functionARN + "/invocations"
	authorizer := sdktest.Must(api.client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{
		ApiId: aws.String(api.apiID), Name: aws.String("gate"), AuthorizerType: types.AuthorizerTypeRequest,
		AuthorizerUri: aws.String(invocationURI), IdentitySource: []string{"route.request.header.Authorization"},
	}))(t)
	function := api.integration(apigatewayv2.CreateIntegrationInput{IntegrationType: types.IntegrationTypeAwsProxy, IntegrationUri: aws.String(invocationURI)})
	api.route(apigatewayv2.CreateRouteInput{
		RouteKey: aws.String("$connect"), AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: authorizer.AuthorizerId,
	}, function, false)
	api.route(apigatewayv2.CreateRouteInput{RouteKey: aws.String("echo")}, function, true)
	api.route(apigatewayv2.CreateRouteInput{RouteKey: aws.String("$default")}, function, true)
	api.deploy("prod")
	return e, api
}

// A $connect its authorizer refuses is answered before the upgrade, with
// the authorizer's status; one it allows opens, unless the $connect
// function answers a non-2xx status, which the client gets instead.
func TestConnectRefusedByAuthorizerNeverUpgrades(t *testing.T) {
	t.Parallel()
	e, api := lambdaAPI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, refused := range []struct {
		header http.Header
		status int
		body   string
	}{
		{http.Header{"Authorization": {"deny"}}, http.StatusForbidden, `{"Message":"` + authorizers.MessageExplicitDeny + `"}`},
		{nil, http.StatusUnauthorized, `{"message":"Unauthorized"}`},
		{http.Header{"Authorization": {"allow"}, "X-Test-Status": {"400"}}, http.StatusBadRequest, ""},
	} {
		_, answer, err := dial(ctx, t, e, api.apiID, "prod", refused.header)
		if err == nil {
			t.Fatalf("%v: the connection opened", refused.header)
		}
		if answer.status != refused.status {
			t.Fatalf("%v: handshake answered %+v (%v), want %d", refused.header, answer, err, refused.status)
		}
		if refused.body != "" && answer.body != refused.body {
			t.Fatalf("%v: body %s, want %s", refused.header, answer.body, refused.body)
		}
	}
}

// Messages reach the function as AWS's MESSAGE events, carrying the
// authorizer's principal and context, and its answers come back on
// two-way routes.
func TestLambdaRoutesGetAWSEvents(t *testing.T) {
	t.Parallel()
	e, api := lambdaAPI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, answer, err := dial(ctx, t, e, api.apiID, "prod", http.Header{"Authorization": {"allow"}})
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	if got := answer.header.Get("X-Handler"); got != "testlambda" {
		t.Fatalf("the upgrade lacks the $connect function's headers: x-handler %q", got)
	}
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"action":"echo","n":1}`)); err != nil {
		t.Fatal(err)
	}
	if got := read(ctx, t, conn); got != `{"action":"echo","n":1}` {
		t.Fatalf("echo = %q", got)
	}
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"action":"other"}`)); err != nil {
		t.Fatal(err)
	}
	var event events.APIGatewayWebsocketProxyRequest
	if err := json.Unmarshal([]byte(read(ctx, t, conn)), &event); err != nil {
		t.Fatal(err)
	}
	rc := event.RequestContext
	authorizer, _ := rc.Authorizer.(map[string]any)
	if rc.RouteKey != "$default" || rc.EventType != "MESSAGE" || rc.MessageDirection != "IN" || rc.Stage != "prod" || rc.APIID != api.apiID ||
		len(rc.ConnectionID) != 16 || rc.MessageID == nil || rc.RequestID != rc.ExtendedRequestID || rc.ConnectedAt == 0 ||
		rc.RequestTimeEpoch < rc.ConnectedAt || rc.Identity.SourceIP != "127.0.0.1" || event.Body != `{"action":"other"}` || event.IsBase64Encoded ||
		authorizer["principalId"] != "test-user" || authorizer["user"] != "test-user" {
		t.Fatalf("MESSAGE event = %+v", event)
	}
	if _, err := time.Parse("02/Jan/2006:15:04:05 -0700", rc.RequestTime); err != nil {
		t.Fatalf("requestTime %q: %v", rc.RequestTime, err)
	}
}
