package emulator

import (
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Tag restrictions of the API Gateway developer guide.
const (
	maxTagsPerResource = 50
	maxTagKeyLength    = 128
	maxTagValueLength  = 256
)

var tagCharacters = regexp.MustCompile(`^[\p{L}\p{N}\s.:+=@_/-]*$`)

func validateTags(tags map[string]string) error {
	if len(tags) > maxTagsPerResource {
		return badRequest("Too many tags: a resource can have at most %d tags", maxTagsPerResource)
	}
	for key, value := range tags {
		switch {
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			return badRequest("Invalid tag key %s: tag keys starting with 'aws:' are reserved", key)
		case key == "" || utf8.RuneCountInString(key) > maxTagKeyLength:
			return badRequest("Invalid tag key %s: tag keys must be between 1 and %d characters", key, maxTagKeyLength)
		case utf8.RuneCountInString(value) > maxTagValueLength:
			return badRequest("Invalid tag value for key %s: tag values must be at most %d characters", key, maxTagValueLength)
		case !tagCharacters.MatchString(key) || !tagCharacters.MatchString(value):
			return badRequest("Invalid tag %s: tags may contain only letters, numbers, spaces and . : + = @ _ / -", key)
		}
	}
	return nil
}

// v2ResourceARN matches the taggable v2 resources: an API or one of its stages.
var v2ResourceARN = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/apis/([^/]+)(?:/stages/([^/]+))?$`)

// taggedResource returns the tag map of the resource an ARN names, in the
// caller's region.
func (svc *v2Service) taggedResource(c *call, arn string) (map[string]string, func(map[string]string), error) {
	m := v2ResourceARN.FindStringSubmatch(arn)
	if m == nil {
		return nil, nil, badRequest("Invalid resource ARN %s", arn)
	}
	region, apiID, stageName := m[1], m[2], m[3]
	record := svc.world(c).APIs[apiID]
	if region != c.Region || record == nil {
		return nil, nil, notFound("Invalid API identifier specified %s:%s", c.Account, apiID)
	}
	if stageName == "" {
		return record.API.Tags, func(tags map[string]string) { record.API.Tags = tags }, nil
	}
	stage := record.Stages[stageName]
	if stage == nil {
		return nil, nil, notFound("Invalid stage identifier specified %s", stageName)
	}
	return stage.Tags, func(tags map[string]string) { stage.Tags = tags }, nil
}

type v2TagsBody struct {
	Tags map[string]string `json:"tags"`
}

func (svc *v2Service) tagResource(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	current, store, err := svc.taggedResource(c, params["resourceArn"])
	if err != nil {
		return 0, nil, err
	}
	var input v2TagsBody
	if err := decodeBody(body, &input); err != nil {
		return 0, nil, err
	}
	merged := map[string]string{}
	for k, v := range current {
		merged[k] = v
	}
	for k, v := range input.Tags {
		merged[k] = v
	}
	if err := validateTags(merged); err != nil {
		return 0, nil, err
	}
	store(merged)
	return http.StatusCreated, struct{}{}, nil
}

func (svc *v2Service) untagResource(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	current, store, err := svc.taggedResource(c, params["resourceArn"])
	if err != nil {
		return 0, nil, err
	}
	keys := r.URL.Query()["tagKeys"]
	if len(keys) == 0 {
		return 0, nil, badRequest("tagKeys must be specified")
	}
	remaining := map[string]string{}
	for k, v := range current {
		if !contains(keys, k) {
			remaining[k] = v
		}
	}
	store(remaining)
	return http.StatusNoContent, nil, nil
}

func (svc *v2Service) getTags(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	current, _, err := svc.taggedResource(c, params["resourceArn"])
	if err != nil {
		return 0, nil, err
	}
	if current == nil {
		current = map[string]string{}
	}
	return http.StatusOK, v2TagsBody{Tags: current}, nil
}
