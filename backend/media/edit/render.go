package edit

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/disintegration/imaging"
)

// Render applies recipe r to src with the fonts and logos of kit. With
// maxSide > 0 the result's longer side is at most maxSide (the editor's
// preview); with 0 it keeps the source's resolution (the presets). Overlays
// are placed in fractions of the result, so both look the same. src is
// upright (orientation already applied) and never modified.
func Render(src image.Image, r Recipe, kit Kit, maxSide int) (*image.NRGBA, error) {
	r = Upgrade(r)
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := Check(r, kit); err != nil {
		return nil, err
	}
	img := base(src, r, maxSide)
	img = geometry(img, r)
	if maxSide > 0 {
		if b := img.Bounds(); max(b.Dx(), b.Dy()) > maxSide {
			img = imaging.Fit(img, maxSide, maxSide, imaging.CatmullRom)
		}
	}
	img = adjust(img, r)
	for _, t := range r.Texts {
		if err := drawText(img, t, kit); err != nil {
			return nil, err
		}
	}
	if r.Logo != nil {
		if err := drawLogo(img, *r.Logo, kit); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// base is the image the geometry starts from: the canvas of a template
// graphic, or the source — shrunk first when the preview is far smaller
// than the part of it the crop keeps, so a 24 MP photo previews quickly.
func base(src image.Image, r Recipe, maxSide int) *image.NRGBA {
	if c := r.Canvas; c != nil {
		w, h := c.Width, c.Height
		if maxSide > 0 && max(w, h) > maxSide {
			s := float64(maxSide) / float64(max(w, h))
			w, h = max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
		}
		col, _ := ParseColor(c.Color)
		return imaging.New(w, h, col)
	}
	b := src.Bounds()
	if maxSide > 0 {
		keep := 1.0
		if r.Crop != nil {
			keep = math.Max(r.Crop.W, r.Crop.H)
		}
		// The straighten crop keeps at most the whole image; the margin of
		// 1.25 keeps the final resize a real downscale.
		need := float64(maxSide) * 1.25 / keep
		if long := float64(max(b.Dx(), b.Dy())); long > need {
			s := need / long
			return imaging.Resize(src, max(1, int(float64(b.Dx())*s)), max(1, int(float64(b.Dy())*s)), imaging.Box)
		}
	}
	return imaging.Clone(src)
}

// geometry turns, mirrors, straightens and crops.
func geometry(img *image.NRGBA, r Recipe) *image.NRGBA {
	if r.Canvas != nil {
		return img // a canvas has no photo to turn
	}
	switch r.Rotate { // imaging turns counter-clockwise
	case 90:
		img = imaging.Rotate270(img)
	case 180:
		img = imaging.Rotate180(img)
	case 270:
		img = imaging.Rotate90(img)
	}
	if r.FlipH {
		img = imaging.FlipH(img)
	}
	if r.FlipV {
		img = imaging.FlipV(img)
	}
	if r.Straighten != 0 {
		img = straighten(img, r.Straighten)
	}
	if c := r.Crop; c != nil {
		b := img.Bounds()
		x0 := int(math.Round(c.X * float64(b.Dx())))
		y0 := int(math.Round(c.Y * float64(b.Dy())))
		x1 := min(b.Dx(), max(x0+1, int(math.Round((c.X+c.W)*float64(b.Dx())))))
		y1 := min(b.Dy(), max(y0+1, int(math.Round((c.Y+c.H)*float64(b.Dy())))))
		img = imaging.Crop(img, image.Rect(x0, y0, x1, y1))
	}
	return img
}

// straighten turns the image by deg clockwise and keeps the largest
// centred rectangle of the same proportions that holds no empty corner.
func straighten(img *image.NRGBA, deg float64) *image.NRGBA {
	w, h := float64(img.Bounds().Dx()), float64(img.Bounds().Dy())
	rad := math.Abs(deg) * math.Pi / 180
	cos, sin := math.Cos(rad), math.Sin(rad)
	s := math.Min(w/(w*cos+h*sin), h/(w*sin+h*cos))
	rot := imaging.Rotate(img, -deg, color.NRGBA{})
	cw, ch := max(1, int(math.Floor(w*s))), max(1, int(math.Floor(h*s)))
	return imaging.CropCenter(rot, cw, ch)
}

// adjust applies brightness, contrast, saturation and warmth.
func adjust(img *image.NRGBA, r Recipe) *image.NRGBA {
	if r.Brightness != 0 {
		img = imaging.AdjustBrightness(img, r.Brightness)
	}
	if r.Contrast != 0 {
		img = imaging.AdjustContrast(img, r.Contrast)
	}
	if r.Saturation != 0 {
		img = imaging.AdjustSaturation(img, r.Saturation)
	}
	if r.Warmth != 0 {
		// Warmer: more red, less blue (and the reverse), up to ±20 % at
		// ±100, on a lookup table so every pixel costs two reads.
		var red, blue [256]uint8
		k := r.Warmth / 100 * 0.2
		for i := range 256 {
			red[i] = clamp8(float64(i) * (1 + k))
			blue[i] = clamp8(float64(i) * (1 - k))
		}
		img = imaging.AdjustFunc(img, func(c color.NRGBA) color.NRGBA {
			c.R, c.B = red[c.R], blue[c.B]
			return c
		})
	}
	return img
}

func clamp8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}

// drawLogo puts the kit's logo in a corner, scaled to the recipe's size.
func drawLogo(img *image.NRGBA, l Logo, kit Kit) error {
	logo, err := kit.Logo(l.ID)
	if err != nil {
		return err
	}
	b := img.Bounds()
	lb := logo.Bounds()
	if lb.Empty() {
		return nil
	}
	w := max(1, int(math.Round(l.Size*float64(b.Dx()))))
	h := max(1, int(math.Round(float64(w)*float64(lb.Dy())/float64(lb.Dx()))))
	scaled := imaging.Resize(logo, w, h, imaging.CatmullRom)
	m := int(math.Round(l.Margin * float64(min(b.Dx(), b.Dy()))))
	x, y := b.Min.X+m, b.Min.Y+m
	if l.Corner == "tr" || l.Corner == "br" {
		x = b.Max.X - m - w
	}
	if l.Corner == "bl" || l.Corner == "br" {
		y = b.Max.Y - m - h
	}
	mask := image.NewUniform(color.Alpha{uint8(math.Round(l.Opacity * 255))})
	draw.DrawMask(img, image.Rect(x, y, x+w, y+h), scaled, image.Point{}, mask, image.Point{}, draw.Over)
	return nil
}
