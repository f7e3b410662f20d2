// Package awsquotas is the one table of AWS API Gateway control-plane quotas:
// the account-wide rate and the operations AWS limits on their own, as the
// quota page "Amazon API Gateway quotas" lists them under "API Gateway quotas
// for creating, deploying and managing an API". The emulator enforces these
// rules server-side; a client-side limiter can read the same table, so the
// two never disagree.
//
// The package imports nothing of the project. Rules are looked up either by
// the stable service keys of this package (ServiceAPIGateway,
// ServiceAPIGatewayV2) or by the service id the AWS SDKs name a service by
// ("API Gateway", "ApiGatewayV2": awsmiddleware.GetServiceID in
// aws-sdk-go-v2), each with the operation name the SDKs use
// ("CreateRestApi").
package awsquotas

import (
	"maps"
	"time"
)

// Rule is one token bucket: PerSecond tokens are added each second, up to
// Burst. A rule of "1 request every 30 seconds" is PerSecond 1/30, Burst 1.
type Rule struct {
	PerSecond float64
	Burst     int
}

// Interval is the time one token takes to come back.
func (r Rule) Interval() time.Duration {
	return time.Duration(float64(time.Second) / r.PerSecond)
}

// Stable service keys, as the endpoint prefix and the emulator name them.
const (
	ServiceAPIGateway   = "apigateway"
	ServiceAPIGatewayV2 = "apigatewayv2"
)

// sdkServiceIDs maps the SDKs' service ids to the stable keys.
var sdkServiceIDs = map[string]string{
	"API Gateway":  ServiceAPIGateway,
	"ApiGatewayV2": ServiceAPIGatewayV2,
}

// ServiceKey returns the stable key of a service named by its SDK service id
// ("API Gateway" → "apigateway"), or false for any other service.
func ServiceKey(sdkServiceID string) (string, bool) {
	key, ok := sdkServiceIDs[sdkServiceID]
	return key, ok
}

// VariantEdge narrows CreateRestApi to edge-optimized APIs, which AWS limits
// more tightly than regional and private ones.
const VariantEdge = "EDGE"

// Operation names one operation of one service, and optionally a variant of
// it that AWS quotas apart.
type Operation struct {
	// Service is a stable key: ServiceAPIGateway or ServiceAPIGatewayV2.
	Service string
	// Name is the operation name as the SDKs and the quota page spell it.
	Name string
	// Variant is "" or VariantEdge (CreateRestApi of an EDGE API only).
	Variant string
}

// String is "service Name" or "service Name/Variant", a stable bucket name.
func (o Operation) String() string {
	s := o.Service + " " + o.Name
	if o.Variant != "" {
		s += "/" + o.Variant
	}
	return s
}

// Account is the quota shared by every control-plane call of an account in a
// region, apigateway and apigatewayv2 together. The quota page: "Total
// operations: 10 requests per second (rps) with a burst limit of 40
// requests."
func Account() Rule { return Rule{PerSecond: 10, Burst: 40} }

func every(seconds float64) Rule { return Rule{PerSecond: 1 / seconds, Burst: 1} }

// operations holds the per-operation quotas of the quota page, each on top
// of Account. An operation that is not listed has only Account (the page:
// "Other operations: No unit quota up to the total account quota").
var operations = map[Operation]Rule{
	// "CreateRestApi: Regional or private APIs: 1 request every 3 seconds per account."
	{Service: ServiceAPIGateway, Name: "CreateRestApi"}: every(3),
	// "CreateRestApi: Edge-optimized APIs: 1 request every 30 seconds per account."
	{Service: ServiceAPIGateway, Name: "CreateRestApi", Variant: VariantEdge}: every(30),
	// "DeleteRestApi: 1 request every 30 seconds per account."
	{Service: ServiceAPIGateway, Name: "DeleteRestApi"}: every(30),
	// "ImportRestApi: Regional or private APIs: 1 request every 3 seconds per account."
	{Service: ServiceAPIGateway, Name: "ImportRestApi"}: every(3),
	// "PutRestApi: 1 request per second per account."
	{Service: ServiceAPIGateway, Name: "PutRestApi"}: every(1),
	// "UpdateUsagePlan: 1 request every 20 seconds per account."
	{Service: ServiceAPIGateway, Name: "UpdateUsagePlan"}: every(20),
	// "GetResources: 5 requests every 2 seconds per account."
	{Service: ServiceAPIGateway, Name: "GetResources"}: {PerSecond: 5.0 / 2, Burst: 5},

	// "CreateDeployment: 1 request every 5 seconds per account." The page does
	// not tell REST from HTTP and WebSocket APIs: both families get it.
	{Service: ServiceAPIGateway, Name: "CreateDeployment"}:   every(5),
	{Service: ServiceAPIGatewayV2, Name: "CreateDeployment"}: every(5),

	// "CreateDomainName / UpdateDomainName / DeleteDomainName: 1 request every
	// 30 seconds per account." Domain names are shared by both APIs (v1
	// /domainnames, v2 /v2/domainnames), so both get the rule.
	{Service: ServiceAPIGateway, Name: "CreateDomainName"}:   every(30),
	{Service: ServiceAPIGateway, Name: "UpdateDomainName"}:   every(30),
	{Service: ServiceAPIGateway, Name: "DeleteDomainName"}:   every(30),
	{Service: ServiceAPIGatewayV2, Name: "CreateDomainName"}: every(30),
	{Service: ServiceAPIGatewayV2, Name: "UpdateDomainName"}: every(30),
	{Service: ServiceAPIGatewayV2, Name: "DeleteDomainName"}: every(30),

	// "CreateVpcLink (V2): 1 request every 15 seconds per account."
	{Service: ServiceAPIGatewayV2, Name: "CreateVpcLink"}: every(15),
}

// Lookup returns the per-operation quota of op, or false when AWS limits the
// operation only through Account.
func Lookup(op Operation) (Rule, bool) {
	rule, ok := operations[op]
	return rule, ok
}

// LookupSDK is Lookup for a client that knows the SDK's service id and
// operation name (variant is "" or VariantEdge). Unknown services have no
// rule.
func LookupSDK(sdkServiceID, operation, variant string) (Rule, bool) {
	service, ok := ServiceKey(sdkServiceID)
	if !ok {
		return Rule{}, false
	}
	return Lookup(Operation{Service: service, Name: operation, Variant: variant})
}

// Operations returns a copy of the whole per-operation table.
func Operations() map[Operation]Rule { return maps.Clone(operations) }
