package controller_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

// sampleDocuments reads the YAML documents of a file in config/samples,
// which must hold n.
func sampleDocuments(t *testing.T, file string, n int) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "samples", file))
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(string(raw), "\n---\n")
	if len(docs) != n {
		t.Fatalf("%s holds %d objects, want %d", file, len(docs), n)
	}
	return docs
}

// loadSample reads the APIGateways of a file in config/samples.
func loadSample(t *testing.T, file string) []*v1alpha1.APIGateway {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "samples", file))
	if err != nil {
		t.Fatal(err)
	}
	var out []*v1alpha1.APIGateway
	for _, doc := range strings.Split(string(raw), "\n---\n") {
		obj := &v1alpha1.APIGateway{}
		if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if obj.Namespace == "" {
			obj.Namespace = "default"
		}
		out = append(out, obj)
	}
	return out
}

// Every sample AWS can honour becomes Ready, and the API in AWS has the
// sample's attributes and tags plus the ownership tags.
func TestSamplesBecomeReady(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file  string
		check func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API)
	}{
		{"apigateway_basic.yaml", func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API) {
			expectEqual(t, "endpoint type", api.EndpointType, gateway.EndpointRegional)
			expectEqual(t, "description", api.Description, "Production REST API")
			expectEqual(t, "Environment tag", api.Tags["Environment"], "production")
		}},
		{"apigateway_rest.yaml", func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API) {
			expectEqual(t, "endpoint type", api.EndpointType, gateway.EndpointRegional)
		}},
		{"apigateway_http.yaml", func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API) {
			if api.CORS == nil || api.CORS.MaxAge == nil || *api.CORS.MaxAge != 300 || len(api.CORS.AllowMethods) != 4 {
				t.Fatalf("CORS in AWS: %s", gateway.FormatCORS(api.CORS))
			}
		}},
		{"apigateway_websocket.yaml", func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API) {
			expectEqual(t, "route selection", api.RouteSelectionExpression, "$request.body.action")
			mustContain(t, obj.Status.APIEndpoint, "ws") // wss:// in AWS, ws:// from the local emulator
		}},
		{"apigateway_custom_domain_only.yaml", func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API) {
			expectEqual(t, "disableExecuteApiEndpoint", api.DisableExecuteAPIEndpoint, true)
			expectEqual(t, "CustomDomain tag", api.Tags["CustomDomain"], "required")
		}},
		{"apigateway_multi_region.yaml", func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API) {
			mustContain(t, obj.Status.ARN, obj.Spec.Name[len("global-api-"):]) // the provider's region
		}},
		{"apigateway_production.yaml", func(t *testing.T, obj *v1alpha1.APIGateway, api gateway.API) {
			if api.CORS == nil || !api.CORS.AllowCredentials || len(api.CORS.AllowOrigins) != 2 {
				t.Fatalf("CORS in AWS: %s", gateway.FormatCORS(api.CORS))
			}
			expectEqual(t, "Team tag", api.Tags["Team"], "platform")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			for _, obj := range loadSample(t, tc.file) {
				create(t, obj)
				ready := waitGatewayReady(t, client.ObjectKeyFromObject(obj))
				expectEqual(t, "status.protocolType", ready.Status.ProtocolType, obj.Spec.ProtocolType)
				if ready.Status.APIEndpoint == "" || ready.Status.ARN == "" {
					t.Fatalf("status lacks endpoint or ARN: %+v", ready.Status)
				}
				provider := &v1alpha1.AWSProvider{}
				if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: obj.Namespace, Name: obj.Spec.ProviderRef.Name}, provider); err != nil {
					t.Fatal(err)
				}
				gw := awsClient(t, provider.Spec.Region)
				api, err := gw.Get(context.Background(), gateway.Protocol(obj.Spec.ProtocolType), ready.Status.APIID)
				if err != nil {
					t.Fatalf("the API in status is not in AWS: %v", err)
				}
				expectEqual(t, "name", api.Name, obj.Spec.Name)
				expectEqual(t, "protocol", api.Protocol, gateway.Protocol(obj.Spec.ProtocolType))
				expectEqual(t, "owner-uid tag", gateway.OwnerUID(api), string(ready.UID))
				for k, v := range obj.Spec.Tags {
					expectEqual(t, "tag "+k, api.Tags[k], v)
				}
				tc.check(t, ready, api)

				deleteAndWait(t, ready)
				_, err = gw.Get(context.Background(), api.Protocol, api.ID)
				if obj.Spec.DeletionPolicy == v1alpha1.DeletionRetain {
					if err != nil {
						t.Fatalf("Retain: the API should outlive the object: %v", err)
					}
				} else if !awserrors.IsNotFound(err) {
					t.Fatalf("Delete: the API should be gone from AWS, Get returned %v", err)
				}
			}
		})
	}
}

// The two examples AWS cannot honour are refused at admission, with a
// message that says why and what to do instead.
func TestSamplesRefusedAtAdmission(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]string{
		"apigateway_private_http.yaml":              "endpointType EDGE and PRIVATE exist only for protocolType: REST",
		"apigateway_cors_credentials_wildcard.yaml": "allowCredentials: true cannot be combined with allowOrigins \"*\"",
	} {
		obj := loadSample(t, file)[0]
		err := k8s.Create(context.Background(), obj)
		if !apierrors.IsInvalid(err) {
			t.Fatalf("%s: want an Invalid error, got %v", file, err)
		}
		mustContain(t, err.Error(), want)
	}
}

func expectEqual[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}
