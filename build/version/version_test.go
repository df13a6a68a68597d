package main

import (
	"os/exec"
	"testing"
)

func TestPackageVersion(t *testing.T) {
	for _, c := range []struct {
		describe, count, sha string
		dirty                bool
		want                 string
	}{
		{"v0.3.0-0-gabc1234", "40", "abc1234", false, "0.3.0"},
		{"v0.3.0-0-gabc1234-dirty", "40", "abc1234", true, "0.3.0+dirty"},
		{"v0.3.0-5-gabc1234", "45", "abc1234", false, "0.3.0+git5.abc1234"},
		{"v1.10.2-12-gdeadbee-dirty", "9", "deadbee", true, "1.10.2+git12.deadbee.dirty"},
		{"", "12", "abc1234", false, "0.0.0~git12.abc1234"},
		{"", "12", "abc1234", true, "0.0.0~git12.abc1234.dirty"},
		{"release-7", "3", "abc1234", false, "0.0.0~git3.abc1234"}, // not a v-tag
		{"", "", "", false, "0.0.0"},
	} {
		got := packageVersion(c.describe, c.count, c.sha, c.dirty)
		if got != c.want {
			t.Errorf("packageVersion(%q, %q, %q, %v) = %q, want %q", c.describe, c.count, c.sha, c.dirty, got, c.want)
		}
	}
}

// dpkg must accept every form, and order them as a user expects.
func TestPackageVersionOrderForDpkg(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("no dpkg")
	}
	order := []string{"0.0.0~git3.abc1234", "0.0.0~git12.abc1234", "0.0.0", "0.3.0", "0.3.0+dirty", "0.3.0+git5.abc1234", "0.3.0+git5.abc1234.dirty", "0.10.0"}
	for i := 1; i < len(order); i++ {
		if err := exec.Command("dpkg", "--compare-versions", order[i-1], "lt", order[i]).Run(); err != nil {
			t.Errorf("dpkg: %s is not before %s", order[i-1], order[i])
		}
	}
}

func TestNumericVersion(t *testing.T) {
	for in, want := range map[string]string{"0.3.0": "0.3.0", "0.3.0+git5.abc": "0.3.0", "0.0.0~git12.abc": "0.0.0"} {
		if got := numericVersion(in); got != want {
			t.Errorf("numericVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
