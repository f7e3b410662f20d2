package wsplane

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// newShortID returns an id of the shape API Gateway gives connections,
// requests and messages on WebSocket APIs: 11 random bytes in URL-safe
// base64, such as "XDmENcnwIE0CFEQ=" (AWS's ids also carry "-" and "_").
func newShortID() string {
	var b [11]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.URLEncoding.EncodeToString(b[:])
}

// connection is one open WebSocket connection and what API Gateway keeps
// of its handshake for the events of later routes.
type connection struct {
	id           string
	apiID, stage string
	conn         *websocket.Conn
	connectedAt  time.Time
	sourceIP     string
	userAgent    string
	// domainName is the Host the client connected to.
	domainName string
	// handshake is the $connect request's headers and query, which every
	// event of the connection may not carry but templates may read.
	headers http.Header
	query   url.Values
	// authorizer is requestContext.authorizer: the $connect authorizer's
	// principalId and context, nil without one.
	authorizer map[string]any
	// accepted is closed once the upgrade is done; conn is nil after it
	// when the upgrade failed.
	accepted chan struct{}

	mu           sync.Mutex
	lastActiveAt time.Time
	// closing is the status the emulator closed the connection with (idle,
	// duration, DeleteConnection), nil while the client is the one to
	// close.
	closing *closeStatus
	timers  []*time.Timer
	idle    *time.Timer
}

// closeStatus is a close frame's code and reason.
type closeStatus struct {
	code   websocket.StatusCode
	reason string
}

// register adds an accepted connection and starts its idle and duration
// clocks.
func (p *plane) register(c *connection) {
	c.lastActiveAt = c.connectedAt
	c.idle = time.AfterFunc(p.cfg.IdleTimeout, func() { c.close(closeStatus{websocket.StatusGoingAway, "Going away"}) })
	c.timers = []*time.Timer{c.idle, time.AfterFunc(p.cfg.MaxConnectionDuration, func() {
		c.close(closeStatus{websocket.StatusGoingAway, "Going away"})
	})}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.connections[c.id] = c
}

func (p *plane) unregister(c *connection) {
	for _, timer := range c.timers {
		timer.Stop()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.connections, c.id)
}

// lookup returns an open connection of an API, once its upgrade is done.
func (p *plane) lookup(apiID, connectionID string) (*connection, bool) {
	p.mu.Lock()
	c, ok := p.connections[connectionID]
	p.mu.Unlock()
	if !ok || c.apiID != apiID || !c.upgraded() {
		return nil, false
	}
	return c, true
}

// upgraded waits for the upgrade and reports whether it succeeded.
func (c *connection) upgraded() bool {
	<-c.accepted
	return c.conn != nil
}

// touch records traffic on the connection, which restarts its idle clock.
func (c *connection) touch(p *plane) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastActiveAt = time.Now()
	c.idle.Reset(p.cfg.IdleTimeout)
}

func (c *connection) lastActive() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastActiveAt
}

// close closes the connection on the emulator's side; the first status
// wins and is what $disconnect reports.
func (c *connection) close(status closeStatus) {
	if !c.upgraded() {
		return
	}
	c.mu.Lock()
	if c.closing != nil {
		c.mu.Unlock()
		return
	}
	c.closing = &status
	c.mu.Unlock()
	_ = c.conn.Close(status.code, status.reason)
}

// send writes one message to the client: a text frame when data is UTF-8,
// a binary frame otherwise.
func (c *connection) send(ctx context.Context, p *plane, data []byte) error {
	kind := websocket.MessageText
	if !utf8.Valid(data) {
		kind = websocket.MessageBinary
	}
	if err := c.conn.Write(ctx, kind, data); err != nil {
		return err
	}
	c.touch(p)
	return nil
}

// serve reads the client's messages until the connection ends, routes each
// in turn, then runs $disconnect.
func (p *plane) serve(c *connection) {
	c.conn.SetReadLimit(maxMessageBytes)
	ctx := context.Background()
	for {
		kind, data, err := c.conn.Read(ctx)
		if err != nil {
			// Gone for @connections before $disconnect runs, as on AWS.
			p.unregister(c)
			p.disconnect(c, c.endStatus(err))
			return
		}
		c.touch(p)
		p.message(ctx, c, data, kind == websocket.MessageBinary)
	}
}

// endStatus is how the connection ended: the emulator's own close, the
// client's close frame, or 1006 when the client went away without one.
func (c *connection) endStatus(readErr error) closeStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing != nil {
		return *c.closing
	}
	var closed websocket.CloseError
	if errors.As(readErr, &closed) {
		return closeStatus{closed.Code, closed.Reason}
	}
	// The library closes an oversized message's connection with 1009 itself
	// and says so only in its error's text.
	if strings.Contains(readErr.Error(), "read limited at") {
		return closeStatus{code: websocket.StatusMessageTooBig}
	}
	return closeStatus{code: websocket.StatusAbnormalClosure}
}
