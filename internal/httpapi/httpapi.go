// Package httpapi holds the conventions every JSON API of Antre shares (the hub's and its
// modules'): the request's language, the mapping of application error codes to HTTP statuses and
// the error body {"error":{"code","message"}}.
package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"antre"
)

// Lang is "en" when the request asks for English (?lang=en, or without a lang parameter an
// Accept-Language starting with en), "id" (Indonesian) otherwise.
func Lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		if l == "en" {
			return "en"
		}
		return "id"
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "en") {
		return "en"
	}
	return "id"
}

var statusOf = map[string]int{
	antre.EINVALID:        http.StatusBadRequest,
	antre.EUNAUTHORIZED:   http.StatusUnauthorized,
	antre.EFORBIDDEN:      http.StatusForbidden,
	antre.ENOTFOUND:       http.StatusNotFound,
	antre.ECONFLICT:       http.StatusConflict,
	antre.EQUOTAEXHAUSTED: http.StatusConflict,
	antre.EEMPTY:          http.StatusConflict,
	antre.ETOOLARGE:       http.StatusRequestEntityTooLarge,
	antre.ETOOMANY:        http.StatusTooManyRequests,
	antre.EMETHOD:         http.StatusMethodNotAllowed,
	antre.EINTERNAL:       http.StatusInternalServerError,
	antre.EUNAVAILABLE:    http.StatusServiceUnavailable,
}

// Status is the HTTP status of an application error code (500 for unknown codes).
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// WriteJSON writes v as the JSON body of a response with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// WriteError answers with err's status and {"error":{"code","message"}}: the message from the
// catalogue in the request's language; errors that are not application errors show only the
// generic internal message. Logging the cause is the caller's business.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	code := antre.ErrorCode(err)
	WriteJSON(w, Status(code), map[string]any{"error": map[string]string{"code": code, "message": antre.ErrorMessage(err, Lang(r))}})
}

// MaxBody bounds every JSON request body; larger ones are refused with too_large.
const MaxBody = 64 << 10

// Decode reads a JSON body into v: bounded by MaxBody, unknown fields and trailing data refused
// with an invalid error that names the problem; an empty body leaves v as it is.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return antre.Errorf(antre.ETOOLARGE, antre.MsgTooLarge, "body over %d bytes", MaxBody)
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "bad JSON: %v", err).WithArgs(jsonProblem(err))
	}
	if dec.More() {
		return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "trailing data after JSON").WithArgs("JSON")
	}
	return nil
}

// jsonProblem names what was wrong with a JSON body in words a user can act on.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + te.Field
	}
	if s := err.Error(); strings.HasPrefix(s, "json: unknown field ") {
		return "field " + strings.TrimPrefix(s, "json: unknown field ")
	}
	return "JSON"
}

// LogRefusal logs why a request was refused, at a level that keeps logs useful under a crowd:
// internal errors as errors; refusals that may be an attack or a misconfigured device
// (unauthorized, forbidden, too many requests) as warnings; routine refusals (bad input, not
// found, conflicts, quota used up) at debug level only.
func LogRefusal(log *slog.Logger, r *http.Request, err error) {
	switch code := antre.ErrorCode(err); code {
	case antre.EINTERNAL, antre.EUNAVAILABLE:
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case antre.EUNAUTHORIZED, antre.EFORBIDDEN, antre.ETOOMANY:
		log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "code", code, "cause", err.Error())
	default:
		log.Debug("request refused", "method", r.Method, "path", r.URL.Path, "code", code, "cause", err.Error())
	}
}
