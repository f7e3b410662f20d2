package usageplans

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// UpdatePlanBucket is the quota UpdateUsagePlan spends on its own: one call
// every 20 seconds per account and region.
var UpdatePlanBucket = awsquotas.Operation{Service: awsquotas.ServiceAPIGateway, Name: "UpdateUsagePlan"}

// Client reads and writes the usage plans and API keys of one account and
// region. Its calls go through the account's shared limiter, which holds
// UpdateUsagePlan to AWS's 1 call every 20 seconds.
type Client struct {
	api    API
	region string
}

// NewClient returns a Client over api in region.
func NewClient(api API, region string) *Client { return &Client{api: api, region: region} }

// ClientFor returns the provider's client, cached by the factory for the
// provider's settings, on the account's shared limiter.
func ClientFor(ctx context.Context, f *session.Factory, key string, s session.Settings) (*Client, error) {
	return session.Cached(ctx, f, key, s, "apigateway-usageplans", func(cfg aws.Config) *Client {
		return NewClient(apigateway.NewFromConfig(cfg), s.Region)
	})
}

// PlanARN is a usage plan's ARN, which tag operations name it by (API
// Gateway ARNs carry no account).
func (c *Client) PlanARN(id string) string {
	return "arn:" + session.Partition(c.region) + ":apigateway:" + c.region + "::/usageplans/" + id
}

// KeyARN is an API key's ARN.
func (c *Client) KeyARN(id string) string {
	return "arn:" + session.Partition(c.region) + ":apigateway:" + c.region + "::/apikeys/" + id
}

// Plans lists every usage plan of the account and region, tags included.
func (c *Client) Plans(ctx context.Context) ([]Plan, error) {
	return gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]Plan, *string, error) {
		out, err := c.api.GetUsagePlans(ctx, &apigateway.GetUsagePlansInput{Position: token, Limit: aws.Int32(500)})
		if err != nil {
			return nil, nil, err
		}
		plans := make([]Plan, len(out.Items))
		for i, p := range out.Items {
			plans[i] = fromPlan(p)
		}
		return plans, out.Position, nil
	})
}

// Plan reads one usage plan.
func (c *Client) Plan(ctx context.Context, id string) (Plan, error) {
	out, err := c.api.GetUsagePlan(ctx, &apigateway.GetUsagePlanInput{UsagePlanId: aws.String(id)})
	if err != nil {
		return Plan{}, err
	}
	return fromPlan(types.UsagePlan{Id: out.Id, Name: out.Name, Description: out.Description, ApiStages: out.ApiStages,
		Throttle: out.Throttle, Quota: out.Quota, Tags: out.Tags}), nil
}

// CreatePlan makes the plan with its stages, limits and tags (the owner
// mark) in one call, so that a crash right after leaves a plan the owner
// search finds. The SDK retries it only when AWS throttled it.
func (c *Client) CreatePlan(ctx context.Context, desired Plan) (Plan, error) {
	out, err := c.api.CreateUsagePlan(ctx, &apigateway.CreateUsagePlanInput{
		Name: aws.String(desired.Name), Description: optional(desired.Description), ApiStages: toStages(desired.Stages),
		Throttle: toThrottle(desired.Throttle), Quota: toQuota(desired.Quota), Tags: desired.Tags,
	}, gateway.RetryCreateOnlyWhenThrottledV1)
	if err != nil {
		return Plan{}, err
	}
	return fromPlan(types.UsagePlan{Id: out.Id, Name: out.Name, Description: out.Description, ApiStages: out.ApiStages,
		Throttle: out.Throttle, Quota: out.Quota, Tags: desired.Tags}), nil
}

// UpdatePlan applies the delta: every patch operation in one UpdateUsagePlan
// call (AWS allows one every 20 seconds per account), then the tags.
func (c *Client) UpdatePlan(ctx context.Context, id string, d PlanDelta) error {
	if len(d.Operations) > 0 {
		if _, err := c.api.UpdateUsagePlan(ctx, &apigateway.UpdateUsagePlanInput{UsagePlanId: aws.String(id), PatchOperations: d.Operations}); err != nil {
			return err
		}
	}
	return c.retag(ctx, c.PlanARN(id), d.TagsToSet, d.TagsToRemove)
}

