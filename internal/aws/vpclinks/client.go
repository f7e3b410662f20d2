package vpclinks

import (
	"context"
	"strings"

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

// CreateV2Bucket is the quota CreateVpcLink (v2) spends on its own: one
// call every 15 seconds per account and region.
var CreateV2Bucket = awsquotas.Operation{Service: awsquotas.ServiceAPIGatewayV2, Name: "CreateVpcLink"}

// Client reads and writes the VPC links of one account and region.
type Client struct {
	v2     V2API
	v1     V1API
	tags   gateway.ARNTags
	region string
}

// NewClient returns a Client for v2 links through v2 and v1 links through
// v1, in region.
func NewClient(v1 V1API, v2 V2API, region string) *Client {
	return &Client{v1: v1, v2: v2, tags: gateway.ARNTags{V1: v1, V2: v2}, region: region}
}

// ClientFor returns the provider's VPC link client, cached by the factory
// for the provider's settings, on the account's shared limiter.
func ClientFor(ctx context.Context, f *session.Factory, key string, s session.Settings) (*Client, error) {
	return session.Cached(ctx, f, key, s, "apigateway-vpclinks", func(cfg aws.Config) *Client {
		return NewClient(apigateway.NewFromConfig(cfg), apigatewayv2.NewFromConfig(cfg), s.Region)
	})
}

// ARN is the link's ARN, which tag operations name it by (both families
// spell it the same way; API Gateway ARNs carry no account).
func (c *Client) ARN(id string) string {
	return "arn:aws:apigateway:" + c.region + "::/vpclinks/" + id
}

// List returns every link of the family in the account and region.
func (c *Client) List(ctx context.Context, t Type) ([]Link, error) {
	if t == V1 {
		return gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]Link, *string, error) {
			out, err := c.v1.GetVpcLinks(ctx, &apigateway.GetVpcLinksInput{Position: token, Limit: aws.Int32(500)})
			if err != nil {
				return nil, nil, err
			}
			return convert(out.Items, fromV1), out.Position, nil
		})
	}
	return gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]Link, *string, error) {
		out, err := c.v2.GetVpcLinks(ctx, &apigatewayv2.GetVpcLinksInput{NextToken: token, MaxResults: aws.String("100")})
		if err != nil {
			return nil, nil, err
		}
		return convert(out.Items, fromV2), out.NextToken, nil
	})
}

// Get reads one link.
func (c *Client) Get(ctx context.Context, t Type, id string) (Link, error) {
	if t == V1 {
		out, err := c.v1.GetVpcLink(ctx, &apigateway.GetVpcLinkInput{VpcLinkId: aws.String(id)})
		if err != nil {
			return Link{}, err
		}
		return fromV1(v1types.VpcLink{Id: out.Id, Name: out.Name, Description: out.Description, Status: out.Status,
			StatusMessage: out.StatusMessage, TargetArns: out.TargetArns, Tags: out.Tags}), nil
	}
	out, err := c.v2.GetVpcLink(ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: aws.String(id)})
	if err != nil {
		return Link{}, err
	}
	return fromV2(v2types.VpcLink{VpcLinkId: out.VpcLinkId, Name: out.Name, SubnetIds: out.SubnetIds, SecurityGroupIds: out.SecurityGroupIds,
		VpcLinkStatus: out.VpcLinkStatus, VpcLinkStatusMessage: out.VpcLinkStatusMessage, Tags: out.Tags}), nil
}

// Create makes the link, tags (the owner mark) included, so that a crash
// right after leaves a link the owner search finds. The SDK retries it only
// when AWS throttled it: a 5xx may have made the link.
func (c *Client) Create(ctx context.Context, desired Link) (Link, error) {
	if desired.Type == V1 {
		out, err := c.v1.CreateVpcLink(ctx, &apigateway.CreateVpcLinkInput{
			Name: aws.String(desired.Name), TargetArns: desired.TargetARNs, Description: optional(desired.Description), Tags: desired.Tags,
		}, gateway.RetryCreateOnlyWhenThrottledV1)
		if err != nil {
			return Link{}, err
		}
		return fromV1(v1types.VpcLink{Id: out.Id, Name: out.Name, Description: out.Description, Status: out.Status,
			StatusMessage: out.StatusMessage, TargetArns: out.TargetArns, Tags: out.Tags}), nil
	}
	out, err := c.v2.CreateVpcLink(ctx, &apigatewayv2.CreateVpcLinkInput{
		Name: aws.String(desired.Name), SubnetIds: desired.SubnetIDs, SecurityGroupIds: desired.SecurityGroupIDs, Tags: desired.Tags,
	}, gateway.RetryCreateOnlyWhenThrottledV2)
	if err != nil {
		return Link{}, err
	}
	return fromV2(v2types.VpcLink{VpcLinkId: out.VpcLinkId, Name: out.Name, SubnetIds: out.SubnetIds, SecurityGroupIds: out.SecurityGroupIds,
		VpcLinkStatus: out.VpcLinkStatus, VpcLinkStatusMessage: out.VpcLinkStatusMessage, Tags: out.Tags}), nil
}

