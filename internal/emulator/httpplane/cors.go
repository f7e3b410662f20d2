package httpplane

import (
	"net/http"
	"strconv"
	"strings"
)

// CORS for HTTP APIs, as docs/aws-wire.md §9 describes AWS: configured
// headers are added by the gateway, the backend's own Access-Control-*
// headers are ignored, and preflights that match no route are answered by
// the gateway itself.

const (
	headerOrigin            = "Origin"
	headerRequestMethod     = "Access-Control-Request-Method"
	headerAllowOrigin       = "Access-Control-Allow-Origin"
	headerAllowMethods      = "Access-Control-Allow-Methods"
	headerAllowHeaders      = "Access-Control-Allow-Headers"
	headerExposeHeaders     = "Access-Control-Expose-Headers"
	headerMaxAge            = "Access-Control-Max-Age"
	headerAllowCredentials  = "Access-Control-Allow-Credentials"
	accessControlPrefix     = "Access-Control-"
	wildcard                = "*"
	wildcardSchemeSeparator = "://*"
)

// allowedOrigin returns the Access-Control-Allow-Origin value for a request
// origin: "*" when every origin is allowed, else the origin itself (one
// origin, never the configured list), or false when it is not allowed.
func (c *CORS) allowedOrigin(origin string) (string, bool) {
	if origin == "" {
		return "", false
	}
	for _, allowed := range c.AllowOrigins {
		if allowed == wildcard {
			return wildcard, true
		}
	}
	for _, allowed := range c.AllowOrigins {
		if originMatches(allowed, origin) {
			return origin, true
		}
	}
	return "", false
}

// originMatches compares case-insensitively (browsers send lower-case
// schemes and hosts, users configure any case) and understands the
// "https://*" and "http://*" prefix forms.
func originMatches(allowed, origin string) bool {
	if scheme, isPrefixForm := strings.CutSuffix(allowed, wildcardSchemeSeparator); isPrefixForm {
		prefix := scheme + "://"
		return len(origin) > len(prefix) && strings.EqualFold(origin[:len(prefix)], prefix)
	}
	return strings.EqualFold(allowed, origin)
}

// allowsMethod tells whether a preflight's requested method is configured.
func (c *CORS) allowsMethod(method string) bool {
	for _, allowed := range c.AllowMethods {
		if allowed == wildcard || strings.EqualFold(allowed, method) {
			return true
		}
	}
	return false
}

// isPreflight tells whether a request that matched no route is a CORS
// preflight the gateway answers itself.
func isPreflight(r *http.Request, cors *CORS) bool {
	return cors != nil && r.Method == http.MethodOptions &&
		r.Header.Get(headerOrigin) != "" && r.Header.Get(headerRequestMethod) != ""
}

// answerPreflight answers 204 with the preflight headers when the origin and
// the requested method are allowed, and with none otherwise, which is how a
// browser learns that the call is refused.
func answerPreflight(w http.ResponseWriter, r *http.Request, cors *CORS) {
	allowOrigin, allowed := cors.allowedOrigin(r.Header.Get(headerOrigin))
	if allowed && cors.allowsMethod(r.Header.Get(headerRequestMethod)) {
		h := w.Header()
		h.Set(headerAllowMethods, strings.Join(cors.AllowMethods, ","))
		setUnlessEmpty(h, headerAllowHeaders, strings.Join(cors.AllowHeaders, ","))
		if cors.MaxAge != nil {
			h.Set(headerMaxAge, strconv.Itoa(int(*cors.MaxAge)))
		}
		setOriginHeaders(h, cors, allowOrigin)
	}
	w.WriteHeader(http.StatusNoContent)
}

// setActualRequestHeaders adds the CORS headers of a non-preflight answer
// for an allowed origin.
func setActualRequestHeaders(h http.Header, cors *CORS, origin string) {
	allowOrigin, allowed := cors.allowedOrigin(origin)
	if !allowed {
		return
	}
	setUnlessEmpty(h, headerExposeHeaders, strings.Join(cors.ExposeHeaders, ","))
	setOriginHeaders(h, cors, allowOrigin)
}

// setOriginHeaders sets the headers common to preflights and actual
// answers. Vary: Origin tells caches that an echoed origin depends on the
// request.
func setOriginHeaders(h http.Header, cors *CORS, allowOrigin string) {
	h.Set(headerAllowOrigin, allowOrigin)
	if cors.AllowCredentials {
		h.Set(headerAllowCredentials, "true")
	}
	if allowOrigin != wildcard {
		h.Add("Vary", headerOrigin)
	}
}

func setUnlessEmpty(h http.Header, key, value string) {
	if value != "" {
		h.Set(key, value)
	}
}

// dropAccessControlHeaders removes the CORS headers an integration sent:
// with CORS configured, AWS ignores them.
func dropAccessControlHeaders(h http.Header) {
	for key := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(key), accessControlPrefix) {
			delete(h, key)
		}
	}
}

// withCORS returns w, wrapped so that the API's CORS configuration applies
// to the answer when it has one: whatever headers an integration set, the
// Access-Control-* ones are the gateway's.
func withCORS(w http.ResponseWriter, r *http.Request, cors *CORS) http.ResponseWriter {
	if cors == nil {
		return w
	}
	return &corsResponseWriter{ResponseWriter: w, cors: cors, origin: r.Header.Get(headerOrigin)}
}

type corsResponseWriter struct {
	http.ResponseWriter
	cors        *CORS
	origin      string
	wroteHeader bool
}

func (w *corsResponseWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		dropAccessControlHeaders(w.Header())
		setActualRequestHeaders(w.Header(), w.cors, w.origin)
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *corsResponseWriter) Write(body []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(body)
}