// DeletePlan detaches the plan's keys and removes its stages, then deletes
// it: AWS refuses to delete a plan that still has stages.
func (c *Client) DeletePlan(ctx context.Context, plan Plan) error {
	keys, err := c.PlanKeys(ctx, plan.ID)
	if err != nil {
		return err
	}
	for _, keyID := range keys {
		if err := c.Detach(ctx, plan.ID, keyID); err != nil {
			return err
		}
	}
	if len(plan.Stages) > 0 {
		var d PlanDelta
		for _, s := range plan.Stages {
			d.remove("/apiStages", s.key(), "")
		}
		if err := c.UpdatePlan(ctx, plan.ID, d); err != nil && !awserrors.IsNotFound(err) {
			return err
		}
	}
	_, err = c.api.DeleteUsagePlan(ctx, &apigateway.DeleteUsagePlanInput{UsagePlanId: aws.String(plan.ID)})
	if awserrors.IsNotFound(err) {
		return nil
	}
	return err
}

// PlanKeys lists the ids of the keys attached to a plan.
func (c *Client) PlanKeys(ctx context.Context, planID string) ([]string, error) {
	return gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]string, *string, error) {
		out, err := c.api.GetUsagePlanKeys(ctx, &apigateway.GetUsagePlanKeysInput{UsagePlanId: aws.String(planID), Position: token, Limit: aws.Int32(500)})
		if err != nil {
			return nil, nil, err
		}
		ids := make([]string, len(out.Items))
		for i, k := range out.Items {
			ids[i] = aws.ToString(k.Id)
		}
		return ids, out.Position, nil
	})
}

// Attach attaches a key to a plan; attaching it again is no error.
func (c *Client) Attach(ctx context.Context, planID, keyID string) error {
	_, err := c.api.CreateUsagePlanKey(ctx, &apigateway.CreateUsagePlanKeyInput{UsagePlanId: aws.String(planID), KeyId: aws.String(keyID), KeyType: aws.String("API_KEY")})
	if awserrors.IsConflict(err) {
		return nil
	}
	return err
}

// Detach takes a key off a plan; a key or plan already gone is no error.
func (c *Client) Detach(ctx context.Context, planID, keyID string) error {
	_, err := c.api.DeleteUsagePlanKey(ctx, &apigateway.DeleteUsagePlanKeyInput{UsagePlanId: aws.String(planID), KeyId: aws.String(keyID)})
	if awserrors.IsNotFound(err) {
		return nil
	}
	return err
}

// PlansOfKey lists the ids of the plans a key is attached to.
func (c *Client) PlansOfKey(ctx context.Context, keyID string) ([]string, error) {
	return gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]string, *string, error) {
		out, err := c.api.GetUsagePlans(ctx, &apigateway.GetUsagePlansInput{KeyId: aws.String(keyID), Position: token, Limit: aws.Int32(500)})
		if err != nil {
			return nil, nil, err
		}
		ids := make([]string, len(out.Items))
		for i, p := range out.Items {
			ids[i] = aws.ToString(p.Id)
		}
		return ids, out.Position, nil
	})
}

