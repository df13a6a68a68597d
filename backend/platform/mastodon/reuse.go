package mastodon

import (
	"context"
	"fmt"
	"time"

	"pauta/backend"
)

// Images uploaded by an earlier attempt are reused by a retry (their ids
// stored by the outbox through req.OnUploaded), so an interrupted publish
// does not upload them again.

// reusable returns the id an earlier attempt got for m ("" = upload it).
func reusable(req backend.PublishRequest, m backend.MediaFile) string {
	key := m.UploadKey()
	for _, u := range req.Uploaded {
		if u.Key == key && u.ID != "" {
			return u.ID
		}
	}
	return ""
}

// reuses reports whether req would send media ids of an earlier attempt.
func reuses(req backend.PublishRequest) bool {
	for _, m := range req.Media {
		if reusable(req, m) != "" {
			return true
		}
	}
	return false
}

// mediaIDs uploads req's images that have no reusable id and hands the
// whole list to req.OnUploaded before anything else is sent.
func (c *Client) mediaIDs(ctx context.Context, req backend.PublishRequest) ([]string, error) {
	ids := make([]string, 0, len(req.Media))
	ups := make([]backend.MediaUpload, 0, len(req.Media))
	fresh := false
	for i, m := range req.Media {
		id := reusable(req, m)
		at := uploadedAt(req, id)
		if id == "" {
			var err error
			if id, err = c.UploadMedia(ctx, m); err != nil {
				return nil, fmt.Errorf("image %d: %w", i+1, err)
			}
			fresh = true
		}
		ids = append(ids, id)
		ups = append(ups, backend.MediaUpload{Key: m.UploadKey(), ID: id, At: at})
	}
	if fresh && req.OnUploaded != nil {
		if err := req.OnUploaded(ups); err != nil {
			return nil, fmt.Errorf("record uploaded images: %w", err)
		}
	}
	return ids, nil
}

// uploadedAt keeps the upload time of a reused id (zero for a new upload:
// the outbox dates it).
func uploadedAt(req backend.PublishRequest, id string) (at time.Time) {
	for _, u := range req.Uploaded {
		if id != "" && u.ID == id {
			return u.At
		}
	}
	return at
}

// staleMedia reports whether a refused status may be the instance refusing
// media ids reused from an earlier attempt (deleted since): then they are
// uploaded again, once.
func staleMedia(err error, req backend.PublishRequest) bool {
	e := backend.AsError(err)
	return e != nil && e.Code == backend.EInvalid && (e.Params["status"] == "422" || e.Params["status"] == "404") && reuses(req)
}
