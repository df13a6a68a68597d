//go:build dev

package app

// cspEnforced: `wails dev` builds with the dev tag and only reports.
const cspEnforced = false
