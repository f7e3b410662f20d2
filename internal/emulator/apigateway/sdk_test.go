package apigateway_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// newRestClient starts a whole emulator (quotas off) and returns an
// apigateway client of the real SDK pointed at it, without retries so that a
// refused call fails at once.
func newRestClient(t *testing.T) *apigateway.Client {
	t.Helper()
	e := sdktest.Start(t, emulator.Options{})
	return e.REST(sdktest.ClientOptions{AccessKey: "AKIDRESTTEST", Secret: "secret", MaxAttempts: 1})
}

func TestRestAPILifecycleThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	before := time.Now().Add(-time.Second)

	created, err := client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{
		Name:                  aws.String("orders"),
		EndpointConfiguration: &types.EndpointConfiguration{Types: []types.EndpointType{types.EndpointTypeRegional}},
		Tags:                  map[string]string{"team": "a"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[a-z0-9]{10}$`).MatchString(aws.ToString(created.Id)) {
		t.Errorf("id %q is not 10 lowercase alphanumerics", aws.ToString(created.Id))
	}
	if created.CreatedDate == nil || created.CreatedDate.Before(before) || created.CreatedDate.After(time.Now().Add(time.Second)) {
		t.Errorf("createdDate %v is not now", created.CreatedDate)
	}
	if created.ApiKeySource != types.ApiKeySourceTypeHeader || created.DisableExecuteApiEndpoint ||
		created.EndpointConfiguration.IpAddressType != types.IpAddressTypeIpv4 ||
		!slices.Equal(created.EndpointConfiguration.Types, []types.EndpointType{types.EndpointTypeRegional}) {
		t.Errorf("unexpected defaults: %+v", created)
	}
	id := created.Id

	got, err := client.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: id})
	if err != nil || aws.ToString(got.Name) != "orders" || got.Tags["team"] != "a" {
		t.Fatalf("GetRestApi = %+v, %v", got, err)
	}

	resources, err := client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: id})
	if err != nil || len(resources.Items) != 1 || aws.ToString(resources.Items[0].Path) != "/" ||
		aws.ToString(resources.Items[0].Id) != aws.ToString(created.RootResourceId) {
		t.Fatalf("GetResources = %+v, %v; want only the root resource %s", resources, err, aws.ToString(created.RootResourceId))
	}

	updated, err := client.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/description"), Value: aws.String("new")},
		{Op: types.OpReplace, Path: aws.String("/endpointConfiguration/types/REGIONAL"), Value: aws.String("EDGE")},
		{Op: types.OpReplace, Path: aws.String("/disableExecuteApiEndpoint"), Value: aws.String("True")},
		{Op: types.OpAdd, Path: aws.String("/binaryMediaTypes/image~1png")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(updated.Description) != "new" || !updated.DisableExecuteApiEndpoint ||
		!slices.Equal(updated.EndpointConfiguration.Types, []types.EndpointType{types.EndpointTypeEdge}) ||
		!slices.Equal(updated.BinaryMediaTypes, []string{"image/png"}) {
		t.Errorf("UpdateRestApi = %+v", updated)
	}

	arn := aws.String("arn:aws:apigateway:us-east-1::/restapis/" + aws.ToString(id))
	if _, err := client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"team": "b", "env": "prod"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.UntagResource(ctx, &apigateway.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := client.GetTags(ctx, &apigateway.GetTagsInput{ResourceArn: arn})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["env"] != "prod" {
		t.Fatalf("GetTags = %+v, %v; want only env=prod", tags, err)
	}

	if _, err := client.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: id})
	var notFound *types.NotFoundException
	if !errors.As(err, &notFound) {
		t.Fatalf("GetRestApi after delete: %v, want a typed NotFoundException", err)
	}
	sdktest.RequireError(t, err, "NotFoundException", "Invalid API identifier specified 000000000000:"+aws.ToString(id))
}

func TestGetRestApisPaginatesWithPosition(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	want := map[string]bool{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		out, err := client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		want[aws.ToString(out.Id)] = true
	}
	pages := 0
	seen := map[string]bool{}
	paginator := apigateway.NewGetRestApisPaginator(client, &apigateway.GetRestApisInput{Limit: aws.Int32(2)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, item := range page.Items {
			if seen[aws.ToString(item.Id)] {
				t.Errorf("%s listed twice", aws.ToString(item.Id))
			}
			seen[aws.ToString(item.Id)] = true
		}
	}
	if pages != 3 || len(seen) != len(want) {
		t.Fatalf("got %d pages and %d APIs, want 3 pages and %d APIs", pages, len(seen), len(want))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s was not listed", id)
		}
	}
}

func TestCreateRestApiRefusalsThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	endpoint := func(ip types.IpAddressType, endpointTypes ...types.EndpointType) *types.EndpointConfiguration {
		// Never nil, so that no type at all is sent as [] rather than left out.
		return &types.EndpointConfiguration{Types: append([]types.EndpointType{}, endpointTypes...), IpAddressType: ip}
	}
	tests := []struct {
		name          string
		input         apigateway.CreateRestApiInput
		code, message string
	}{
		{"empty description", apigateway.CreateRestApiInput{Description: aws.String("")},
			"BadRequestException", "Description cannot be an empty string"},
		{"negative compression", apigateway.CreateRestApiInput{MinimumCompressionSize: aws.Int32(-1)},
			"BadRequestException", "Invalid minimum compression size, must be between 0 and 10485760"},
		{"compression above 10 MiB", apigateway.CreateRestApiInput{MinimumCompressionSize: aws.Int32(10485761)},
			"BadRequestException", "Invalid minimum compression size, must be between 0 and 10485760"},
		{"no endpoint type", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint("")},
			"BadRequestException", "REGIONAL Configuration and EDGE Configuration cannot be both DISABLED."},
		{"two endpoint types", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint("", types.EndpointTypeEdge, types.EndpointTypeRegional)},
			"BadRequestException", "Cannot create an api with multiple Endpoint Types."},
		{"private ipv4", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint(types.IpAddressTypeIpv4, types.EndpointTypePrivate)},
			"BadRequestException", "Only dualstack ipAddressType is supported for Private APIs."},
		{"unknown ip address type", apigateway.CreateRestApiInput{EndpointConfiguration: endpoint("wrong", types.EndpointTypeEdge)},
			"ValidationException", "1 validation error detected: Value 'wrong' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]"},
		{"aws: tag key", apigateway.CreateRestApiInput{Tags: map[string]string{"aws:team": "a"}},
			"BadRequestException", "Tag keys cannot start with 'aws:': aws:team"},
		{"tag value too long", apigateway.CreateRestApiInput{Tags: map[string]string{"k": strings.Repeat("v", 257)}},
			"BadRequestException", "Tag values must be at most 256 characters (key k)"},
		{"invalid policy", apigateway.CreateRestApiInput{Policy: aws.String("{not json")},
			"BadRequestException", "Invalid policy document. Please check the policy syntax and try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := tt.input
			input.Name = aws.String("refused")
			_, err := client.CreateRestApi(ctx, &input)
			sdktest.RequireError(t, err, tt.code, tt.message)
		})
	}
	list, err := client.GetRestApis(ctx, &apigateway.GetRestApisInput{})
	if err != nil || len(list.Items) != 0 {
		t.Fatalf("refused creates left APIs behind: %+v, %v", list, err)
	}
}

func TestTooManyTagsRefusedByTagResource(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	tags := map[string]string{}
	for len(tags) < 50 {
		tags[strings.Repeat("k", len(tags)+1)] = "v"
	}
	created, err := client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("tagged"), Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.String("arn:aws:apigateway:us-east-1::/restapis/" + aws.ToString(created.Id))
	_, err = client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"one-more": "v"}})
	sdktest.RequireError(t, err, "BadRequestException", "A resource can have at most 50 tags")
	// Overwriting an existing key does not grow the count.
	if _, err := client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"k": "w"}}); err != nil {
		t.Fatal(err)
	}
}
