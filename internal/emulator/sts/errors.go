package sts

import (
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// STS's refusals of AssumeRole input, in STS's words.

func validationError(format string, args ...any) *core.Error {
	return core.NewError(http.StatusBadRequest, "ValidationError", format, args...)
}

func roleArnTooShort(roleArn string) *core.Error {
	return validationError("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20", roleArn)
}

func invalidRoleArn() *core.Error { return validationError("Request ARN is invalid") }

func invalidSessionName(session string) *core.Error {
	return validationError(`1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`, session)
}

func invalidExternalID(externalID string) *core.Error {
	return validationError(`1 validation error detected: Value '%s' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@:\/-]*`, externalID)
}

func durationTooShort(raw string) *core.Error {
	return validationError("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", raw)
}
