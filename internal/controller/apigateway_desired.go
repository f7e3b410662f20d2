package controller

import (
	"slices"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

// defaultRouteSelectionExpression is what a WEBSOCKET API routes on when the
// spec does not say: AWS requires one, and "action" in the message body is
// the convention of AWS's own examples.
const defaultRouteSelectionExpression = "$request.body.action"

// desiredAPI is the API the object asks for, built without calling AWS:
// the spec's attributes, and the provider's defaultTags overridden by the
// spec's tags, overridden in turn by the ownership tags (which the user can
// never set, since they decide what the operator may touch).
func desiredAPI(obj *v1alpha1.APIGateway, defaultTags map[string]string) gateway.API {
	spec := obj.Spec
	api := gateway.API{
		Name:                      spec.Name,
		Description:               spec.Description,
		Protocol:                  gateway.Protocol(spec.ProtocolType),
		EndpointType:              string(spec.EndpointType),
		DisableExecuteAPIEndpoint: spec.DisableExecuteAPIEndpoint,
		CORS:                      desiredCORS(spec.CORSConfiguration),
		RouteSelectionExpression:  spec.RouteSelectionExpression,
		APIKeySelectionExpression: spec.APIKeySelectionExpression,
		VPCEndpointIDs:            slices.Clone(spec.VPCEndpointIDs),
		Tags:                      ownership.Merge(defaultTags, spec.Tags, ownership.Tags(obj.Namespace, obj.Name, string(obj.UID))),
	}
	if api.Protocol == "" {
		api.Protocol = gateway.ProtocolREST
	}
	if api.EndpointType == "" {
		api.EndpointType = gateway.EndpointRegional
	}
	if api.Protocol == gateway.ProtocolWebSocket && api.RouteSelectionExpression == "" {
		api.RouteSelectionExpression = defaultRouteSelectionExpression
	}
	return api
}

func desiredCORS(cors *v1alpha1.CORSConfiguration) *gateway.CORS {
	if cors == nil {
		return nil
	}
	out := &gateway.CORS{
		AllowOrigins:  slices.Clone(cors.AllowOrigins),
		AllowMethods:  slices.Clone(cors.AllowMethods),
		AllowHeaders:  slices.Clone(cors.AllowHeaders),
		ExposeHeaders: slices.Clone(cors.ExposeHeaders),
		MaxAge:        cors.MaxAge,
	}
	if cors.AllowCredentials != nil {
		out.AllowCredentials = *cors.AllowCredentials
	}
	return out
}
