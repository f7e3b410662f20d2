package emulator

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// stsNamespace is the xmlns of every STS response.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// stsIdentity is what GetCallerIdentity answers for an access key.
type stsIdentity struct {
	Account string `json:"account"`
	Arn     string `json:"arn"`
	UserID  string `json:"userId"`
}

// stsKey is an access key the emulator accepts: a configured one or a
// temporary one issued by AssumeRole (which also has a session token).
type stsKey struct {
	SecretAccessKey string      `json:"secretAccessKey"`
	SessionToken    string      `json:"sessionToken,omitempty"`
	Expiration      time.Time   `json:"expiration,omitzero"`
	Identity        stsIdentity `json:"identity"`
}

// stsService emulates the two STS calls an operator makes. Its issued keys
// are part of the persisted state, so assumed sessions survive a restart.
type stsService struct {
	configured map[string]*stsKey
	issued     map[string]*stsKey
}

func newSTSService(credentials []Credential) *stsService {
	svc := &stsService{configured: map[string]*stsKey{}, issued: map[string]*stsKey{}}
	for _, c := range credentials {
		svc.configured[c.AccessKeyID] = &stsKey{
			SecretAccessKey: c.SecretAccessKey,
			Identity:        svc.defaultIdentity(c.AccessKeyID, c.Account),
		}
	}
	return svc
}

// lookupKey finds a configured or issued access key.
func (svc *stsService) lookupKey(accessKeyID string) (*stsKey, bool) {
	if key, ok := svc.configured[accessKeyID]; ok {
		return key, true
	}
	key, ok := svc.issued[accessKeyID]
	return key, ok
}

// defaultIdentity is the IAM user an access key stands for.
func (svc *stsService) defaultIdentity(accessKeyID, account string) stsIdentity {
	return stsIdentity{
		Account: account,
		Arn:     "arn:aws:iam::" + account + ":user/emulator",
		UserID:  "AIDA" + stableID(accessKeyID, 17),
	}
}

func (svc *stsService) snapshot() (json.RawMessage, error) { return json.Marshal(svc.issued) }

func (svc *stsService) restore(raw json.RawMessage) error {
	issued := map[string]*stsKey{}
	if err := json.Unmarshal(raw, &issued); err != nil {
		return err
	}
	svc.issued = issued
	return nil
}

// isSTSRequest recognises the query protocol: a form-encoded POST to "/".
func isSTSRequest(r *http.Request) bool {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && (r.URL.Path == "/" || r.URL.Path == "") &&
		mediaType == "application/x-www-form-urlencoded"
}

// stsError is an STS error response: <ErrorResponse><Error>...</Error>.
type stsError struct {
	status  int
	code    string
	message string
}

func stsValidation(format string, args ...any) *stsError {
	return &stsError{status: http.StatusBadRequest, code: "ValidationError", message: fmt.Sprintf(format, args...)}
}

func (f *authFailure) stsError() *stsError {
	switch f.kind {
	case authMissing:
		return &stsError{http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token"}
	case authIncomplete:
		return &stsError{http.StatusBadRequest, "IncompleteSignature", "Authorization header requires existence of a valid X-Amz-Date header."}
	case authUnknownKey:
		return &stsError{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}
	case authExpired:
		return &stsError{http.StatusForbidden, "SignatureDoesNotMatch", f.detail}
	default:
		return &stsError{http.StatusForbidden, "SignatureDoesNotMatch", signatureMismatchMessage}
	}
}

// serveSTS answers one STS query-protocol request in STS's XML.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, body []byte, requestID string) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeSTSError(w, requestID, stsValidation("Request body is not a valid form"))
		return
	}
	action := form.Get("Action")
	who, failure := s.authenticateCaller(r, body)
	if failure != nil {
		writeSTSError(w, requestID, failure.stsError())
		return
	}
	s.stats.call(action)

	var result any
	var stsErr *stsError
	switch action {
	case "GetCallerIdentity":
		result = getCallerIdentityResult{Account: who.identity.Account, Arn: who.identity.Arn, UserID: who.identity.UserID}
	case "AssumeRole":
		result, stsErr = s.assumeRole(form)
	default:
		stsErr = &stsError{http.StatusBadRequest, "InvalidAction", fmt.Sprintf("Could not find operation %s for version 2011-06-15", action)}
	}
	if stsErr != nil {
		writeSTSError(w, requestID, stsErr)
		return
	}
	writeSTSResult(w, action, result, requestID)
}

