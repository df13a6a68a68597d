// Command media-bench times Pauta's image presets for bench/media/run.sh.
//
//	media-bench gen FILE            write the 6000×4000 photo-like JPEG q90 (once)
//	media-bench fresh FILE OUTDIR   one run in this fresh process: prints "ms <t> cpu_ms <c> rss_kb <peak>"
//	media-bench warm FILE OUTDIR N  one warm-up, then N runs: prints "ms <t> cpu_ms <c>" per run, then "rss_kb <peak>"
//	media-bench genpng FILE W H [BITS [TYPE]]  write a mostly flat W×H PNG, 16-bit RGB unless told (TYPE 0 grey,
//	                                2 RGB, 6 RGBA): at 10000×10000 16-bit, a ~1 MB decompression bomb
//	media-bench import FILE...      what the library's import does with each file, all at once: read it, decode
//	                                it once for its thumbnail; prints "ms <t> rss_kb <peak>" and each file's outcome
//
// A run is what the app does: read the file, make the five main presets
// (1080×1080, 1080×1350, 1080×1920, 1600×900, 1000×1500, JPEG q85) from one
// decode, write them to OUTDIR.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"pauta/backend/media"
	"pauta/backend/media/mediatest"
)

func main() {
	media.ServeDecoder()
	if len(os.Args) < 3 {
		fail("usage: media-bench gen FILE | fresh FILE OUTDIR | warm FILE OUTDIR N")
	}
	switch os.Args[1] {
	case "gen":
		gen(os.Args[2])
	case "fresh":
		need(4)
		c0 := cpuMS()
		ms := run(os.Args[2], os.Args[3])
		fmt.Printf("ms %.1f cpu_ms %.1f rss_kb %d\n", ms, cpuMS()-c0, peakRSS())
	case "warm":
		need(5)
		n, err := strconv.Atoi(os.Args[4])
		if err != nil || n < 1 {
			fail("N must be a positive number")
		}
		run(os.Args[2], os.Args[3]) // warm-up
		for range n {
			c0 := cpuMS()
			ms := run(os.Args[2], os.Args[3])
			fmt.Printf("ms %.1f cpu_ms %.1f\n", ms, cpuMS()-c0)
		}
		fmt.Printf("rss_kb %d\n", peakRSS())
	case "genpng":
		need(5)
		n := []int{0, 0, 16, 2}
		for i, a := range os.Args[3:min(len(os.Args), 7)] {
			v, err := strconv.Atoi(a)
			if err != nil {
				fail("W, H, BITS and TYPE must be numbers")
			}
			n[i] = v
		}
		if err := os.WriteFile(os.Args[2], mediatest.FlatPNG(n[0], n[1], n[2], n[3]), 0o644); err != nil {
			fail(err.Error())
		}
	case "import":
		importFiles(os.Args[2:])
	default:
		fail("unknown command " + os.Args[1])
	}
}

func need(n int) {
	if len(os.Args) < n {
		fail("missing arguments")
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(2)
}

func gen(path string) {
	t := time.Now()
	data := mediatest.JPEG(mediatest.PhotoLike(6000, 4000, 1), 90)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fail(err.Error())
	}
	fmt.Printf("generated %s: 6000×4000, %d bytes in %v\n", path, len(data), time.Since(t).Round(time.Millisecond))
}

func run(path, outDir string) float64 {
	t := time.Now()
	p := media.New()
	var reqs []media.Request
	for _, pr := range media.MainPresets() {
		reqs = append(reqs, media.Request{Preset: pr, Focal: media.Centre()})
	}
	res, err := p.RenderFile(context.Background(), path, reqs)
	if err != nil {
		fail(err.Error())
	}
	for _, o := range res.Outputs {
		name := filepath.Join(outDir, fmt.Sprintf("pauta-%dx%d.jpg", o.Width, o.Height))
		if err := os.WriteFile(name, o.Data, 0o644); err != nil {
			fail(err.Error())
		}
	}
	return float64(time.Since(t).Microseconds()) / 1000
}

// importFiles reads and decodes every file at once, as an import of that
// many files does (the library's thumbnail: long side 480).
func importFiles(paths []string) {
	t := time.Now()
	cache, err := os.MkdirTemp("", "pauta-media-bench-")
	if err != nil {
		fail(err.Error())
	}
	defer os.RemoveAll(cache) // a fresh cache: every file is decoded
	p := media.New(media.WithCacheDir(cache))
	thumb := media.Preset{ID: "bench.thumb", MaxLongSide: 480, Formats: []media.Format{media.JPEG, media.PNG}}
	outcome := make([]string, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Go(func() {
			data, err := p.ReadFileContext(context.Background(), path)
			if err == nil {
				_, err = p.Render(context.Background(), path, data, []media.Request{{Preset: thumb, Focal: media.Centre()}})
			}
			outcome[i] = "ok"
			if err != nil {
				outcome[i] = err.Error()
			}
		})
	}
	wg.Wait()
	fmt.Printf("ms %.0f rss_kb %d\n", float64(time.Since(t).Microseconds())/1000, peakRSS())
	for i, o := range outcome {
		fmt.Printf("%s: %s\n", filepath.Base(paths[i]), o)
	}
}

// cpuMS is the user+system CPU time this process has used, in ms.
func cpuMS() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Maxrss // kilobytes on Linux
}
