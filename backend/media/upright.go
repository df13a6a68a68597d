package media

import (
	"context"
	"image"
)

// Upright decodes data once, upright, and lends the pixels to use while
// they are counted in the memory budget (they are garbage after use
// returns). With maxSide > 0 a JPEG is shrunk on load to no less than 1.5×
// maxSide on its longer side (the editor's preview); with 0 it is decoded
// at full size (the edited file presets are made from). extra is what use
// allocates beyond the decoded image, as a multiple of its bytes (the
// editor makes about three working copies).
func (p *Processor) Upright(ctx context.Context, name string, data []byte, maxSide int, extra float64, use func(img *image.NRGBA, info Info) error) error {
	info, err := inspect(name, data, p.limits)
	if err != nil {
		return err
	}
	factor := 1
	if maxSide > 0 && p.shrinkOnLoad && info.Format == JPEG {
		factor = shrinkFactor(float64(max(info.Width, info.Height)) / float64(maxSide))
	}
	costAt := func(f int) int64 {
		w, h := shrunkSize(info.Width, info.Height, f)
		return int64(peakCost(info, f, extra*4*float64(w)*float64(h)))
	}
	cost := costAt(factor)
	for cost > p.limits.MaxDecodeBytes && maxSide > 0 && info.Format == JPEG && factor < maxFactor {
		factor++
		cost = costAt(factor)
	}
	if cost > p.limits.MaxDecodeBytes {
		return tooLargeToDecode(name, info, cost, p.limits.MaxDecodeBytes)
	}
	if err := p.budget.acquire(ctx, cost); err != nil {
		return err
	}
	defer p.budget.release(cost)
	if p.onDecode != nil {
		p.onDecode(info.Format, factor)
	}
	img, err := decode(name, data, info, factor)
	if err != nil {
		return err
	}
	collectPlanes(info)
	return use(img, info)
}
