package emulator

import (
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

const (
	maxRestTags           = 50
	maxRestTagKeyLength   = 128
	maxRestTagValueLength = 256
)

// restTagCharacters is the character set AWS allows in tag keys and values:
// letters, digits, spaces and . : + = @ _ / -.
var restTagCharacters = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// validateRestTags checks the tags that would result from adding added to
// existing. The exact AWS wording of these refusals is not recorded.
func validateRestTags(existing, added map[string]string) error {
	for key, value := range added {
		switch {
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			return badRequest("Tag keys cannot start with 'aws:': %s", key)
		case key == "" || utf8.RuneCountInString(key) > maxRestTagKeyLength:
			return badRequest("Tag keys must be between 1 and %d characters: %s", maxRestTagKeyLength, key)
		case utf8.RuneCountInString(value) > maxRestTagValueLength:
			return badRequest("Tag values must be at most %d characters (key %s)", maxRestTagValueLength, key)
		case !restTagCharacters.MatchString(key) || !restTagCharacters.MatchString(value):
			return badRequest("Invalid tag %s: only letters, numbers, spaces and . : + = @ _ / - are allowed", key)
		}
	}
	if len(mergeRestTags(existing, added)) > maxRestTags {
		return badRequest("A resource can have at most %d tags", maxRestTags)
	}
	return nil
}

// mergeRestTags returns a new map: existing overwritten by added.
func mergeRestTags(existing, added map[string]string) map[string]string {
	merged := make(map[string]string, len(existing)+len(added))
	for k, v := range existing {
		merged[k] = v
	}
	for k, v := range added {
		merged[k] = v
	}
	return merged
}

// restAPIARNPattern matches a REST API's ARN; API Gateway ARNs carry no
// account id.
var restAPIARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/restapis/([^/]+)$`)

// taggedRestAPI finds the REST API a tag operation names by its ARN. An ARN
// of another region names an API of another world, which this caller cannot
// see: not found, as for an unknown id.
func (s *restAPIService) taggedRestAPI(c *call, arn string) (*restAPI, error) {
	match := restAPIARNPattern.FindStringSubmatch(arn)
	if match == nil {
		return nil, badRequest("Invalid resource ARN specified: %s", arn)
	}
	if match[1] != c.Region {
		return nil, notFound("Invalid API identifier specified %s:%s", c.Account, match[2])
	}
	return s.lookup(c, match[2])
}

func (s *restAPIService) tagResource(c *call, _ *http.Request, body []byte, params pathParams) (int, any, error) {
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
	if err := validateRestTags(api.Tags, in.Tags); err != nil {
		return 0, nil, err
	}
	tagged := api.clone()
	tagged.Tags = mergeRestTags(api.Tags, in.Tags)
	s.world(c)[api.ID] = tagged
	return http.StatusNoContent, nil, nil
}

func (s *restAPIService) untagResource(c *call, r *http.Request, _ []byte, params pathParams) (int, any, error) {
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
	for _, key := range keys {
		delete(untagged.Tags, key)
	}
	s.world(c)[api.ID] = untagged
	return http.StatusNoContent, nil, nil
}

func (s *restAPIService) getTags(c *call, _ *http.Request, _ []byte, params pathParams) (int, any, error) {
	api, err := s.taggedRestAPI(c, params["resource_arn"])
	if err != nil {
		return 0, nil, err
	}
	// The answer always carries the member, {} when there are no tags.
	tags := mergeRestTags(api.Tags, nil)
	return http.StatusOK, struct {
		Tags map[string]string `json:"tags"`
	}{tags}, nil
}
