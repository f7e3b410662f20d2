package controller

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

func TestDesiredAPI(t *testing.T) {
	obj := &v1alpha1.APIGateway{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "api", UID: "uid-1"},
		Spec: v1alpha1.APIGatewaySpec{
			Name: "n", ProtocolType: v1alpha1.ProtocolWebSocket,
			Tags: map[string]string{"team": "spec", ownership.OwnerUIDTagKey: "forged"},
		},
	}
	defaults := map[string]string{"team": "default", "cost": "c1"}

	got := desiredAPI(obj, defaults)
	for key, want := range map[string]string{
		"team": "spec", "cost": "c1", // spec tags win over defaults
		ownership.OwnerUIDTagKey: "uid-1", ownership.OwnerTagKey: "ns/api", // ownership wins over everything
	} {
		if got.Tags[key] != want {
			t.Errorf("tag %s = %q, want %q", key, got.Tags[key], want)
		}
	}
	if got.RouteSelectionExpression != "$request.body.action" {
		t.Errorf("WEBSOCKET route selection = %q, want the default", got.RouteSelectionExpression)
	}
	if got.Protocol != gateway.ProtocolWebSocket || got.EndpointType != gateway.EndpointRegional {
		t.Errorf("protocol/endpoint = %s/%s", got.Protocol, got.EndpointType)
	}

	obj.Spec.ProtocolType = v1alpha1.ProtocolHTTP
	obj.Spec.RouteSelectionExpression = ""
	if got := desiredAPI(obj, defaults); got.RouteSelectionExpression != "" {
		t.Errorf("HTTP got a WEBSOCKET route selection default: %q", got.RouteSelectionExpression)
	}
	if got := desiredAPI(obj, nil); got.Tags["cost"] != "" || got.Tags["team"] != "spec" {
		t.Errorf("without provider defaults: %v", got.Tags)
	}
}
