//go:build !dev

package app

// cspEnforced: built apps enforce the Content-Security-Policy.
const cspEnforced = true
