// Package backend holds Pauta's domain: clients, accounts, posts and their
// variants, the rules that keep them valid, and the interfaces that adapters
// (SQLite, keychain, networks) implement. It imports only the standard library.
package backend

import (
	"errors"
	"fmt"
	"time"
)

// Error codes the frontend understands. They are stable API: the UI picks a
// translated message by Key (falling back to Code), never by Message.
const (
	EInvalid     = "invalid"      // the user's input breaks a rule
	ENotFound    = "not_found"    // the thing asked for does not exist
	EConflict    = "conflict"     // the change clashes with existing data
	EInternal    = "internal"     // a bug or an unexpected failure
	EUnavailable = "unavailable"  // a needed service (disk, keychain, network) is not there
	ENewerSchema = "newer_schema" // the database was written by a newer Pauta
)

// Error is a domain error the user can act on. Key names the message in the
// i18n catalogues ("client.name_required"); Params fill its placeholders;
// Field points the UI to the input to highlight.
type Error struct {
	Code    string            `json:"code"`
	Key     string            `json:"key"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
	// RetryAfter is how long to wait before retrying (rate limits).
	RetryAfter time.Duration `json:"-"`
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error with an English message for logs and the CLI.
func Errorf(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Message: fmt.Sprintf(format, args...)}
}

// WithField returns e pointing at the named input field.
func (e *Error) WithField(field string) *Error { e.Field = field; return e }

// WithParam adds a placeholder value for the translated message.
func (e *Error) WithParam(k, v string) *Error {
	if e.Params == nil {
		e.Params = map[string]string{}
	}
	e.Params[k] = v
	return e
}

// ErrorCode returns the code of the first *Error in err's chain, or EInternal.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// AsError returns err as an *Error, wrapping unknown errors as internal ones
// so no raw Go error string is shown to the user as if it were a rule.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EInternal, Key: "internal", Message: err.Error()}
}