// Update changes what can change in place (name, a V1 description, tags)
// and returns the link as it now is.
func (c *Client) Update(ctx context.Context, observed Link, d Delta) (Link, error) {
	updated := observed
	if d.Name != nil || d.Description != nil {
		if err := c.updateAttributes(ctx, observed, d); err != nil {
			return observed, err
		}
		if d.Name != nil {
			updated.Name = *d.Name
		}
		if d.Description != nil {
			updated.Description = *d.Description
		}
	}
	if len(d.TagsToSet) > 0 {
		if err := c.Tag(ctx, observed, d.TagsToSet); err != nil {
			return updated, err
		}
	}
	if len(d.TagsToRemove) > 0 {
		if err := c.Untag(ctx, observed, d.TagsToRemove); err != nil {
			return updated, err
		}
	}
	updated.Tags = applyTags(observed.Tags, d)
	return updated, nil
}

func (c *Client) updateAttributes(ctx context.Context, observed Link, d Delta) error {
	if observed.Type == V1 {
		var ops []v1types.PatchOperation
		if d.Name != nil {
			ops = append(ops, v1types.PatchOperation{Op: v1types.OpReplace, Path: aws.String("/name"), Value: d.Name})
		}
		if d.Description != nil {
			ops = append(ops, v1types.PatchOperation{Op: v1types.OpReplace, Path: aws.String("/description"), Value: d.Description})
		}
		_, err := c.v1.UpdateVpcLink(ctx, &apigateway.UpdateVpcLinkInput{VpcLinkId: aws.String(observed.ID), PatchOperations: ops})
		return err
	}
	if d.Name == nil {
		return nil
	}
	_, err := c.v2.UpdateVpcLink(ctx, &apigatewayv2.UpdateVpcLinkInput{VpcLinkId: aws.String(observed.ID), Name: d.Name})
	return err
}

// Tag adds or replaces tags on the link.
func (c *Client) Tag(ctx context.Context, l Link, tags map[string]string) error {
	return c.tags.Tag(ctx, l.Type == V1, c.ARN(l.ID), tags)
}

// Untag removes tags from the link.
func (c *Client) Untag(ctx context.Context, l Link, keys []string) error {
	return c.tags.Untag(ctx, l.Type == V1, c.ARN(l.ID), keys)
}

// Delete deletes the link; one already gone is no error.
func (c *Client) Delete(ctx context.Context, l Link) error {
	var err error
	if l.Type == V1 {
		_, err = c.v1.DeleteVpcLink(ctx, &apigateway.DeleteVpcLinkInput{VpcLinkId: aws.String(l.ID)})
	} else {
		_, err = c.v2.DeleteVpcLink(ctx, &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: aws.String(l.ID)})
	}
	if awserrors.IsNotFound(err) {
		return nil
	}
	return err
}

// IsQuotaExceeded reports whether AWS refused a create because the account
// holds as many links as its quota allows (10 v2 and 20 v1 links per
// account and region by default). AWS documents the quota, not the error's
// code, so the refusal is recognised by its words.
func IsQuotaExceeded(err error) bool {
	if err == nil || (!awserrors.IsTerminal(err) && !awserrors.IsThrottled(err)) {
		return false
	}
	message := strings.ToLower(awserrors.Message(err))
	return strings.Contains(message, "limit") || strings.Contains(message, "quota")
}

func fromV2(l v2types.VpcLink) Link {
	return Link{
		Type: V2, ID: aws.ToString(l.VpcLinkId), Name: aws.ToString(l.Name),
		SubnetIDs: l.SubnetIds, SecurityGroupIDs: l.SecurityGroupIds,
		State: string(l.VpcLinkStatus), StatusMessage: aws.ToString(l.VpcLinkStatusMessage), Tags: l.Tags,
	}
}

func fromV1(l v1types.VpcLink) Link {
	return Link{
		Type: V1, ID: aws.ToString(l.Id), Name: aws.ToString(l.Name), Description: aws.ToString(l.Description),
		TargetARNs: l.TargetArns, State: string(l.Status), StatusMessage: aws.ToString(l.StatusMessage), Tags: l.Tags,
	}
}

func applyTags(current map[string]string, d Delta) map[string]string {
	tags := map[string]string{}
	for k, v := range current {
		tags[k] = v
	}
	for k, v := range d.TagsToSet {
		tags[k] = v
	}
	for _, k := range d.TagsToRemove {
		delete(tags, k)
	}
	return tags
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func convert[S, T any](items []S, to func(S) T) []T {
	out := make([]T, len(items))
	for i, item := range items {
		out[i] = to(item)
	}
	return out
}
