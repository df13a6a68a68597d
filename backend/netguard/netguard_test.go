package netguard_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"pauta/backend/netguard"
)

func TestPublic(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.215.14": true, "2606:4700::1111": true, "8.8.8.8": true,
		"127.0.0.1": false, "127.9.9.9": false, "::1": false,
		"10.1.2.3": false, "172.16.0.1": false, "172.31.255.255": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fd00::1": false,
		"100.64.0.1": false, "0.0.0.0": false, "0.1.2.3": false, "::": false,
		"224.0.0.1": false, "ff02::1": false, "255.255.255.255": false,
		"::ffff:127.0.0.1": false, "::ffff:192.168.0.1": false, "::ffff:93.184.215.14": true,
		"172.32.0.1": true, "100.128.0.1": true,
	} {
		if got := netguard.Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}

// client is an HTTP client dialling through g.
func client(g *netguard.Guard) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: g.DialContext}}
}

func TestGuardRefusesTheLocalNetworkUnlessAllowed(t *testing.T) {
	var hits atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/hop" { // to the same server under another name
			u, _ := url.Parse(srv.URL)
			http.Redirect(w, r, "http://localhost:"+u.Port()+"/ok", http.StatusFound)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	get := func(c *http.Client, path string) error {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}

	// Nothing allowed: the loopback server is never reached, by address or by name.
	strict := client(&netguard.Guard{})
	if err := get(strict, "/ok"); !errors.Is(err, netguard.ErrNotPublic) {
		t.Fatalf("loopback by address: %v", err)
	}
	u, _ := url.Parse(srv.URL)
	if resp, err := strict.Get("http://localhost:" + u.Port() + "/ok"); !errors.Is(err, netguard.ErrNotPublic) {
		if resp != nil {
			resp.Body.Close()
		}
		t.Fatalf("loopback by name: %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}

	// The user's own server is allowed (asked at each dial); a redirect
	// from it to a name that is not allowed is refused.
	var asked atomic.Int32
	mine := client(&netguard.Guard{Allowed: func(context.Context) []string {
		asked.Add(1)
		return []string{"example.org", "127.0.0.1"}
	}})
	if err := get(mine, "/ok"); err != nil {
		t.Fatalf("allowed host: %v", err)
	}
	if err := get(mine, "/hop"); !errors.Is(err, netguard.ErrNotPublic) || !strings.Contains(err.Error(), "localhost") {
		t.Fatalf("redirect into a name not allowed: %v", err)
	}
	if hits.Load() != 2 || asked.Load() == 0 {
		t.Fatalf("hits %d, allowed asked %d times", hits.Load(), asked.Load())
	}
}
