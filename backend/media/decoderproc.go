package media

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// HEIC and AVIF are decoded in a child process: the app's own executable
// started again with decoderEnv set, which ServeDecoder turns into a
// decoder serving requests on its stdin and stdout. A decode that runs past
// its deadline, or whose import is cancelled, ends by killing that process
// (the next decode starts a fresh one): a WebAssembly decode cannot be
// interrupted otherwise without running about four times slower. Its
// memory is capped inside the child (wasmMemory) and counted in the
// Processor's budget; a crash of the child is an error for one image, not
// the end of the app.
const decoderEnv = "PAUTA_MEDIA_DECODER"

// decoderCacheEnv names the decoder process's compilation cache directory.
const decoderCacheEnv = "PAUTA_MEDIA_DECODER_CACHE"

// decoderMagic opens the child's answer: proof that it is a decoder and
// not, say, the app started again by an executable that forgot to call
// ServeDecoder.
const decoderMagic = "pauta-media-decoder/1\n"

// ServeDecoder returns at once, unless this process was started as a
// Processor's decoder: then it serves decodes until its input ends and
// exits. Every program that decodes images must call it first thing in
// main (and a test package's TestMain).
func ServeDecoder() {
	if os.Getenv(decoderEnv) != "1" {
		return
	}
	if err := serveDecodes(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "media decoder:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Request operations.
const (
	opDecode = 1
	opWarm   = 2
)

// Answer statuses.
const (
	stOK      = 0
	stMemory  = 1 // errWasmMemory
	stDecoder = 2 // the decoder refused the file or trapped
)

// maxRequest bounds one request's input (the file-size limit is lower).
const maxRequest = 1 << 30

func serveDecodes(r io.Reader, w io.Writer) error {
	in, out := bufio.NewReader(r), bufio.NewWriterSize(w, 1<<20)
	ctx := context.Background()
	runner, err := newWasmRunner(ctx, os.Getenv(decoderCacheEnv))
	if err != nil {
		return err
	}
	if _, err := out.WriteString(decoderMagic); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	var hdr [19]byte // op, format, shrink factor, memory cap, input length
	for {
		if _, err := io.ReadFull(in, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil // the app is done with us
			}
			return err
		}
		op, f, factor := hdr[0], Format([]Format{HEIC, AVIF}[hdr[1]&1]), max(int(hdr[2]), 1)
		memCap := int64(binary.LittleEndian.Uint64(hdr[3:]))
		n := binary.LittleEndian.Uint64(hdr[11:])
		if n > maxRequest {
			return fmt.Errorf("request of %d bytes", n)
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(in, data); err != nil {
			return err
		}
		var raw rawImage
		switch op {
		case opWarm:
			_, err = runner.module(ctx, f)
		case opDecode:
			if f == HEIC {
				raw, err = runner.decodeHEIF(ctx, data, memCap)
			} else {
				raw, err = runner.decodeAVIF(ctx, data, memCap)
			}
			if err == nil {
				raw, err = raw.shrunk(factor)
			}
			if memCap >= 64<<20 {
				debug.FreeOSMemory() // the decoder's memory, before the app takes its copy
			}
		default:
			return fmt.Errorf("operation %d", op)
		}
		if err := writeAnswer(out, raw, err); err != nil {
			return err
		}
		if memCap >= 64<<20 {
			// Hand a large decode's memory back while waiting for the next.
			raw = rawImage{}
			debug.FreeOSMemory()
		}
	}
}

func writeAnswer(out *bufio.Writer, raw rawImage, err error) error {
	if err != nil {
		st := byte(stDecoder)
		if errors.Is(err, errWasmMemory) {
			st = stMemory
		}
		msg := err.Error()
		out.WriteByte(st)
		out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(msg))))
		out.WriteString(msg)
		return out.Flush()
	}
	out.WriteByte(stOK)
	var b []byte
	for _, v := range []uint32{raw.kind, raw.premul, raw.ratio, raw.w, raw.h, raw.stride, raw.cstride, raw.ch, raw.peak} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(len(raw.pix)))
	out.Write(b)
	out.Write(raw.pix)
	return out.Flush()
}

