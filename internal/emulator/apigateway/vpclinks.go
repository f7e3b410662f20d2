package apigateway

import (
	"net/http"
	"regexp"

	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// vpcLink is a v1 VpcLink: a link to one Network Load Balancer. It is
// created PENDING and reads AVAILABLE from the next read on.
type vpcLink struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Description   string            `json:"description,omitempty"`
	TargetArns    []string          `json:"targetArns"`
	Status        string            `json:"status"`
	StatusMessage string            `json:"statusMessage,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
}

// nlbARN is the shape of a Network Load Balancer's ARN.
var nlbARN = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/net/[^/]+/[0-9a-f]+$`)

func (s *Service) linksOf(c *core.Call) map[string]*vpcLink {
	return s.vpcLinks.Of(c, func() map[string]*vpcLink { return map[string]*vpcLink{} })
}

// readLink returns the caller's link, settled to AVAILABLE.
func (s *Service) readLink(c *core.Call, id string) (*vpcLink, error) {
	link, ok := s.vpcLinks[c.WorldKey()][id]
	if !ok {
		return nil, errVpcLinkNotFound()
	}
	accountwide.Settle(&link.Status)
	return link, nil
}

func (l *vpcLink) view() *vpcLink {
	c := core.DeepCopy(*l)
	return &c
}

func (s *Service) createVpcLink(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	var in struct {
		Name        *string           `json:"name"`
		Description string            `json:"description"`
		TargetArns  []string          `json:"targetArns"`
		Tags        map[string]string `json:"tags"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	if in.Name == nil {
		v.null("createVpcLinkInput.name")
	}
	if in.TargetArns == nil {
		v.null("createVpcLinkInput.targetArns")
	}
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	if *in.Name == "" {
		return 0, nil, emptyName()
	}
	if len(in.TargetArns) != 1 || !nlbARN.MatchString(in.TargetArns[0]) {
		return 0, nil, errVpcLinkTargets()
	}
	if err := checkTags(nil, in.Tags); err != nil {
		return 0, nil, err
	}
	link := &vpcLink{ID: s.unusedLinkID(c), Name: *in.Name, Description: in.Description,
		TargetArns: in.TargetArns, Status: accountwide.Pending, StatusMessage: "VPC link is provisioning ENIs"}
	if len(in.Tags) > 0 {
		link.Tags = tags.Merge(nil, in.Tags)
	}
	s.linksOf(c)[link.ID] = link
	return http.StatusAccepted, link.view(), nil
}

func (s *Service) unusedLinkID(c *core.Call) string {
	for {
		id := core.NewID(6)
		if _, taken := s.linksOf(c)[id]; !taken {
			return id
		}
	}
}

func (s *Service) getVpcLink(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	link, err := s.readLink(c, params["vpclink_id"])
	if err != nil {
		return 0, nil, err
	}
	link.StatusMessage = "Your VPC link is ready"
	return http.StatusOK, link.view(), nil
}

func (s *Service) getVpcLinks(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	for id := range s.vpcLinks[c.WorldKey()] {
		if _, err := s.readLink(c, id); err != nil {
			return 0, nil, err
		}
	}
	page, err := restList(r, s.vpcLinks[c.WorldKey()], func(l *vpcLink) string { return l.ID }, nil, (*vpcLink).view)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

var vpcLinkPatchPaths = []string{"/name", "/description"}

func (s *Service) updateVpcLink(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateVpcLinkInput")
	if err != nil {
		return 0, nil, err
	}
	stored, err := s.readLink(c, params["vpclink_id"])
	if err != nil {
		return 0, nil, err
	}
	link := stored.view()
	for _, op := range ops {
		switch {
		case op.Path == "/name" && op.Op == "replace":
			if op.value() == "" {
				return 0, nil, emptyName()
			}
			link.Name = op.value()
		case op.Path == "/description" && (op.Op == "replace" || op.Op == "remove"):
			link.Description = op.value()
		default:
			return 0, nil, invalidPatchPath(op, vpcLinkPatchPaths)
		}
	}
	s.linksOf(c)[link.ID] = link
	return http.StatusOK, link.view(), nil
}

func (s *Service) deleteVpcLink(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	link, err := s.readLink(c, params["vpclink_id"])
	if err != nil {
		return 0, nil, err
	}
	delete(s.linksOf(c), link.ID)
	return http.StatusAccepted, nil, nil
}
