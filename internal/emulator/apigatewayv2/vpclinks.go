package apigatewayv2

import (
	"net/http"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// VpcLink is the v2 VpcLink object (subnets and security groups of a VPC).
// It is created PENDING and reads AVAILABLE from the next read on.
type VpcLink struct {
	CreatedDate          time.Time         `json:"createdDate"`
	Name                 string            `json:"name"`
	SecurityGroupIDs     []string          `json:"securityGroupIds"`
	SubnetIDs            []string          `json:"subnetIds"`
	Tags                 map[string]string `json:"tags"`
	VpcLinkID            string            `json:"vpcLinkId"`
	VpcLinkStatus        string            `json:"vpcLinkStatus"`
	VpcLinkStatusMessage string            `json:"vpcLinkStatusMessage,omitempty"`
	VpcLinkVersion       string            `json:"vpcLinkVersion"`
}

// maxVpcLinks is AWS's quota of v2 VPC links per account and region.
const maxVpcLinks = 10

func (svc *Service) linksOf(c *core.Call) map[string]*VpcLink {
	return svc.vpcLinks.Of(c, func() map[string]*VpcLink { return map[string]*VpcLink{} })
}

func settleLink(l *VpcLink) *VpcLink {
	if l.VpcLinkStatus == accountwide.Pending {
		accountwide.Settle(&l.VpcLinkStatus)
		l.VpcLinkStatusMessage = "VPC link is ready to route traffic"
	}
	return l
}

func (svc *Service) lookupLink(c *core.Call, params core.PathParams) (*VpcLink, error) {
	link, ok := svc.vpcLinks[c.WorldKey()][params["vpcLinkId"]]
	if !ok {
		return nil, errNotFoundVpcLink.With(params["vpcLinkId"])
	}
	return settleLink(link), nil
}

func checkLink(l *VpcLink) error {
	if n := len([]rune(l.Name)); n < 1 || n > 128 {
		return errVpcLinkName.With()
	}
	return nil
}

func (svc *Service) createVpcLink(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	link := &VpcLink{SecurityGroupIDs: []string{}, Tags: map[string]string{}}
	if err := decodeBody(body, link); err != nil {
		return 0, nil, err
	}
	if err := checkLink(link); err != nil {
		return 0, nil, err
	}
	if len(link.SubnetIDs) == 0 {
		return 0, nil, errVpcLinkSubnets.With()
	}
	if violation := tags.Check(nil, link.Tags); violation != nil {
		return 0, nil, invalidTags(violation)
	}
	if len(svc.vpcLinks[c.WorldKey()]) >= maxVpcLinks {
		return 0, nil, errTooManyVpcLinks.With(maxVpcLinks)
	}
	if err := c.Limit(domainQuota("CreateVpcLink")); err != nil {
		return 0, nil, err
	}
	link.CreatedDate = c.Now.Truncate(time.Second)
	link.Tags = tags.Merge(nil, link.Tags)
	link.VpcLinkID = core.NewID(6)
	link.VpcLinkStatus, link.VpcLinkStatusMessage = accountwide.Pending, "VPC link is provisioning ENIs"
	link.VpcLinkVersion = "V2"
	svc.linksOf(c)[link.VpcLinkID] = link
	return http.StatusCreated, *link, nil
}

func (svc *Service) getVpcLink(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	link, err := svc.lookupLink(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, core.DeepCopy(*link), nil
}

func (svc *Service) getVpcLinks(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	page, err := paginate(r, svc.vpcLinks[c.WorldKey()], func(l *VpcLink) string { return l.VpcLinkID },
		func(l *VpcLink) VpcLink { return core.DeepCopy(*settleLink(l)) })
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// updateVpcLink changes the name, the only member UpdateVpcLink takes.
func (svc *Service) updateVpcLink(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		Name *string `json:"name"`
	}
	if err := decodeBody(body, &in); err != nil {
		return 0, nil, err
	}
	stored, err := svc.lookupLink(c, params)
	if err != nil {
		return 0, nil, err
	}
	link := core.DeepCopy(*stored)
	if in.Name != nil {
		link.Name = *in.Name
	}
	if err := checkLink(&link); err != nil {
		return 0, nil, err
	}
	svc.linksOf(c)[link.VpcLinkID] = &link
	return http.StatusOK, link, nil
}

// deleteVpcLink answers 202, as AWS's model says (the link is torn down
// asynchronously); the emulator forgets it at once.
func (svc *Service) deleteVpcLink(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	link, err := svc.lookupLink(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(svc.linksOf(c), link.VpcLinkID)
	return http.StatusAccepted, nil, nil
}
