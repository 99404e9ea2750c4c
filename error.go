package antre

import (
	"errors"
	"fmt"
)

// Application error codes. Each maps to one HTTP status in the hub; the user sees the code and a
// message from the catalogue (Indonesian by default), the log sees the English cause.
const (
	EINVALID        = "invalid"            // 400: the request is malformed or breaks a rule
	EUNAUTHORIZED   = "unauthorized"       // 401: no or bad log-in / device token
	EFORBIDDEN      = "forbidden"          // 403: the role may not do this
	ENOTFOUND       = "not_found"          // 404
	ECONFLICT       = "conflict"           // 409: the state does not allow it
	EQUOTAEXHAUSTED = "quota_exhausted"    // 409: the pool has no number left today
	EEMPTY          = "queue_empty"        // 409: nothing waits for this counter
	ETOOLARGE       = "too_large"          // 413
	ETOOMANY        = "too_many_requests"  // 429: slowed down after failed log-ins
	EMETHOD         = "method_not_allowed" // 405: the address exists for other methods
	EINTERNAL       = "internal"           // 500
	EUNAVAILABLE    = "unavailable"        // 503: the store cannot take changes now
)

// Error is an application error: a code from the list above, a catalogue message for the user
// and an English cause for the log.
type Error struct {
	Code  string
	Msg   MsgKey
	Args  []any
	Cause string
}

// Error returns the English cause, for logs.
func (e *Error) Error() string {
	if e.Cause != "" {
		return e.Cause
	}
	return e.Message("en")
}

// Message returns the user-facing message in lang ("en" or Indonesian by default).
func (e *Error) Message(lang string) string {
	return T(lang, e.Msg, e.Args...)
}

// Errorf returns an *Error with code, catalogue message msg and an English cause formatted from
// cause and args. A catalogue entry that takes arguments gets them through WithArgs.
func Errorf(code string, msg MsgKey, cause string, args ...any) *Error {
	return &Error{Code: code, Msg: msg, Cause: fmt.Sprintf(cause, args...)}
}

// WithArgs returns a copy of e whose user message is formatted with args.
func (e *Error) WithArgs(args ...any) *Error {
	c := *e
	c.Args = args
	return &c
}

// ErrorCode returns the application code of err, or EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user message of err in lang; errors that are not application errors
// get the generic internal message, so no internal detail reaches a user.
func ErrorMessage(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message(lang)
	}
	return T(lang, MsgInternal)
}
