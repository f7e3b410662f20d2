package gateway

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// httpAPIPageSize is the GetApis page size. The model types maxResults as a
// free string with no documented bound; client code in the wild treats 100
// as the maximum, so 100 is safe where 500 might be refused.
const httpAPIPageSize = "100"

// httpAPIs serves HTTP and WEBSOCKET APIs through apigatewayv2.
type httpAPIs struct {
	sdk    HTTPAPI
	region string
}

func (h *httpAPIs) arn(id string) string { return httpAPIARN(h.region, id) }

func (h *httpAPIs) create(ctx context.Context, desired API) (API, error) {
	in := &apigatewayv2.CreateApiInput{
		Name:                      aws.String(desired.Name),
		ProtocolType:              types.ProtocolType(desired.Protocol),
		Description:               optionalString(desired.Description),
		DisableExecuteApiEndpoint: aws.Bool(desired.DisableExecuteAPIEndpoint),
		Tags:                      desired.Tags,
	}
	switch desired.Protocol {
	case ProtocolHTTP:
		in.CorsConfiguration = toV2CORS(desired.CORS)
	case ProtocolWebSocket:
		in.RouteSelectionExpression = aws.String(webSocketRouteSelection(desired))
		in.ApiKeySelectionExpression = optionalString(desired.APIKeySelectionExpression)
	}
	out, err := h.sdk.CreateApi(ctx, in, RetryCreateOnlyWhenThrottledV2)
	if err != nil {
		return API{}, err
	}
	return h.fromOutput(apigatewayv2.GetApiOutput(*out)), nil
}

func (h *httpAPIs) get(ctx context.Context, id string) (API, error) {
	out, err := h.sdk.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(id)})
	if err != nil {
		return API{}, err
	}
	return h.fromOutput(*out), nil
}

// list follows NextToken: apigatewayv2 has no paginator for GetApis.
func (h *httpAPIs) list(ctx context.Context) ([]API, error) {
	return WalkPages(ctx, func(ctx context.Context, token *string) ([]API, *string, error) {
		out, err := h.sdk.GetApis(ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String(httpAPIPageSize), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return convert(out.Items, h.fromItem), out.NextToken, nil
	})
}

// updateAttributes makes at most two calls: DeleteCorsConfiguration when CORS
// must go (or lose a member UpdateApi cannot clear), then one UpdateApi
// carrying only the members that changed.
func (h *httpAPIs) updateAttributes(ctx context.Context, observed, desired API, d delta) (API, error) {
	current := observed
	if d.cors && corsNeedsDelete(observed.CORS, desired.CORS) {
		if _, err := h.sdk.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: aws.String(observed.ID)}); err != nil {
			return observed, err
		}
		current.CORS = nil
	}
	in, needed := updateAPIInput(current, desired, d)
	if !needed {
		return current, nil
	}
	out, err := h.sdk.UpdateApi(ctx, in)
	if err != nil {
		return current, err
	}
	return h.fromOutput(apigatewayv2.GetApiOutput(*out)), nil
}

// corsNeedsDelete reports whether reaching desired takes a
// DeleteCorsConfiguration: when CORS is removed altogether, and when maxAge
// must become unset, which UpdateApi cannot express (it has no null).
func corsNeedsDelete(observed, desired *CORS) bool {
	if observed == nil {
		return false
	}
	return desired == nil || (desired.MaxAge == nil && observed.MaxAge != nil)
}