func readAnswer(in *bufio.Reader, maxPix int) (rawImage, error) {
	st, err := in.ReadByte()
	if err != nil {
		return rawImage{}, err
	}
	if st != stOK {
		var n [4]byte
		if _, err := io.ReadFull(in, n[:]); err != nil {
			return rawImage{}, err
		}
		msg := make([]byte, min(binary.LittleEndian.Uint32(n[:]), 4096))
		if _, err := io.ReadFull(in, msg); err != nil {
			return rawImage{}, err
		}
		if st == stMemory {
			return rawImage{}, errWasmMemory
		}
		return rawImage{}, fmt.Errorf("%w: %s", errDecoder, msg)
	}
	var b [9*4 + 8]byte
	if _, err := io.ReadFull(in, b[:]); err != nil {
		return rawImage{}, err
	}
	u := func(i int) uint32 { return binary.LittleEndian.Uint32(b[4*i:]) }
	raw := rawImage{kind: u(0), premul: u(1), ratio: u(2), w: u(3), h: u(4), stride: u(5), cstride: u(6), ch: u(7), peak: u(8)}
	n := binary.LittleEndian.Uint64(b[36:])
	if n > uint64(maxPix) {
		return rawImage{}, fmt.Errorf("decoder answered %d bytes, more than the %d expected", n, maxPix)
	}
	raw.pix = make([]byte, n)
	_, err = io.ReadFull(in, raw.pix)
	return raw, err
}

// helloTimeout bounds the start of a decoder process (a Go runtime and a
// WebAssembly runtime: milliseconds, unless the machine is very busy).
const helloTimeout = 30 * time.Second

// errDecoderDied: the decoder process ended during a decode (a crash, or
// killed by the system).
var errDecoderDied = errors.New("the decoder process ended")

// decoderProc is a Processor's decoder process, started on its first HEIC
// or AVIF decode and kept for the next ones. One decode at a time.
type decoderProc struct {
	timeout  time.Duration // longest one decode of up to 12 megapixels may run
	cacheDir string        // compiled decoders, kept across processes ("" for none)
	turn     chan struct{} // held by the decode in flight

	mu     sync.Mutex // guards the process fields
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	warmed map[Format]bool // decoders compiled in this process

	// measured, when set, is told each decode's peak decoder memory and its cap (tests).
	measured func(f Format, peak, memCap int64)
}

func newDecoderProc(timeout time.Duration) *decoderProc {
	return &decoderProc{timeout: timeout, turn: make(chan struct{}, 1)}
}

// timeoutFor is the time a decode of px pixels may take: the timeout for
// each 12 megapixels begun (a 12-megapixel HEIC takes about 3 s of CPU).
func (d *decoderProc) timeoutFor(px int) time.Duration {
	return d.timeout * time.Duration(1+px/12_000_000)
}

// Kill reasons.
const (
	killTimeout = 1
	killCancel  = 2
)

// decode sends data to the decoder process and returns its output as
// NRGBA shrunk by factor, at most maxPix bytes of it.
func (d *decoderProc) decode(ctx context.Context, f Format, data []byte, factor int, memCap int64, px, maxPix int) (rawImage, error) {
	// Compiling the decoder (once per process) does not eat into the
	// decode's own deadline.
	if err := d.warm(ctx, f); err != nil {
		return rawImage{}, err
	}
	return d.do(ctx, opDecode, f, factor, data, memCap, d.timeoutFor(px), maxPix)
}

// warm starts the decoder process and compiles f's decoder in it, unless
// that is done.
func (d *decoderProc) warm(ctx context.Context, f Format) error {
	d.mu.Lock()
	done := d.cmd != nil && d.warmed[f]
	d.mu.Unlock()
	if done {
		return nil
	}
	_, err := d.do(ctx, opWarm, f, 1, nil, 0, helloTimeout, 0)
	if err == nil {
		d.mu.Lock()
		if d.cmd != nil {
			d.warmed[f] = true
		}
		d.mu.Unlock()
	}
	return err
}

