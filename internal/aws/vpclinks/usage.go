package vpclinks

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// Uses returns where an API still reaches a link: integrations whose
// connection is the link, and stages whose deployed snapshot still names
// it (a REST stage serves its deployment, not the current integrations;
// so does an HTTP stage without autoDeploy). Empty means the link can go
// without breaking the API. WebSocket stages are not exported by AWS, so
// only their integrations are read.
func (c *Client) Uses(ctx context.Context, protocol gateway.Protocol, apiID, linkID string) ([]string, error) {
	if protocol == gateway.ProtocolREST {
		return c.restUses(ctx, apiID, linkID)
	}
	uses, err := c.v2IntegrationUses(ctx, apiID, linkID)
	if err != nil || protocol != gateway.ProtocolHTTP {
		return uses, err
	}
	stages, err := c.v2StageUses(ctx, apiID, linkID)
	return append(uses, stages...), err
}

func (c *Client) v2IntegrationUses(ctx context.Context, apiID, linkID string) ([]string, error) {
	var uses []string
	_, err := gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]struct{}, *string, error) {
		out, err := c.v2.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(apiID), NextToken: token, MaxResults: aws.String("100")})
		if err != nil {
			return nil, nil, err
		}
		for _, in := range out.Items {
			if aws.ToString(in.ConnectionId) == linkID {
				uses = append(uses, "integration "+aws.ToString(in.IntegrationId))
			}
		}
		return nil, out.NextToken, nil
	})
	return uses, err
}

// v2StageUses exports what each HTTP stage serves (its deployment) with
// API Gateway's extensions, which carry every integration's connectionId.
func (c *Client) v2StageUses(ctx context.Context, apiID, linkID string) ([]string, error) {
	stages, err := c.v2.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: aws.String(apiID), MaxResults: aws.String("100")})
	if err != nil {
		return nil, err
	}
	var uses []string
	for _, st := range stages.Items {
		if st.DeploymentId == nil {
			continue // nothing deployed: it serves nothing
		}
		out, err := c.v2.ExportApi(ctx, &apigatewayv2.ExportApiInput{
			ApiId: aws.String(apiID), StageName: st.StageName, Specification: aws.String("OAS30"),
			OutputType: aws.String("JSON"), IncludeExtensions: aws.Bool(true),
		})
		if err != nil {
			return nil, err
		}
		if exportNames(out.Body, linkID) {
			uses = append(uses, "stage "+aws.ToString(st.StageName))
		}
	}
	return uses, nil
}

func (c *Client) restUses(ctx context.Context, apiID, linkID string) ([]string, error) {
	var uses []string
	_, err := gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]struct{}, *string, error) {
		out, err := c.v1.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: aws.String(apiID), Embed: []string{"methods"}, Position: token, Limit: aws.Int32(500)})
		if err != nil {
			return nil, nil, err
		}
		for _, res := range out.Items {
			for _, verb := range sortedKeys(res.ResourceMethods) {
				if in := res.ResourceMethods[verb].MethodIntegration; in != nil && aws.ToString(in.ConnectionId) == linkID {
					uses = append(uses, "method "+verb+" "+aws.ToString(res.Path))
				}
			}
		}
		return nil, out.Position, nil
	})
	if err != nil {
		return nil, err
	}
	stages, err := c.v1.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: aws.String(apiID)})
	if err != nil {
		return nil, err
	}
	for _, st := range stages.Item {
		out, err := c.v1.GetExport(ctx, &apigateway.GetExportInput{
			RestApiId: aws.String(apiID), StageName: st.StageName, ExportType: aws.String("oas30"),
			Accepts: aws.String("application/json"), Parameters: map[string]string{"extensions": "integrations"},
		})
		if err != nil {
			return nil, err
		}
		if exportNames(out.Body, linkID) {
			uses = append(uses, "stage "+aws.ToString(st.StageName))
		}
	}
	return uses, nil
}

// exportNames reports whether an OpenAPI export names the link as the
// connection of an x-amazon-apigateway-integration. An export that cannot
// be read counts as naming it: a link must never go on a guess.
func exportNames(body []byte, linkID string) bool {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return true
	}
	for _, item := range doc.Paths {
		for _, raw := range item {
			var op struct {
				Integration struct {
					ConnectionID string `json:"connectionId"`
				} `json:"x-amazon-apigateway-integration"`
			}
			if json.Unmarshal(raw, &op) == nil && op.Integration.ConnectionID == linkID {
				return true
			}
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
