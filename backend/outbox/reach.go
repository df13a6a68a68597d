package outbox

import (
	"context"
	"net"
	"time"
)

// NetReachability checks a host with a TCP dial to its HTTPS port (or the
// port in host), which costs one round trip and sends nothing.
type NetReachability struct {
	Timeout time.Duration // default 3 s
	Port    string        // default "443"
}

// Online reports whether a TCP connection to host opens before the timeout.
func (r NetReachability) Online(ctx context.Context, host string) bool {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	port := r.Port
	if port == "" {
		port = "443"
	}
	addr := host
	if _, _, err := net.SplitHostPort(host); err != nil {
		addr = net.JoinHostPort(host, port)
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
