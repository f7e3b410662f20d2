package gateway

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

func formatOps(ops []types.PatchOperation) []string {
	var out []string
	for _, op := range ops {
		s := string(op.Op) + " " + aws.ToString(op.Path)
		if op.Value != nil {
			s += " " + *op.Value
		}
		out = append(out, s)
	}
	return out
}

func TestRestPatchOperations(t *testing.T) {
	regional := API{Protocol: ProtocolREST, ID: "id", Name: "n", Description: "d", EndpointType: EndpointRegional}
	private := API{Protocol: ProtocolREST, ID: "id", Name: "n", EndpointType: EndpointPrivate, VPCEndpointIDs: []string{"vpce-1", "vpce-2"}}
	tests := []struct {
		name     string
		observed API
		desired  func(API) API
		want     []string
	}{
		{"name", regional, func(a API) API { a.Name = "m"; return a }, []string{"replace /name m"}},
		{"description", regional, func(a API) API { a.Description = "e"; return a }, []string{"replace /description e"}},
		{"description removed, never sent empty", regional, func(a API) API { a.Description = ""; return a }, []string{"remove /description"}},
		{"disable execute endpoint", regional, func(a API) API { a.DisableExecuteAPIEndpoint = true; return a },
			[]string{"replace /disableExecuteApiEndpoint true"}},
		{"enable execute endpoint", API{Protocol: ProtocolREST, EndpointType: EndpointEdge, DisableExecuteAPIEndpoint: true},
			func(a API) API { a.DisableExecuteAPIEndpoint = false; return a }, []string{"replace /disableExecuteApiEndpoint false"}},
		{"regional to edge names the current type", regional, func(a API) API { a.EndpointType = EndpointEdge; return a },
			[]string{"replace /endpointConfiguration/types/REGIONAL EDGE"}},
		{"regional to private, type before endpoints", regional,
			func(a API) API { a.EndpointType = EndpointPrivate; a.VPCEndpointIDs = []string{"vpce-9"}; return a },
			[]string{"replace /endpointConfiguration/types/REGIONAL PRIVATE", "add /endpointConfiguration/vpcEndpointIds vpce-9"}},
		{"private to regional, endpoints before type", private, func(a API) API { a.EndpointType = EndpointRegional; return a },
			[]string{"remove /endpointConfiguration/vpcEndpointIds vpce-1", "remove /endpointConfiguration/vpcEndpointIds vpce-2",
				"replace /endpointConfiguration/types/PRIVATE REGIONAL"}},
		{"vpc endpoint swapped", private, func(a API) API { a.VPCEndpointIDs = []string{"vpce-2", "vpce-3"}; return a },
			[]string{"remove /endpointConfiguration/vpcEndpointIds vpce-1", "add /endpointConfiguration/vpcEndpointIds vpce-3"}},
		{"tags only make no patch", regional, func(a API) API { a.Tags = map[string]string{"a": "b"}; return a }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			desired := tt.desired(tt.observed)
			ops, err := restPatchOperations(tt.observed, desired, compare(tt.observed, desired))
			if err != nil {
				t.Fatal(err)
			}
			if got := formatOps(ops); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ops = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRestPatchOperationsRefusesPrivateToEdge(t *testing.T) {
	observed := API{Protocol: ProtocolREST, EndpointType: EndpointPrivate}
	desired := API{Protocol: ProtocolREST, EndpointType: EndpointEdge}
	_, err := restPatchOperations(observed, desired, compare(observed, desired))
	if !errors.Is(err, awserrors.ErrUnsupportedChange) || !awserrors.IsTerminal(err) {
		t.Fatalf("err = %v, want a terminal awserrors.ErrUnsupportedChange", err)
	}
}

func TestUpdateAPIInputSendsOnlyChangedMembers(t *testing.T) {
	observed := API{Protocol: ProtocolWebSocket, ID: "id", Name: "n", Description: "d", DisableExecuteAPIEndpoint: true}
	t.Run("nothing changed", func(t *testing.T) {
		if _, needed := updateAPIInput(observed, observed, compare(observed, observed)); needed {
			t.Error("an UpdateApi call was planned for an unchanged API")
		}
	})
	t.Run("disable execute endpoint back to false is sent explicitly", func(t *testing.T) {
		desired := observed
		desired.DisableExecuteAPIEndpoint = false
		in, needed := updateAPIInput(observed, desired, compare(observed, desired))
		if !needed || in.DisableExecuteApiEndpoint == nil || *in.DisableExecuteApiEndpoint {
			t.Fatalf("DisableExecuteApiEndpoint = %v, want explicit false", in.DisableExecuteApiEndpoint)
		}
		if in.Name != nil || in.Description != nil || in.RouteSelectionExpression != nil || in.CorsConfiguration != nil {
			t.Errorf("unchanged members sent: %+v", in)
		}
	})
	t.Run("websocket selection expressions", func(t *testing.T) {
		desired := observed
		desired.RouteSelectionExpression = "$request.body.type"
		in, _ := updateAPIInput(observed, desired, compare(observed, desired))
		if aws.ToString(in.RouteSelectionExpression) != "$request.body.type" || in.ApiKeySelectionExpression != nil {
			t.Errorf("route %v, api key %v", in.RouteSelectionExpression, in.ApiKeySelectionExpression)
		}
	})
	t.Run("cors replaced whole", func(t *testing.T) {
		h := API{Protocol: ProtocolHTTP, ID: "id", CORS: &CORS{AllowOrigins: []string{"*"}, AllowHeaders: []string{"a"}}}
		desired := h
		desired.CORS = &CORS{AllowOrigins: []string{"*"}}
		in, needed := updateAPIInput(h, desired, compare(h, desired))
		if !needed || in.CorsConfiguration == nil || in.CorsConfiguration.AllowHeaders == nil || len(in.CorsConfiguration.AllowHeaders) != 0 {
			t.Fatalf("CorsConfiguration = %+v, want allowHeaders sent as []", in.CorsConfiguration)
		}
	})
}

func TestCORSNeedsDelete(t *testing.T) {
	tests := []struct {
		name              string
		observed, desired *CORS
		want              bool
	}{
		{"none to some", nil, &CORS{}, false},
		{"some to none", &CORS{}, nil, true},
		{"max age unset", &CORS{MaxAge: int32p(5)}, &CORS{}, true},
		{"max age changed", &CORS{MaxAge: int32p(5)}, &CORS{MaxAge: int32p(6)}, false},
	}
	for _, tt := range tests {
		if got := corsNeedsDelete(tt.observed, tt.desired); got != tt.want {
			t.Errorf("%s: corsNeedsDelete = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEndpointsAndARNs(t *testing.T) {
	tests := []struct{ got, want string }{
		{restInvokeEndpoint("eu-west-1", "", "abc"), "https://abc.execute-api.eu-west-1.amazonaws.com"},
		{restInvokeEndpoint("eu-west-1", "http://127.0.0.1:4566", "abc"), "http://abc.execute-api.localhost:4566"},
		{restAPIARN("us-east-1", "abc"), "arn:aws:apigateway:us-east-1::/restapis/abc"},
		{httpAPIARN("us-east-1", "abc"), "arn:aws:apigateway:us-east-1::/apis/abc"},
		{httpAPIARN("cn-north-1", "abc"), "arn:aws-cn:apigateway:cn-north-1::/apis/abc"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestOwnership(t *testing.T) {
	tags := ownership.Tags("ns", "api", "uid-1")
	if tags[ownership.OwnerTagKey] != "ns/api" || tags[ownership.OwnerUIDTagKey] != "uid-1" {
		t.Fatalf("OwnershipTags = %v", tags)
	}
	apis := []API{{ID: "x", Tags: map[string]string{ownership.OwnerUIDTagKey: "uid-0"}}, {ID: "y", Tags: tags}, {ID: "z"}}
	if got, ok := FindOwned(apis, "uid-1"); !ok || got.ID != "y" || OwnerUID(got) != "uid-1" {
		t.Errorf("FindOwned = %v, %v", got.ID, ok)
	}
	if _, ok := FindOwned(apis, "uid-2"); ok {
		t.Error("FindOwned found an API of another owner")
	}
	if _, ok := FindOwned(apis, ""); ok {
		t.Error("FindOwned matched an untagged API on an empty UID")
	}
}
