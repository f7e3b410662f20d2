package apigatewayv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

const listenerARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders/0123456789abcdef/0123456789abcdef"

// TestUpdatesRemoveWhatIsSentEmpty: UpdateIntegration and UpdateStage merge
// their maps, so a request parameter or stage variable sent with an empty
// value is removed (as Terraform's provider removes them), and an
// integration moved from a VPC link to the internet forgets the link.
func TestUpdatesRemoveWhatIsSentEmpty(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	apiID := newAPI(t, client, types.ProtocolTypeHttp)

	private := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: apiID, IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("ANY"),
		ConnectionType: types.ConnectionTypeVpcLink, ConnectionId: aws.String("link1"), IntegrationUri: aws.String(listenerARN),
		RequestParameters: map[string]string{"overwrite:header.x-a": "'a'", "overwrite:header.x-b": "'b'"},
	}))(t)

	kept := sdktest.Must(client.UpdateIntegration(sdktest.Ctx, &apigatewayv2.UpdateIntegrationInput{
		ApiId: apiID, IntegrationId: private.IntegrationId,
		RequestParameters: map[string]string{"overwrite:header.x-a": "", "overwrite:header.x-c": "'c'"},
	}))(t)
	if got := kept.RequestParameters; len(got) != 2 || got["overwrite:header.x-b"] != "'b'" || got["overwrite:header.x-c"] != "'c'" {
		t.Errorf("request parameters after removing x-a and adding x-c = %v", got)
	}

	public := sdktest.Must(client.UpdateIntegration(sdktest.Ctx, &apigatewayv2.UpdateIntegrationInput{
		ApiId: apiID, IntegrationId: private.IntegrationId,
		ConnectionType: types.ConnectionTypeInternet, IntegrationUri: aws.String("https://orders.example.com"),
	}))(t)
	if public.ConnectionType != types.ConnectionTypeInternet || public.ConnectionId != nil {
		t.Errorf("after moving to the internet: connectionType %s, connectionId %v", public.ConnectionType, aws.ToString(public.ConnectionId))
	}
	if _, err := client.UpdateIntegration(sdktest.Ctx, &apigatewayv2.UpdateIntegrationInput{
		ApiId: apiID, IntegrationId: private.IntegrationId, ConnectionId: aws.String("link2"),
	}); err == nil {
		t.Error("a connectionId on an internet integration was accepted")
	}

	stage := sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{
		ApiId: apiID, StageName: aws.String("prod"), StageVariables: map[string]string{"a": "1", "b": "2"},
	}))(t)
	updated := sdktest.Must(client.UpdateStage(sdktest.Ctx, &apigatewayv2.UpdateStageInput{
		ApiId: apiID, StageName: stage.StageName, StageVariables: map[string]string{"a": ""},
	}))(t)
	if got := updated.StageVariables; len(got) != 1 || got["b"] != "2" {
		t.Errorf("stage variables after removing a = %v", got)
	}
	if _, err := client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{
		ApiId: apiID, StageName: aws.String("test"), StageVariables: map[string]string{"a": ""},
	}); err == nil {
		t.Error("CreateStage accepted an empty stage variable")
	}
}
