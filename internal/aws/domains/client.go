package domains

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	v1types "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// Quota buckets of the domain writes: 1 call every 30 seconds per account
// and region, for each family.
var (
	CreateBucketV2 = awsquotas.Operation{Service: awsquotas.ServiceAPIGatewayV2, Name: "CreateDomainName"}
	CreateBucketV1 = awsquotas.Operation{Service: awsquotas.ServiceAPIGateway, Name: "CreateDomainName"}
	DeleteBucketV2 = awsquotas.Operation{Service: awsquotas.ServiceAPIGatewayV2, Name: "DeleteDomainName"}
	DeleteBucketV1 = awsquotas.Operation{Service: awsquotas.ServiceAPIGateway, Name: "DeleteDomainName"}
)

// CreateBucket is the quota bucket a create of the endpoint type spends.
func CreateBucket(endpointType string) awsquotas.Operation {
	if endpointType == Edge {
		return CreateBucketV1
	}
	return CreateBucketV2
}

// DeleteBucket is the quota bucket a delete of the endpoint type spends.
func DeleteBucket(endpointType string) awsquotas.Operation {
	if endpointType == Edge {
		return DeleteBucketV1
	}
	return DeleteBucketV2
}

// noBasePath is how v1 spells the root mapping.
const noBasePath = "(none)"

// Client reads and writes the domain names of one account and region.
type Client struct {
	v2     V2API
	v1     V1API
	tags   gateway.ARNTags
	region string
}

// NewClient returns a Client for region.
func NewClient(v1 V1API, v2 V2API, region string) *Client {
	return &Client{v1: v1, v2: v2, tags: gateway.ARNTags{V1: v1, V2: v2}, region: region}
}

// ClientFor returns the provider's domain name client, cached by the
// factory for the provider's settings, on the account's shared limiter.
func ClientFor(ctx context.Context, f *session.Factory, key string, s session.Settings) (*Client, error) {
	return session.Cached(ctx, f, key, s, "apigateway-domains", func(cfg aws.Config) *Client {
		return NewClient(apigateway.NewFromConfig(cfg), apigatewayv2.NewFromConfig(cfg), s.Region)
	})
}

// ARN is the domain's ARN, which tag operations name it by (the same for
// both families; API Gateway ARNs carry no account).
func (c *Client) ARN(name string) string {
	return "arn:" + session.Partition(c.region) + ":apigateway:" + c.region + "::/domainnames/" + name
}

// Get reads the domain through the family of its endpoint type.
func (c *Client) Get(ctx context.Context, endpointType, name string) (Domain, error) {
	if endpointType == Edge {
		out, err := c.v1.GetDomainName(ctx, &apigateway.GetDomainNameInput{DomainName: aws.String(name)})
		if err != nil {
			return Domain{}, err
		}
		return fromV1(out), nil
	}
	out, err := c.v2.GetDomainName(ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String(name)})
	if err != nil {
		return Domain{}, err
	}
	return fromV2(aws.ToString(out.DomainName), out.DomainNameConfigurations, out.MutualTlsAuthentication, out.Tags), nil
}

// Create makes the domain with its tags (the owner mark) in the same call,
// so that a crash right after leaves a domain the next pass recognises. The
// SDK retries it only when AWS throttled it.
func (c *Client) Create(ctx context.Context, desired Domain) (Domain, error) {
	if desired.EndpointType == Edge {
		out, err := c.v1.CreateDomainName(ctx, &apigateway.CreateDomainNameInput{
			DomainName: aws.String(desired.Name), CertificateArn: aws.String(desired.CertificateARN),
			EndpointConfiguration: &v1types.EndpointConfiguration{Types: []v1types.EndpointType{v1types.EndpointTypeEdge}},
			SecurityPolicy:        v1types.SecurityPolicy(desired.SecurityPolicy), Tags: desired.Tags,
		}, gateway.RetryCreateOnlyWhenThrottledV1)
		if err != nil {
			return Domain{}, err
		}
		return fromV1((*apigateway.GetDomainNameOutput)(out)), nil
	}
	out, err := c.v2.CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{
		DomainName: aws.String(desired.Name), DomainNameConfigurations: v2Configurations(desired),
		MutualTlsAuthentication: v2MutualTLS(desired), Tags: desired.Tags,
	}, gateway.RetryCreateOnlyWhenThrottledV2)
	if err != nil {
		return Domain{}, err
	}
	return fromV2(aws.ToString(out.DomainName), out.DomainNameConfigurations, out.MutualTlsAuthentication, out.Tags), nil
}

