package main

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// node encodes one VS_VERSIONINFO node the way the resource compiler does.
func node(key string, value []byte, text bool, children ...[]byte) []byte {
	b := make([]byte, 6)
	for _, c := range utf16.Encode([]rune(key + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	b = append(b, value...)
	for _, c := range children {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		b = append(b, c...)
	}
	valLen := len(value)
	if text {
		valLen /= 2
	}
	binary.LittleEndian.PutUint16(b, uint16(len(b)))
	binary.LittleEndian.PutUint16(b[2:], uint16(valLen))
	if text {
		binary.LittleEndian.PutUint16(b[4:], 1)
	}
	return b
}

func wstr(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

func versionBlob(product, version, company string, ms, ls uint32) []byte {
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed, 0xFEEF04BD)
	binary.LittleEndian.PutUint32(fixed[8:], ms)
	binary.LittleEndian.PutUint32(fixed[12:], ls)
	table := node("040904b0", nil, true,
		node("CompanyName", wstr(company), true),
		node("ProductName", wstr(product), true),
		node("ProductVersion", wstr(version), true))
	return node("VS_VERSION_INFO", fixed, false, node("StringFileInfo", nil, true, table))
}

func TestParseVersionInfo(t *testing.T) {
	v, err := parseVersionInfo(versionBlob("Pauta", "0.3.0", "Pauta", 0<<16|3, 0<<16|0))
	if err != nil {
		t.Fatal(err)
	}
	if v.FileVersion != "0.3.0.0" || v.Strings["ProductName"] != "Pauta" || v.Strings["ProductVersion"] != "0.3.0" || v.Strings["CompanyName"] != "Pauta" {
		t.Fatalf("%+v", v)
	}
	if err := v.check("0.3.0", "Pauta", "Pauta"); err != nil {
		t.Fatal(err)
	}
	err = v.check("0.4.0", "Other", "")
	if err == nil || !strings.Contains(err.Error(), "ProductVersion") || !strings.Contains(err.Error(), "ProductName") || !strings.Contains(err.Error(), "file version") {
		t.Fatalf("a wrong version and name must both be reported: %v", err)
	}
	if _, err := parseVersionInfo([]byte{1, 2, 3}); err == nil {
		t.Fatal("garbage must not parse")
	}
	noCompany, _ := parseVersionInfo(versionBlob("Pauta", "0.3.0", "", 3, 0))
	if err := noCompany.check("0.3.0", "Pauta", ""); err == nil {
		t.Fatal("an installer without a publisher must fail")
	}
}
