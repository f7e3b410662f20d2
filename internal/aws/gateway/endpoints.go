package gateway

import (
	"net/url"

	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// API Gateway ARNs carry no account id: the API id is unique in the region.
func restAPIARN(region, id string) string {
	return "arn:" + session.Partition(region) + ":apigateway:" + region + "::/restapis/" + id
}

func httpAPIARN(region, id string) string {
	return "arn:" + session.Partition(region) + ":apigateway:" + region + "::/apis/" + id
}

// restInvokeEndpoint builds a REST API's default endpoint, which v1 does not
// return (v2 answers apiEndpoint). Against an endpoint override (the bundled
// emulator) it is built the way the emulator builds v2 endpoints, on the
// override's port, so that both protocols are reachable the same way.
func restInvokeEndpoint(region, endpointOverride, id string) string {
	if endpointOverride == "" {
		return "https://" + id + ".execute-api." + region + ".amazonaws.com"
	}
	host := id + ".execute-api.localhost"
	if u, err := url.Parse(endpointOverride); err == nil && u.Port() != "" {
		host += ":" + u.Port()
	}
	return "http://" + host
}
