package apigatewayv2_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

func TestDomainNamesAndAPIMappingsThroughSDK(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	ctx := sdktest.Ctx
	cert := aws.String("arn:aws:acm:us-east-1:000000000000:certificate/abc")

	_, err := client.CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("a.example.com")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Exactly one domain name configuration is supported")
	created := sdktest.Must(client.CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{
		DomainName:               aws.String("a.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: cert, EndpointType: types.EndpointTypeRegional, SecurityPolicy: types.SecurityPolicyTls12}},
		MutualTlsAuthentication:  &types.MutualTlsAuthenticationInput{TruststoreUri: aws.String("s3://b/t.pem")},
		Tags:                     map[string]string{"k": "v"},
	}))(t)
	config := created.DomainNameConfigurations[0]
	if aws.ToString(config.HostedZoneId) != "Z1UJRXOUMOOFQ8" || config.DomainNameStatus != types.DomainNameStatusAvailable ||
		aws.ToString(created.ApiMappingSelectionExpression) != "$request.basepath" || created.Tags["k"] != "v" ||
		aws.ToString(created.MutualTlsAuthentication.TruststoreUri) != "s3://b/t.pem" {
		t.Fatalf("CreateDomainName = %+v / %+v", created, config)
	}
	_, err = client.CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("a.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: cert}}})
	sdktest.RequireTyped[*types.ConflictException](t, err, "The domain name resource already exists.")
	updated := sdktest.Must(client.UpdateDomainName(ctx, &apigatewayv2.UpdateDomainNameInput{DomainName: aws.String("a.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/new")}}}))(t)
	if aws.ToString(updated.DomainNameConfigurations[0].CertificateArn) != "arn:aws:acm:us-east-1:000000000000:certificate/new" {
		t.Fatalf("UpdateDomainName = %+v", updated.DomainNameConfigurations)
	}

	api := sdktest.Must(client.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("h"), ProtocolType: types.ProtocolTypeHttp}))(t)
	sdktest.Must(client.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod")}))(t)
	_, err = client.CreateApiMapping(ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("a.example.com"), ApiId: api.ApiId, Stage: aws.String("nope")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid stage identifier specified nope")
	_, err = client.CreateApiMapping(ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("a.example.com"), ApiId: aws.String("unknown"), Stage: aws.String("prod")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
	_, err = client.CreateApiMapping(ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("missing.example.com"), ApiId: api.ApiId, Stage: aws.String("prod")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "The domain name resource specified in the request was not found.")
	root := sdktest.Must(client.CreateApiMapping(ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("a.example.com"), ApiId: api.ApiId, Stage: aws.String("prod")}))(t)
	_, err = client.CreateApiMapping(ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("a.example.com"), ApiId: api.ApiId, Stage: aws.String("prod"), ApiMappingKey: aws.String("")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "")
	keyed := sdktest.Must(client.CreateApiMapping(ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("a.example.com"), ApiId: api.ApiId, Stage: aws.String("prod"), ApiMappingKey: aws.String("orders/v1")}))(t)
	moved := sdktest.Must(client.UpdateApiMapping(ctx, &apigatewayv2.UpdateApiMappingInput{DomainName: aws.String("a.example.com"), ApiMappingId: keyed.ApiMappingId, ApiId: api.ApiId, ApiMappingKey: aws.String("orders/v2")}))(t)
	if aws.ToString(moved.ApiMappingKey) != "orders/v2" || aws.ToString(moved.Stage) != "prod" {
		t.Fatalf("UpdateApiMapping = %+v", moved)
	}
	page := sdktest.Must(client.GetApiMappings(ctx, &apigatewayv2.GetApiMappingsInput{DomainName: aws.String("a.example.com"), MaxResults: aws.String("1")}))(t)
	rest := sdktest.Must(client.GetApiMappings(ctx, &apigatewayv2.GetApiMappingsInput{DomainName: aws.String("a.example.com"), MaxResults: aws.String("1"), NextToken: page.NextToken}))(t)
	if len(page.Items) != 1 || page.NextToken == nil || len(rest.Items) != 1 || rest.NextToken != nil {
		t.Fatalf("mapping pages %+v / %+v", page, rest)
	}
	// The v1 API shows the same mappings as base path mappings.
	v1 := e.REST(sdktest.ClientOptions{MaxAttempts: 1})
	bp := sdktest.Must(v1.GetBasePathMapping(ctx, &apigateway.GetBasePathMappingInput{DomainName: aws.String("a.example.com"), BasePath: aws.String("(none)")}))(t)
	if aws.ToString(bp.RestApiId) != aws.ToString(api.ApiId) {
		t.Fatalf("v1 view of the root mapping = %+v", bp)
	}
	sdktest.Must(client.GetApiMapping(ctx, &apigatewayv2.GetApiMappingInput{DomainName: aws.String("a.example.com"), ApiMappingId: root.ApiMappingId}))(t)
	sdktest.Must(client.DeleteApiMapping(ctx, &apigatewayv2.DeleteApiMappingInput{DomainName: aws.String("a.example.com"), ApiMappingId: root.ApiMappingId}))(t)
	_, err = client.GetApiMapping(ctx, &apigatewayv2.GetApiMappingInput{DomainName: aws.String("a.example.com"), ApiMappingId: root.ApiMappingId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API Mapping identifier specified "+*root.ApiMappingId)

	sdktest.Must(client.CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("b.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: cert}}}))(t)
	first := sdktest.Must(client.GetDomainNames(ctx, &apigatewayv2.GetDomainNamesInput{MaxResults: aws.String("1")}))(t)
	second := sdktest.Must(client.GetDomainNames(ctx, &apigatewayv2.GetDomainNamesInput{MaxResults: aws.String("1"), NextToken: first.NextToken}))(t)
	if len(first.Items) != 1 || len(second.Items) != 1 || second.NextToken != nil {
		t.Fatalf("domain pages %+v / %+v", first, second)
	}
	other := e.V2(sdktest.ClientOptions{MaxAttempts: 1, Region: "eu-west-1"})
	if listed := sdktest.Must(other.GetDomainNames(ctx, &apigatewayv2.GetDomainNamesInput{}))(t); len(listed.Items) != 0 {
		t.Fatalf("another region sees %+v", listed.Items)
	}
	sdktest.Must(client.DeleteDomainName(ctx, &apigatewayv2.DeleteDomainNameInput{DomainName: aws.String("a.example.com")}))(t)
	_, err = client.GetDomainName(ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("a.example.com")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "The domain name resource specified in the request was not found.")
}

func TestVpcLinksV2ThroughSDK(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	ctx := sdktest.Ctx
	_, err := client.CreateVpcLink(ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String(""), SubnetIds: []string{"subnet-1"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid name: must be between 1 and 128 characters")
	link := sdktest.Must(client.CreateVpcLink(ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("l"), SubnetIds: []string{"subnet-1"}, SecurityGroupIds: []string{"sg-1"}}))(t)
	if link.VpcLinkStatus != types.VpcLinkStatusPending || link.VpcLinkVersion != types.VpcLinkVersionV2 || link.CreatedDate == nil {
		t.Fatalf("CreateVpcLink = %+v", link)
	}
	got := sdktest.Must(client.GetVpcLink(ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: link.VpcLinkId}))(t)
	if got.VpcLinkStatus != types.VpcLinkStatusAvailable {
		t.Fatalf("GetVpcLink status = %s", got.VpcLinkStatus)
	}
	renamed := sdktest.Must(client.UpdateVpcLink(ctx, &apigatewayv2.UpdateVpcLinkInput{VpcLinkId: link.VpcLinkId, Name: aws.String("renamed")}))(t)
	if aws.ToString(renamed.Name) != "renamed" {
		t.Fatalf("UpdateVpcLink = %+v", renamed)
	}
	for i := 1; i < 10; i++ {
		sdktest.Must(client.CreateVpcLink(ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String(fmt.Sprint("l", i)), SubnetIds: []string{"subnet-1"}}))(t)
	}
	_, err = client.CreateVpcLink(ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("eleventh"), SubnetIds: []string{"subnet-1"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "VPC links per account and region limit of 10 exceeded")
	page := sdktest.Must(client.GetVpcLinks(ctx, &apigatewayv2.GetVpcLinksInput{MaxResults: aws.String("6")}))(t)
	rest := sdktest.Must(client.GetVpcLinks(ctx, &apigatewayv2.GetVpcLinksInput{MaxResults: aws.String("6"), NextToken: page.NextToken}))(t)
	if len(page.Items) != 6 || len(rest.Items) != 4 || rest.NextToken != nil {
		t.Fatalf("vpc link pages: %d then %d", len(page.Items), len(rest.Items))
	}
	sdktest.Must(client.DeleteVpcLink(ctx, &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: link.VpcLinkId}))(t)
	_, err = client.GetVpcLink(ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: link.VpcLinkId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid VpcLink identifier specified "+*link.VpcLinkId)
}

func TestCreateVpcLinkQuota(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{Quotas: true})
	client := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	sdktest.Must(client.CreateVpcLink(sdktest.Ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("a"), SubnetIds: []string{"s"}}))(t)
	_, err := client.CreateVpcLink(sdktest.Ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("b"), SubnetIds: []string{"s"}})
	sdktest.RequireTyped[*types.TooManyRequestsException](t, err, "Too Many Requests")
}
