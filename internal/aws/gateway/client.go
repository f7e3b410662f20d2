package gateway

import (
	"context"
	"fmt"
	"maps"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
)

// family is one SDK's side of the Client: apigatewayv2 serves HTTP and
// WEBSOCKET APIs, apigateway (v1) serves REST APIs. The client does what is
// common (dispatch, diffing, tags bookkeeping); a family does the calls.
type family interface {
	create(ctx context.Context, desired API) (API, error)
	get(ctx context.Context, id string) (API, error)
	// list returns every API of the family, whatever its protocol.
	list(ctx context.Context) ([]API, error)
	// updateAttributes applies every difference in d but the tags, and
	// returns the API as it now is (tags excepted).
	updateAttributes(ctx context.Context, observed, desired API, d delta) (API, error)
	delete(ctx context.Context, id string) error
	arn(id string) string
	tag(ctx context.Context, arn string, tags map[string]string) error
	untag(ctx context.Context, arn string, keys []string) error
}

type client struct {
	httpAPIs family
	restAPIs family
}

// NewClient returns a Client serving REST APIs through rest and HTTP and
// WEBSOCKET APIs through http, in the given region. endpointOverride is the
// base URL every service was pointed at (the bundled emulator), or "" for
// real AWS; it only shapes the REST invoke endpoints this package builds.
func NewClient(rest RestAPI, http HTTPAPI, region, endpointOverride string) Client {
	return &client{
		httpAPIs: &httpAPIs{sdk: http, region: region},
		restAPIs: &restAPIs{sdk: rest, region: region, endpointOverride: endpointOverride},
	}
}

func (c *client) family(protocol Protocol) (family, error) {
	switch protocol {
	case ProtocolREST:
		return c.restAPIs, nil
	case ProtocolHTTP, ProtocolWebSocket:
		return c.httpAPIs, nil
	default:
		return nil, fmt.Errorf("%w: unknown protocol %q", awserrors.ErrUnsupportedChange, protocol)
	}
}

func (c *client) Create(ctx context.Context, desired API) (API, error) {
	f, err := c.family(desired.Protocol)
	if err != nil {
		return API{}, err
	}
	return f.create(ctx, desired)
}

func (c *client) Get(ctx context.Context, protocol Protocol, id string) (API, error) {
	f, err := c.family(protocol)
	if err != nil {
		return API{}, err
	}
	return f.get(ctx, id)
}

func (c *client) List(ctx context.Context, protocol Protocol) ([]API, error) {
	f, err := c.family(protocol)
	if err != nil {
		return nil, err
	}
	all, err := f.list(ctx)
	if err != nil {
		return nil, err
	}
	var apis []API
	for _, api := range all {
		if api.Protocol == protocol {
			apis = append(apis, api)
		}
	}
	return apis, nil
}

func (c *client) Update(ctx context.Context, observed, desired API) (API, error) {
	d := compare(observed, desired)
	if d.empty() {
		return observed, nil
	}
	if d.protocol {
		return observed, fmt.Errorf("%w: the protocol of API %s cannot change from %s to %s; the API must be replaced",
			awserrors.ErrUnsupportedChange, observed.ID, observed.Protocol, desired.Protocol)
	}
	f, err := c.family(observed.Protocol)
	if err != nil {
		return observed, err
	}
	updated := observed
	if d.attributesChanged() || d.cors {
		if updated, err = f.updateAttributes(ctx, observed, desired, d); err != nil {
			return observed, err
		}
	}
	updated.Tags, err = c.updateTags(ctx, f, observed, d)
	return updated, err
}

// updateTags applies the tag part of d and returns the tags the API now has.
func (c *client) updateTags(ctx context.Context, f family, observed API, d delta) (map[string]string, error) {
	tags := maps.Clone(observed.Tags)
	if len(d.tagsToSet) > 0 {
		if err := f.tag(ctx, f.arn(observed.ID), d.tagsToSet); err != nil {
			return tags, err
		}
		if tags == nil {
			tags = map[string]string{}
		}
		maps.Copy(tags, d.tagsToSet)
	}
	if len(d.tagsToRemove) > 0 {
		if err := f.untag(ctx, f.arn(observed.ID), d.tagsToRemove); err != nil {
			return tags, err
		}
		for _, key := range d.tagsToRemove {
			delete(tags, key)
		}
	}
	return tags, nil
}

func (c *client) Delete(ctx context.Context, protocol Protocol, id string) error {
	f, err := c.family(protocol)
	if err != nil {
		return err
	}
	if err := f.delete(ctx, id); err != nil && !awserrors.IsNotFound(err) {
		return err
	}
	return nil
}

func (c *client) Untag(ctx context.Context, api API, keys []string) error {
	keys = withoutReservedTags(keys)
	if len(keys) == 0 {
		return nil
	}
	f, err := c.family(api.Protocol)
	if err != nil {
		return err
	}
	return f.untag(ctx, f.arn(api.ID), keys)
}

func (c *client) Tag(ctx context.Context, api API, tags map[string]string) error {
	f, err := c.family(api.Protocol)
	if err != nil {
		return err
	}
	return f.tag(ctx, f.arn(api.ID), tags)
}