var (
	roleArnPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/((?:[\w+=,.@-]+/)*)([\w+=,.@-]{1,64})$`)
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
)

// assumeRole validates an AssumeRole request and issues temporary keys that
// act in the role's account.
func (s *Server) assumeRole(form url.Values) (any, *stsError) {
	roleArn, session, externalID := form.Get("RoleArn"), form.Get("RoleSessionName"), form.Get("ExternalId")
	if len(roleArn) < 20 || len(roleArn) > 2048 {
		return nil, stsValidation("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20", roleArn)
	}
	match := roleArnPattern.FindStringSubmatch(roleArn)
	if match == nil {
		return nil, stsValidation("Request ARN is invalid")
	}
	if len(session) < 2 || len(session) > 64 || !sessionNamePattern.MatchString(session) {
		return nil, stsValidation(`1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`, session)
	}
	if form.Has("ExternalId") && (len(externalID) < 2 || len(externalID) > 1224 || !externalIDPattern.MatchString(externalID)) {
		return nil, stsValidation(`1 validation error detected: Value '%s' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@:\/-]*`, externalID)
	}
	duration := 3600
	if raw := form.Get("DurationSeconds"); raw != "" {
		d, err := strconv.Atoi(raw)
		if err != nil || d < 900 || d > 43200 {
			return nil, stsValidation("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", raw)
		}
		duration = d
	}

	account, roleName := match[1], match[3]
	roleID := "AROA" + stableID(roleArn, 17)
	accessKeyID := "ASIA" + strings.ToUpper(newID(16))
	key := &stsKey{
		SecretAccessKey: newID(40),
		SessionToken:    "FwoGZXIvYXdzE" + newID(120),
		Expiration:      time.Now().UTC().Add(time.Duration(duration) * time.Second).Truncate(time.Second),
		Identity: stsIdentity{
			Account: account,
			Arn:     "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session,
			UserID:  roleID + ":" + session,
		},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sts.issued[accessKeyID] = key
	if err := s.persist(); err != nil {
		return nil, &stsError{http.StatusInternalServerError, "InternalFailure", err.Error()}
	}
	return assumeRoleResult{
		AssumedRoleUser: assumedRoleUser{Arn: key.Identity.Arn, AssumedRoleID: key.Identity.UserID},
		Credentials: stsCredentials{
			AccessKeyID:     accessKeyID,
			SecretAccessKey: key.SecretAccessKey,
			SessionToken:    key.SessionToken,
			Expiration:      key.Expiration.Format(time.RFC3339),
		},
		PackedPolicySize: 0,
	}, nil
}

type getCallerIdentityResult struct {
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
}

type assumeRoleResult struct {
	AssumedRoleUser  assumedRoleUser `xml:"AssumedRoleUser"`
	Credentials      stsCredentials  `xml:"Credentials"`
	PackedPolicySize int             `xml:"PackedPolicySize,omitempty"`
}

type assumedRoleUser struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

type stsCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

// writeSTSResult writes <{Action}Response><{Action}Result>...</...>
// <ResponseMetadata><RequestId>, as STS does.
func writeSTSResult(w http.ResponseWriter, action string, result any, requestID string) {
	inner, err := xml.Marshal(result)
	if err != nil {
		writeSTSError(w, requestID, &stsError{http.StatusInternalServerError, "InternalFailure", err.Error()})
		return
	}
	// Rename the marshalled struct's root to {Action}Result.
	body := stripRoot(string(inner))
	doc := fmt.Sprintf(`<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`,
		action, stsNamespace, action, body, action, requestID, action)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(xml.Header + doc)) //nolint:errcheck // the client went away.
}

// stripRoot returns the children of an XML document's root element.
func stripRoot(doc string) string {
	start := strings.IndexByte(doc, '>')
	end := strings.LastIndexByte(doc, '<')
	if start < 0 || end <= start {
		return ""
	}
	return doc[start+1 : end]
}

func writeSTSError(w http.ResponseWriter, requestID string, e *stsError) {
	errorType := "Sender"
	if e.status >= 500 {
		errorType = "Receiver"
	}
	var message strings.Builder
	xml.EscapeText(&message, []byte(e.message)) //nolint:errcheck // strings.Builder never fails.
	doc := fmt.Sprintf(`<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		stsNamespace, errorType, e.code, message.String(), requestID)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.status)
	w.Write([]byte(xml.Header + doc)) //nolint:errcheck // the client went away.
}

// stableID derives an uppercase id of n characters from seed, so the same
// key or role always gets the same principal id.
func stableID(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	return base32.StdEncoding.EncodeToString(sum[:])[:n]
}
