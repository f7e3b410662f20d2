package gateway

import (
	"net/url"
	"strings"
)

// partition returns the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

// API Gateway ARNs carry no account id: the API id is unique in the region.
func restAPIARN(region, id string) string {
	return "arn:" + partition(region) + ":apigateway:" + region + "::/restapis/" + id
}

func httpAPIARN(region, id string) string {
	return "arn:" + partition(region) + ":apigateway:" + region + "::/apis/" + id
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
