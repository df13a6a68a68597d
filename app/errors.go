package app

import "pauta/backend"

// FormatError turns any error from a bound method into the object the
// frontend's promise rejects with: {code, key, message, field, params}.
// Wails calls it through options.App.ErrorFormatter.
func FormatError(err error) any {
	e := backend.AsError(err)
	if e == nil {
		return nil
	}
	return e
}
