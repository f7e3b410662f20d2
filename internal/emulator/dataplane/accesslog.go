package dataplane

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AccessLog returns an observer writing one line per request to out, such
// as:
//
//	2026-01-02T15:04:05.123Z request_id=5f0c... client_ip=127.0.0.1 host=api.example.test method=GET path=/orders/42 status=200 bytes=17 latency=1.204ms api_id=a1b2c3d4e5 stage=prod route="GET /{id}" custom_domain=api.example.test
//
// Values are quoted when they hold spaces or quotes, "-" when empty. The
// path is without its query string, which may carry secrets.
func AccessLog(out io.Writer) Observer {
	var mu sync.Mutex
	return func(e Exchange) {
		line := accessLogLine(e)
		mu.Lock()
		defer mu.Unlock()
		_, _ = io.WriteString(out, line)
	}
}

func accessLogLine(e Exchange) string {
	fields := []struct{ name, value string }{
		{"request_id", e.RequestID},
		{"client_ip", clientIP(e.Request.RemoteAddr)},
		{"host", e.Request.Host},
		{"method", e.Request.Method},
		{"path", e.Request.URL.EscapedPath()},
		{"status", strconv.Itoa(e.Status)},
		{"bytes", strconv.FormatInt(e.Bytes, 10)},
		{"latency", e.Latency.Round(time.Microsecond).String()},
		{"api_id", e.Invoke.APIID},
		{"stage", e.Invoke.MatchedStage},
		{"route", e.Invoke.MatchedRoute},
		{"custom_domain", e.Invoke.CustomDomain},
	}
	var line strings.Builder
	line.WriteString(e.Started.UTC().Format("2006-01-02T15:04:05.000Z"))
	for _, f := range fields {
		fmt.Fprintf(&line, " %s=%s", f.name, logValue(f.value))
	}
	line.WriteByte('\n')
	return line.String()
}

func clientIP(remoteAddr string) string {
	if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return host
	}
	return remoteAddr
}

// logValue keeps a line one line and splittable on spaces.
func logValue(value string) string {
	switch {
	case value == "":
		return "-"
	case strings.ContainsAny(value, " \"\t\r\n"):
		return strconv.Quote(value)
	default:
		return value
	}
}
