// Package media turns a client's photo into the files each network wants:
// safe decoding (limits checked from the header first), EXIF orientation,
// per-network presets cropped around a focal point, metadata stripped, a disk
// cache keyed by content, and a bounded worker pool for batches.
//
// All presets of one image come from one decode. A large JPEG is decoded by
// image/jpeg and shrunk on load by an integer factor straight from its
// planes (shrink.go) when every requested preset still gets at least its own
// size from that; the resize to each preset is imaging's. HEIC/HEIF and AVIF
// are decoded by libheif and libavif compiled to WebAssembly, in a child
// process (decoderproc.go) that also shrinks them on load; their header is
// read by Pauta itself first (heif_box.go).
//
// Memory is budgeted from the header too (budget.go): what a decode and its
// resizes hold is estimated before decoding, an image that cannot fit is
// refused, and decodes in flight share one budget, waiting for each other.
package media

import (
	"context"
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"
	"time"
)

// Processor renders presets. It holds no global state; make one per app.
// Its methods are safe for concurrent use.
type Processor struct {
	limits        Limits
	cache         *diskCache
	workers       int
	presetWorkers int
	shrinkOnLoad  bool
	onDecode      func(f Format, scale int)
	budget        *memBudget   // decode bytes, across every render in flight
	dec           *decoderProc // HEIC and AVIF, in a child process
}

// Option configures a Processor.
type Option func(*Processor)

// WithLimits sets the decoding limits; a zero field keeps its default.
func WithLimits(l Limits) Option {
	return func(p *Processor) {
		if l.MaxBytes > 0 {
			p.limits.MaxBytes = l.MaxBytes
		}
		if l.MaxPixels > 0 {
			p.limits.MaxPixels = l.MaxPixels
		}
		if l.MaxDecodeBytes > 0 {
			p.limits.MaxDecodeBytes = l.MaxDecodeBytes
		}
	}
}

// WithCacheDir keeps rendered presets in dir (created when needed) and
// reuses them while the content, preset, focal point and EncoderVersion are
// unchanged. Without it outputs are returned in Output.Data.
func WithCacheDir(dir string) Option {
	return func(p *Processor) {
		if dir != "" {
			p.cache = &diskCache{dir: dir}
		}
	}
}

// WithWorkers sets how many images a Batch works on at once
// (default runtime.NumCPU()).
func WithWorkers(n int) Option {
	return func(p *Processor) {
		if n > 0 {
			p.workers = n
		}
	}
}

// WithPresetWorkers sets how many presets of one image render at once
// (default 2: imaging already spreads each resize over all CPUs; two presets
// in flight keep the CPUs busy while one encodes).
func WithPresetWorkers(n int) Option {
	return func(p *Processor) {
		if n > 0 {
			p.presetWorkers = n
		}
	}
}

// WithDecodeHook calls fn before every full decode, with the source format
// and the decode's reduction (1, 2, 4 or 8). For tests and metrics.
func WithDecodeHook(fn func(f Format, scale int)) Option {
	return func(p *Processor) { p.onDecode = fn }
}

// DefaultDecodeTimeout bounds one HEIC or AVIF decode of up to 12
// megapixels (and as much again for each 12 more): such a photo takes
// about 3 s of CPU; a malformed file looping in the decoder is stopped.
const DefaultDecodeTimeout = 60 * time.Second

// WithDecoderCacheDir keeps the compiled HEIC/AVIF decoders in dir, so a
// new decoder process (after a restart of the app, or one that was
// stopped) starts them at once instead of compiling them again.
func WithDecoderCacheDir(dir string) Option {
	return func(p *Processor) { p.dec.cacheDir = dir }
}

// WithDecodeTimeout sets how long one HEIC or AVIF decode of up to 12
// megapixels may run.
func WithDecodeTimeout(d time.Duration) Option {
	return func(p *Processor) {
		if d > 0 {
			p.dec.timeout = d
		}
	}
}

// New returns a Processor with default limits, NumCPU batch workers and no cache.
func New(opts ...Option) *Processor {
	p := &Processor{limits: DefaultLimits(), workers: runtime.NumCPU(), presetWorkers: 2, shrinkOnLoad: true,
		dec: newDecoderProc(DefaultDecodeTimeout)}
	for _, o := range opts {
		o(p)
	}
	p.budget = newMemBudget(p.limits.MaxDecodeBytes)
	return p
}

