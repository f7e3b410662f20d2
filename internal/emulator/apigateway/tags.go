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

// restAPIARNPattern matches a REST API's ARN; API Gateway ARNs carry no
// account id.
var restAPIARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/restapis/([^/]+)$`)

// taggedRestAPI finds the REST API a tag operation names by its ARN. An ARN
// of another region names an API of another world, which this caller cannot
// see: not found, as for an unknown id.
func (s *Service) taggedRestAPI(c *core.Call, arn string) (*restAPI, error) {
	match := restAPIARNPattern.FindStringSubmatch(arn)
	if match == nil {
		return nil, invalidResourceARN(arn)
	}
	if match[1] != c.Region {
		return nil, core.NotFoundAPI(c.Account, match[2])
	}
	return s.lookup(c, match[2])
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
	api, err := s.taggedRestAPI(c, params["resource_arn"])
	if err != nil {
		return 0, nil, err
	}
	if err := checkTags(api.Tags, in.Tags); err != nil {
		return 0, nil, err
	}
	tagged := api.clone()
	tagged.Tags = tags.Merge(api.Tags, in.Tags)
	s.world(c)[api.ID] = tagged
	return http.StatusNoContent, nil, nil
}

func (s *Service) untagResource(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	keys := r.URL.Query()["tagKeys"]
	if len(keys) == 0 {
		var v restModelValidation
		v.null("untagResourceInput.tagKeys")
		return 0, nil, v.err()
	}
	api, err := s.taggedRestAPI(c, params["resource_arn"])
	if err != nil {
		return 0, nil, err
	}
	untagged := api.clone()
	untagged.Tags = tags.Without(api.Tags, keys)
	s.world(c)[api.ID] = untagged
	return http.StatusNoContent, nil, nil
}

func (s *Service) getTags(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	api, err := s.taggedRestAPI(c, params["resource_arn"])
	if err != nil {
		return 0, nil, err
	}
	// The answer always carries the member, {} when there are no tags.
	return http.StatusOK, struct {
		Tags map[string]string `json:"tags"`
	}{tags.Merge(api.Tags, nil)}, nil
}
