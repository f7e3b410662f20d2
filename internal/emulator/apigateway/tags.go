package apigateway

import (
	"net/http"
	"regexp"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// checkTags validates the tags that would result from adding added to
// existing, in apigateway's words.
func checkTags(existing, added map[string]string) error {
	if violation := tags.Check(existing, added); violation != nil {
		return invalidTags(violation)
	}
	return nil
}

// restAPIARNPattern matches a REST API's ARN, and restStageARNPattern a
// stage's; API Gateway ARNs carry no account id.
var (
	restAPIARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/restapis/([^/]+)$`)
	restStageARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/restapis/([^/]+)/stages/([^/]+)$`)
	vpcLinkARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/vpclinks/([^/]+)$`)
	// AWS tags usage plans and API keys too (the taggable v1 resources
	// include UsagePlan and ApiKey), and domain names.
	usagePlanARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/usageplans/([^/]+)$`)
	apiKeyARNPattern    = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/apikeys/([^/]+)$`)
	domainARNPattern    = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/domainnames/([^/]+)$`)
)

// taggedTags finds the tags of the resource a tag operation names by its
// ARN (a REST API, one of its stages, a VPC link, a usage plan, an API key
// or a domain name), for reading or replacing. An ARN of another region
// names a resource of another world, which this caller cannot see: not
// found, as for an unknown id.
func (s *Service) taggedTags(c *core.Call, arn string) (*map[string]string, error) {
	if match := vpcLinkARNPattern.FindStringSubmatch(arn); match != nil {
		link, ok := s.vpcLinks[c.WorldKey()][match[2]]
		if match[1] != c.Region || !ok {
			return nil, errVpcLinkNotFound()
		}
		return &link.Tags, nil
	}
	if match := usagePlanARNPattern.FindStringSubmatch(arn); match != nil {
		plan, ok := s.usagePlans[c.WorldKey()][match[2]]
		if match[1] != c.Region || !ok {
			return nil, errUsagePlanNotFound()
		}
		return &plan.Tags, nil
	}
	if match := apiKeyARNPattern.FindStringSubmatch(arn); match != nil {
		key, ok := s.apiKeys[c.WorldKey()][match[2]]
		if match[1] != c.Region || !ok {
			return nil, errAPIKeyNotFound()
		}
		return &key.Tags, nil
	}
	if match := domainARNPattern.FindStringSubmatch(arn); match != nil {
		d := s.domains.Domain(c, match[2])
		if match[1] != c.Region || d == nil {
			return nil, errDomainNotFound()
		}
		return &d.Tags, nil
	}
	if match := restStageARNPattern.FindStringSubmatch(arn); match != nil {
		api, err := s.taggedAPI(c, match[1], match[2])
		if err != nil {
			return nil, err
		}
		stage, ok := api.children().Stages[match[3]]
		if !ok {
			return nil, stageNotFound()
		}
		return &stage.Tags, nil
	}
	match := restAPIARNPattern.FindStringSubmatch(arn)
	if match == nil {
		return nil, invalidResourceARN(arn)
	}
	api, err := s.taggedAPI(c, match[1], match[2])
	if err != nil {
		return nil, err
	}
	return &api.Tags, nil
}

func (s *Service) taggedAPI(c *core.Call, region, id string) (*restAPI, error) {
	if region != c.Region {
		return nil, core.NotFoundAPI(c.Account, id)
	}
	return s.lookup(c, id)
}

func (s *Service) tagResource(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if in.Tags == nil {
		var v restModelValidation
		v.null("tagResourceInput.tags")
		return 0, nil, v.err()
	}
	current, err := s.taggedTags(c, params["resource_arn"])
	if err != nil {
		return 0, nil, err
	}
	if err := checkTags(*current, in.Tags); err != nil {
		return 0, nil, err
	}
	*current = tags.Merge(*current, in.Tags)
	return http.StatusNoContent, nil, nil
}

func (s *Service) untagResource(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	keys := r.URL.Query()["tagKeys"]
	if len(keys) == 0 {
		var v restModelValidation
		v.null("untagResourceInput.tagKeys")
		return 0, nil, v.err()
	}
	current, err := s.taggedTags(c, params["resource_arn"])
	if err != nil {
		return 0, nil, err
	}
	*current = tags.Without(*current, keys)
	return http.StatusNoContent, nil, nil
}

func (s *Service) getTags(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	current, err := s.taggedTags(c, params["resource_arn"])
	if err != nil {
		return 0, nil, err
	}
	// The answer always carries the member, {} when there are no tags.
	return http.StatusOK, struct {
		Tags map[string]string `json:"tags"`
	}{tags.Merge(*current, nil)}, nil
}
