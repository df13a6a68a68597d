package media

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// wasmRunner runs the HEIF (libheif + libde265) and AVIF (libavif + dav1d)
// decoders that github.com/gen2brain/heic and /avif ship as WebAssembly,
// under a wazero runtime of our own rather than through those packages'
// Decode, which share one runtime per process with no memory limit. Every
// decode runs in a fresh instance whose memory is capped (wasmMemory).
//
// It runs in the decoder process (decoderproc.go), never in the app's: a
// decode cannot be interrupted without making the decoder about four
// times slower (wazero's WithCloseOnContextDone checks at every loop), so
// a file that sends a decoder into a loop is stopped by ending its process.
//
// Each module is compiled once per decoder process, on its first decode
// (about 0.5 s), and kept.
type wasmRunner struct {
	rt         wazero.Runtime
	heif, avif wazero.CompiledModule
}

// errWasmMemory: the decoder asked for more memory than its cap.
var errWasmMemory = errors.New("the decoder needs more memory than allowed")

// newWasmRunner makes the runtime; with cacheDir, compiled decoders are
// kept there across processes (a restarted decoder loads them in
// milliseconds instead of compiling for half a second). The directory is
// the app's own, like its database.
func newWasmRunner(ctx context.Context, cacheDir string) (*wasmRunner, error) {
	cfg := wazero.NewRuntimeConfig()
	if cacheDir != "" {
		if cache, err := wazero.NewCompilationCacheWithDir(cacheDir); err == nil {
			cfg = cfg.WithCompilationCache(cache)
		} // else compile in memory: slower, not wrong
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		return nil, err
	}
	return &wasmRunner{rt: rt}, nil
}

func (r *wasmRunner) module(ctx context.Context, f Format) (wazero.CompiledModule, error) {
	m, blob := &r.heif, heifWasm
	if f == AVIF {
		m, blob = &r.avif, avifWasm
	}
	if *m == nil {
		zr, err := gzip.NewReader(bytes.NewReader(blob))
		if err != nil {
			return nil, err
		}
		wasm, err := io.ReadAll(zr)
		if err != nil {
			return nil, err
		}
		if *m, err = r.rt.CompileModule(ctx, wasm); err != nil {
			return nil, err
		}
		// Hand the compiler's garbage back before the decode needs memory.
		debug.FreeOSMemory()
	}
	return *m, nil
}

// wasmMemory is a decode's linear memory: reserved once at its cap, so it
// never moves or doubles while growing, and refusing to grow past the cap.
type wasmMemory struct {
	buf []byte
	hit bool // a growth was refused
}

func (m *wasmMemory) Reallocate(size uint64) []byte {
	if size > uint64(cap(m.buf)) {
		m.hit = true
		return nil
	}
	return m.buf[:size]
}

func (m *wasmMemory) Free() { m.buf = nil }

// instance is one decode's module instance with its memory.
type instance struct {
	mod api.Module
	mem *wasmMemory
	ctx context.Context
}

// instantiate makes a fresh instance of f's decoder with at most memCap
// bytes of memory. Close it.
func (r *wasmRunner) instantiate(ctx context.Context, f Format, memCap int64) (*instance, error) {
	compiled, err := r.module(ctx, f)
	if err != nil {
		return nil, err
	}
	mem := &wasmMemory{}
	alloc := experimental.MemoryAllocatorFunc(func(initial, maxBytes uint64) experimental.LinearMemory {
		// The initial memory always (wazero needs it), then up to the cap.
		mem.buf = make([]byte, 0, max(initial, min(uint64(memCap), maxBytes)))
		return mem
	})
	cfg := wazero.NewModuleConfig().WithName("") // anonymous
	mod, err := r.rt.InstantiateModule(experimental.WithMemoryAllocator(ctx, alloc), compiled, cfg)
	if err != nil {
		if mem.hit {
			return nil, errWasmMemory
		}
		return nil, err
	}
	return &instance{mod: mod, mem: mem, ctx: ctx}, nil
}

func (in *instance) Close() { in.mod.Close(context.Background()) }

// call calls an exported function, turning a trap or a refused growth into an error.
func (in *instance) call(name string, args ...uint64) (uint64, error) {
	fn := in.mod.ExportedFunction(name)
	if fn == nil {
		return 0, fmt.Errorf("decoder has no %s", name)
	}
	res, err := fn.Call(in.ctx, args...)
	if in.mem.hit {
		return 0, errWasmMemory
	}
	if err != nil {
		return 0, err
	}
	if len(res) == 0 {
		return 0, nil
	}
	return res[0], nil
}

// malloc allocates n bytes in the instance; a null answer is memory running out.
func (in *instance) malloc(n int) (uint32, error) {
	p, err := in.call("malloc", uint64(n))
	if err != nil {
		return 0, err
	}
	if p == 0 {
		return 0, errWasmMemory
	}
	return uint32(p), nil
}

// read returns n bytes of the instance's memory at p (a view, not a copy).
func (in *instance) read(p uint32, n int) ([]byte, error) {
	b, ok := in.mod.Memory().Read(p, uint32(n))
	if !ok {
		return nil, fmt.Errorf("decoder memory: %d bytes at %d out of range", n, p)
	}
	return b, nil
}

func (in *instance) u32s(p uint32, n int) ([]uint32, error) {
	b, err := in.read(p, 4*n)
	if err != nil {
		return nil, err
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24
	}
	return out, nil
}

// input copies data into the instance.
func (in *instance) input(data []byte) (uint32, error) {
	p, err := in.malloc(len(data))
	if err != nil {
		return 0, err
	}
	if !in.mod.Memory().Write(p, data) {
		return 0, fmt.Errorf("decoder memory: cannot write the input")
	}
	return p, nil
}

// peak is the most memory the instance used: wasm memory never shrinks.
func (in *instance) peak() int64 { return int64(in.mod.Memory().Size()) }
