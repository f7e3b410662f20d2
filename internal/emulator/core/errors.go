package core

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an AWS error: a status, a code and a message, encoded by the
// route's protocol (see WriteError and WriteQueryError).
type Error struct {
	Status  int
	Code    string
	Message string
	// Extra members of a JSON error body, such as v2's resourceType.
	Extra map[string]string
	// MessageKey is the JSON member that carries Message: "message" when
	// empty; Lambda spells it "Message" in some of its errors.
	MessageKey string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// NewError formats an AWS error.
func NewError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadRequest is API Gateway's 400 BadRequestException.
func BadRequest(format string, args ...any) *Error {
	return NewError(http.StatusBadRequest, "BadRequestException", format, args...)
}

// NotFound is API Gateway's 404 NotFoundException.
func NotFound(format string, args ...any) *Error {
	return NewError(http.StatusNotFound, "NotFoundException", format, args...)
}

// Conflict is API Gateway's 409 ConflictException.
func Conflict(format string, args ...any) *Error {
	return NewError(http.StatusConflict, "ConflictException", format, args...)
}

// Validation is the 400 ValidationException of AWS's model validation.
func Validation(format string, args ...any) *Error {
	return NewError(http.StatusBadRequest, "ValidationException", format, args...)
}

// TooManyRequests is AWS's 429 for a spent quota.
func TooManyRequests() *Error {
	return NewError(http.StatusTooManyRequests, "TooManyRequestsException", "Too Many Requests")
}

// NotFoundAPI is API Gateway's answer for an unknown API id, REST or v2.
func NotFoundAPI(account, id string) *Error {
	return NotFound("Invalid API identifier specified %s:%s", account, id)
}

func unknownOperation(method, path string) *Error {
	return NewError(http.StatusNotFound, "UnknownOperationException", "No operation matches %s %s", method, path)
}

func unknownAdminEndpoint(method, path string) *Error {
	return NotFound("No emulator endpoint %s %s", method, path)
}

func bodyTooLarge() *Error {
	return BadRequest("Request body could not be read or is too large")
}

func injectedInternalError() *Error {
	return NewError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
}

func injectedUnavailable() *Error {
	return NewError(http.StatusServiceUnavailable, "ServiceUnavailableException", "Service Unavailable")
}

// asError keeps an *Error and turns anything else into a 500 with the code
// the protocol uses for it.
func asError(err error, protocol Protocol) *Error {
	var awsErr *Error
	if errors.As(err, &awsErr) {
		return awsErr
	}
	code := "InternalServerErrorException"
	if protocol == Query {
		code = "InternalFailure"
	}
	return NewError(http.StatusInternalServerError, code, "%s", err.Error())
}

// Message is an AWS error whose message is still to be formatted, so that a
// service can keep its errors as one table and its handlers only fill in
// the values.
type Message struct {
	status       int
	code, format string
}

// BadRequestMessage is the template of a BadRequest error: a 400
// BadRequestException.
func BadRequestMessage(format string) Message {
	return Message{http.StatusBadRequest, "BadRequestException", format}
}

// NotFoundMessage is the template of a NotFound error: a 404
// NotFoundException.
func NotFoundMessage(format string) Message {
	return Message{http.StatusNotFound, "NotFoundException", format}
}

// ConflictMessage is the template of a Conflict error: a 409
// ConflictException.
func ConflictMessage(format string) Message {
	return Message{http.StatusConflict, "ConflictException", format}
}

// With formats the message with args.
func (m Message) With(args ...any) *Error { return NewError(m.status, m.code, m.format, args...) }