// Update brings the settings and tags d names to desired.
func (c *Client) Update(ctx context.Context, observed, desired Domain, d Delta) error {
	if len(d.Settings) > 0 {
		if err := c.updateSettings(ctx, observed, desired); err != nil {
			return err
		}
	}
	if len(d.TagsToSet) > 0 {
		if err := c.Tag(ctx, observed, d.TagsToSet); err != nil {
			return err
		}
	}
	if len(d.TagsToRemove) > 0 {
		return c.Untag(ctx, observed, d.TagsToRemove)
	}
	return nil
}

func (c *Client) updateSettings(ctx context.Context, observed, desired Domain) error {
	if observed.EndpointType == Edge {
		ops := []v1types.PatchOperation{
			{Op: v1types.OpReplace, Path: aws.String("/certificateArn"), Value: aws.String(desired.CertificateARN)},
			{Op: v1types.OpReplace, Path: aws.String("/securityPolicy"), Value: aws.String(desired.SecurityPolicy)},
		}
		_, err := c.v1.UpdateDomainName(ctx, &apigateway.UpdateDomainNameInput{DomainName: aws.String(observed.Name), PatchOperations: ops})
		return err
	}
	mutualTLS := v2MutualTLS(desired)
	if mutualTLS == nil && observed.TruststoreURI != "" {
		// An empty truststore is how UpdateDomainName turns mutual TLS off.
		mutualTLS = &v2types.MutualTlsAuthenticationInput{TruststoreUri: aws.String("")}
	}
	_, err := c.v2.UpdateDomainName(ctx, &apigatewayv2.UpdateDomainNameInput{
		DomainName: aws.String(observed.Name), DomainNameConfigurations: v2Configurations(desired), MutualTlsAuthentication: mutualTLS,
	})
	return err
}

// Tag adds or replaces tags on the domain.
func (c *Client) Tag(ctx context.Context, d Domain, tags map[string]string) error {
	return c.tags.Tag(ctx, d.EndpointType == Edge, c.ARN(d.Name), tags)
}

// Untag removes tags from the domain.
func (c *Client) Untag(ctx context.Context, d Domain, keys []string) error {
	return c.tags.Untag(ctx, d.EndpointType == Edge, c.ARN(d.Name), keys)
}

// Delete deletes the domain; one already gone is no error.
func (c *Client) Delete(ctx context.Context, d Domain) error {
	var err error
	if d.EndpointType == Edge {
		_, err = c.v1.DeleteDomainName(ctx, &apigateway.DeleteDomainNameInput{DomainName: aws.String(d.Name)})
	} else {
		_, err = c.v2.DeleteDomainName(ctx, &apigatewayv2.DeleteDomainNameInput{DomainName: aws.String(d.Name)})
	}
	if awserrors.IsNotFound(err) {
		return nil
	}
	return err
}

// Mappings lists the API stages mapped to the domain.
func (c *Client) Mappings(ctx context.Context, endpointType, domain string) ([]Mapping, error) {
	if endpointType == Edge {
		return gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]Mapping, *string, error) {
			out, err := c.v1.GetBasePathMappings(ctx, &apigateway.GetBasePathMappingsInput{DomainName: aws.String(domain), Position: token, Limit: aws.Int32(500)})
			if err != nil {
				return nil, nil, err
			}
			mappings := make([]Mapping, len(out.Items))
			for i, m := range out.Items {
				path := v1BasePath(aws.ToString(m.BasePath))
				mappings[i] = Mapping{ID: path, APIID: aws.ToString(m.RestApiId), Stage: aws.ToString(m.Stage), BasePath: path}
			}
			return mappings, out.Position, nil
		})
	}
	return gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]Mapping, *string, error) {
		out, err := c.v2.GetApiMappings(ctx, &apigatewayv2.GetApiMappingsInput{DomainName: aws.String(domain), NextToken: token, MaxResults: aws.String("100")})
		if err != nil {
			return nil, nil, err
		}
		mappings := make([]Mapping, len(out.Items))
		for i, m := range out.Items {
			mappings[i] = Mapping{ID: aws.ToString(m.ApiMappingId), APIID: aws.ToString(m.ApiId), Stage: aws.ToString(m.Stage), BasePath: aws.ToString(m.ApiMappingKey)}
		}
		return mappings, out.NextToken, nil
	})
}

