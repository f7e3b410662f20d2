package core

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// WriteError answers as API Gateway does (docs/aws-wire.md §3): the
// code in x-amzn-ErrorType, the message and any extras in a JSON body.
func WriteError(w http.ResponseWriter, e *Error) {
	messageKey := e.MessageKey
	if messageKey == "" {
		messageKey = "message"
	}
	payload := map[string]string{messageKey: e.Message}
	for k, v := range e.Extra {
		payload[k] = v
	}
	w.Header().Set("x-amzn-ErrorType", e.Code)
	WriteJSON(w, e.Status, payload)
}

// WriteJSON writes a JSON answer; a nil response writes the status alone.
func WriteJSON(w http.ResponseWriter, status int, response any) {
	if response == nil {
		w.WriteHeader(status)
		return
	}
	encoded, err := json.Marshal(response)
	if err != nil {
		w.Header().Set("x-amzn-ErrorType", "InternalServerErrorException")
		status = http.StatusInternalServerError
		encoded, _ = json.Marshal(map[string]string{"message": err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(encoded) //nolint:errcheck // the client went away; nothing to do.
}

// WriteRaw writes a Raw answer: its headers, the status, its body.
func WriteRaw(w http.ResponseWriter, status int, raw *Raw) {
	for name, values := range raw.Header {
		for _, v := range values {
			w.Header().Add(name, v)
		}
	}
	w.WriteHeader(status)
	w.Write(raw.Body) //nolint:errcheck // the client went away; nothing to do.
}

// DecodeJSON unmarshals a request body onto target, leaving the members the
// body does not carry as they were (so Create starts from defaults and
// Update from the current object). An empty body is an empty input; a body
// that is not JSON is refused with the service's own error.
func DecodeJSON(body []byte, target any, refuse func(error) error) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, target); err != nil {
		return refuse(err)
	}
	return nil
}

// BodyHas reports whether a JSON object body carries member, even as null.
func BodyHas(body []byte, member string) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return false
	}
	_, ok := members[member]
	return ok
}

// isQueryRequest recognises the query protocol: a form-encoded POST to "/".
func isQueryRequest(r *http.Request) bool {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && (r.URL.Path == "/" || r.URL.Path == "") &&
		mediaType == "application/x-www-form-urlencoded"
}

// queryNamespace is the xmlns of every answer of the query services served:
// STS's, the only one.
const queryNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// WriteQueryResult writes <{Action}Response><{Action}Result>...</...>
// <ResponseMetadata><RequestId>, as the query protocol does. result is an
// XML-tagged struct whose root element is replaced by {Action}Result.
func WriteQueryResult(w http.ResponseWriter, action string, result any, requestID string) {
	inner, err := xml.Marshal(result)
	if err != nil {
		WriteQueryError(w, requestID, asError(err, Query))
		return
	}
	doc := fmt.Sprintf(`<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`,
		action, queryNamespace, action, xmlChildren(string(inner)), action, requestID, action)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(xml.Header + doc)) //nolint:errcheck // the client went away.
}

// xmlChildren returns the children of an XML document's root element.
func xmlChildren(doc string) string {
	start := strings.IndexByte(doc, '>')
	end := strings.LastIndexByte(doc, '<')
	if start < 0 || end <= start {
		return ""
	}
	return doc[start+1 : end]
}

// WriteQueryError writes <ErrorResponse><Error>…</Error><RequestId>, with
// Type Sender for the caller's faults and Receiver for the server's.
func WriteQueryError(w http.ResponseWriter, requestID string, e *Error) {
	errorType := "Sender"
	if e.Status >= 500 {
		errorType = "Receiver"
	}
	var message strings.Builder
	xml.EscapeText(&message, []byte(e.Message)) //nolint:errcheck // strings.Builder never fails.
	doc := fmt.Sprintf(`<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		queryNamespace, errorType, e.Code, message.String(), requestID)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.Status)
	w.Write([]byte(xml.Header + doc)) //nolint:errcheck // the client went away.
}
