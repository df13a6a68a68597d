# Pauta — `make run` to try it, `make test` to test everything.
# Every target installs what it needs first (scripts/deps.sh; fast when it is
# all there already). Debian 12 or newer; Go 1.26 and Node 20 must be on PATH.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GOBIN    := $(shell go env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)
WAILS    := $(GOBIN)/wails
TAGS     := webkit2_41,nodynamic
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo 0.1.0-dev)
DEMO_DIR ?= $(HOME)/.local/share/pauta-demo
# -m / -nosyncgomod: never rewrite go.mod or go.sum while building.
WAILS_FLAGS := -nocolour -m -nosyncgomod -tags $(TAGS)

.PHONY: help deps build run test smoke e2e bench-startup clean

help:
	@echo "make run             install what is missing, build, open Pauta with a demo workspace ($(DEMO_DIR))"
	@echo "make test            install what is missing, run every test (go, frontend, build, window smoke, e2e)"
	@echo "make deps            apt packages, Wails CLI v2.16.0, npm ci (skips what is present)"
	@echo "make build           build/bin/pauta (wails build -tags $(TAGS))"
	@echo "make smoke           window smoke test of build/bin/pauta under Xvfb"
	@echo "make e2e             Playwright end-to-end tests against wails dev"
	@echo "make bench-startup   startup time and memory against a bare Wails app"
	@echo "make clean           remove build output, test results and bench output"

deps:
	@bash scripts/deps.sh all

# go:embed needs a non-empty frontend/dist; wails build fills it.
# To generate the bindings, wails build runs the app once without arguments, so
# it would open the default workspace (~/.config/pauta): PAUTA_DATA_DIR points
# that run at a throwaway folder instead.
build: deps
	@mkdir -p frontend/dist && { [ -n "$$(ls -A frontend/dist)" ] || touch frontend/dist/.gitkeep; }
	@tmp=$$(mktemp -d); echo "$(WAILS) build $(WAILS_FLAGS) -ldflags \"-X main.version=$(VERSION)\""; \
	  PAUTA_DATA_DIR=$$tmp $(WAILS) build $(WAILS_FLAGS) -ldflags "-X main.version=$(VERSION)"; rc=$$?; \
	  rm -rf "$$tmp"; exit $$rc
	@build/bin/pauta --version

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
	  bash scripts/smoke.sh --data-dir "$(DEMO_DIR)" --shot build/bin/screenshot.png && \
	  echo "Pauta started and painted its window: see build/bin/screenshot.png"; \
	fi

test: deps
	@VERSION="$(VERSION)" bash scripts/test.sh

smoke: build
	@bash scripts/smoke.sh

e2e: deps
	@bash e2e/run.sh

bench-startup: deps
	@bash bench/startup/run.sh

clean:
	rm -rf build/bin test-results bench/out
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true
