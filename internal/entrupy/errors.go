package entrupy

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// APIError is a non-2xx answer from the Entrupy API. It carries the HTTP
// response (its body already read and closed), the contract's error fields
// and the request that failed. It never holds the API token.
type APIError struct {
	// Response is the HTTP response; its Body has been consumed.
	Response *http.Response
	// StatusCode is the HTTP status, e.g. 404.
	StatusCode int
	// Code is the contract's snake_case code, e.g. "not_found"; empty when
	// the body was not the contract's JSON (a proxy's page, say).
	Code string
	// Message is the API's human message, or a short excerpt of a non-JSON body.
	Message string
	// Field names the request attribute at fault, when the API said so.
	Field string
	// Method and Path identify the request, e.g. "GET" "/v2/webhooks/wh_1".
	Method string
	Path   string
	// RetryAfter is the Retry-After header of a 429 or 503, zero when absent.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " [field %s]", e.Field)
	}
	return b.String()
}

// maxErrorExcerpt bounds how much of a non-JSON error body is kept.
const maxErrorExcerpt = 200

// newAPIError builds an APIError from a response and its (already read) body.
// A body that is empty or not the contract's JSON still gives a useful error.
func newAPIError(resp *http.Response, body []byte, method, path string) *APIError {
	e := &APIError{Response: resp, StatusCode: resp.StatusCode, Method: method, Path: path}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil && (eb.Error != "" || eb.Code != "") {
		e.Code, e.Message, e.Field = eb.Code, eb.Error, eb.Field
	} else if text := strings.TrimSpace(string(body)); text != "" {
		if len(text) > maxErrorExcerpt {
			text = text[:maxErrorExcerpt] + "…"
		}
		e.Message = text
	}
	if d, ok := parseRetryAfter(resp.Header.Get(HeaderRetryAfter)); ok {
		e.RetryAfter = d
	}
	return e
}

func statusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is a 404 from the API.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsConflict reports whether err is a 409 from the API.
func IsConflict(err error) bool { return statusOf(err) == http.StatusConflict }

// IsUnauthorized reports whether err is a 401: the token was rejected.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// IsImmutableField reports whether err is a 422 immutable_field.
func IsImmutableField(err error) bool { return statusOf(err) == http.StatusUnprocessableEntity }

// IsRateLimited reports whether err is a 429 that retries did not get past.
func IsRateLimited(err error) bool { return statusOf(err) == http.StatusTooManyRequests }

// IsInvalidRequest reports whether err is a 400.
func IsInvalidRequest(err error) bool { return statusOf(err) == http.StatusBadRequest }

// AsAPIError returns the APIError inside err, if any.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// NoAnswerError is a request that got no HTTP answer: the connection could
// not be made, was reset or timed out, or the body did not arrive.
type NoAnswerError struct {
	Method, Path string
	Err          error
}

func (e *NoAnswerError) Error() string { return e.Method + " " + e.Path + ": " + e.Err.Error() }

func (e *NoAnswerError) Unwrap() error { return e.Err }

// IsNoAnswer reports whether err is a request that got no HTTP answer.
func IsNoAnswer(err error) bool {
	var e *NoAnswerError
	return errors.As(err, &e)
}

// notSent reports whether err proves the request never reached the API: the
// connection to it could not be made.
func notSent(err error) bool {
	var e *NoAnswerError
	var op *net.OpError
	return errors.As(err, &e) && errors.As(e.Err, &op) && op.Op == "dial"
}
