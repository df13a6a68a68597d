package edit

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"pauta/backend"
)

// Check reports what the kit cannot draw before anything is rendered: an
// unknown font or logo, and characters the chosen font has no glyph for
// (emoji, other scripts), so the editor can say so instead of drawing boxes.
func Check(r Recipe, kit Kit) error {
	for i, t := range r.Texts {
		f, err := kit.Font(t.Font)
		if err != nil {
			return withField(err, fieldIndex("texts", i, "font"))
		}
		if miss := Missing(f, t.Text); len(miss) > 0 {
			return backend.Errorf(backend.EInvalid, "edit.glyphs_missing", "the font cannot draw %s; remove them or choose another font", string(miss)).
				WithParam("chars", string(miss)).WithField(fieldIndex("texts", i, "text"))
		}
	}
	if r.Logo != nil {
		if _, err := kit.Logo(r.Logo.ID); err != nil {
			return withField(err, "logo.id")
		}
	}
	return nil
}

func fieldIndex(list string, i int, field string) string {
	return list + "." + strconv.Itoa(i) + "." + field
}

// Missing returns the characters of text that f has no glyph for, each once,
// in order of appearance. Spaces and line breaks need none.
func Missing(f *opentype.Font, text string) []rune {
	var buf sfnt.Buffer
	var miss []rune
	seen := map[rune]bool{}
	for _, r := range text {
		if unicode.IsSpace(r) || seen[r] {
			continue
		}
		seen[r] = true
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			miss = append(miss, r)
		}
	}
	return miss
}

// drawText draws one text block: wrapped to its width, aligned, centred
// on (X, Y) and kept inside the image, over an optional box or shadow.
func drawText(img *image.NRGBA, t Text, kit Kit) error {
	f, err := kit.Font(t.Font)
	if err != nil {
		return err
	}
	b := img.Bounds()
	lineH := math.Max(4, t.Size*float64(b.Dy()))
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: lineH / 1.2, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return backend.Errorf(backend.EInternal, "edit.font_face", "cannot use the font: %v", err)
	}
	defer face.Close()
	maxW := t.MaxWidth
	if maxW == 0 {
		maxW = 0.9
	}
	lines := wrap(face, t.Text, int(maxW*float64(b.Dx())))
	if len(lines) == 0 {
		return nil
	}
	widths := make([]int, len(lines))
	blockW := 0
	for i, l := range lines {
		widths[i] = font.MeasureString(face, l).Ceil()
		blockW = max(blockW, widths[i])
	}
	blockH := int(math.Round(lineH * float64(len(lines))))
	pad := int(math.Round(lineH * 0.3))
	// Centre on (X, Y), then slide inside the image (padding included).
	x0 := int(math.Round(t.X*float64(b.Dx()))) - blockW/2
	y0 := int(math.Round(t.Y*float64(b.Dy()))) - blockH/2
	x0 = max(pad, min(x0, b.Dx()-blockW-pad))
	y0 = max(pad, min(y0, b.Dy()-blockH-pad))
	x0, y0 = x0+b.Min.X, y0+b.Min.Y
	if t.Box != "" {
		bc, _ := ParseColor(t.Box)
		a := t.BoxAlpha
		if a == 0 {
			a = 0.6
		}
		box := image.Rect(x0-pad, y0-pad, x0+blockW+pad, y0+blockH+pad)
		draw.DrawMask(img, box, image.NewUniform(bc), image.Point{}, image.NewUniform(color.Alpha{uint8(math.Round(a * 255))}), image.Point{}, draw.Over)
	}
	col, _ := ParseColor(t.Color)
	ascent := face.Metrics().Ascent.Ceil()
	baseline := func(i int) int {
		return y0 + int(math.Round(lineH*float64(i)+(lineH-float64(face.Metrics().Height.Ceil()))/2)) + ascent
	}
	left := func(i int) int {
		switch t.Align {
		case "left":
			return x0
		case "right":
			return x0 + blockW - widths[i]
		default:
			return x0 + (blockW-widths[i])/2
		}
	}
	if t.Shadow {
		off := max(1, int(math.Round(lineH/24)))
		shadow := image.NewUniform(color.NRGBA{0, 0, 0, 140})
		for i, l := range lines {
			d := font.Drawer{Dst: img, Src: shadow, Face: face, Dot: fixed.P(left(i)+off, baseline(i)+off)}
			d.DrawString(l)
		}
	}
	src := image.NewUniform(col)
	for i, l := range lines {
		d := font.Drawer{Dst: img, Src: src, Face: face, Dot: fixed.P(left(i), baseline(i))}
		d.DrawString(l)
	}
	return nil
}

// wrap breaks text into lines no wider than width: at the user's line
// breaks, then between words; a word wider than the line is cut by runes.
func wrap(face font.Face, text string, width int) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			if len(out) > 0 {
				out = append(out, "")
			}
			continue
		}
		line := ""
		for _, w := range words {
			try := w
			if line != "" {
				try = line + " " + w
			}
			if font.MeasureString(face, try).Ceil() <= width || line == "" && fits(face, w, width) {
				line = try
				continue
			}
			if line != "" {
				out = append(out, line)
				line = ""
			}
			for !fits(face, w, width) {
				cut := cutToWidth(face, w, width)
				out = append(out, w[:cut])
				w = w[cut:]
			}
			line = w
		}
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func fits(face font.Face, s string, width int) bool {
	return font.MeasureString(face, s).Ceil() <= width
}

// cutToWidth is the byte length of the longest rune prefix of s that fits
// (at least one rune, so wrapping always moves on).
func cutToWidth(face font.Face, s string, width int) int {
	cut := 0
	for i, r := range s {
		end := i + len(string(r))
		if cut > 0 && !fits(face, s[:end], width) {
			break
		}
		cut = end
	}
	return cut
}
