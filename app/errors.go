package app

import (
	"encoding/json"

	"pauta/backend"
)

// FormatError turns any error from a bound method into what the frontend's
// promise rejects with: the JSON text of {code, key, message, field, params}.
// Wails calls it through options.App.ErrorFormatter. It returns text, not an
// object, because the Wails 2.16 runtime wraps the value in `new Error(x)`,
// which would turn an object into "[object Object]"; lib/api parses it back.
func FormatError(err error) any {
	e := backend.AsError(err)
	if e == nil {
		return nil
	}
	b, mErr := json.Marshal(e)
	if mErr != nil {
		return `{"code":"internal","key":"internal","message":"unreadable error"}`
	}
	return string(b)
}
