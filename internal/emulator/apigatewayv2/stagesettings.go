package apigatewayv2

import (
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

const (
	maxStageVariables      = 100
	maxStageVariableLength = 2048
	maxAccessLogFormat     = 3 * 1024
)

var (
	stageVariableName  = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	stageVariableValue = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=,]+$`)
	logGroupARN        = regexp.MustCompile(`^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:*]+(:\*)?$`)
)

// validateRouteSettings checks the default and per-route settings: keys
// naming routes of the API (settings kept from before an update may name a
// route deleted since), logging only on WebSocket APIs, and non-negative
// throttling.
func (record *APIRecord) validateRouteSettings(current, stage *Stage) error {
	websocket := record.API.ProtocolType == "WEBSOCKET"
	if stage.DefaultRouteSettings != nil {
		if err := validateRouteSetting("defaultRouteSettings", *stage.DefaultRouteSettings, websocket); err != nil {
			return err
		}
	}
	keys := map[string]bool{}
	for _, route := range record.Routes {
		keys[route.RouteKey] = true
	}
	for _, routeKey := range slices.Sorted(maps.Keys(stage.RouteSettings)) {
		kept := current != nil && reflect.DeepEqual(current.RouteSettings[routeKey], stage.RouteSettings[routeKey])
		if !keys[routeKey] && !kept {
			return errRouteSettingsUnknownRoute.With(routeKey)
		}
		if err := validateRouteSetting(routeKey, stage.RouteSettings[routeKey], websocket); err != nil {
			return err
		}
	}
	return nil
}

func validateRouteSetting(name string, settings RouteSettings, websocket bool) error {
	if !websocket {
		websocketOnly := map[string]bool{
			"loggingLevel":     settings.LoggingLevel != nil,
			"dataTraceEnabled": settings.DataTraceEnabled != nil && *settings.DataTraceEnabled,
		}
		if err := refuseSet(websocketOnly, errWebSocketOnly); err != nil {
			return err
		}
	}
	if level := settings.LoggingLevel; level != nil && *level != "ERROR" && *level != "INFO" && *level != "OFF" {
		return errInvalidLoggingLevel.With(*level)
	}
	if (settings.ThrottlingBurstLimit != nil && *settings.ThrottlingBurstLimit < 0) ||
		(settings.ThrottlingRateLimit != nil && *settings.ThrottlingRateLimit < 0) {
		return errInvalidThrottling.With(name)
	}
	return nil
}

func validateStageVariables(variables map[string]string) error {
	if len(variables) > maxStageVariables {
		return errTooManyStageVariables.With(maxStageVariables)
	}
	for _, name := range slices.Sorted(maps.Keys(variables)) {
		if !stageVariableName.MatchString(name) {
			return errInvalidStageVariableName.With(name)
		}
		if value := variables[name]; !stageVariableValue.MatchString(value) || len(value) > maxStageVariableLength {
			return errInvalidStageVariableValue.With(name)
		}
	}
	return nil
}

// validateAccessLogSettings wants a log group ARN and a format naming the
// request id, as AWS does for access logs.
func validateAccessLogSettings(settings *AccessLogSettings) error {
	if settings == nil || (settings.DestinationArn == nil && settings.Format == nil) {
		return nil
	}
	if settings.DestinationArn == nil || settings.Format == nil || len(*settings.Format) > maxAccessLogFormat ||
		!strings.Contains(*settings.Format, "$context.requestId") {
		return errAccessLogFormat.With()
	}
	if !logGroupARN.MatchString(*settings.DestinationArn) {
		return errInvalidAccessLogARN.With(*settings.DestinationArn)
	}
	return nil
}

// stageEdit is the handler of a DELETE under a stage that changes only the
// stage (DeleteAccessLogSettings, DeleteRouteSettings,
// ResetAuthorizersCache): edit applies the change or refuses it.
func (svc *Service) stageEdit(edit func(stage *Stage, params core.PathParams) error) core.HandlerFunc {
	return func(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
		_, stage, err := svc.stages().kind.lookup(svc, c, params)
		if err != nil {
			return 0, nil, err
		}
		if err := edit(stage, params); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	}
}

func deleteAccessLogSettings(stage *Stage, _ core.PathParams) error {
	stage.AccessLogSettings = nil
	return nil
}

func deleteRouteSettings(stage *Stage, params core.PathParams) error {
	routeKey := params["routeKey"]
	if _, ok := stage.RouteSettings[routeKey]; !ok {
		return errNotFoundRouteSettings.With(routeKey)
	}
	delete(stage.RouteSettings, routeKey)
	return nil
}

// resetAuthorizersCache has nothing to flush: the emulator caches no
// authorizer results.
func resetAuthorizersCache(*Stage, core.PathParams) error { return nil }
