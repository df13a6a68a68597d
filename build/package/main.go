// Command package builds Pauta's Linux packages and checks its Windows build.
// It is its own module so packaging tools never enter the app's go.mod.
//
//	go -C build/package run . linux -version V [-bin B] [-out DIR]
//	                                               DIR/pauta_V_amd64.deb and .tar.gz
//	go -C build/package run . pe -file EXE -version V [-product P] [-company C]
//	                                               check a Windows version resource
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: package (linux|pe) [flags]")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "package %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func run(cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	root := fs.String("root", "../..", "repository root (paths below are relative to it)")
	switch cmd {
	case "linux":
		bin := fs.String("bin", "build/bin/pauta", "the Linux binary")
		version := fs.String("version", "", "package version (go run ./build/version)")
		out := fs.String("out", "build/bin", "output folder")
		if err := fs.Parse(args); err != nil {
			return err
		}
		abs := func(p string) string {
			if filepath.IsAbs(p) {
				return p
			}
			return filepath.Join(*root, p)
		}
		if *version == "" {
			return fmt.Errorf("-version is required (go run ./build/version)")
		}
		mtime, err := sourceDate(*root)
		if err != nil {
			return err
		}
		files, err := buildLinux(linuxInput{
			Binary:  abs(*bin),
			Desktop: abs("build/linux/pauta.desktop"),
			Icon:    abs("build/appicon.png"),
			Version: *version,
			OutDir:  abs(*out),
			MTime:   mtime,
		})
		for _, f := range files {
			fmt.Println(f)
		}
		return err
	case "pe":
		file := fs.String("file", "", "a Windows .exe")
		version := fs.String("version", "", "expected ProductVersion")
		product := fs.String("product", "Pauta", "expected ProductName")
		company := fs.String("company", "", "expected CompanyName (empty: any non-empty)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		info, err := readPEVersion(*file)
		if err != nil {
			return err
		}
		if err := info.check(*version, *product, *company); err != nil {
			return fmt.Errorf("%s: %w", *file, err)
		}
		fmt.Printf("%s: %s %s by %s (file version %s)\n", *file, info.Strings["ProductName"], info.Strings["ProductVersion"], info.Strings["CompanyName"], info.FileVersion)
		return nil
	}
	return fmt.Errorf("unknown command (linux, pe)")
}
