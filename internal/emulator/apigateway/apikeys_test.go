package apigateway_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

var ctx = sdktest.Ctx

func op(o types.Op, path, value string) types.PatchOperation {
	p := types.PatchOperation{Op: o, Path: aws.String(path)}
	if value != "" {
		p.Value = aws.String(value)
	}
	return p
}

func TestAPIKeysThroughSDK(t *testing.T) {
	client := newRestClient(t)
	created := sdktest.Must(client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{
		Name: aws.String("alpha"), Enabled: true, CustomerId: aws.String("cust"), Tags: map[string]string{"t": "1"},
	}))(t)
	if len(aws.ToString(created.Value)) != 40 || !created.Enabled || created.StageKeys == nil || created.Tags != nil {
		t.Fatalf("CreateApiKey = %+v", created)
	}
	id := created.Id
	got := sdktest.Must(client.GetApiKey(ctx, &apigateway.GetApiKeyInput{ApiKey: id}))(t)
	if got.Value != nil || got.Tags["t"] != "1" {
		t.Fatalf("GetApiKey without includeValue = %+v", got)
	}
	withValue := sdktest.Must(client.GetApiKey(ctx, &apigateway.GetApiKeyInput{ApiKey: id, IncludeValue: aws.Bool(true)}))(t)
	if aws.ToString(withValue.Value) != aws.ToString(created.Value) {
		t.Fatalf("GetApiKey includeValue value = %q", aws.ToString(withValue.Value))
	}
	given := strings.Repeat("v", 20)
	sdktest.Must(client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Name: aws.String("beta"), Value: &given}))(t)
	_, err := client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Value: &given})
	sdktest.RequireTyped[*types.ConflictException](t, err, "API Key already exists")
	_, err = client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Value: aws.String("short")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "API Key value should be at least 20 characters")
	_, err = client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Name: aws.String(strings.Repeat("n", 1025))})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid API Key name, can be at most 1024 characters.")

	byName := sdktest.Must(client.GetApiKeys(ctx, &apigateway.GetApiKeysInput{NameQuery: aws.String("al")}))(t)
	if len(byName.Items) != 1 || aws.ToString(byName.Items[0].Id) != aws.ToString(id) || byName.Items[0].Value != nil {
		t.Fatalf("GetApiKeys nameQuery = %+v", byName.Items)
	}
	byCustomer := sdktest.Must(client.GetApiKeys(ctx, &apigateway.GetApiKeysInput{CustomerId: aws.String("cust"), IncludeValues: aws.Bool(true)}))(t)
	if len(byCustomer.Items) != 1 || byCustomer.Items[0].Value == nil {
		t.Fatalf("GetApiKeys customerId includeValues = %+v", byCustomer.Items)
	}
	first := sdktest.Must(client.GetApiKeys(ctx, &apigateway.GetApiKeysInput{Limit: aws.Int32(1)}))(t)
	second := sdktest.Must(client.GetApiKeys(ctx, &apigateway.GetApiKeysInput{Limit: aws.Int32(1), Position: first.Position}))(t)
	if len(first.Items) != 1 || first.Position == nil || len(second.Items) != 1 || second.Position != nil ||
		aws.ToString(first.Items[0].Id) == aws.ToString(second.Items[0].Id) {
		t.Fatalf("pages %+v / %+v", first, second)
	}

	updated := sdktest.Must(client.UpdateApiKey(ctx, &apigateway.UpdateApiKeyInput{ApiKey: id, PatchOperations: []types.PatchOperation{
		op(types.OpReplace, "/name", "renamed"), op(types.OpReplace, "/enabled", "FALSE"), op(types.OpReplace, "/description", "d"),
	}}))(t)
	if aws.ToString(updated.Name) != "renamed" || updated.Enabled || aws.ToString(updated.Description) != "d" || updated.Value != nil {
		t.Fatalf("UpdateApiKey = %+v", updated)
	}
	_, err = client.UpdateApiKey(ctx, &apigateway.UpdateApiKeyInput{ApiKey: id, PatchOperations: []types.PatchOperation{op(types.OpReplace, "/value", "x")}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	restAPI := sdktest.Must(client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("r")}))(t)
	_, err = client.UpdateApiKey(ctx, &apigateway.UpdateApiKeyInput{ApiKey: id, PatchOperations: []types.PatchOperation{op(types.OpAdd, "/stages", *restAPI.Id+"/dev")}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid stage key specified: "+*restAPI.Id+"/dev")

	_, err = client.ImportApiKeys(ctx, &apigateway.ImportApiKeysInput{Body: []byte("name,key\n"), Format: types.ApiKeysFormatCsv})
	sdktest.RequireCode(t, err, "NotImplementedException")

	sdktest.Must(client.DeleteApiKey(ctx, &apigateway.DeleteApiKeyInput{ApiKey: id}))(t)
	_, err = client.GetApiKey(ctx, &apigateway.GetApiKeyInput{ApiKey: id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API Key identifier specified")
	_, err = client.DeleteApiKey(ctx, &apigateway.DeleteApiKeyInput{ApiKey: id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API Key identifier specified")
}

func TestUsagePlansAndKeysThroughSDK(t *testing.T) {
	client := newRestClient(t)
	plan := sdktest.Must(client.CreateUsagePlan(ctx, &apigateway.CreateUsagePlanInput{
		Name:     aws.String("gold"),
		Throttle: &types.ThrottleSettings{BurstLimit: 10, RateLimit: 5.5},
		Quota:    &types.QuotaSettings{Limit: 1000, Period: types.QuotaPeriodTypeWeek},
	}))(t)
	if plan.ApiStages == nil || plan.Throttle.RateLimit != 5.5 || plan.Quota.Period != types.QuotaPeriodTypeWeek {
		t.Fatalf("CreateUsagePlan = %+v", plan)
	}
	_, err := client.CreateUsagePlan(ctx, &apigateway.CreateUsagePlanInput{Name: aws.String("q"), Quota: &types.QuotaSettings{Limit: 1, Period: "YEAR"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid quota period specified: YEAR. Must be one of: [DAY, WEEK, MONTH]")
	_, err = client.CreateUsagePlan(ctx, &apigateway.CreateUsagePlanInput{Name: aws.String("s"), ApiStages: []types.ApiStage{{ApiId: aws.String("nope"), Stage: aws.String("dev")}}})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")

	updated := sdktest.Must(client.UpdateUsagePlan(ctx, &apigateway.UpdateUsagePlanInput{UsagePlanId: plan.Id, PatchOperations: []types.PatchOperation{
		op(types.OpReplace, "/name", "platinum"), op(types.OpReplace, "/quota/offset", "2"), op(types.OpRemove, "/throttle", ""),
		op(types.OpReplace, "/description", "best"),
	}}))(t)
	if aws.ToString(updated.Name) != "platinum" || updated.Quota.Offset != 2 || updated.Throttle != nil || updated.Tags == nil {
		t.Fatalf("UpdateUsagePlan = %+v", updated)
	}
	_, err = client.UpdateUsagePlan(ctx, &apigateway.UpdateUsagePlanInput{UsagePlanId: plan.Id, PatchOperations: []types.PatchOperation{op(types.OpRemove, "/apiStages", "fakevalue")}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid API Stage specified")
	_, err = client.UpdateUsagePlan(ctx, &apigateway.UpdateUsagePlanInput{UsagePlanId: aws.String("missing"), PatchOperations: []types.PatchOperation{op(types.OpReplace, "/name", "x")}})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Usage Plan ID specified")

	key := sdktest.Must(client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Name: aws.String("k1")}))(t)
	planKey := sdktest.Must(client.CreateUsagePlanKey(ctx, &apigateway.CreateUsagePlanKeyInput{UsagePlanId: plan.Id, KeyId: key.Id, KeyType: aws.String("API_KEY")}))(t)
	if aws.ToString(planKey.Id) != aws.ToString(key.Id) || aws.ToString(planKey.Type) != "API_KEY" || aws.ToString(planKey.Value) != aws.ToString(key.Value) {
		t.Fatalf("CreateUsagePlanKey = %+v", planKey)
	}
	_, err = client.CreateUsagePlanKey(ctx, &apigateway.CreateUsagePlanKeyInput{UsagePlanId: plan.Id, KeyId: key.Id, KeyType: aws.String("API_KEY")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "")
	_, err = client.CreateUsagePlanKey(ctx, &apigateway.CreateUsagePlanKeyInput{UsagePlanId: plan.Id, KeyId: aws.String("nokey"), KeyType: aws.String("API_KEY")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API Key identifier specified")
	sdktest.Must(client.GetUsagePlanKey(ctx, &apigateway.GetUsagePlanKeyInput{UsagePlanId: plan.Id, KeyId: key.Id}))(t)
	byKey := sdktest.Must(client.GetUsagePlans(ctx, &apigateway.GetUsagePlansInput{KeyId: key.Id}))(t)
	if len(byKey.Items) != 1 {
		t.Fatalf("GetUsagePlans keyId = %+v", byKey.Items)
	}
	usage := sdktest.Must(client.GetUsage(ctx, &apigateway.GetUsageInput{UsagePlanId: plan.Id, StartDate: aws.String("2026-01-01"), EndDate: aws.String("2026-01-02")}))(t)
	if aws.ToString(usage.UsagePlanId) != aws.ToString(plan.Id) || len(usage.Items) != 0 {
		t.Fatalf("GetUsage = %+v", usage)
	}
	sdktest.Must(client.DeleteUsagePlanKey(ctx, &apigateway.DeleteUsagePlanKeyInput{UsagePlanId: plan.Id, KeyId: key.Id}))(t)
	_, err = client.GetUsagePlanKey(ctx, &apigateway.GetUsagePlanKeyInput{UsagePlanId: plan.Id, KeyId: key.Id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Usage Plan Key identifier specified")
	none := sdktest.Must(client.GetUsagePlanKeys(ctx, &apigateway.GetUsagePlanKeysInput{UsagePlanId: aws.String("bad-id")}))(t)
	if len(none.Items) != 0 {
		t.Fatalf("GetUsagePlanKeys of an unknown plan = %+v", none.Items)
	}

	sdktest.Must(client.CreateUsagePlan(ctx, &apigateway.CreateUsagePlanInput{Name: aws.String("second")}))(t)
	page := sdktest.Must(client.GetUsagePlans(ctx, &apigateway.GetUsagePlansInput{Limit: aws.Int32(1)}))(t)
	rest := sdktest.Must(client.GetUsagePlans(ctx, &apigateway.GetUsagePlansInput{Limit: aws.Int32(1), Position: page.Position}))(t)
	if len(page.Items) != 1 || page.Position == nil || len(rest.Items) != 1 || rest.Position != nil {
		t.Fatalf("usage plan pages %+v / %+v", page, rest)
	}
	sdktest.Must(client.DeleteUsagePlan(ctx, &apigateway.DeleteUsagePlanInput{UsagePlanId: plan.Id}))(t)
	_, err = client.GetUsagePlan(ctx, &apigateway.GetUsagePlanInput{UsagePlanId: plan.Id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Usage Plan ID specified")
}

func TestDomainNamesAndBasePathMappingsThroughSDK(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.REST(sdktest.ClientOptions{MaxAttempts: 1})
	v2 := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	cert := "arn:aws:acm:us-east-1:000000000000:certificate/abc"

	_, err := client.CreateDomainName(ctx, &apigateway.CreateDomainNameInput{DomainName: aws.String("edge.example.com")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	edge := sdktest.Must(client.CreateDomainName(ctx, &apigateway.CreateDomainNameInput{DomainName: aws.String("edge.example.com"), CertificateArn: &cert}))(t)
	if edge.DistributionHostedZoneId == nil || *edge.DistributionHostedZoneId != "Z2FDTNDATAQYW2" || !strings.HasSuffix(aws.ToString(edge.DistributionDomainName), ".cloudfront.net") ||
		edge.DomainNameStatus != types.DomainNameStatusAvailable || edge.EndpointConfiguration.Types[0] != types.EndpointTypeEdge {
		t.Fatalf("CreateDomainName EDGE = %+v", edge)
	}
	regional := sdktest.Must(client.CreateDomainName(ctx, &apigateway.CreateDomainNameInput{
		DomainName: aws.String("api.example.com"), RegionalCertificateArn: &cert, SecurityPolicy: types.SecurityPolicyTls12,
		EndpointConfiguration:   &types.EndpointConfiguration{Types: []types.EndpointType{types.EndpointTypeRegional}},
		MutualTlsAuthentication: &types.MutualTlsAuthenticationInput{TruststoreUri: aws.String("s3://bucket/truststore.pem")},
	}))(t)
	if aws.ToString(regional.RegionalHostedZoneId) != "Z1UJRXOUMOOFQ8" || !strings.HasSuffix(aws.ToString(regional.RegionalDomainName), ".execute-api.us-east-1.amazonaws.com") ||
		aws.ToString(regional.MutualTlsAuthentication.TruststoreUri) != "s3://bucket/truststore.pem" {
		t.Fatalf("CreateDomainName REGIONAL = %+v", regional)
	}
	_, err = client.CreateDomainName(ctx, &apigateway.CreateDomainNameInput{DomainName: aws.String("API.example.com"), CertificateArn: &cert})
	sdktest.RequireTyped[*types.ConflictException](t, err, "The domain name you provided already exists.")

	// One namespace: the v2 API sees and refuses the same names.
	seen := sdktest.Must(v2.GetDomainName(ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("api.example.com")}))(t)
	if aws.ToString(seen.DomainNameConfigurations[0].ApiGatewayDomainName) != aws.ToString(regional.RegionalDomainName) {
		t.Fatalf("v2 view = %+v", seen.DomainNameConfigurations)
	}

	updated := sdktest.Must(client.UpdateDomainName(ctx, &apigateway.UpdateDomainNameInput{DomainName: aws.String("api.example.com"),
		PatchOperations: []types.PatchOperation{op(types.OpReplace, "/securityPolicy", "TLS_1_0")}}))(t)
	if updated.SecurityPolicy != types.SecurityPolicyTls10 {
		t.Fatalf("UpdateDomainName = %+v", updated)
	}
	_, err = client.UpdateDomainName(ctx, &apigateway.UpdateDomainNameInput{DomainName: aws.String("api.example.com"),
		PatchOperations: []types.PatchOperation{op(types.OpReplace, "/domainName", "x")}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")

	api := sdktest.Must(client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("r")}))(t)
	none := sdktest.Must(client.CreateBasePathMapping(ctx, &apigateway.CreateBasePathMappingInput{DomainName: aws.String("api.example.com"), RestApiId: api.Id}))(t)
	if aws.ToString(none.BasePath) != "(none)" {
		t.Fatalf("CreateBasePathMapping = %+v", none)
	}
	_, err = client.CreateBasePathMapping(ctx, &apigateway.CreateBasePathMappingInput{DomainName: aws.String("api.example.com"), RestApiId: api.Id, BasePath: aws.String("(none)")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Base path already exists for this domain name")
	_, err = client.CreateBasePathMapping(ctx, &apigateway.CreateBasePathMappingInput{DomainName: aws.String("api.example.com"), RestApiId: api.Id, BasePath: aws.String("v1"), Stage: aws.String("prod")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid stage identifier specified")
	sdktest.Must(client.CreateBasePathMapping(ctx, &apigateway.CreateBasePathMappingInput{DomainName: aws.String("api.example.com"), RestApiId: api.Id, BasePath: aws.String("v1")}))(t)
	moved := sdktest.Must(client.UpdateBasePathMapping(ctx, &apigateway.UpdateBasePathMappingInput{DomainName: aws.String("api.example.com"), BasePath: aws.String("v1"),
		PatchOperations: []types.PatchOperation{op(types.OpReplace, "/basePath", "v2")}}))(t)
	if aws.ToString(moved.BasePath) != "v2" {
		t.Fatalf("UpdateBasePathMapping = %+v", moved)
	}
	mappings := sdktest.Must(client.GetBasePathMappings(ctx, &apigateway.GetBasePathMappingsInput{DomainName: aws.String("api.example.com"), Limit: aws.Int32(1)}))(t)
	if len(mappings.Items) != 1 || aws.ToString(mappings.Items[0].BasePath) != "(none)" || mappings.Position == nil {
		t.Fatalf("GetBasePathMappings = %+v", mappings)
	}
	v2Mappings := sdktest.Must(v2.GetApiMappings(ctx, &apigatewayv2.GetApiMappingsInput{DomainName: aws.String("api.example.com")}))(t)
	if len(v2Mappings.Items) != 2 {
		t.Fatalf("v2 GetApiMappings of the REST mappings = %+v", v2Mappings.Items)
	}
	sdktest.Must(client.GetBasePathMapping(ctx, &apigateway.GetBasePathMappingInput{DomainName: aws.String("api.example.com"), BasePath: aws.String("(none)")}))(t)
	sdktest.Must(client.DeleteBasePathMapping(ctx, &apigateway.DeleteBasePathMappingInput{DomainName: aws.String("api.example.com"), BasePath: aws.String("v2")}))(t)
	_, err = client.GetBasePathMapping(ctx, &apigateway.GetBasePathMappingInput{DomainName: aws.String("api.example.com"), BasePath: aws.String("v2")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid base path mapping identifier specified")

	all := sdktest.Must(client.GetDomainNames(ctx, &apigateway.GetDomainNamesInput{Limit: aws.Int32(1)}))(t)
	next := sdktest.Must(client.GetDomainNames(ctx, &apigateway.GetDomainNamesInput{Limit: aws.Int32(1), Position: all.Position}))(t)
	if len(all.Items) != 1 || len(next.Items) != 1 || next.Position != nil {
		t.Fatalf("domain pages %+v / %+v", all, next)
	}
	sdktest.Must(client.DeleteDomainName(ctx, &apigateway.DeleteDomainNameInput{DomainName: aws.String("api.example.com")}))(t)
	_, err = v2.GetDomainName(ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("api.example.com")})
	sdktest.RequireTyped[*v2types.NotFoundException](t, err, "")
	_, err = client.GetDomainName(ctx, &apigateway.GetDomainNameInput{DomainName: aws.String("api.example.com")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid domain name identifier specified")
}

func TestVpcLinksThroughSDK(t *testing.T) {
	client := newRestClient(t)
	nlb := "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/my-nlb/0123456789abcdef"
	_, err := client.CreateVpcLink(ctx, &apigateway.CreateVpcLinkInput{Name: aws.String("l"), TargetArns: []string{"arn:aws:s3:::bucket"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	link := sdktest.Must(client.CreateVpcLink(ctx, &apigateway.CreateVpcLinkInput{Name: aws.String("l"), TargetArns: []string{nlb}, Tags: map[string]string{"a": "b"}}))(t)
	if link.Status != types.VpcLinkStatusPending {
		t.Fatalf("CreateVpcLink status = %s", link.Status)
	}
	got := sdktest.Must(client.GetVpcLink(ctx, &apigateway.GetVpcLinkInput{VpcLinkId: link.Id}))(t)
	if got.Status != types.VpcLinkStatusAvailable || got.Tags["a"] != "b" {
		t.Fatalf("GetVpcLink = %+v", got)
	}
	updated := sdktest.Must(client.UpdateVpcLink(ctx, &apigateway.UpdateVpcLinkInput{VpcLinkId: link.Id, PatchOperations: []types.PatchOperation{op(types.OpReplace, "/description", "d")}}))(t)
	if aws.ToString(updated.Description) != "d" {
		t.Fatalf("UpdateVpcLink = %+v", updated)
	}
	sdktest.Must(client.CreateVpcLink(ctx, &apigateway.CreateVpcLinkInput{Name: aws.String("m"), TargetArns: []string{nlb}}))(t)
	page := sdktest.Must(client.GetVpcLinks(ctx, &apigateway.GetVpcLinksInput{Limit: aws.Int32(1)}))(t)
	rest := sdktest.Must(client.GetVpcLinks(ctx, &apigateway.GetVpcLinksInput{Limit: aws.Int32(1), Position: page.Position}))(t)
	if len(page.Items) != 1 || len(rest.Items) != 1 || rest.Position != nil || rest.Items[0].Status != types.VpcLinkStatusAvailable {
		t.Fatalf("vpc link pages %+v / %+v", page, rest)
	}
	sdktest.Must(client.DeleteVpcLink(ctx, &apigateway.DeleteVpcLinkInput{VpcLinkId: link.Id}))(t)
	_, err = client.GetVpcLink(ctx, &apigateway.GetVpcLinkInput{VpcLinkId: link.Id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Vpc Link identifier specified")
}

// TestStateFileBeforeAccountWideKinds reads a state file whose apigateway
// member is the older layout (the REST APIs' worlds alone), then persists
// and reloads the new kinds, the shared domain names included.
func TestStateFileBeforeAccountWideKinds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	old := `{"version":1,"services":{"apigateway":{"000000000000/us-east-1":{"abcdefghij":{"id":"abcdefghij","name":"old","createdDate":1714566896,"apiKeySource":"HEADER","endpointConfiguration":{"types":["EDGE"],"ipAddressType":"ipv4"},"disableExecuteApiEndpoint":false,"rootResourceId":"rootrootro"}}}}}`
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	e := sdktest.Start(t, emulator.Options{StateFile: path})
	client := e.REST(sdktest.ClientOptions{MaxAttempts: 1})
	if api := sdktest.Must(client.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String("abcdefghij")}))(t); aws.ToString(api.Name) != "old" {
		t.Fatalf("old API = %+v", api)
	}
	key := sdktest.Must(client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Name: aws.String("kept")}))(t)
	sdktest.Must(e.V2(sdktest.ClientOptions{MaxAttempts: 1}).CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("kept.example.com"),
		DomainNameConfigurations: []v2types.DomainNameConfiguration{{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/x")}}}))(t)
	e.Server.Close()

	reloaded := sdktest.Start(t, emulator.Options{StateFile: path})
	again := reloaded.REST(sdktest.ClientOptions{MaxAttempts: 1})
	sdktest.Must(again.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String("abcdefghij")}))(t)
	sdktest.Must(again.GetApiKey(ctx, &apigateway.GetApiKeyInput{ApiKey: key.Id}))(t)
	sdktest.Must(again.GetDomainName(ctx, &apigateway.GetDomainNameInput{DomainName: aws.String("kept.example.com")}))(t)
	sdktest.Must(reloaded.V2(sdktest.ClientOptions{MaxAttempts: 1}).GetDomainName(ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("kept.example.com")}))(t)
}
