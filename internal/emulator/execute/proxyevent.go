package execute

// ProxyEventV1 holds the members of the Lambda proxy event, payload format
// 1.0, that a REST API and an HTTP API (payloadFormatVersion "1.0") send
// alike; each plane embeds it beside the members where the two differ
// (requestContext's authorizer, resourceId and API key members, version).
// Members AWS sends as null when empty are pointers or nil maps.
type ProxyEventV1 struct {
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

// ProxyRequestContextV1 is the part of a 1.0 event's requestContext both
// kinds of API send alike.
type ProxyRequestContextV1 struct {
	AccountID         string `json:"accountId"`
	APIID             string `json:"apiId"`
	DomainName        string `json:"domainName"`
	DomainPrefix      string `json:"domainPrefix"`
	ExtendedRequestID string `json:"extendedRequestId"`
	HTTPMethod        string `json:"httpMethod"`
	Path              string `json:"path"`
	Protocol          string `json:"protocol"`
	RequestID         string `json:"requestId"`
	RequestTime       string `json:"requestTime"`
	RequestTimeEpoch  int64  `json:"requestTimeEpoch"`
	ResourcePath      string `json:"resourcePath"`
	Stage             string `json:"stage"`
}

// ProxyIdentityV1 is requestContext.identity: what API Gateway does not
// know of the caller (IAM and Cognito identities) is null, as in AWS's
// examples.
type ProxyIdentityV1 struct {
	AccessKey                     *string `json:"accessKey"`
	AccountID                     *string `json:"accountId"`
	Caller                        *string `json:"caller"`
	CognitoAuthenticationProvider *string `json:"cognitoAuthenticationProvider"`
	CognitoAuthenticationType     *string `json:"cognitoAuthenticationType"`
	CognitoIdentityID             *string `json:"cognitoIdentityId"`
	CognitoIdentityPoolID         *string `json:"cognitoIdentityPoolId"`
	PrincipalOrgID                *string `json:"principalOrgId"`
	SourceIP                      string  `json:"sourceIp"`
	User                          *string `json:"user"`
	UserAgent                     string  `json:"userAgent"`
	UserArn                       *string `json:"userArn"`
}
