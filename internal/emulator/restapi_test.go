package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/smithy-go"
)

// newRestClient starts a whole emulator (quotas off) and returns an
// apigateway client of the real SDK pointed at it, without retries so that a
// refused call fails at once.
func newRestClient(t *testing.T) *apigateway.Client {
	t.Helper()
	srv, url, err := Start(Options{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return apigateway.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDRESTTEST", "secret", ""),
		BaseEndpoint:     aws.String(url),
		RetryMaxAttempts: 1,
	})
}

// wantAPIError asserts err is an API error with this code and message.
func wantAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got error %v, want %s %q", err, code, message)
	}
	if apiErr.ErrorCode() != code || apiErr.ErrorMessage() != message {
		t.Fatalf("got %s %q, want %s %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
}

func TestRestAPILifecycleThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	before := time.Now().Add(-time.Second)

	created, err := client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{
		Name:                  aws.String("orders"),
		EndpointConfiguration: &types.EndpointConfiguration{Types: []types.EndpointType{types.EndpointTypeRegional}},
		Tags:                  map[string]string{"team": "a"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[a-z0-9]{10}$`).MatchString(aws.ToString(created.Id)) {
		t.Errorf("id %q is not 10 lowercase alphanumerics", aws.ToString(created.Id))
	}
	if created.CreatedDate == nil || created.CreatedDate.Before(before) || created.CreatedDate.After(time.Now().Add(time.Second)) {
		t.Errorf("createdDate %v is not now", created.CreatedDate)
	}
	if created.ApiKeySource != types.ApiKeySourceTypeHeader || created.DisableExecuteApiEndpoint ||
		created.EndpointConfiguration.IpAddressType != types.IpAddressTypeIpv4 ||
		!slices.Equal(created.EndpointConfiguration.Types, []types.EndpointType{types.EndpointTypeRegional}) {
		t.Errorf("unexpected defaults: %+v", created)
	}
	id := created.Id

	got, err := client.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: id})
	if err != nil || aws.ToString(got.Name) != "orders" || got.Tags["team"] != "a" {
		t.Fatalf("GetRestApi = %+v, %v", got, err)
	}

	resources, err := client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: id})
	if err != nil || len(resources.Items) != 1 || aws.ToString(resources.Items[0].Path) != "/" ||
		aws.ToString(resources.Items[0].Id) != aws.ToString(created.RootResourceId) {
		t.Fatalf("GetResources = %+v, %v; want only the root resource %s", resources, err, aws.ToString(created.RootResourceId))
	}

	updated, err := client.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/description"), Value: aws.String("new")},
		{Op: types.OpReplace, Path: aws.String("/endpointConfiguration/types/REGIONAL"), Value: aws.String("EDGE")},
		{Op: types.OpReplace, Path: aws.String("/disableExecuteApiEndpoint"), Value: aws.String("True")},
		{Op: types.OpAdd, Path: aws.String("/binaryMediaTypes/image~1png")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(updated.Description) != "new" || !updated.DisableExecuteApiEndpoint ||
		!slices.Equal(updated.EndpointConfiguration.Types, []types.EndpointType{types.EndpointTypeEdge}) ||
		!slices.Equal(updated.BinaryMediaTypes, []string{"image/png"}) {
		t.Errorf("UpdateRestApi = %+v", updated)
	}

	arn := aws.String("arn:aws:apigateway:us-east-1::/restapis/" + aws.ToString(id))
	if _, err := client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"team": "b", "env": "prod"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.UntagResource(ctx, &apigateway.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := client.GetTags(ctx, &apigateway.GetTagsInput{ResourceArn: arn})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["env"] != "prod" {
		t.Fatalf("GetTags = %+v, %v; want only env=prod", tags, err)
	}

	if _, err := client.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: id})
	var notFound *types.NotFoundException
	if !errors.As(err, &notFound) {
		t.Fatalf("GetRestApi after delete: %v, want a typed NotFoundException", err)
	}
	wantAPIError(t, err, "NotFoundException", "Invalid API identifier specified 000000000000:"+aws.ToString(id))
}

func TestGetRestApisPaginatesWithPosition(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	want := map[string]bool{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		out, err := client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		want[aws.ToString(out.Id)] = true
	}
	pages := 0
	seen := map[string]bool{}
	paginator := apigateway.NewGetRestApisPaginator(client, &apigateway.GetRestApisInput{Limit: aws.Int32(2)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, item := range page.Items {
			if seen[aws.ToString(item.Id)] {
				t.Errorf("%s listed twice", aws.ToString(item.Id))
			}
			seen[aws.ToString(item.Id)] = true
		}
	}
	if pages != 3 || len(seen) != len(want) {
		t.Fatalf("got %d pages and %d APIs, want 3 pages and %d APIs", pages, len(seen), len(want))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s was not listed", id)
		}
	}
}

func TestCreateRestApiRefusalsThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	endpoint := func(ip types.IpAddressType, endpointTypes ...types.EndpointType) *types.EndpointConfiguration {
		// Never nil, so that no type at all is sent as [] rather than left out.
		return &types.EndpointConfiguration{Types: append([]types.EndpointType{}, endpointTypes...), IpAddressType: ip}
	}
	tests := []struct {
		name          string
		input         apigateway.CreateRestApiInput
		code, message string
	}{
		{"empty description", apigateway.CreateRestApiInput{Description: aws.String("")},
			"BadRequestException", "Description cannot be an empty string"},
		{"negative compression", apigateway.CreateRestApiInput{MinimumCompressionSize: aws.Int32(-1)},
			"BadRequestException", "Invalid minimum compression size, must be between 0 and 10485760"},
		{"compression above 10 MiB", apigateway.CreateRestApiInput{MinimumCompressionSize: aws.Int32(10485761)},
			"BadRequestException", "Invalid minimum compression size, must be between 0 and 10485760"},
		{"no endpoint type", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint("")},
			"BadRequestException", "REGIONAL Configuration and EDGE Configuration cannot be both DISABLED."},
		{"two endpoint types", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint("", types.EndpointTypeEdge, types.EndpointTypeRegional)},
			"BadRequestException", "Cannot create an api with multiple Endpoint Types."},
		{"private ipv4", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint(types.IpAddressTypeIpv4, types.EndpointTypePrivate)},
			"BadRequestException", "Only dualstack ipAddressType is supported for Private APIs."},
		{"unknown ip address type", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint("wrong", types.EndpointTypeEdge)},
			"ValidationException", "1 validation error detected: Value 'wrong' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]"},
		{"aws: tag key", apigateway.CreateRestApiInput{Tags: map[string]string{"aws:team": "a"}},
			"BadRequestException", "Tag keys cannot start with 'aws:': aws:team"},
		{"tag value too long", apigateway.CreateRestApiInput{Tags: map[string]string{"k": strings.Repeat("v", 257)}},
			"BadRequestException", "Tag values must be at most 256 characters (key k)"},
		{"invalid policy", apigateway.CreateRestApiInput{Policy: aws.String("{not json")},
			"BadRequestException", "Invalid policy document. Please check the policy syntax and try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := tt.input
			input.Name = aws.String("refused")
			_, err := client.CreateRestApi(ctx, &input)
			wantAPIError(t, err, tt.code, tt.message)
		})
	}
	list, err := client.GetRestApis(ctx, &apigateway.GetRestApisInput{})
	if err != nil || len(list.Items) != 0 {
		t.Fatalf("refused creates left APIs behind: %+v, %v", list, err)
	}
}

func TestTooManyTagsRefusedByTagResource(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	tags := map[string]string{}
	for len(tags) < maxRestTags {
		tags[strings.Repeat("k", len(tags)+1)] = "v"
	}
	created, err := client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("tagged"), Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.String("arn:aws:apigateway:us-east-1::/restapis/" + aws.ToString(created.Id))
	_, err = client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"one-more": "v"}})
	wantAPIError(t, err, "BadRequestException", "A resource can have at most 50 tags")
	// Overwriting an existing key does not grow the count.
	if _, err := client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"k": "w"}}); err != nil {
		t.Fatal(err)
	}
}

// fakeCall is a call of account 111122223333 in eu-west-1 that records the
// quota buckets it spends and refuses those named in refuse.
func fakeCall(spent *[]string, refuse ...string) *call {
	return &call{
		Account: "111122223333", Region: "eu-west-1", Now: time.Unix(1714566896, 0),
		limit: func(bucket string) error {
			*spent = append(*spent, bucket)
			if slices.Contains(refuse, bucket) {
				return tooManyRequests()
			}
			return nil
		},
	}
}

// invoke runs one route of the service the way the server does: by method
// and pattern, with the body and path parameters given.
func invoke(t *testing.T, s *restAPIService, c *call, method, pattern, target, body string, params pathParams) (int, []byte, error) {
	t.Helper()
	for _, rt := range s.routes() {
		if rt.Method == method && rt.Pattern == pattern {
			status, response, err := rt.Handle(c, httptest.NewRequest(method, target, nil), []byte(body), params)
			if err != nil {
				return 0, nil, err
			}
			encoded, merr := json.Marshal(response)
			if merr != nil {
				t.Fatal(merr)
			}
			return status, encoded, nil
		}
	}
	t.Fatalf("no route %s %s", method, pattern)
	return 0, nil, nil
}

func createForTest(t *testing.T, s *restAPIService, c *call, body string) map[string]any {
	t.Helper()
	status, encoded, err := invoke(t, s, c, http.MethodPost, "/restapis", "/restapis", body, nil)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("create %s: %d, %v", body, status, err)
	}
	var api map[string]any
	if err := json.Unmarshal(encoded, &api); err != nil {
		t.Fatal(err)
	}
	return api
}

func TestCreateSpendsTheQuotaOfItsEndpointType(t *testing.T) {
	tests := []struct{ body, bucket string }{
		{`{"name":"n"}`, "CreateRestApi/EDGE"},
		{`{"name":"n","endpointConfiguration":{"types":["EDGE"]}}`, "CreateRestApi/EDGE"},
		{`{"name":"n","endpointConfiguration":{"types":["REGIONAL"]}}`, "CreateRestApi"},
		{`{"name":"n","endpointConfiguration":{"types":["PRIVATE"]}}`, "CreateRestApi"},
	}
	for _, tt := range tests {
		var spent []string
		s := newRestAPIService()
		_, _, err := invoke(t, s, fakeCall(&spent, tt.bucket), http.MethodPost, "/restapis", "/restapis", tt.body, nil)
		wantAPIErrorCode(t, err, "TooManyRequestsException")
		if !slices.Equal(spent, []string{tt.bucket}) {
			t.Errorf("%s spent %v, want [%s]", tt.body, spent, tt.bucket)
		}
		if len(s.apis["111122223333/eu-west-1"]) != 0 {
			t.Errorf("%s: a throttled create stored an API", tt.body)
		}
	}
}

func TestDeleteSpendsItsQuotaBeforeDeleting(t *testing.T) {
	var spent []string
	s := newRestAPIService()
	c := fakeCall(&spent, "DeleteRestApi")
	id := createForTest(t, s, c, `{"name":"n"}`)["id"].(string)
	_, _, err := invoke(t, s, c, http.MethodDelete, "/restapis/{restapi_id}", "/restapis/"+id, "", pathParams{"restapi_id": id})
	wantAPIErrorCode(t, err, "TooManyRequestsException")
	if s.apis["111122223333/eu-west-1"][id] == nil {
		t.Fatal("a throttled delete removed the API")
	}
}

func wantAPIErrorCode(t *testing.T, err error, code string) {
	t.Helper()
	var awsErr *awsError
	if !errors.As(err, &awsErr) || awsErr.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func TestWorldsAreIsolated(t *testing.T) {
	var spent []string
	s := newRestAPIService()
	c := fakeCall(&spent)
	id := createForTest(t, s, c, `{"name":"n"}`)["id"].(string)
	for _, other := range []*call{{Account: c.Account, Region: "us-east-1"}, {Account: "999999999999", Region: c.Region}} {
		_, _, err := invoke(t, s, other, http.MethodGet, "/restapis/{restapi_id}", "/restapis/"+id, "", pathParams{"restapi_id": id})
		wantAPIErrorCode(t, err, "NotFoundException")
	}
}

func TestMembersAbsentRatherThanEmpty(t *testing.T) {
	var spent []string
	s := newRestAPIService()
	c := fakeCall(&spent)
	api := createForTest(t, s, c, `{"name":"n","binaryMediaTypes":[],"tags":{}}`)
	for _, member := range []string{"description", "version", "warnings", "binaryMediaTypes", "minimumCompressionSize", "policy", "tags"} {
		if _, present := api[member]; present {
			t.Errorf("create answered %s = %v, want the member absent", member, api[member])
		}
	}
	endpoint := api["endpointConfiguration"].(map[string]any)
	if _, present := endpoint["vpcEndpointIds"]; present {
		t.Error("vpcEndpointIds present on an EDGE API")
	}
	id := api["id"].(string)
	_, encoded, err := invoke(t, s, c, http.MethodPatch, "/restapis/{restapi_id}", "/restapis/"+id,
		`{"patchOperations":[{"op":"replace","path":"/name","value":"m"}]}`, pathParams{"restapi_id": id})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(encoded), `"tags":{}`) {
		t.Errorf("update answer %s lacks \"tags\":{}", encoded)
	}
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	var spent []string
	s := newRestAPIService()
	c := fakeCall(&spent)
	api := createForTest(t, s, c, `{"name":"n","tags":{"a":"b"},"minimumCompressionSize":0}`)
	state, err := s.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	restored := newRestAPIService()
	if err := restored.restore(state); err != nil {
		t.Fatal(err)
	}
	id := api["id"].(string)
	_, encoded, err := invoke(t, restored, c, http.MethodGet, "/restapis/{restapi_id}", "/restapis/"+id, "", pathParams{"restapi_id": id})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(encoded, &got); err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(api)
	gotJSON, _ := json.Marshal(got)
	if string(wantJSON) != string(gotJSON) {
		t.Fatalf("restored API %s, want %s", gotJSON, wantJSON)
	}
}

func TestTagOperationsResolveTheARN(t *testing.T) {
	var spent []string
	s := newRestAPIService()
	c := fakeCall(&spent)
	id := createForTest(t, s, c, `{"name":"n","tags":{"a":"1"}}`)["id"].(string)
	tests := []struct{ arn, code string }{
		{"arn:aws:apigateway:eu-west-1::/restapis/" + id, ""},
		{"arn:aws:apigateway:us-east-1::/restapis/" + id, "NotFoundException"},
		{"arn:aws:apigateway:eu-west-1::/restapis/unknown", "NotFoundException"},
		{"arn:aws:apigateway:eu-west-1::/restapis/" + id + "/stages/prod", "BadRequestException"},
		{"not-an-arn", "BadRequestException"},
	}
	for _, tt := range tests {
		_, encoded, err := invoke(t, s, c, http.MethodGet, "/tags/{resource_arn}", "/tags/x", "", pathParams{"resource_arn": tt.arn})
		if tt.code != "" {
			wantAPIErrorCode(t, err, tt.code)
			continue
		}
		if err != nil || string(encoded) != `{"tags":{"a":"1"}}` {
			t.Errorf("GetTags %s = %s, %v", tt.arn, encoded, err)
		}
	}
}
