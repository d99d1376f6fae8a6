package domain

import (
	"errors"
	"fmt"
)

// Code classifies an error so the server can map it to an HTTP status and
// a Swedish message without knowing where it came from.
type Code int

const (
	CodeInternal Code = iota
	CodeInvalid
	CodeNotFound
	CodeConflict
	CodeUnauthorized
	CodeForbidden
	CodeUnavailable // a source or the database did not answer
)

// Error is an error with a code and a message safe to show a user (in
// Swedish). The wrapped Err carries the details for the log.
type Error struct {
	Code    Code
	Message string // Swedish, shown to the user
	Err     error  // details, logged
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a coded error with a user message and wrapped details.
func Errorf(code Code, userMsg string, details error) *Error {
	return &Error{Code: code, Message: userMsg, Err: details}
}

// Invalid is shorthand for a CodeInvalid error whose message is also its
// detail.
func Invalid(format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// NotFound is shorthand for a CodeNotFound error.
func NotFound(format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflict is shorthand for a CodeConflict error.
func Conflict(format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode finds the code of the first coded error in err's chain;
// uncoded errors are internal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// UserMessage finds the Swedish message of the first coded error in err's
// chain, or fallback when there is none (internal errors never leak).
func UserMessage(err error, fallback string) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return fallback
}
