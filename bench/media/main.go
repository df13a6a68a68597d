// Command media-bench times Pauta's image presets for bench/media/run.sh.
//
//	media-bench gen FILE            write the 6000×4000 photo-like JPEG q90 (once)
//	media-bench fresh FILE OUTDIR   one run in this fresh process: prints "ms <t> cpu_ms <c> rss_kb <peak>"
//	media-bench warm FILE OUTDIR N  one warm-up, then N runs: prints "ms <t> cpu_ms <c>" per run, then "rss_kb <peak>"
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
	"syscall"
	"time"

	"pauta/backend/media"
	"pauta/backend/media/mediatest"
)

func main() {
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
