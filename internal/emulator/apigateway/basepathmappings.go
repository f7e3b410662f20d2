package apigateway

import (
	"net/http"
	"regexp"

	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// A base path mapping is the v1 view of an API mapping of a shared domain:
// the empty path is "(none)" on the wire, in answers and in the URI.
const noBasePath = "(none)"

type basePathMapping struct {
	BasePath  string `json:"basePath"`
	RestAPIID string `json:"restApiId"`
	Stage     string `json:"stage,omitempty"`
}

func basePathView(m *accountwide.Mapping) basePathMapping {
	return basePathMapping{BasePath: wireBasePath(m.Key), RestAPIID: m.APIID, Stage: m.Stage}
}

func wireBasePath(key string) string {
	if key == "" {
		return noBasePath
	}
	return key
}

func storedBasePath(path string) string {
	if path == noBasePath {
		return ""
	}
	return path
}

// basePathPattern is what a base path may be: path segments of
// a-zA-Z0-9._- separated by single slashes.
var basePathPattern = regexp.MustCompile(`^$|^[a-zA-Z0-9._-]+(/[a-zA-Z0-9._-]+)*$`)

// checkMapping validates a mapping about to be stored in d.
func (s *Service) checkMapping(c *core.Call, d *accountwide.Domain, m *accountwide.Mapping) error {
	if !basePathPattern.MatchString(m.Key) {
		return errBasePathInvalid()
	}
	if other := d.MappingByKey(m.Key); other != nil && other.ID != m.ID {
		return errBasePathExists()
	}
	apiFound, stageFound := s.findRestStage(c, m.APIID, m.Stage)
	if !apiFound {
		return errRestAPIRequired()
	}
	if m.Stage != "" && !stageFound {
		return errMappingStageNotFound()
	}
	return nil
}

func (s *Service) createBasePathMapping(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in basePathMapping
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	d, err := s.lookupDomain(c, params["domain_name"])
	if err != nil {
		return 0, nil, err
	}
	m := &accountwide.Mapping{ID: d.NewMappingID(), APIID: in.RestAPIID, Stage: in.Stage, Key: storedBasePath(in.BasePath)}
	if err := s.checkMapping(c, d, m); err != nil {
		return 0, nil, err
	}
	d.Mappings[m.ID] = m
	return http.StatusCreated, basePathView(m), nil
}

func (s *Service) lookupBasePath(c *core.Call, params core.PathParams) (*accountwide.Domain, *accountwide.Mapping, error) {
	key := storedBasePath(params["base_path"])
	return s.domains.LookupMapping(c, params["domain_name"], func(m *accountwide.Mapping) bool { return m.Key == key },
		errDomainNotFound(), errBasePathNotFound())
}

// getBasePathMappings lists a domain's mappings by base path.
func (s *Service) getBasePathMappings(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	d, err := s.lookupDomain(c, params["domain_name"])
	if err != nil {
		return 0, nil, err
	}
	page, err := restList(r, d.Mappings, func(m *accountwide.Mapping) string { return wireBasePath(m.Key) }, nil, basePathView)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

var basePathPatchPaths = []string{"/basePath", "/restapiId", "/stage"}

func (s *Service) updateBasePathMapping(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateBasePathMappingInput")
	if err != nil {
		return 0, nil, err
	}
	d, stored, err := s.lookupBasePath(c, params)
	if err != nil {
		return 0, nil, err
	}
	m := *stored
	for _, op := range ops {
		if op.Op != "replace" {
			return 0, nil, invalidPatchOp([]string{"replace"})
		}
		switch op.Path {
		case "/basePath":
			m.Key = storedBasePath(op.value())
		case "/restapiId":
			m.APIID = op.value()
		case "/stage":
			m.Stage = op.value()
		default:
			return 0, nil, invalidPatchPath(op, basePathPatchPaths)
		}
	}
	if err := s.checkMapping(c, d, &m); err != nil {
		return 0, nil, err
	}
	d.Mappings[m.ID] = &m
	return http.StatusOK, basePathView(&m), nil
}