// updateAPIInput builds an UpdateApi input holding only the changed members,
// and whether there is anything to send. current is observed after any CORS
// deletion. disableExecuteApiEndpoint is sent explicitly, false included,
// whenever it changed.
func updateAPIInput(current, desired API, d delta) (*apigatewayv2.UpdateApiInput, bool) {
	in := &apigatewayv2.UpdateApiInput{ApiId: aws.String(current.ID)}
	needed := false
	set := func(changed bool, apply func()) {
		if changed {
			apply()
			needed = true
		}
	}
	set(d.name, func() { in.Name = aws.String(desired.Name) })
	set(d.description, func() { in.Description = aws.String(desired.Description) })
	set(d.disableExecute, func() { in.DisableExecuteApiEndpoint = aws.Bool(desired.DisableExecuteAPIEndpoint) })
	set(d.routeSelection, func() { in.RouteSelectionExpression = aws.String(webSocketRouteSelection(desired)) })
	set(d.apiKeySelect, func() { in.ApiKeySelectionExpression = aws.String(apiKeySelection(desired)) })
	set(desired.CORS != nil && !CORSEqual(current.CORS, desired.CORS), func() { in.CorsConfiguration = toV2CORS(desired.CORS) })
	return in, needed
}

func (h *httpAPIs) delete(ctx context.Context, id string) error {
	_, err := h.sdk.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: aws.String(id)})
	return err
}

func (h *httpAPIs) tag(ctx context.Context, arn string, tags map[string]string) error {
	_, err := h.sdk.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
	return err
}

func (h *httpAPIs) untag(ctx context.Context, arn string, keys []string) error {
	_, err := h.sdk.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
	return err
}

// fromOutput converts the answer of CreateApi, GetApi and UpdateApi, whose
// output types are identical (and so convertible into GetApiOutput).
func (h *httpAPIs) fromOutput(out apigatewayv2.GetApiOutput) API {
	return h.fromItem(types.Api{
		ApiId:                     out.ApiId,
		Name:                      out.Name,
		Description:               out.Description,
		ProtocolType:              out.ProtocolType,
		DisableExecuteApiEndpoint: out.DisableExecuteApiEndpoint,
		CorsConfiguration:         out.CorsConfiguration,
		RouteSelectionExpression:  out.RouteSelectionExpression,
		ApiKeySelectionExpression: out.ApiKeySelectionExpression,
		Tags:                      out.Tags,
		ApiEndpoint:               out.ApiEndpoint,
		CreatedDate:               out.CreatedDate,
	})
}

func (h *httpAPIs) fromItem(item types.Api) API {
	id := aws.ToString(item.ApiId)
	return API{
		ID:                        id,
		Name:                      aws.ToString(item.Name),
		Description:               aws.ToString(item.Description),
		Protocol:                  Protocol(item.ProtocolType),
		EndpointType:              EndpointRegional,
		DisableExecuteAPIEndpoint: aws.ToBool(item.DisableExecuteApiEndpoint),
		CORS:                      fromV2CORS(item.CorsConfiguration),
		RouteSelectionExpression:  aws.ToString(item.RouteSelectionExpression),
		APIKeySelectionExpression: aws.ToString(item.ApiKeySelectionExpression),
		Tags:                      item.Tags,
		ARN:                       h.arn(id),
		Endpoint:                  aws.ToString(item.ApiEndpoint),
		Created:                   aws.ToTime(item.CreatedDate),
	}
}

// toV2CORS sends every list, empty ones included, so that an update replaces
// the whole configuration rather than leaving stale members behind.
func toV2CORS(c *CORS) *types.Cors {
	if c == nil {
		return nil
	}
	return &types.Cors{
		AllowOrigins:     nonNil(c.AllowOrigins),
		AllowMethods:     nonNil(c.AllowMethods),
		AllowHeaders:     nonNil(c.AllowHeaders),
		ExposeHeaders:    nonNil(c.ExposeHeaders),
		MaxAge:           c.MaxAge,
		AllowCredentials: aws.Bool(c.AllowCredentials),
	}
}

func fromV2CORS(c *types.Cors) *CORS {
	if c == nil {
		return nil
	}
	return &CORS{
		AllowOrigins:     c.AllowOrigins,
		AllowMethods:     c.AllowMethods,
		AllowHeaders:     c.AllowHeaders,
		ExposeHeaders:    c.ExposeHeaders,
		MaxAge:           c.MaxAge,
		AllowCredentials: aws.ToBool(c.AllowCredentials),
	}
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return slices.Clone(list)
}

// optionalString leaves empty strings out of a request: AWS refuses some
// empty members (a REST description) and defaults others.
func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
