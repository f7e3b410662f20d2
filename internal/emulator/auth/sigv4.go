package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// authorizationPattern parses a SigV4 Authorization header.
var authorizationPattern = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$`)

// sigV4Header is the parsed Authorization header of a signed request.
type sigV4Header struct {
	accessKeyID, date, region, service, signedHeaders, signature string
}

func parseSigV4Header(r *http.Request) (sigV4Header, bool) {
	m := authorizationPattern.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return sigV4Header{}, false
	}
	return sigV4Header{accessKeyID: m[1], date: m[2], region: m[3], service: m[4], signedHeaders: m[5], signature: m[6]}, true
}

// maxClockSkew is how far X-Amz-Date may be from the server's clock.
const maxClockSkew = 5 * time.Minute

// verifySigV4 checks a header-signed request against secret. body is the
// exact bytes received. The returned *failure names AWS's error.
func verifySigV4(r *http.Request, body []byte, h sigV4Header, secret string, now time.Time) *failure {
	amzDate := r.Header.Get("X-Amz-Date")
	signedAt, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || !strings.HasPrefix(amzDate, h.date) {
		return &failure{kind: incomplete}
	}
	if skew := now.Sub(signedAt); skew > maxClockSkew || skew < -maxClockSkew {
		return &failure{kind: expired, detail: fmt.Sprintf("Signature expired: %s is now earlier than %s", amzDate, now.Add(-maxClockSkew).Format("20060102T150405Z"))}
	}
	stringToSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + h.date + "/" + h.region + "/" + h.service + "/aws4_request\n" +
		sha256Hex([]byte(canonicalRequest(r, body, h.signedHeaders)))
	key := hmacSHA256([]byte("AWS4"+secret), h.date)
	for _, part := range []string{h.region, h.service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	expected := hex.EncodeToString(hmacSHA256(key, stringToSign))
	if !hmac.Equal([]byte(expected), []byte(h.signature)) {
		return &failure{kind: badSignature}
	}
	return nil
}

// canonicalRequest builds SigV4's canonical request. The canonical URI is the
// path as received on the wire, URI-encoded once more (non-S3 services).
func canonicalRequest(r *http.Request, body []byte, signedHeaders string) string {
	rawPath := r.RequestURI
	if i := strings.IndexByte(rawPath, '?'); i >= 0 {
		rawPath = rawPath[:i]
	}
	if rawPath == "" {
		rawPath = "/"
	}
	return strings.Join([]string{
		r.Method,
		awsURIEncode(rawPath, true),
		canonicalQuery(r.URL.RawQuery),
		canonicalHeaders(r, signedHeaders),
		signedHeaders,
		sha256Hex(body),
	}, "\n")
}

func canonicalQuery(rawQuery string) string {
	query, _ := url.ParseQuery(rawQuery)
	var pairs []string
	for key, values := range query {
		for _, v := range values {
			pairs = append(pairs, awsURIEncode(key, false)+"="+awsURIEncode(v, false))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

func canonicalHeaders(r *http.Request, signedHeaders string) string {
	var b strings.Builder
	for _, name := range strings.Split(signedHeaders, ";") {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		default:
			values = r.Header.Values(name)
		}
		for i, v := range values {
			values[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}

// awsURIEncode escapes every byte but A-Z a-z 0-9 - _ . ~ (and / when
// keepSlash), as SigV4 requires.
func awsURIEncode(s string, keepSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
