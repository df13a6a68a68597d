package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"pauta/app"
	"pauta/backend"
)

// With PAUTA_CLI_HOLD=<dir> the test binary is a running Pauta window: it
// opens the workspace through Run as the binary does, writes a client (left
// in the WAL), says "ready" and waits to be killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("PAUTA_CLI_HOLD"); dir != "" {
		os.Exit(Run(Env{Args: []string{"--data-dir", dir}, Stdout: os.Stdout, Stderr: os.Stderr, Version: "test",
			Clock: backend.FixedClock{T: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)},
			Launch: func(a *app.App) error {
				if _, err := a.Clients.Save(app.ClientInput{Name: "Fresh in WAL", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
					return err
				}
				fmt.Println("ready")
				io.Copy(io.Discard, os.Stdin) // hold until killed or the test's pipe closes
				return nil
			}}))
	}
	os.Exit(m.Run())
}

// startWindow runs a holder process on dir and returns once its window is "open".
func startWindow(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PAUTA_CLI_HOLD="+dir)
	cmd.Stderr = os.Stderr
	if _, err := cmd.StdinPipe(); err != nil { // kept open: the window waits on it
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if line, err := bufio.NewReader(out).ReadString('\n'); strings.TrimSpace(line) != "ready" {
		t.Fatalf("window process: %q %v", line, err)
	}
	return cmd
}
