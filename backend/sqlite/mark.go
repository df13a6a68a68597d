package sqlite

import (
	"database/sql"
	"encoding/json"

	"pauta/backend"
)

// Remote marks and media uploads (migration 0010): stored with the claim
// of a Mastodon call, read back to resolve an interrupted one.

// markFrom rebuilds a mark; a NULL time means none was taken.
func markFrom(id string, at sql.NullString) *backend.RemoteMark {
	t := nullableTime(at)
	if t == nil {
		return nil
	}
	return &backend.RemoteMark{LastID: id, ServerTime: *t}
}

func markID(m *backend.RemoteMark) string {
	if m == nil {
		return ""
	}
	return m.LastID
}

func markAt(m *backend.RemoteMark) any {
	if m == nil {
		return nil
	}
	return formatTime(m.ServerTime)
}

func uploadsArg(ups []backend.MediaUpload) string {
	if len(ups) == 0 {
		return ""
	}
	b, _ := json.Marshal(ups) // plain strings and times: cannot fail
	return string(b)
}
