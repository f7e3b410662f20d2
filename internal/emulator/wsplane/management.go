package wsplane

import (
	"context"
	"io"
	"net/http"

	"github.com/coder/websocket"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// manage serves the @connections API (apigatewaymanagementapi):
// PostToConnection, GetConnection and DeleteConnection, SigV4-signed for
// the execute-api service.
func (p *plane) manage(w http.ResponseWriter, r *http.Request, req *execute.Request, api API, stage Stage, connectionID string) {
	req.Served(stage.Name, r.Method+" @connections")
	body, err := io.ReadAll(io.LimitReader(r.Body, maxMessageBytes+1))
	if err != nil {
		execute.WriteError(w, http.StatusBadRequest, "Bad Request")
		return
	}
	if p.cfg.Authenticator != nil {
		if _, refused := p.cfg.Authenticator.Authenticate(r, body, core.RESTJSON); refused != nil {
			core.WriteError(w, refused)
			return
		}
	}
	c, open := p.lookup(api.ID, connectionID)
	switch {
	case r.Method != http.MethodPost && r.Method != http.MethodGet && r.Method != http.MethodDelete:
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
	case r.Method == http.MethodPost && len(body) > maxMessageBytes:
		writeManagementError(w, http.StatusRequestEntityTooLarge, "PayloadTooLargeException", `{"message":"Message too long"}`)
	case !open:
		writeManagementError(w, http.StatusGone, "GoneException", `{"message":null}`)
	case r.Method == http.MethodPost:
		p.postToConnection(r.Context(), w, c, body)
	case r.Method == http.MethodGet:
		core.WriteJSON(w, http.StatusOK, connectionInfo(c))
	default:
		p.deleteConnection(w, c)
	}
}

func (p *plane) postToConnection(ctx context.Context, w http.ResponseWriter, c *connection, data []byte) {
	if err := c.send(ctx, p, data); err != nil {
		writeManagementError(w, http.StatusGone, "GoneException", `{"message":null}`)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// deleteConnection answers at once, as AWS does; the close handshake and
// $disconnect follow. The connection is Gone from this call on.
func (p *plane) deleteConnection(w http.ResponseWriter, c *connection) {
	p.unregister(c)
	go c.close(closeStatus{code: websocket.StatusNormalClosure})
	w.WriteHeader(http.StatusNoContent)
}

// connection is GetConnection's answer, in the wire names of the
// apigatewaymanagementapi model.
type connectionView struct {
	ConnectedAt  string       `json:"connectedAt"`
	Identity     identityView `json:"identity"`
	LastActiveAt string       `json:"lastActiveAt"`
}

type identityView struct {
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// iso8601Millis is the model's __timestampIso8601.
const iso8601Millis = "2006-01-02T15:04:05.000Z"

func connectionInfo(c *connection) connectionView {
	return connectionView{
		ConnectedAt:  c.connectedAt.UTC().Format(iso8601Millis),
		Identity:     identityView{SourceIP: c.sourceIP, UserAgent: c.userAgent},
		LastActiveAt: c.lastActive().UTC().Format(iso8601Millis),
	}
}

// writeManagementError answers as the management API's rest-json errors do:
// the code in x-amzn-ErrorType.
func writeManagementError(w http.ResponseWriter, status int, code, body string) {
	w.Header().Set("x-amzn-ErrorType", code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