// Map serves the API's stage under the base path of the domain. A base
// path is its own key: a retry after a lost answer finds it taken by the
// same API and stage, which the caller recognises.
func (c *Client) Map(ctx context.Context, endpointType, domain string, m Mapping) error {
	if endpointType == Edge {
		_, err := c.v1.CreateBasePathMapping(ctx, &apigateway.CreateBasePathMappingInput{
			DomainName: aws.String(domain), RestApiId: aws.String(m.APIID), Stage: aws.String(m.Stage), BasePath: aws.String(wireV1BasePath(m.BasePath)),
		})
		return err
	}
	_, err := c.v2.CreateApiMapping(ctx, &apigatewayv2.CreateApiMappingInput{
		DomainName: aws.String(domain), ApiId: aws.String(m.APIID), Stage: aws.String(m.Stage), ApiMappingKey: aws.String(m.BasePath),
	})
	return err
}

// Restage points an existing mapping at another stage of its API.
func (c *Client) Restage(ctx context.Context, endpointType, domain string, m Mapping) error {
	if endpointType == Edge {
		_, err := c.v1.UpdateBasePathMapping(ctx, &apigateway.UpdateBasePathMappingInput{
			DomainName: aws.String(domain), BasePath: aws.String(wireV1BasePath(m.BasePath)),
			PatchOperations: []v1types.PatchOperation{{Op: v1types.OpReplace, Path: aws.String("/stage"), Value: aws.String(m.Stage)}},
		})
		return err
	}
	_, err := c.v2.UpdateApiMapping(ctx, &apigatewayv2.UpdateApiMappingInput{
		DomainName: aws.String(domain), ApiMappingId: aws.String(m.ID), ApiId: aws.String(m.APIID), Stage: aws.String(m.Stage),
	})
	return err
}

// Unmap removes a mapping; one already gone is no error.
func (c *Client) Unmap(ctx context.Context, endpointType, domain string, m Mapping) error {
	var err error
	if endpointType == Edge {
		_, err = c.v1.DeleteBasePathMapping(ctx, &apigateway.DeleteBasePathMappingInput{DomainName: aws.String(domain), BasePath: aws.String(wireV1BasePath(m.BasePath))})
	} else {
		_, err = c.v2.DeleteApiMapping(ctx, &apigatewayv2.DeleteApiMappingInput{DomainName: aws.String(domain), ApiMappingId: aws.String(m.ID)})
	}
	if awserrors.IsNotFound(err) {
		return nil
	}
	return err
}

func v2Configurations(d Domain) []v2types.DomainNameConfiguration {
	return []v2types.DomainNameConfiguration{{
		CertificateArn: aws.String(d.CertificateARN), EndpointType: v2types.EndpointTypeRegional,
		SecurityPolicy: v2types.SecurityPolicy(d.SecurityPolicy),
	}}
}

func v2MutualTLS(d Domain) *v2types.MutualTlsAuthenticationInput {
	if d.TruststoreURI == "" {
		return nil
	}
	in := &v2types.MutualTlsAuthenticationInput{TruststoreUri: aws.String(d.TruststoreURI)}
	if d.TruststoreVersion != "" {
		in.TruststoreVersion = aws.String(d.TruststoreVersion)
	}
	return in
}

func fromV2(name string, configs []v2types.DomainNameConfiguration, mutualTLS *v2types.MutualTlsAuthentication, tags map[string]string) Domain {
	d := Domain{Name: name, EndpointType: Regional, Tags: tags}
	if len(configs) > 0 {
		config := configs[0]
		d.EndpointType = string(config.EndpointType)
		d.CertificateARN, d.SecurityPolicy = aws.ToString(config.CertificateArn), string(config.SecurityPolicy)
		d.TargetDomainName, d.HostedZoneID, d.Status = aws.ToString(config.ApiGatewayDomainName), aws.ToString(config.HostedZoneId), string(config.DomainNameStatus)
	}
	if mutualTLS != nil {
		d.TruststoreURI, d.TruststoreVersion = aws.ToString(mutualTLS.TruststoreUri), aws.ToString(mutualTLS.TruststoreVersion)
	}
	return d
}

func fromV1(out *apigateway.GetDomainNameOutput) Domain {
	return Domain{
		Name: aws.ToString(out.DomainName), EndpointType: Edge, CertificateARN: aws.ToString(out.CertificateArn),
		SecurityPolicy: string(out.SecurityPolicy), Tags: out.Tags,
		TargetDomainName: aws.ToString(out.DistributionDomainName), HostedZoneID: aws.ToString(out.DistributionHostedZoneId),
		Status: string(out.DomainNameStatus),
	}
}

func v1BasePath(path string) string {
	if path == noBasePath {
		return ""
	}
	return path
}

func wireV1BasePath(path string) string {
	if path == "" {
		return noBasePath
	}
	return path
}
