package apigateway

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// fakeCall is a call of account 111122223333 in eu-west-1 that records the
// quotas it spends (as awsquotas.Operation.String) and refuses those named
// in refuse.
func fakeCall(spent *[]string, refuse ...string) *core.Call {
	return &core.Call{
		Account: "111122223333", Region: "eu-west-1", Now: time.Unix(1714566896, 0),
		Limit: func(op awsquotas.Operation) error {
			*spent = append(*spent, op.String())
			if slices.Contains(refuse, op.String()) {
				return core.TooManyRequests()
			}
			return nil
		},
	}
}

// invoke runs one route of the service the way the server does: by method
// and pattern, with the body and path parameters given.
func invoke(t *testing.T, s *Service, c *core.Call, method, pattern, target, body string, params core.PathParams) (int, []byte, error) {
	t.Helper()
	for _, rt := range s.Routes() {
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

func createForTest(t *testing.T, s *Service, c *core.Call, body string) map[string]any {
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
		{`{"name":"n"}`, "apigateway CreateRestApi/EDGE"},
		{`{"name":"n","endpointConfiguration":{"types":["EDGE"]}}`, "apigateway CreateRestApi/EDGE"},
		{`{"name":"n","endpointConfiguration":{"types":["REGIONAL"]}}`, "apigateway CreateRestApi"},
		{`{"name":"n","endpointConfiguration":{"types":["PRIVATE"]}}`, "apigateway CreateRestApi"},
	}
	for _, tt := range tests {
		var spent []string
		s := New()
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
	s := New()
	c := fakeCall(&spent, "apigateway DeleteRestApi")
	id := createForTest(t, s, c, `{"name":"n"}`)["id"].(string)
	_, _, err := invoke(t, s, c, http.MethodDelete, "/restapis/{restapi_id}", "/restapis/"+id, "", core.PathParams{"restapi_id": id})
	wantAPIErrorCode(t, err, "TooManyRequestsException")
	if s.apis["111122223333/eu-west-1"][id] == nil {
		t.Fatal("a throttled delete removed the API")
	}
}

func wantAPIErrorCode(t *testing.T, err error, code string) {
	t.Helper()
	var awsErr *core.Error
	if !errors.As(err, &awsErr) || awsErr.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func TestWorldsAreIsolated(t *testing.T) {
	var spent []string
	s := New()
	c := fakeCall(&spent)
	id := createForTest(t, s, c, `{"name":"n"}`)["id"].(string)
	for _, other := range []*core.Call{{Account: c.Account, Region: "us-east-1"}, {Account: "999999999999", Region: c.Region}} {
		_, _, err := invoke(t, s, other, http.MethodGet, "/restapis/{restapi_id}", "/restapis/"+id, "", core.PathParams{"restapi_id": id})
		wantAPIErrorCode(t, err, "NotFoundException")
	}
}

func TestMembersAbsentRatherThanEmpty(t *testing.T) {
	var spent []string
	s := New()
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
		`{"patchOperations":[{"op":"replace","path":"/name","value":"m"}]}`, core.PathParams{"restapi_id": id})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(encoded), `"tags":{}`) {
		t.Errorf("update answer %s lacks \"tags\":{}", encoded)
	}
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	var spent []string
	s := New()
	c := fakeCall(&spent)
	api := createForTest(t, s, c, `{"name":"n","tags":{"a":"b"},"minimumCompressionSize":0}`)
	state, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	restored := New()
	if err := restored.Restore(state); err != nil {
		t.Fatal(err)
	}
	id := api["id"].(string)
	_, encoded, err := invoke(t, restored, c, http.MethodGet, "/restapis/{restapi_id}", "/restapis/"+id, "", core.PathParams{"restapi_id": id})
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
	s := New()
	c := fakeCall(&spent)
	id := createForTest(t, s, c, `{"name":"n","tags":{"a":"1"}}`)["id"].(string)
	tests := []struct{ arn, code string }{
		{"arn:aws:apigateway:eu-west-1::/restapis/" + id, ""},
		{"arn:aws:apigateway:us-east-1::/restapis/" + id, "NotFoundException"},
		{"arn:aws:apigateway:eu-west-1::/restapis/unknown", "NotFoundException"},
		// Stages are taggable: an unknown one is not found.
		{"arn:aws:apigateway:eu-west-1::/restapis/" + id + "/stages/prod", "NotFoundException"},
		{"not-an-arn", "BadRequestException"},
	}
	for _, tt := range tests {
		_, encoded, err := invoke(t, s, c, http.MethodGet, "/tags/{resource_arn}", "/tags/x", "", core.PathParams{"resource_arn": tt.arn})
		if tt.code != "" {
			wantAPIErrorCode(t, err, tt.code)
			continue
		}
		if err != nil || string(encoded) != `{"tags":{"a":"1"}}` {
			t.Errorf("GetTags %s = %s, %v", tt.arn, encoded, err)
		}
	}
}