func (d *decoderProc) do(ctx context.Context, op byte, f Format, factor int, data []byte, memCap int64, timeout time.Duration, maxPix int) (rawImage, error) {
	select {
	case d.turn <- struct{}{}:
	case <-ctx.Done():
		return rawImage{}, ctx.Err()
	}
	defer func() { <-d.turn }()

	var killed atomic.Int32
	stop, watching := make(chan struct{}), make(chan struct{})
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	cmd, in, out, err := d.process()
	if err != nil {
		return rawImage{}, err
	}
	go func() {
		defer close(watching)
		reason := int32(0)
		select {
		case <-stop:
			return
		case <-ctx.Done():
			reason = killCancel
		case <-timer.C:
			reason = killTimeout
		}
		killed.Store(reason)
		cmd.Process.Kill() // its pipes close: the read below ends
	}()
	raw, err := exchange(in, out, op, f, factor, data, memCap, maxPix)
	close(stop)
	<-watching
	if k := killed.Load(); k != 0 || (err != nil && !errors.Is(err, errDecoder) && !errors.Is(err, errWasmMemory)) {
		d.reset(cmd)
		switch k {
		case killTimeout:
			return rawImage{}, errWasmTimeout
		case killCancel:
			return rawImage{}, ctx.Err()
		}
		return rawImage{}, fmt.Errorf("%w: %v", errDecoderDied, err)
	}
	if err == nil && d.measured != nil && op == opDecode {
		d.measured(f, int64(raw.peak)<<16, memCap)
	}
	return raw, err
}

// errWasmTimeout: the decoder ran past its deadline.
var errWasmTimeout = errors.New("the decoder took too long")

func exchange(in io.Writer, out *bufio.Reader, op byte, f Format, factor int, data []byte, memCap int64, maxPix int) (rawImage, error) {
	hdr := []byte{op, 0, byte(factor)}
	if f == AVIF {
		hdr[1] = 1
	}
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(memCap))
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(len(data)))
	if _, err := in.Write(hdr); err != nil {
		return rawImage{}, err
	}
	if _, err := in.Write(data); err != nil {
		return rawImage{}, err
	}
	return readAnswer(out, maxPix)
}

// process returns the running decoder process, starting one if needed.
func (d *decoderProc) process() (*exec.Cmd, io.Writer, *bufio.Reader, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cmd != nil {
		return d.cmd, d.in, d.out, nil
	}
	if os.Getenv(decoderEnv) != "" {
		// A decoder process that did not serve (ServeDecoder not called)
		// must not start decoders of its own.
		return nil, nil, nil, errors.New("the decoder process cannot start: ServeDecoder was not called")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), decoderEnv+"=1", decoderCacheEnv+"="+d.cacheDir)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, fmt.Errorf("start the decoder process: %w", err)
	}
	out := bufio.NewReaderSize(stdout, 1<<20)
	hello := make(chan error, 1)
	go func() {
		b := make([]byte, len(decoderMagic))
		_, err := io.ReadFull(out, b)
		if err == nil && string(b) != decoderMagic {
			err = errors.New("the decoder process did not answer as one")
		}
		hello <- err
	}()
	select {
	case err = <-hello:
	case <-time.After(helloTimeout):
		err = errors.New("the decoder process did not answer")
	}
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, nil, nil, fmt.Errorf("%w: %v", errDecoderDied, err)
	}
	d.cmd, d.in, d.out, d.warmed = cmd, in, out, map[Format]bool{}
	return cmd, in, out, nil
}

// reset forgets a decoder process that was killed or died, and reaps it.
func (d *decoderProc) reset(cmd *exec.Cmd) {
	d.mu.Lock()
	if d.cmd == cmd {
		d.cmd, d.in, d.out = nil, nil, nil
	}
	d.mu.Unlock()
	cmd.Process.Kill()
	cmd.Wait()
}

// Close ends the decoder process, if any; a later decode starts another.
func (d *decoderProc) Close() {
	d.turn <- struct{}{}
	defer func() { <-d.turn }()
	d.mu.Lock()
	cmd, in := d.cmd, d.in
	d.cmd, d.in, d.out = nil, nil, nil
	d.mu.Unlock()
	if cmd != nil {
		in.Close() // the decoder exits at the end of its input
		cmd.Wait()
	}
}
