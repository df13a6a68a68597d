// Package netguard keeps fetches of addresses chosen by others (inbox
// authors' avatars: a URL any remote account can set) on the public
// internet. A URL pointing at the laptop itself, the home or office
// network, or a link-local service would otherwise make Pauta send
// requests there on a stranger's word. Hosts the user chose (their own
// accounts' servers, which may well be on the local network) stay allowed.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// ErrNotPublic is the dial error for an address outside the public internet.
var ErrNotPublic = errors.New("not a public internet address")

// Public says whether ip is an ordinary public unicast address: not
// loopback, private (RFC 1918, fc00::/7), shared (100.64.0.0/10),
// link-local, multicast, unspecified or "this network" (0.0.0.0/8).
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid(), ip.IsUnspecified(), ip.IsLoopback(), ip.IsPrivate(),
		ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast(), ip.IsMulticast():
		return false
	case ip.Is4() && (shared.Contains(ip) || thisNet.Contains(ip) || ip == broadcast):
		return false
	}
	return true
}

var (
	shared    = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	broadcast = netip.MustParseAddr("255.255.255.255")
)

// Guard dials public addresses only, plus the hosts Allowed names.
type Guard struct {
	// Allowed lists host names (or literal addresses) dialled as they are,
	// whatever they resolve to; nil: none. Asked at each dial.
	Allowed func(ctx context.Context) []string
	Dialer  *net.Dialer // nil: a zero Dialer
}

// DialContext is a Transport's DialContext. The host is resolved once and
// the checked address is the one dialled, so a name cannot resolve to a
// public address for the check and to a private one for the connection.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	d := g.Dialer
	if d == nil {
		d = &net.Dialer{}
	}
	if g.allowed(ctx, host) {
		return d.DialContext(ctx, network, addr)
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		ips = []netip.Addr{ip}
	} else {
		if ips, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host); err != nil {
			return nil, err
		}
	}
	var last error
	for _, ip := range ips {
		if !Public(ip) {
			last = fmt.Errorf("%s (%s): %w", host, ip.Unmap(), ErrNotPublic)
			continue
		}
		c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		last = err
	}
	if last == nil {
		last = fmt.Errorf("%s: no address", host)
	}
	return nil, last
}

func (g *Guard) allowed(ctx context.Context, host string) bool {
	if g.Allowed == nil {
		return false
	}
	host = strings.Trim(host, "[]")
	for _, h := range g.Allowed(ctx) {
		if strings.EqualFold(strings.Trim(h, "[]"), host) {
			return true
		}
	}
	return false
}
