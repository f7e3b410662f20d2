package wsplane

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// connect serves a handshake: the $connect route's authorizer and
// integration decide, before the upgrade, whether the connection opens; a
// refusal is an HTTP answer and no WebSocket. Once open, the connection is
// served until it closes.
func (p *plane) connect(w http.ResponseWriter, r *http.Request, req *execute.Request, api API, stage Stage) {
	now := time.Now()
	c := &connection{
		id: newShortID(), apiID: api.ID, stage: stage.Name, connectedAt: now,
		sourceIP: execute.ClientAddress(r.RemoteAddr), userAgent: r.UserAgent(), domainName: r.Host,
		headers: handshakeHeaders(r), query: r.URL.Query(),
	}
	x := &exchange{conn: c, stage: stage, routeKey: routeConnect, eventType: eventConnect, requestID: newShortID(), at: now}
	req.RequestID = x.requestID
	req.Served(stage.Name, routeConnect)
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		execute.WriteError(w, http.StatusUpgradeRequired, "Upgrade Required")
		return
	}
	accept := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if route, ok := stage.Routes[routeConnect]; ok {
		if !p.authorize(w, r, api, route, x) {
			return
		}
		result := p.integrate(r.Context(), api, route, x)
		if !admitted(w, route, result) {
			return
		}
		accept.Subprotocols = acceptedHeaders(w.Header(), result.header)
	}
	// Registered before the upgrade answer leaves, so that a backend told
	// of the connection by the client can reach it at once.
	c.accepted = make(chan struct{})
	p.register(c)
	conn, err := websocket.Accept(w, r, accept)
	if err != nil {
		// Accept has answered the malformed handshake itself.
		p.unregister(c)
		close(c.accepted)
		return
	}
	c.conn = conn
	close(c.accepted)
	p.serve(c)
}

// handshakeHeaders are the handshake's headers as AWS's $connect event has
// them: without Connection and Upgrade, with Host and the X-Forwarded-*
// headers of API Gateway's front end.
func handshakeHeaders(r *http.Request) http.Header {
	headers := r.Header.Clone()
	execute.RemoveHopByHopHeaders(headers)
	headers.Set("Host", r.Host)
	headers.Set("X-Forwarded-For", execute.ClientAddress(r.RemoteAddr))
	if _, port, err := net.SplitHostPort(r.Host); err == nil {
		headers.Set("X-Forwarded-Port", port)
	}
	headers.Set("X-Forwarded-Proto", "http")
	return headers
}

// admitted answers a $connect that its integration refused: one that could
// not run, or a proxy integration's non-2xx status, relayed with its body
// as AWS does (the client sees "Unexpected server response: 400"). AWS
// opens the connection whatever a non-proxy integration answered.
func admitted(w http.ResponseWriter, route Route, result outcome) bool {
	if result.failed != nil {
		execute.WriteError(w, result.failed.status, result.failed.message)
		return false
	}
	proxy := route.Integration != nil &&
		(route.Integration.Type == integrationAWSProxy || route.Integration.Type == integrationHTTPProxy)
	if !proxy || (result.status >= 200 && result.status < 300) {
		return true
	}
	w.WriteHeader(result.status)
	_, _ = w.Write(result.body)
	return false
}

// acceptedHeaders puts the headers a $connect function returned on the
// upgrade answer. Sec-WebSocket-Protocol is the subprotocol it chose, which
// the WebSocket library negotiates.
func acceptedHeaders(answer, returned http.Header) (subprotocols []string) {
	for name, values := range returned {
		if http.CanonicalHeaderKey(name) == "Sec-Websocket-Protocol" {
			subprotocols = values
			continue
		}
		answer[name] = values
	}
	return subprotocols
}

// authorize runs the $connect route's authorization and answers a refusal.
// AWS_IAM verifies the handshake's SigV4 signature as the control plane
// does (no IAM policy is evaluated); CUSTOM asks the Lambda REQUEST
// authorizer, whose principalId and context then appear in every event of
// the connection.
func (p *plane) authorize(w http.ResponseWriter, r *http.Request, api API, route Route, x *exchange) bool {
	switch route.AuthorizationType {
	case "AWS_IAM":
		if _, refused := p.cfg.Authenticator.Authenticate(r, nil, core.RESTJSON); refused != nil {
			core.WriteError(w, refused)
			return false
		}
	case "CUSTOM":
		decision := p.decide(r.Context(), api, route, x)
		if !decision.Allowed() {
			writeRefusal(w, decision)
			return false
		}
		x.conn.authorizer = map[string]any{"principalId": decision.PrincipalID}
		for key, value := range decision.Context {
			x.conn.authorizer[key] = value
		}
	}
	return true
}

// writeRefusal answers a $connect its authorizer refused, before any
// upgrade: 401, 403 or 500 with AWS's body and x-amzn-ErrorType.
func writeRefusal(w http.ResponseWriter, decision authorizers.Decision) {
	for name, values := range decision.Header {
		w.Header()[name] = values
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(decision.Status)
	_, _ = w.Write(decision.Body())
}
