package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// peVersion is what Windows shows in a file's Properties → Details.
type peVersion struct {
	FileVersion string            // VS_FIXEDFILEINFO, a.b.c.d
	Strings     map[string]string // StringFileInfo: ProductName, ProductVersion, CompanyName…
}

func (v peVersion) check(version, product, company string) error {
	var errs []error
	if got := v.Strings["ProductName"]; got != product {
		errs = append(errs, fmt.Errorf("ProductName %q, want %q", got, product))
	}
	if got := v.Strings["ProductVersion"]; version != "" && got != version {
		errs = append(errs, fmt.Errorf("ProductVersion %q, want %q", got, version))
	}
	if version != "" && !strings.HasPrefix(v.FileVersion, version) {
		errs = append(errs, fmt.Errorf("file version %q, want %s.*", v.FileVersion, version))
	}
	if got := v.Strings["CompanyName"]; got == "" || (company != "" && got != company) {
		errs = append(errs, fmt.Errorf("CompanyName %q, want %q", got, company))
	}
	return errors.Join(errs...)
}

const rtVersion = 16

// readPEVersion finds the RT_VERSION resource of a PE file and decodes it.
func readPEVersion(name string) (peVersion, error) {
	f, err := pe.Open(name)
	if err != nil {
		return peVersion{}, err
	}
	defer f.Close()
	sec := f.Section(".rsrc")
	if sec == nil {
		return peVersion{}, fmt.Errorf("no resource section")
	}
	rsrc, err := sec.Data()
	if err != nil {
		return peVersion{}, err
	}
	// type → name → language; take the first name and language of RT_VERSION.
	off, err := resourceChild(rsrc, 0, rtVersion)
	if err == nil {
		off, err = resourceChild(rsrc, off, -1)
	}
	if err == nil {
		off, err = resourceChild(rsrc, off, -1)
	}
	if err != nil {
		return peVersion{}, fmt.Errorf("version resource: %w", err)
	}
	if off+16 > uint32(len(rsrc)) {
		return peVersion{}, fmt.Errorf("version resource: bad data entry")
	}
	rva := binary.LittleEndian.Uint32(rsrc[off:])
	size := binary.LittleEndian.Uint32(rsrc[off+4:])
	start := rva - sec.VirtualAddress
	if uint64(start)+uint64(size) > uint64(len(rsrc)) {
		return peVersion{}, fmt.Errorf("version resource: data outside .rsrc")
	}
	return parseVersionInfo(rsrc[start : start+size])
}

// resourceChild returns the offset of the entry with id (or the first entry
// when id < 0) of the resource directory at dir, its subdirectory flag removed.
func resourceChild(rsrc []byte, dir uint32, id int) (uint32, error) {
	if dir+16 > uint32(len(rsrc)) {
		return 0, fmt.Errorf("directory outside .rsrc")
	}
	named := binary.LittleEndian.Uint16(rsrc[dir+12:])
	ids := binary.LittleEndian.Uint16(rsrc[dir+14:])
	for i := uint32(0); i < uint32(named)+uint32(ids); i++ {
		e := dir + 16 + 8*i
		if e+8 > uint32(len(rsrc)) {
			break
		}
		name := binary.LittleEndian.Uint32(rsrc[e:])
		target := binary.LittleEndian.Uint32(rsrc[e+4:])
		if id < 0 || (name&0x80000000 == 0 && name == uint32(id)) {
			return target &^ 0x80000000, nil
		}
	}
	return 0, fmt.Errorf("no entry %d", id)
}

// parseVersionInfo decodes VS_VERSIONINFO: the fixed file version and the
// key/value strings of the first StringTable.
func parseVersionInfo(b []byte) (peVersion, error) {
	v := peVersion{Strings: map[string]string{}}
	key, value, children, err := versionNode(b)
	if err != nil || key != "VS_VERSION_INFO" {
		return v, fmt.Errorf("not a VS_VERSION_INFO (%q): %v", key, err)
	}
	if len(value) >= 52 && binary.LittleEndian.Uint32(value) == 0xFEEF04BD {
		ms, ls := binary.LittleEndian.Uint32(value[8:]), binary.LittleEndian.Uint32(value[12:])
		v.FileVersion = fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xffff, ls>>16, ls&0xffff)
	}
	for _, c := range splitNodes(children) {
		k, _, sub, err := versionNode(c)
		if err != nil || k != "StringFileInfo" {
			continue
		}
		for _, table := range splitNodes(sub) {
			_, _, strs, err := versionNode(table)
			if err != nil {
				continue
			}
			for _, s := range splitNodes(strs) {
				k, val, _, err := versionNode(s)
				if err == nil {
					v.Strings[k] = strings.TrimRight(decodeUTF16(val), "\x00")
				}
			}
			return v, nil
		}
	}
	return v, nil
}

// versionNode reads one node: wLength, wValueLength, wType, szKey, padding,
// value, padding, children.
func versionNode(b []byte) (key string, value, children []byte, err error) {
	if len(b) < 6 {
		return "", nil, nil, fmt.Errorf("short node")
	}
	n := int(binary.LittleEndian.Uint16(b))
	valLen := int(binary.LittleEndian.Uint16(b[2:]))
	text := binary.LittleEndian.Uint16(b[4:]) == 1
	if n > len(b) || n < 6 {
		return "", nil, nil, fmt.Errorf("bad node length %d", n)
	}
	b = b[:n]
	i := 6
	var u []uint16
	for ; i+1 < n; i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			i += 2
			break
		}
		u = append(u, c)
	}
	key = string(utf16.Decode(u))
	i = align4(i)
	if text {
		valLen *= 2 // in WCHARs for text values
	}
	if i+valLen > n {
		valLen = n - i
	}
	if i <= n {
		value = b[i : i+valLen]
		i = align4(i + valLen)
	}
	if i < n {
		children = b[i:]
	}
	return key, value, children, nil
}

func splitNodes(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 6 {
		n := int(binary.LittleEndian.Uint16(b))
		if n < 6 || n > len(b) {
			break
		}
		out = append(out, b[:n])
		b = b[min(align4(n), len(b)):]
	}
	return out
}

func align4(i int) int { return (i + 3) &^ 3 }

func decodeUTF16(b []byte) string {
	u := make([]uint16, len(b)/2)
	_ = binary.Read(bytes.NewReader(b[:len(u)*2]), binary.LittleEndian, u)
	return string(utf16.Decode(u))
}
