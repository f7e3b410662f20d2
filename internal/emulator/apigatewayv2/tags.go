package apigatewayv2

import (
	"net/http"
	"regexp"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// resourceARN matches the taggable v2 resources: an API or one of its
// stages; vpcLinkARN a VPC link.
var (
	resourceARN = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/apis/([^/]+)(?:/stages/([^/]+))?$`)
	vpcLinkARN  = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/vpclinks/([^/]+)$`)
	// domainARN names a custom domain name, which AWS tags through either
	// family (the domain is shared).
	domainARN = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/domainnames/([^/]+)$`)
)

// taggedResource returns the tag map of the resource an ARN names, in the
// caller's region, and how to replace it.
func (svc *Service) taggedResource(c *core.Call, arn string) (map[string]string, func(map[string]string), error) {
	if m := vpcLinkARN.FindStringSubmatch(arn); m != nil {
		link, ok := svc.vpcLinks[c.WorldKey()][m[2]]
		if m[1] != c.Region || !ok {
			return nil, nil, errNotFoundVpcLink.With(m[2])
		}
		return link.Tags, func(tags map[string]string) { link.Tags = tags }, nil
	}
	if m := domainARN.FindStringSubmatch(arn); m != nil {
		d := svc.domains.Domain(c, m[2])
		if m[1] != c.Region || d == nil {
			return nil, nil, errNotFoundDomain.With()
		}
		return d.Tags, func(tags map[string]string) { d.Tags = tags }, nil
	}
	m := resourceARN.FindStringSubmatch(arn)
	if m == nil {
		return nil, nil, errInvalidResourceARN.With(arn)
	}
	region, apiID, stageName := m[1], m[2], m[3]
	record := svc.world(c).APIs[apiID]
	if region != c.Region || record == nil {
		return nil, nil, core.NotFoundAPI(c.Account, apiID)
	}
	if stageName == "" {
		return record.API.Tags, func(tags map[string]string) { record.API.Tags = tags }, nil
	}
	stage := record.Stages[stageName]
	if stage == nil {
		return nil, nil, errNotFoundStage.With(stageName)
	}
	return stage.Tags, func(tags map[string]string) { stage.Tags = tags }, nil
}

// TagsBody is the body of TagResource and the answer of GetTags.
type TagsBody struct {
	Tags map[string]string `json:"tags"`
}

func (svc *Service) tagResource(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	current, store, err := svc.taggedResource(c, params["resourceArn"])
	if err != nil {
		return 0, nil, err
	}
	var input TagsBody
	if err := decodeBody(body, &input); err != nil {
		return 0, nil, err
	}
	if violation := tags.Check(current, input.Tags); violation != nil {
		return 0, nil, invalidTags(violation)
	}
	store(tags.Merge(current, input.Tags))
	return http.StatusCreated, struct{}{}, nil
}

func (svc *Service) untagResource(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	current, store, err := svc.taggedResource(c, params["resourceArn"])
	if err != nil {
		return 0, nil, err
	}
	keys := r.URL.Query()["tagKeys"]
	if len(keys) == 0 {
		return 0, nil, errTagKeysRequired.With()
	}
	store(tags.Without(current, keys))
	return http.StatusNoContent, nil, nil
}

func (svc *Service) getTags(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	current, _, err := svc.taggedResource(c, params["resourceArn"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, TagsBody{Tags: tags.Merge(current, nil)}, nil
}