// Warm starts the HEIC/AVIF decoder process and compiles the HEIC decoder
// in it (about half a second), so the first photo does not wait for it.
// Call it off the UI's goroutine.
func (p *Processor) Warm(ctx context.Context) error {
	return p.dec.warm(ctx, HEIC)
}

// Close ends the HEIC/AVIF decoder process, if one runs. The Processor
// stays usable: a later decode starts another.
func (p *Processor) Close() { p.dec.Close() }

// Limits returns the decoding limits in force.
func (p *Processor) Limits() Limits { return p.limits }

// Request asks for one preset with a focal point. Use Centre() when the user
// has not chosen one: the zero FocalPoint is the top-left corner.
type Request struct {
	Preset Preset     `json:"preset"`
	Focal  FocalPoint `json:"focal"`
}

// Result is what Render made of one image.
type Result struct {
	Info    Info     `json:"info"`
	Outputs []Output `json:"outputs"` // one per request, in order
	Notes   []string `json:"notes"`   // i18n keys (Note…)
}

// Inspect checks data without decoding it: size, real type against the name's
// extension ("" skips that check), header, pixel count.
func (p *Processor) Inspect(name string, data []byte) (Info, error) {
	return inspect(name, data, p.limits)
}

// RenderFile is Render on a file; the file name is checked against its content.
func (p *Processor) RenderFile(ctx context.Context, path string, reqs []Request) (Result, error) {
	data, err := p.ReadFileContext(ctx, path)
	if err != nil {
		return Result{}, err
	}
	return p.Render(ctx, path, data, reqs)
}

// Render makes every requested preset from data with at most one decode;
// cached presets are not rendered again. name ("" for none) is used to catch
// a lying extension and in messages.
func (p *Processor) Render(ctx context.Context, name string, data []byte, reqs []Request) (Result, error) {
	info, err := inspect(name, data, p.limits)
	if err != nil {
		return Result{}, err
	}
	res := Result{Info: info, Outputs: make([]Output, len(reqs))}
	var pending []int
	for i := range reqs {
		if err := reqs[i].Preset.Validate(); err != nil {
			return Result{}, err
		}
		reqs[i].Focal = reqs[i].Focal.Normalize()
		if p.cache != nil {
			if out, ok := p.cache.lookup(info, reqs[i]); ok {
				res.Outputs[i] = out
				continue
			}
		}
		pending = append(pending, i)
	}
	if len(pending) > 0 {
		if err := p.renderPending(ctx, name, data, info, reqs, pending, res.Outputs); err != nil {
			return Result{}, err
		}
	}
	res.Notes = notes(res)
	return res, nil
}

// Cached returns the cached output of r for an image already in the
// library, from what the library recorded at import (its content hash and
// upright size) without reading or hashing the file again; false when it
// was not rendered yet (then Render it).
func (p *Processor) Cached(hash string, width, height int, r Request) (Output, bool) {
	if p.cache == nil || hash == "" || r.Preset.Validate() != nil {
		return Output{}, false
	}
	r.Focal = r.Focal.Normalize()
	return p.cache.lookup(Info{Hash: hash, Width: width, Height: height}, r)
}

func notes(res Result) []string {
	var n []string
	if res.Info.Animated {
		n = append(n, NoteGIFFirstFrame)
	}
	var up, flat bool
	for _, o := range res.Outputs {
		up = up || o.Upscaled
		flat = flat || o.Flattened
	}
	if up {
		n = append(n, NoteUpscaled)
	}
	if flat {
		n = append(n, NoteFlattened)
	}
	return n
}

// decodeFactor is the JPEG shrink-on-load factor for the pending presets
// (shrinkFactor), from the preset whose crop has the least to spare.
func (p *Processor) decodeFactor(info Info, reqs []Request, pending []int) int {
	if !p.shrinkOnLoad || !shrinksOnLoad(info.Format) {
		return 1
	}
	need := math.Inf(1)
	for _, i := range pending {
		need = min(need, neededScale(info.Width, info.Height, reqs[i].Preset))
	}
	return shrinkFactor(need)
}

