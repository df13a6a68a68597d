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

// mediaIDs uploads req's images that have no reusable id. After each
// upload req.OnUploaded gets every id known so far, so an attempt that
// fails halfway keeps what it uploaded.
func (c *Client) mediaIDs(ctx context.Context, req backend.PublishRequest) ([]string, error) {
	ups := make([]backend.MediaUpload, len(req.Media))
	for i, m := range req.Media {
		ups[i] = backend.MediaUpload{Key: m.UploadKey(), ID: reusable(req, m)}
		ups[i].At = uploadedAt(req, ups[i].ID)
	}
	ids := make([]string, len(req.Media))
	for i, m := range req.Media {
		if ups[i].ID == "" {
			id, err := c.UploadMedia(ctx, m)
			if err != nil {
				return nil, fmt.Errorf("image %d: %w", i+1, err)
			}
			ups[i].ID = id
			if req.OnUploaded != nil {
				if err := req.OnUploaded(known(ups)); err != nil {
					return nil, fmt.Errorf("record uploaded images: %w", err)
				}
			}
		}
		ids[i] = ups[i].ID
	}
	return ids, nil
}

// known is the uploads that have an id.
func known(ups []backend.MediaUpload) []backend.MediaUpload {
	out := make([]backend.MediaUpload, 0, len(ups))
	for _, u := range ups {
		if u.ID != "" {
			out = append(out, u)
		}
	}
	return out
}

// uploadedAt keeps the upload time of a reused id (zero for a new upload:
// the outbox dates it).
func uploadedAt(req backend.PublishRequest, id string) time.Time {
	for _, u := range req.Uploaded {
		if id != "" && u.ID == id {
			return u.At
		}
	}
	return time.Time{}
}

// staleMedia reports whether a refused status may be the instance refusing
// media ids reused from an earlier attempt (deleted since): then they are
// uploaded again, once.
func staleMedia(err error, req backend.PublishRequest) bool {
	e := backend.AsError(err)
	return e != nil && e.Code == backend.EInvalid && (e.Params["status"] == "422" || e.Params["status"] == "404") && reuses(req)
}
