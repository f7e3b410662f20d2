// Command wsclient is a tiny wscat-style WebSocket client for trying the
// WebSocket sample in local mode:
//
//	echo '{"action":"sendmessage","message":"hi"}' | go run ./hack/wsclient ws://API-ID.execute-api.localhost:4566/prod
//
// It connects, sends each line of stdin as one text message, and prints each
// message it receives on a line of its own. Once stdin ends and no message
// has come for -wait, it closes the connection normally (1000), so the API's
// $disconnect route runs. A refused handshake prints the gateway's status
// and answer and exits 1.
//
// Host names under .localhost are dialled on the loopback address, as curl
// and browsers do (RFC 6761 §6.3), since Go's resolver leaves them to DNS.
// Where the host must be named otherwise, -H 'Host: ...' sets the Host
// header, as with curl.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// headers are the -H flags: "Name: value", repeatable.
type headers http.Header

func (h headers) String() string { return "" }

func (h headers) Set(value string) error {
	name, content, ok := strings.Cut(value, ":")
	if !ok {
		return fmt.Errorf("%q is not Name: value", value)
	}
	http.Header(h).Add(strings.TrimSpace(name), strings.TrimSpace(content))
	return nil
}

func main() {
	header := headers{}
	flag.Var(header, "H", "a handshake header, Name: value (repeatable; Host sets the Host header)")
	wait := flag.Duration("wait", 2*time.Second, "once stdin ends, how long to wait for another message before closing")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: wsclient [-H 'Name: value']... [-wait 2s] ws://HOST/STAGE < messages")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), http.Header(header), *wait, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wsclient:", err)
		os.Exit(1)
	}
}

// run connects to url, sends the lines of in and writes what it receives to
// out until in has ended and the connection has been quiet for wait.
func run(url string, header http.Header, wait time.Duration, in io.Reader, out io.Writer) error {
	ctx := context.Background()
	host := header.Get("Host")
	header.Del("Host")
	conn, response, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: dialLocalhostOnLoopback}},
		HTTPHeader: header,
		Host:       host,
	})
	if response != nil && response.Body != nil {
		defer response.Body.Close()
	}
	if err != nil {
		if response != nil {
			body, _ := io.ReadAll(io.LimitReader(response.Body, 4096))
			return fmt.Errorf("the handshake was refused: %s %s", response.Status, body)
		}
		return err
	}
	defer func() { _ = conn.CloseNow() }()

	received := make(chan error, 1)
	messages := make(chan struct{}, 1)
	go func() { received <- printMessages(ctx, conn, out, messages) }()
	if err := sendLines(ctx, conn, in); err != nil {
		return err
	}
	for {
		select {
		case err := <-received:
			return err // the server closed the connection
		case <-messages:
		case <-time.After(wait):
			return conn.Close(websocket.StatusNormalClosure, "")
		}
	}
}

// sendLines sends each line of in as a text message.
func sendLines(ctx context.Context, conn *websocket.Conn, in io.Reader) error {
	lines := bufio.NewScanner(in)
	for lines.Scan() {
		if err := conn.Write(ctx, websocket.MessageText, lines.Bytes()); err != nil {
			return err
		}
	}
	return lines.Err()
}

// printMessages writes each received message on its own line and signals
// it on messages, until the connection ends; a normal close is no error.
func printMessages(ctx context.Context, conn *websocket.Conn, out io.Writer, messages chan<- struct{}) error {
	for {
		_, message, err := conn.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) == websocket.StatusNormalClosure || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		fmt.Fprintf(out, "%s\n", message)
		select {
		case messages <- struct{}{}:
		default:
		}
	}
}

// dialLocalhostOnLoopback dials names under .localhost on 127.0.0.1, and
// every other address as usual.
func dialLocalhostOnLoopback(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		address = net.JoinHostPort("127.0.0.1", port)
	}
	return (&net.Dialer{}).DialContext(ctx, network, address)
}