// KeysNamed lists the keys whose name is name, read one by one for their
// tags (GetApiKeys answers none): API key names are not unique, so the
// owner mark decides.
func (c *Client) KeysNamed(ctx context.Context, name string) ([]Key, error) {
	ids, err := gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]string, *string, error) {
		out, err := c.api.GetApiKeys(ctx, &apigateway.GetApiKeysInput{NameQuery: aws.String(name), Position: token, Limit: aws.Int32(500)})
		if err != nil {
			return nil, nil, err
		}
		var ids []string
		for _, k := range out.Items {
			if aws.ToString(k.Name) == name {
				ids = append(ids, aws.ToString(k.Id))
			}
		}
		return ids, out.Position, nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([]Key, 0, len(ids))
	for _, id := range ids {
		k, err := c.Key(ctx, id, false)
		if awserrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// Key reads one key, with its value when withValue.
func (c *Client) Key(ctx context.Context, id string, withValue bool) (Key, error) {
	out, err := c.api.GetApiKey(ctx, &apigateway.GetApiKeyInput{ApiKey: aws.String(id), IncludeValue: aws.Bool(withValue)})
	if err != nil {
		return Key{}, err
	}
	return Key{ID: aws.ToString(out.Id), Name: aws.ToString(out.Name), Description: aws.ToString(out.Description),
		Enabled: out.Enabled, Value: aws.ToString(out.Value), Tags: out.Tags}, nil
}

// CreateKey makes the key with its value and tags (the owner mark).
func (c *Client) CreateKey(ctx context.Context, desired Key) (Key, error) {
	out, err := c.api.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{
		Name: aws.String(desired.Name), Description: optional(desired.Description), Enabled: desired.Enabled,
		Value: aws.String(desired.Value), Tags: desired.Tags,
	}, gateway.RetryCreateOnlyWhenThrottledV1)
	if err != nil {
		return Key{}, err
	}
	created := desired
	created.ID = aws.ToString(out.Id)
	return created, nil
}

// UpdateKey applies the delta in place.
func (c *Client) UpdateKey(ctx context.Context, id string, d KeyDelta) error {
	if len(d.Operations) > 0 {
		if _, err := c.api.UpdateApiKey(ctx, &apigateway.UpdateApiKeyInput{ApiKey: aws.String(id), PatchOperations: d.Operations}); err != nil {
			return err
		}
	}
	return c.retag(ctx, c.KeyARN(id), d.TagsToSet, d.TagsToRemove)
}

// DeleteKey deletes a key (AWS takes it off every plan); one already gone
// is no error.
func (c *Client) DeleteKey(ctx context.Context, id string) error {
	_, err := c.api.DeleteApiKey(ctx, &apigateway.DeleteApiKeyInput{ApiKey: aws.String(id)})
	if awserrors.IsNotFound(err) {
		return nil
	}
	return err
}

// Tag sets tags on a plan or key, by its ARN.
func (c *Client) Tag(ctx context.Context, arn string, tags map[string]string) error {
	_, err := c.api.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
	return err
}

// Untag removes tag keys from a plan or key, by its ARN.
func (c *Client) Untag(ctx context.Context, arn string, keys []string) error {
	_, err := c.api.UntagResource(ctx, &apigateway.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
	return err
}

func (c *Client) retag(ctx context.Context, arn string, set map[string]string, remove []string) error {
	if len(set) > 0 {
		if err := c.Tag(ctx, arn, set); err != nil {
			return err
		}
	}
	if len(remove) > 0 {
		return c.Untag(ctx, arn, remove)
	}
	return nil
}

func fromPlan(p types.UsagePlan) Plan {
	plan := Plan{ID: aws.ToString(p.Id), Name: aws.ToString(p.Name), Description: aws.ToString(p.Description), Tags: p.Tags}
	for _, s := range p.ApiStages {
		stage := Stage{APIID: aws.ToString(s.ApiId), Stage: aws.ToString(s.Stage)}
		for method, t := range s.Throttle {
			if stage.Throttle == nil {
				stage.Throttle = map[string]Throttle{}
			}
			stage.Throttle[method] = Throttle{RateLimit: t.RateLimit, BurstLimit: t.BurstLimit}
		}
		plan.Stages = append(plan.Stages, stage)
	}
	if t := p.Throttle; t != nil {
		plan.Throttle = &Throttle{RateLimit: t.RateLimit, BurstLimit: t.BurstLimit}
	}
	if q := p.Quota; q != nil {
		plan.Quota = &Quota{Limit: q.Limit, Offset: q.Offset, Period: string(q.Period)}
	}
	return plan
}

func toStages(stages []Stage) []types.ApiStage {
	out := make([]types.ApiStage, len(stages))
	for i, s := range stages {
		out[i] = types.ApiStage{ApiId: aws.String(s.APIID), Stage: aws.String(s.Stage)}
		for method, t := range s.Throttle {
			if out[i].Throttle == nil {
				out[i].Throttle = map[string]types.ThrottleSettings{}
			}
			out[i].Throttle[method] = *toThrottle(&t)
		}
	}
	return out
}

func toThrottle(t *Throttle) *types.ThrottleSettings {
	if t == nil {
		return nil
	}
	return &types.ThrottleSettings{RateLimit: t.RateLimit, BurstLimit: t.BurstLimit}
}

func toQuota(q *Quota) *types.QuotaSettings {
	if q == nil {
		return nil
	}
	return &types.QuotaSettings{Limit: q.Limit, Offset: q.Offset, Period: types.QuotaPeriodType(q.Period)}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
