package wsplane

import (
	"context"
	"encoding/json"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// message routes one client message and runs its route's integration. A
// two-way route sends the integration's answer back; a one-way route sends
// nothing unless API Gateway could not process the message, which it
// reports in an error frame.
func (p *plane) message(ctx context.Context, c *connection, body []byte, binary bool) {
	now := time.Now()
	x := &exchange{conn: c, eventType: eventMessage, requestID: newShortID(), messageID: newShortID(), at: now, body: body, binary: binary}
	api, stage, ok := p.deployed(c)
	x.stage = stage
	selectable := body
	if binary {
		// A binary frame is no JSON message: it goes to $default.
		selectable = nil
	}
	route, found := routeFor(stage, selectable)
	if !ok || !found {
		p.sendError(ctx, c, x, execute.MessageForbidden)
		return
	}
	x.routeKey = route.Key
	result := p.integrate(ctx, api, route, x)
	if result.failed != nil {
		p.sendError(ctx, c, x, result.failed.message)
		return
	}
	if route.TwoWay() && len(result.body) > 0 {
		_ = c.send(ctx, p, result.body)
	}
}

// disconnect runs the $disconnect route once the connection has closed. Its
// answer goes nowhere: the client is gone.
func (p *plane) disconnect(c *connection, ended closeStatus) {
	api, stage, ok := p.deployed(c)
	route, found := stage.Routes[routeDisconnect]
	if !ok || !found {
		return
	}
	x := &exchange{conn: c, stage: stage, routeKey: routeDisconnect, eventType: eventDisconnect,
		requestID: newShortID(), at: time.Now(), ended: &ended}
	_ = p.integrate(context.Background(), api, route, x)
}

// deployed reads the connection's API and stage as now deployed.
func (p *plane) deployed(c *connection) (API, Stage, bool) {
	api, ok := p.cfg.Source.WebSocketAPI(c.apiID)
	if !ok {
		return API{}, Stage{}, false
	}
	stage, ok := api.stage(c.stage)
	return api, stage, ok
}

// sendError sends API Gateway's error frame, worded and spaced as AWS
// sends it: {"message": "Forbidden", "connectionId":"…", "requestId":"…"}.
func (p *plane) sendError(ctx context.Context, c *connection, x *exchange, message string) {
	_ = c.send(ctx, p, errorFrame(message, c.id, x.requestID))
}

func errorFrame(message, connectionID, requestID string) []byte {
	quoted := func(s string) string {
		encoded, _ := json.Marshal(s)
		return string(encoded)
	}
	return []byte(`{"message": ` + quoted(message) + `, "connectionId":` + quoted(connectionID) + `, "requestId":` + quoted(requestID) + `}`)
}
