package gateway

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
)

// restAPIPageSize is GetRestApis' maximum limit ("default 25, maximum 500").
const restAPIPageSize = 500

// restAPIs serves REST APIs through apigateway (v1).
type restAPIs struct {
	sdk              RestAPI
	region           string
	endpointOverride string
}

func (r *restAPIs) arn(id string) string { return restAPIARN(r.region, id) }

func (r *restAPIs) create(ctx context.Context, desired API) (API, error) {
	out, err := r.sdk.CreateRestApi(ctx, &apigateway.CreateRestApiInput{
		Name:                      aws.String(desired.Name),
		Description:               optionalString(desired.Description),
		EndpointConfiguration:     toEndpointConfiguration(desired),
		DisableExecuteApiEndpoint: desired.DisableExecuteAPIEndpoint,
		Tags:                      desired.Tags,
	}, RetryCreateOnlyWhenThrottledV1)
	if err != nil {
		return API{}, err
	}
	return r.fromOutput(apigateway.GetRestApiOutput(*out)), nil
}

// toEndpointConfiguration leaves the member out when no type is desired, so
// that AWS applies its own default (EDGE), which Diff assumes too.
func toEndpointConfiguration(desired API) *types.EndpointConfiguration {
	if desired.EndpointType == "" {
		return nil
	}
	return &types.EndpointConfiguration{
		Types:          []types.EndpointType{types.EndpointType(restEndpointType(desired))},
		VpcEndpointIds: desiredVPCEndpoints(desired),
	}
}

func (r *restAPIs) get(ctx context.Context, id string) (API, error) {
	out, err := r.sdk.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String(id)})
	if err != nil {
		return API{}, err
	}
	return r.fromOutput(*out), nil
}

func (r *restAPIs) list(ctx context.Context) ([]API, error) {
	return WalkPages(ctx, func(ctx context.Context, token *string) ([]API, *string, error) {
		out, err := r.sdk.GetRestApis(ctx, &apigateway.GetRestApisInput{Limit: aws.Int32(restAPIPageSize), Position: token})
		if err != nil {
			return nil, nil, err
		}
		return convert(out.Items, r.fromItem), out.Position, nil
	})
}

// updateAttributes sends every attribute change in one UpdateRestApi.
func (r *restAPIs) updateAttributes(ctx context.Context, observed, desired API, d delta) (API, error) {
	ops, err := restPatchOperations(observed, desired, d)
	if err != nil || len(ops) == 0 {
		return observed, err
	}
	out, err := r.sdk.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{
		RestApiId:       aws.String(observed.ID),
		PatchOperations: ops,
	})
	if err != nil {
		return observed, err
	}
	return r.fromOutput(apigateway.GetRestApiOutput(*out)), nil
}

// allowedEndpointTransitions are the endpoint-type changes AWS makes in place
// (apigateway-api-migration). PRIVATE→EDGE is refused.
var allowedEndpointTransitions = map[[2]string]bool{
	{EndpointEdge, EndpointRegional}:    true,
	{EndpointRegional, EndpointEdge}:    true,
	{EndpointEdge, EndpointPrivate}:     true,
	{EndpointRegional, EndpointPrivate}: true,
	{EndpointPrivate, EndpointRegional}: true,
}

// restPatchOperations turns d into UpdateRestApi patch operations. VPC
// endpoints are detached before the endpoint type changes and attached after
// it, so that a PRIVATE API never loses its type while it still has them and
// a new PRIVATE API is PRIVATE before it gets them.
func restPatchOperations(observed, desired API, d delta) ([]types.PatchOperation, error) {
	var ops []types.PatchOperation
	op := func(kind types.Op, path, value string) {
		ops = append(ops, types.PatchOperation{Op: kind, Path: aws.String(path), Value: aws.String(value)})
	}
	if d.name {
		op(types.OpReplace, "/name", desired.Name)
	}
	if d.description {
		if desired.Description == "" {
			// AWS refuses an empty description; removing it is the way.
			ops = append(ops, types.PatchOperation{Op: types.OpRemove, Path: aws.String("/description")})
		} else {
			op(types.OpReplace, "/description", desired.Description)
		}
	}
	if d.disableExecute {
		op(types.OpReplace, "/disableExecuteApiEndpoint", strconv.FormatBool(desired.DisableExecuteAPIEndpoint))
	}
	for _, id := range d.vpcEndpointsToRemove {
		op(types.OpRemove, "/endpointConfiguration/vpcEndpointIds", id)
	}
	if d.endpointType {
		from, to := restEndpointType(observed), restEndpointType(desired)
		if !allowedEndpointTransitions[[2]string{from, to}] {
			return nil, fmt.Errorf("%w: AWS cannot change a REST API's endpoint type from %s to %s in place (change it to REGIONAL first, or replace the API)",
				awserrors.ErrUnsupportedChange, from, to)
		}
		op(types.OpReplace, "/endpointConfiguration/types/"+from, to)
	}
	for _, id := range d.vpcEndpointsToAdd {
		op(types.OpAdd, "/endpointConfiguration/vpcEndpointIds", id)
	}
	return ops, nil
}

func (r *restAPIs) delete(ctx context.Context, id string) error {
	_, err := r.sdk.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: aws.String(id)})
	return err
}

func (r *restAPIs) tag(ctx context.Context, arn string, tags map[string]string) error {
	_, err := r.sdk.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
	return err
}

func (r *restAPIs) untag(ctx context.Context, arn string, keys []string) error {
	_, err := r.sdk.UntagResource(ctx, &apigateway.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
	return err
}

// fromOutput converts the answer of CreateRestApi, GetRestApi and
// UpdateRestApi, whose output types are identical.
func (r *restAPIs) fromOutput(out apigateway.GetRestApiOutput) API {
	return r.fromItem(types.RestApi{
		Id:                        out.Id,
		Name:                      out.Name,
		Description:               out.Description,
		EndpointConfiguration:     out.EndpointConfiguration,
		DisableExecuteApiEndpoint: out.DisableExecuteApiEndpoint,
		Tags:                      out.Tags,
		CreatedDate:               out.CreatedDate,
	})
}

func (r *restAPIs) fromItem(item types.RestApi) API {
	id := aws.ToString(item.Id)
	api := API{
		ID:                        id,
		Name:                      aws.ToString(item.Name),
		Description:               aws.ToString(item.Description),
		Protocol:                  ProtocolREST,
		DisableExecuteAPIEndpoint: item.DisableExecuteApiEndpoint,
		Tags:                      item.Tags,
		ARN:                       r.arn(id),
		Endpoint:                  restInvokeEndpoint(r.region, r.endpointOverride, id),
		Created:                   aws.ToTime(item.CreatedDate),
	}
	if ec := item.EndpointConfiguration; ec != nil {
		if len(ec.Types) > 0 {
			api.EndpointType = string(ec.Types[0])
		}
		api.VPCEndpointIDs = ec.VpcEndpointIds
	}
	return api
}
