package cli

import (
	"fmt"

	"pauta/app"
)

// DesktopSession says whether a window can open: on Linux and the BSDs it
// needs an X11 or Wayland display; Windows and macOS always have one.
func DesktopSession(getenv func(string) string, goos string) bool {
	switch goos {
	case "windows", "darwin":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

// noDisplay is the one line said, in the system's language, instead of the
// toolkit's panic when there is no desktop to open the window on.
var noDisplay = map[string]string{
	"en": "pauta: the window needs a desktop session (DISPLAY and WAYLAND_DISPLAY are unset); start Pauta from your desktop, or use the command line without one: pauta --help (e.g. pauta export-ics -o plan.ics).",
	"es": "pauta: la ventana necesita una sesión de escritorio (DISPLAY y WAYLAND_DISPLAY no están definidas); abre Pauta desde tu escritorio o usa la línea de órdenes, que no la necesita: pauta --help (p. ej. pauta export-ics -o plan.ics).",
	"it": "pauta: la finestra richiede una sessione desktop (DISPLAY e WAYLAND_DISPLAY non sono impostate); avvia Pauta dal desktop oppure usa la riga di comando, che non ne ha bisogno: pauta --help (es. pauta export-ics -o plan.ics).",
}

// refuseWithoutDisplay prints noDisplay and says true when a window start
// cannot work; it runs before the workspace is touched, so nothing is created.
func refuseWithoutDisplay(env Env) bool {
	if env.Display == nil || env.Display() {
		return false
	}
	msg, ok := noDisplay[app.SystemLanguage(env.getenv)]
	if !ok {
		msg = noDisplay["en"]
	}
	fmt.Fprintln(env.Stderr, msg)
	return true
}
