package controller

import (
	"context"
	"reflect"
	"testing"

	"k8s.io/utils/ptr"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
)

// TestServingOfCarriesEveryField converts one spec per protocol and
// compares the whole result, so that a spec field the conversion drops
// fails here.
func TestServingOfCarriesEveryField(t *testing.T) {
	mockIntegration := func(mock *v1alpha1.MockIntegration) []v1alpha1.Integration {
		return []v1alpha1.Integration{{Name: "mock", Mock: mock}}
	}
	for _, tc := range []struct {
		name string
		spec v1alpha1.APIGatewaySpec
		want serving.Serving
	}{
		{
			name: "HTTP: IAM authorization and stage defaults",
			spec: v1alpha1.APIGatewaySpec{
				ProtocolType: v1alpha1.ProtocolHTTP,
				Integrations: []v1alpha1.Integration{{Name: "web", HTTP: &v1alpha1.HTTPIntegration{URL: "https://web.example.com", Method: "ANY"}}},
				Routes:       []v1alpha1.Route{{Key: "GET /signed", Integration: "web", IAMAuthorization: ptr.To(true)}},
				Stages: []v1alpha1.Stage{{
					Name: "$default",
					RouteSettings: v1alpha1.RouteSettings{
						Throttling:      &v1alpha1.Throttling{RateLimit: ptr.To[int32](100), BurstLimit: ptr.To[int32](50)},
						DetailedMetrics: ptr.To(true),
					},
					PerRoute: map[string]v1alpha1.RouteSettings{"GET /signed": {DetailedMetrics: ptr.To(false)}},
				}},
			},
			want: serving.Serving{
				Integrations: []serving.Integration{{Name: "web", HTTP: &serving.HTTPIntegration{URL: "https://web.example.com", Method: "ANY"}}},
				Routes:       []serving.Route{{Key: "GET /signed", Integration: "web", IAMAuthorization: true}},
				Stages: []serving.Stage{{
					Name: "$default", AutoDeploy: true,
					Defaults:      serving.RouteSettings{Throttling: &serving.Throttling{RateLimit: 100, BurstLimit: 50}, DetailedMetrics: true},
					RouteSettings: map[string]serving.RouteSettings{"GET /signed": {}},
				}},
			},
		},
		{
			name: "REST: parameters, mock answer, execution logs, tracing",
			spec: v1alpha1.APIGatewaySpec{
				ProtocolType: v1alpha1.ProtocolREST,
				Integrations: mockIntegration(&v1alpha1.MockIntegration{StatusCode: 201, Body: `{"ok":true}`}),
				Routes: []v1alpha1.Route{{
					Key: "GET /search", Integration: "mock", APIKeyRequired: ptr.To(true),
					RequestParameters: map[string]v1alpha1.RouteParameter{
						"method.request.querystring.q":   {Required: true},
						"method.request.header.x-tenant": {},
					},
				}},
				Stages: []v1alpha1.Stage{{
					Name: "prod", Tracing: ptr.To(true),
					RouteSettings: v1alpha1.RouteSettings{LoggingLevel: "INFO", DataTrace: ptr.To(true)},
				}},
			},
			want: serving.Serving{
				Integrations: []serving.Integration{{Name: "mock", Mock: &serving.MockIntegration{StatusCode: 201, Body: `{"ok":true}`}}},
				Routes: []serving.Route{{
					Key: "GET /search", Integration: "mock", APIKeyRequired: true,
					RequestParameters: map[string]bool{"method.request.querystring.q": true, "method.request.header.x-tenant": false},
				}},
				Stages: []serving.Stage{{
					Name: "prod", Tracing: true,
					Defaults: serving.RouteSettings{LoggingLevel: "INFO", DataTrace: true},
				}},
			},
		},
		{
			name: "WEBSOCKET: two-way route, $connect parameters and IAM",
			spec: v1alpha1.APIGatewaySpec{
				ProtocolType: v1alpha1.ProtocolWebSocket,
				Integrations: mockIntegration(&v1alpha1.MockIntegration{StatusCode: 200, Body: "hi"}),
				Routes: []v1alpha1.Route{
					{Key: "$connect", Integration: "mock", IAMAuthorization: ptr.To(true),
						RequestParameters: map[string]v1alpha1.RouteParameter{"route.request.header.Auth": {Required: true}}},
					{Key: "hello", Integration: "mock", ReturnResponse: ptr.To(true)},
					{Key: "$default", Integration: "mock", ReturnResponse: ptr.To(false)},
				},
				Stages: []v1alpha1.Stage{{Name: "prod", AutoDeploy: ptr.To(false), RouteSettings: v1alpha1.RouteSettings{LoggingLevel: "ERROR"}}},
			},
			want: serving.Serving{
				Integrations: []serving.Integration{{Name: "mock", Mock: &serving.MockIntegration{StatusCode: 200, Body: "hi"}}},
				Routes: []serving.Route{
					{Key: "$connect", Integration: "mock", IAMAuthorization: true, RequestParameters: map[string]bool{"route.request.header.Auth": true}},
					{Key: "hello", Integration: "mock", ReturnResponse: true},
					{Key: "$default", Integration: "mock"},
				},
				Stages: []serving.Stage{{Name: "prod", Defaults: serving.RouteSettings{LoggingLevel: "ERROR"}}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := servingOf(context.Background(), &v1alpha1.APIGateway{Spec: tc.spec}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("servingOf =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}
