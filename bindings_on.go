//go:build bindings

package main

// Wails generates the TypeScript bindings by building the app with the
// "bindings" tag and running it once: that run must not open (or migrate)
// the user's real workspace.
const generatingBindings = true
