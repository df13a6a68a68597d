package app

import (
	"context"
	"os"

	"pauta/backend/media"
)

// reportThumbPreset is a top post's thumbnail in the report's PDF: a small
// square JPEG cropped around the image's focal point (about 11 mm printed).
var reportThumbPreset = media.Preset{ID: "pauta.report-thumb", Width: 120, Height: 120, MaxBytes: 60_000, Formats: []media.Format{media.JPEG}}

// reportThumbs renders library images for the PDF with the media library's
// own code (cached like every preset). An image whose file is missing, or
// that cannot be rendered, gets no thumbnail: the report still goes out.
func (a *App) reportThumbs(ctx context.Context) func(int64) ([]byte, bool) {
	if a.Media == nil {
		return nil
	}
	return func(id int64) ([]byte, bool) {
		m, err := a.store.GetMedia(ctx, id)
		if err != nil || m == nil {
			return nil, false
		}
		focal := media.FocalPoint{X: m.FocalX, Y: m.FocalY}.Normalize()
		out, err := a.Media.renderOne(ctx, *m, reportThumbPreset, focal)
		if err != nil || out.Format != media.JPEG {
			return nil, false
		}
		b, err := os.ReadFile(out.Path)
		return b, err == nil
	}
}
