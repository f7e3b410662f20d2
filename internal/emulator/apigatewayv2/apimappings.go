package apigatewayv2

import (
	"net/http"
	"regexp"

	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// APIMapping is the ApiMapping object: a mapping of a shared domain, which
// apigateway shows as a base path mapping.
type APIMapping struct {
	APIID         string `json:"apiId"`
	APIMappingID  string `json:"apiMappingId"`
	APIMappingKey string `json:"apiMappingKey"`
	Stage         string `json:"stage"`
}

func mappingView(m *accountwide.Mapping) APIMapping {
	return APIMapping{APIID: m.APIID, APIMappingID: m.ID, APIMappingKey: m.Key, Stage: m.Stage}
}

var mappingKeyPattern = regexp.MustCompile(`^$|^[a-zA-Z0-9._-]+(/[a-zA-Z0-9._-]+)*$`)

// checkMapping validates a mapping about to be stored in d: a free key and
// an existing API (HTTP, WebSocket or REST) with that stage.
func (svc *Service) checkMapping(c *core.Call, d *accountwide.Domain, m *accountwide.Mapping) error {
	if m.APIID == "" || m.Stage == "" {
		return errMappingRequires.With()
	}
	if !mappingKeyPattern.MatchString(m.Key) {
		return errInvalidMappingKey.With(m.Key)
	}
	if other := d.MappingByKey(m.Key); other != nil && other.ID != m.ID {
		return errConflictMapping.With(m.Key, d.Name)
	}
	apiFound, stageFound := svc.domains.FindStage(c, m.APIID, m.Stage)
	if !apiFound {
		return core.NotFoundAPI(c.Account, m.APIID)
	}
	if !stageFound {
		return errMappingNoStage.With(m.Stage)
	}
	return nil
}

// mappingInput is the body of CreateApiMapping and UpdateApiMapping.
type mappingInput struct {
	APIID         *string `json:"apiId"`
	APIMappingKey *string `json:"apiMappingKey"`
	Stage         *string `json:"stage"`
}

func (in mappingInput) apply(m *accountwide.Mapping) {
	for _, set := range []struct {
		from *string
		to   *string
	}{{in.APIID, &m.APIID}, {in.APIMappingKey, &m.Key}, {in.Stage, &m.Stage}} {
		if set.from != nil {
			*set.to = *set.from
		}
	}
}

// storeMapping validates m and stores it in d.
func (svc *Service) storeMapping(c *core.Call, d *accountwide.Domain, m *accountwide.Mapping, status int) (int, any, error) {
	if err := svc.checkMapping(c, d, m); err != nil {
		return 0, nil, err
	}
	d.Mappings[m.ID] = m
	return status, mappingView(m), nil
}

func (svc *Service) createAPIMapping(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in mappingInput
	if err := decodeBody(body, &in); err != nil {
		return 0, nil, err
	}
	d, err := svc.lookupDomain(c, params)
	if err != nil {
		return 0, nil, err
	}
	m := &accountwide.Mapping{ID: d.NewMappingID()}
	in.apply(m)
	return svc.storeMapping(c, d, m, http.StatusCreated)
}

func (svc *Service) lookupMapping(c *core.Call, params core.PathParams) (*accountwide.Domain, *accountwide.Mapping, error) {
	id := params["apiMappingId"]
	return svc.domains.LookupMapping(c, params["domainName"], func(m *accountwide.Mapping) bool { return m.ID == id },
		errNotFoundDomain.With(), errNotFoundMapping.With(id))
}

func (svc *Service) getAPIMappings(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	d, err := svc.lookupDomain(c, params)
	if err != nil {
		return 0, nil, err
	}
	page, err := paginate(r, d.Mappings, func(m *accountwide.Mapping) string { return m.ID }, mappingView)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (svc *Service) updateAPIMapping(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in mappingInput
	if err := decodeBody(body, &in); err != nil {
		return 0, nil, err
	}
	d, stored, err := svc.lookupMapping(c, params)
	if err != nil {
		return 0, nil, err
	}
	m := *stored
	in.apply(&m)
	return svc.storeMapping(c, d, &m, http.StatusOK)
}
