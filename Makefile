# Pauta — `make run` to try it, `make test` to test everything.
# Every target installs what it needs first (scripts/deps.sh; fast when it is
# all there already). Debian 12 or newer; Go 1.26 and Node 20 must be on PATH.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GOBIN    := $(shell go env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)
WAILS    := $(GOBIN)/wails
TAGS     := webkit2_41,nodynamic
# From the git tag: v0.3.0 → 0.3.0, untagged → 0.0.0~gitN.SHA (build/version).
ifeq ($(origin VERSION), undefined)
VERSION := $(shell go run ./build/version 2>/dev/null || echo 0.0.0)
endif
DEMO_DIR ?= $(HOME)/.local/share/pauta-demo
# -m / -nosyncgomod: never rewrite go.mod or go.sum while building.
WAILS_FLAGS := -nocolour -m -nosyncgomod -tags $(TAGS)

.PHONY: help deps build run test smoke e2e bench-startup package clean

help:
	@echo "make run             install what is missing, build, open Pauta with a demo workspace ($(DEMO_DIR))"
	@echo "make test            install what is missing, run every test (go, frontend, build, window smoke, e2e)"
	@echo "make deps            apt packages, Wails CLI v2.16.0, npm ci (skips what is present)"
	@echo "make build           build/bin/pauta (wails build -tags $(TAGS))"
	@echo "make package         build/bin/pauta_$(VERSION)_amd64.deb and .tar.gz, and the Windows installer"
	@echo "make smoke           window smoke test of build/bin/pauta under Xvfb"
	@echo "make e2e             Playwright end-to-end tests against wails dev"
	@echo "make bench-startup   startup time and memory against a bare Wails app"
	@echo "make clean           remove build output, test results and bench output"

deps:
	@bash scripts/deps.sh all

# Rebuilt only when a source or the version changed (the version comes from
# git, so a commit or a new tag rebuilds). scripts/build.sh keeps Wails'
# output in build/bin/wails-build.log and shows it only on failure.
SOURCES := $(shell git ls-files -co --exclude-standard -- main.go 'bindings_*.go' go.mod go.sum wails.json \
  app backend cli build/appicon.png frontend/index.html frontend/package.json frontend/package-lock.json \
  frontend/vite.config.ts frontend/svelte.config.js 'frontend/tsconfig*.json' frontend/public frontend/src 2>/dev/null | \
  grep -v -e '^frontend/src/lib/api/wailsjs/' -e '_test\.go$$' | sed 's/ /\\ /g')

build: deps build/bin/pauta

build/bin/pauta: $(SOURCES) build/bin/.version
	@bash scripts/build.sh "$(VERSION)"

# Rewritten only when the version differs, so its date says when it changed.
build/bin/.version: FORCE
	@mkdir -p build/bin; [ "$$(cat $@ 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" >$@

.PHONY: FORCE
FORCE:

# On a desktop: opens the window. Headless (no DISPLAY / WAYLAND_DISPLAY):
# there is no screen to open it on, so it runs under Xvfb for a few seconds
# and saves a screenshot instead of hanging.
run: build
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "Opening Pauta with the demo workspace in $(DEMO_DIR) (your own workspace is not touched)"; \
	  exec build/bin/pauta --demo --data-dir "$(DEMO_DIR)"; \
	else \
	  echo "No display here (DISPLAY and WAYLAND_DISPLAY are unset), so Pauta cannot open a window."; \
	  echo "Running it under a virtual display (Xvfb) with the demo workspace in $(DEMO_DIR) instead,"; \
	  echo "and saving a screenshot. Run 'make run' in a desktop session to use the app."; \
	  bash scripts/smoke.sh --quiet --data-dir "$(DEMO_DIR)" --shot build/bin/screenshot.png && \
	  echo "Pauta started and painted its window: see build/bin/screenshot.png"; \
	fi

test: deps
	@VERSION="$(VERSION)" bash scripts/test.sh

smoke: build
	@bash scripts/smoke.sh

e2e: deps
	@bash e2e/run.sh

# What this machine can build: the .deb and .tar.gz of the Linux build
# (build/package, nfpm: binary in /usr/bin, desktop entry, hicolor icons), and
# the Windows installer when makensis is there (deps.sh installs nsis).
# macOS needs a Mac (README).
package: build
	@cd build/package && go run . linux -version "$(VERSION)"
	@if command -v makensis >/dev/null; then VERSION="$(VERSION)" bash scripts/windows.sh; \
	  else echo "No makensis (apt-get install nsis): skipping the Windows installer"; fi

bench-startup: deps
	@bash bench/startup/run.sh

clean:
	rm -rf build/bin test-results bench/out
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true
