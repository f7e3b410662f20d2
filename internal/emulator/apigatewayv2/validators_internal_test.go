package apigatewayv2

import "testing"

func TestRouteKeyValidators(t *testing.T) {
	httpKeys := map[string]bool{
		"$default":                   true,
		"GET /":                      true,
		"ANY /{proxy+}":              true,
		"GET /pets/{id}":             true,
		"POST /pets/{id}/toys/{toy}": true,
		"GET /a.b/c-d_e~f":           true,
		"DELETE /v1/{path+}":         true,
		"GET /{a}/{a}":               false,
		"GET /{proxy+}/more":         false,
		"FETCH /pets":                false,
		"GET pets":                   false,
		"GET /pets/":                 false,
		"GET //pets":                 false,
		"GET /pets/{id":              false,
		"GET /pe{t}s":                false,
		"get /pets":                  false,
		"GET  /pets":                 false,
		"":                           false,
		"$connect":                   false,
	}
	for key, ok := range httpKeys {
		if err := validateHTTPRouteKey(key); (err == nil) != ok {
			t.Errorf("HTTP route key %q: error %v, want ok %v", key, err, ok)
		}
	}
	webSocketKeys := map[string]bool{
		"$connect": true, "$disconnect": true, "$default": true, "sendMessage": true, "join room": true,
		"": false, " ": false, "$ping": false,
	}
	for key, ok := range webSocketKeys {
		if err := validateWebSocketRouteKey(key); (err == nil) != ok {
			t.Errorf("WebSocket route key %q: error %v, want ok %v", key, err, ok)
		}
	}
}

func TestMappingValidators(t *testing.T) {
	httpKeys := map[string]bool{
		"overwrite:header.x-user": true, "append:querystring.q": true, "remove:header.Authorization": true, "overwrite:path": true,
		"append:path": false, "header.x": false, "overwrite:body": false, "overwrite:header.": false, "overwrite:header.a b": false,
	}
	for key, ok := range httpKeys {
		err := validateMappings(map[string]string{key: "v"}, httpRequestParameter, errInvalidIntegrationParam)
		if (err == nil) != ok {
			t.Errorf("HTTP mapping key %q: error %v, want ok %v", key, err, ok)
		}
	}
	if validateMappings(map[string]string{"overwrite:path": " "}, httpRequestParameter, errInvalidIntegrationParam) == nil {
		t.Errorf("an empty mapping value was accepted")
	}
	statuses := map[string]bool{"200": true, "599": true, "404": true, "199": false, "600": false, "2xx": false}
	for status, ok := range statuses {
		err := validateResponseParameters(map[string]map[string]string{status: {"overwrite:statuscode": "200"}})
		if (err == nil) != ok {
			t.Errorf("response status %q: error %v, want ok %v", status, err, ok)
		}
	}
	uris := map[string]bool{
		"arn:aws:lambda:us-east-1:123456789012:function:f":                                                                           true,
		"arn:aws:lambda:us-east-1:123456789012:function:f:live":                                                                      true,
		"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations": true,
		"arn:aws:lambda:us-east-1:1234:function:f":                                                                                   false,
		"arn:aws:s3:::b":         false,
		"https://lambda.example": false,
	}
	for uri, ok := range uris {
		if lambdaURI.MatchString(uri) != ok {
			t.Errorf("Lambda URI %q: match %v, want %v", uri, !ok, ok)
		}
	}
	variables := map[string]bool{"a_1": true, "URL": true, "a-b": false, "": false}
	for name, ok := range variables {
		if err := validateStageVariables(map[string]string{name: "https://x.example/a?b=c#d"}); (err == nil) != ok {
			t.Errorf("stage variable %q: error %v, want ok %v", name, err, ok)
		}
	}
}
