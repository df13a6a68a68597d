package app

import (
	"context"
	"os"
	"path/filepath"

	"pauta/backend"
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

// MediaReader finds a library image's record.
type MediaReader interface {
	GetMedia(ctx context.Context, id int64) (*backend.Media, error)
}

// ReportThumbsReadOnly renders the PDF's thumbnails outside the app (the
// command line, on a read-only store): straight from the library's files,
// nothing written to the render cache. close ends the media processor.
func ReportThumbsReadOnly(ctx context.Context, store MediaReader, dataDir string) (thumb func(int64) ([]byte, bool), close func()) {
	proc := media.New(media.WithDecoderCacheDir(filepath.Join(dataDir, "cache", "decoders")))
	dir := filepath.Join(dataDir, "media")
	return func(id int64) ([]byte, bool) {
		m, err := store.GetMedia(ctx, id)
		if err != nil || m == nil {
			return nil, false
		}
		ext := media.Format(m.Format).Ext()
		if !backend.ValidHash(m.Hash) || ext == "" {
			return nil, false
		}
		path := filepath.Join(dir, m.Hash[:2], m.Hash+ext)
		data, err := proc.ReadFileContext(ctx, path)
		if err != nil {
			return nil, false
		}
		focal := media.FocalPoint{X: m.FocalX, Y: m.FocalY}.Normalize()
		res, err := proc.Render(ctx, path, data, []media.Request{{Preset: reportThumbPreset, Focal: focal}})
		if err != nil || len(res.Outputs) != 1 || res.Outputs[0].Format != media.JPEG {
			return nil, false
		}
		return res.Outputs[0].Data, len(res.Outputs[0].Data) > 0
	}, proc.Close
}