func (p *Processor) renderPending(ctx context.Context, name string, data []byte, info Info, reqs []Request, pending []int, outs []Output) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	factor := p.decodeFactor(info, reqs, pending)
	workers := min(p.presetWorkers, len(pending))
	cost := decodeCost(info, factor, workers, reqs, pending)
	if cost > p.limits.MaxDecodeBytes {
		workers = 1 // one resize buffer at a time
		cost = decodeCost(info, factor, workers, reqs, pending)
	}
	for cost > p.limits.MaxDecodeBytes && shrinksOnLoad(info.Format) && factor < maxFactor {
		factor++ // shrink more rather than not at all
		cost = decodeCost(info, factor, workers, reqs, pending)
	}
	if cost > p.limits.MaxDecodeBytes {
		return tooLargeToDecode(name, info, cost, p.limits.MaxDecodeBytes)
	}
	if err := p.budget.acquire(ctx, cost); err != nil {
		return err
	}
	// Released once renderDecoded returned: its pixels are garbage by then.
	defer p.budget.release(cost)
	return p.renderDecoded(ctx, name, data, info, reqs, pending, outs, factor, workers)
}

// renderDecoded decodes data once, shrunk by factor, and renders the pending presets from it.
func (p *Processor) renderDecoded(ctx context.Context, name string, data []byte, info Info, reqs []Request, pending []int, outs []Output, factor, workers int) error {
	if p.onDecode != nil {
		p.onDecode(info.Format, factor)
	}
	img, err := p.decode(ctx, name, data, info, factor)
	if err != nil {
		return err
	}
	collectPlanes(info)
	alpha := info.Format != JPEG && hasAlpha(img)
	if !sameRatio(img.Rect, info.Width, info.Height, factor) {
		return corrupt(name, fmt.Errorf("decoded %v, header said %d×%d", img.Rect.Size(), info.Width, info.Height))
	}

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     = make(chan int, len(pending))
	)
	for _, i := range pending {
		next <- i
	}
	close(next)
	for range workers {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					return
				}
				out, b, err := render(img, info.Width, info.Height, alpha, reqs[i].Preset, reqs[i].Focal)
				if err == nil {
					if p.cache != nil {
						out.Path, err = p.cache.store(info, reqs[i], out, b)
					} else {
						out.Data = b
					}
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				outs[i] = out
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// collectPlanes frees a JPEG decoder's full-size planes, garbage once the
// image is shrunk or converted, so the resizes reuse their memory instead of
// adding to it (peakCost counts on it). The live heap is then small: quick.
func collectPlanes(info Info) {
	if freesDecoder(info.Format) {
		runtime.GC()
	}
}

// sameRatio checks the decoded image against the header: a decoder that
// returned another size than announced means a malformed file.
func sameRatio(r image.Rectangle, w, h, factor int) bool {
	sw, sh := shrunkSize(w, h, factor)
	return r.Dx() == sw && r.Dy() == sh
}

// Forget removes every cached preset of the image with content hash hash,
// e.g. when the image leaves the library.
func (p *Processor) Forget(hash string) error {
	if p.cache == nil {
		return nil
	}
	return p.cache.forget(hash)
}

// Job is one image of a batch.
type Job struct {
	Path     string    `json:"path"`
	Requests []Request `json:"requests"`
}

// JobResult is the outcome of one Job; Err is the image's own error.
type JobResult struct {
	Path   string
	Result Result
	Err    error
}

// Batch renders jobs on at most WithWorkers images at once. progress, if
// not nil, is called after each image with the presets done so far and the
// total (an image without requests counts as one), from one goroutine at a
// time. Cancelling ctx stops starting new images and abandons renders in
// flight; it returns ctx's error and the results so far (Err set to ctx's
// error for the rest).
func (p *Processor) Batch(ctx context.Context, jobs []Job, progress func(done, total int)) ([]JobResult, error) {
	results := make([]JobResult, len(jobs))
	units := func(j Job) int { return max(len(j.Requests), 1) }
	total := 0
	for _, j := range jobs {
		total += units(j)
	}
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for range min(p.workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for i := range next {
				j := jobs[i]
				res, err := p.RenderFile(ctx, j.Path, append([]Request(nil), j.Requests...))
				results[i] = JobResult{Path: j.Path, Result: res, Err: err}
				mu.Lock()
				done += units(j)
				if progress != nil && ctx.Err() == nil {
					progress(done, total)
				}
				mu.Unlock()
			}
		})
	}
	sent := 0
feed:
	for ; sent < len(jobs); sent++ {
		select {
		case next <- sent:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for i := sent; i < len(jobs); i++ {
		results[i] = JobResult{Path: jobs[i].Path, Err: ctx.Err()}
	}
	return results, ctx.Err()
}
