package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
)

// describeRE matches `git describe --tags --long --dirty` on a v-tag:
// v0.3.0-5-gabc1234[-dirty].
var describeRE = regexp.MustCompile(`^v(\d+\.\d+\.\d+)-(\d+)-g([0-9a-f]+)(-dirty)?$`)

// packageVersion turns what git says about the checkout into a version that
// dpkg, the binary and the About screen all show:
//
//	tag v0.3.0 on HEAD          → 0.3.0
//	5 commits after v0.3.0      → 0.3.0+git5.abc1234 (sorts after 0.3.0)
//	no tag, 12 commits, abc1234 → 0.0.0~git12.abc1234 (sorts before any release)
//	uncommitted changes         → … ".dirty" appended (+dirty on a bare tag)
//
// describe is empty when there is no v-tag; count and sha then describe HEAD.
func packageVersion(describe, count, sha string, dirty bool) string {
	if m := describeRE.FindStringSubmatch(describe); m != nil {
		v := m[1]
		if m[2] != "0" {
			v += "+git" + m[2] + "." + m[3]
			if m[4] != "" {
				v += ".dirty"
			}
		} else if m[4] != "" {
			v += "+dirty"
		}
		return v
	}
	if sha == "" {
		return "0.0.0" // not a git checkout (a source tarball)
	}
	if count == "" {
		count = "0"
	}
	v := "0.0.0~git" + count + "." + sha
	if dirty {
		v += ".dirty"
	}
	return v
}

// numericVersion is the X.Y.Z part, for places that take only numbers
// (the Windows version resource).
func numericVersion(v string) string {
	if i := strings.IndexAny(v, "+~"); i >= 0 {
		v = v[:i]
	}
	return v
}

// gitVersion asks git in dir.
func gitVersion(dir string) (string, error) {
	run := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	if run("rev-parse", "--git-dir") == "" {
		return packageVersion("", "", "", false), nil
	}
	describe := run("describe", "--tags", "--long", "--dirty", "--match", "v[0-9]*.[0-9]*.[0-9]*")
	sha := run("rev-parse", "--short=7", "HEAD")
	if sha == "" {
		return "", fmt.Errorf("git rev-parse HEAD failed in %s", dir)
	}
	dirty := run("status", "--porcelain", "--untracked-files=no") != ""
	return packageVersion(describe, run("rev-list", "--count", "HEAD"), sha, dirty), nil
}
