package restplane_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// These tests build REST APIs with the real apigateway client and call them
// through the emulator's data plane as curl or a plain HTTP client would.

// restAPI builds one REST API with the SDK.
type restAPI struct {
	t      *testing.T
	client *apigateway.Client
	id     string
	rootID string
	// port is the emulator's, for {id}.execute-api.localhost:{port}.
	port string
}

func startREST(t *testing.T) (*apigateway.Client, string) {
	t.Helper()
	e := sdktest.Start(t, emulator.Options{})
	_, port := splitPort(t, e.BaseURL)
	return e.REST(sdktest.ClientOptions{}), port
}

func splitPort(t *testing.T, baseURL string) (host, port string) {
	t.Helper()
	endpoint, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return endpoint.Hostname(), endpoint.Port()
}

func newRestAPI(t *testing.T, client *apigateway.Client, port string, input *apigateway.CreateRestApiInput) *restAPI {
	t.Helper()
	if input == nil {
		input = &apigateway.CreateRestApiInput{}
	}
	if input.Name == nil {
		input.Name = aws.String("restplane")
	}
	created, err := client.CreateRestApi(context.Background(), input)
	if err != nil {
		t.Fatalf("CreateRestApi: %v", err)
	}
	return &restAPI{t: t, client: client, id: *created.Id, rootID: *created.RootResourceId, port: port}
}

// resource creates the resources of path under the root, reusing those
// that exist, and returns the last one's id.
func (a *restAPI) resource(path string) string {
	a.t.Helper()
	ctx := context.Background()
	existing, err := a.client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: &a.id, Limit: aws.Int32(500)})
	if err != nil {
		a.t.Fatalf("GetResources: %v", err)
	}
	byPath := map[string]string{}
	for _, r := range existing.Items {
		byPath[*r.Path] = *r.Id
	}
	parent, current := a.rootID, ""
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		current += "/" + part
		if id, ok := byPath[current]; ok {
			parent = id
			continue
		}
		created, err := a.client.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: &a.id, ParentId: &parent, PathPart: aws.String(part)})
		if err != nil {
			a.t.Fatalf("CreateResource %s: %v", current, err)
		}
		parent = *created.Id
		byPath[current] = parent
	}
	return parent
}

// method puts a method and its integration on path.
func (a *restAPI) method(path string, method *apigateway.PutMethodInput, integration *apigateway.PutIntegrationInput) string {
	a.t.Helper()
	ctx := context.Background()
	resourceID := a.resource(path)
	method.RestApiId, method.ResourceId = &a.id, &resourceID
	if method.AuthorizationType == nil {
		method.AuthorizationType = aws.String("NONE")
	}
	if _, err := a.client.PutMethod(ctx, method); err != nil {
		a.t.Fatalf("PutMethod %s %s: %v", *method.HttpMethod, path, err)
	}
	integration.RestApiId, integration.ResourceId, integration.HttpMethod = &a.id, &resourceID, method.HttpMethod
	if _, err := a.client.PutIntegration(ctx, integration); err != nil {
		a.t.Fatalf("PutIntegration %s %s: %v", *method.HttpMethod, path, err)
	}
	return resourceID
}

// integrationResponse puts a method response and its integration response.
func (a *restAPI) integrationResponse(resourceID, verb string, response *apigateway.PutIntegrationResponseInput) {
	a.t.Helper()
	ctx := context.Background()
	methodResponse := &apigateway.PutMethodResponseInput{RestApiId: &a.id, ResourceId: &resourceID, HttpMethod: &verb, StatusCode: response.StatusCode}
	for name := range response.ResponseParameters {
		if methodResponse.ResponseParameters == nil {
			methodResponse.ResponseParameters = map[string]bool{}
		}
		methodResponse.ResponseParameters[name] = false
	}
	if _, err := a.client.PutMethodResponse(ctx, methodResponse); err != nil {
		a.t.Fatalf("PutMethodResponse: %v", err)
	}
	response.RestApiId, response.ResourceId, response.HttpMethod = &a.id, &resourceID, &verb
	if _, err := a.client.PutIntegrationResponse(ctx, response); err != nil {
		a.t.Fatalf("PutIntegrationResponse: %v", err)
	}
}

// mock puts a MOCK method answering status with body (a response template).
func (a *restAPI) mock(path, verb string, status int, body string) string {
	a.t.Helper()
	resourceID := a.method(path, &apigateway.PutMethodInput{HttpMethod: aws.String(verb)}, &apigateway.PutIntegrationInput{
		Type: types.IntegrationTypeMock, RequestTemplates: map[string]string{"application/json": `{"statusCode": ` + strconv.Itoa(status) + `}`},
	})
	a.integrationResponse(resourceID, verb, &apigateway.PutIntegrationResponseInput{
		StatusCode: aws.String(strconv.Itoa(status)), SelectionPattern: aws.String(""),
		ResponseTemplates: map[string]string{"application/json": body},
	})
	return resourceID
}

// deploy deploys the API to stage.
func (a *restAPI) deploy(stage string, variables map[string]string) {
	a.t.Helper()
	if _, err := a.client.CreateDeployment(context.Background(), &apigateway.CreateDeploymentInput{
		RestApiId: &a.id, StageName: &stage, Variables: variables,
	}); err != nil {
		a.t.Fatalf("CreateDeployment: %v", err)
	}
}

// url is the execute-api URL of a path of the API.
func (a *restAPI) url(path string) string {
	return "http://" + a.id + ".execute-api.localhost:" + a.port + path
}

// reply is a data-plane answer.
type reply struct {
	status int
	header http.Header
	body   string
}

// loopbackClient dials the loopback address for every host, as curl does
// for *.localhost (RFC 6761); Go's resolver asks DNS instead.
var loopbackClient = &http.Client{Transport: &http.Transport{
	DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
		_, port, err := net.SplitHostPort(address)
		if err != nil {
			return nil, err
		}
		return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	},
}}

// call sends a request with Go's client.
func (a *restAPI) call(method, path string, headers map[string]string, body string) reply {
	a.t.Helper()
	request, err := http.NewRequest(method, a.url(path), strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	for name, value := range headers {
		request.Header.Set(name, value)
	}
	response, err := loopbackClient.Do(request)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer response.Body.Close()
	read, err := io.ReadAll(response.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return reply{status: response.StatusCode, header: response.Header, body: string(read)}
}

// curl calls the API with curl and returns the status code and the body.
func (a *restAPI) curl(path string, args ...string) (int, string) {
	a.t.Helper()
	command := append([]string{"-s", "-w", "\n%{http_code}"}, args...)
	out, err := exec.Command("curl", append(command, a.url(path))...).Output()
	if err != nil {
		a.t.Fatalf("curl %s: %v", path, err)
	}
	text := string(out)
	cut := strings.LastIndex(text, "\n")
	status := 0
	for _, c := range text[cut+1:] {
		status = status*10 + int(c-'0')
	}
	return status, text[:cut]
}

func expect(t *testing.T, got reply, status int, body string) {
	t.Helper()
	if got.status != status || (body != "" && got.body != body) {
		t.Fatalf("got %d %q, want %d %q", got.status, got.body, status, body)
	}
}
