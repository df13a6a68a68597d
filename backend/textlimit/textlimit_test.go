package textlimit

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"pauta/backend"
)

// vectors.json is shared with the frontend's counter tests, so both count alike.
type vector struct {
	Network  string `json:"network"`
	Text     string `json:"text"`
	Repeat   int    `json:"repeat"`
	Used     int    `json:"used"`
	Over     bool   `json:"over"`
	Hashtags int    `json:"hashtags"`
}

func TestVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 30 {
		t.Fatalf("only %d vectors", len(vs))
	}
	for _, v := range vs {
		text := strings.Repeat(v.Text, v.Repeat)
		c := Measure(backend.Network(v.Network), text, Options{})
		if c.Used != v.Used || c.Over != v.Over || c.Hashtags != v.Hashtags {
			t.Errorf("%s %q×%d: used %d over %v tags %d, want %d %v %d", v.Network, v.Text, v.Repeat, c.Used, c.Over, c.Hashtags, v.Used, v.Over, v.Hashtags)
		}
	}
}

func TestMastodonInstanceLimit(t *testing.T) {
	c := Measure(backend.Mastodon, strings.Repeat("a", 600), Options{MastodonMaxChars: 1000})
	if c.Over || c.Rule.Limit != 1000 {
		t.Errorf("instance limit ignored: %+v", c)
	}
	c = Measure(backend.Mastodon, "https://example.com/x", Options{MastodonURLChars: 10})
	if c.Used != 10 {
		t.Errorf("instance URL weight ignored: %+v", c)
	}
}

func TestEveryNetworkHasALimit(t *testing.T) {
	for _, n := range backend.Networks {
		if RuleFor(n, Options{}).Limit <= 0 {
			t.Errorf("%s has no limit", n)
		}
	}
}

func TestURLsAndHashtags(t *testing.T) {
	if got := URLs("see https://a.es/x, and www.b.it."); len(got) != 2 || got[0] != "https://a.es/x" || got[1] != "www.b.it" {
		t.Errorf("urls %q", got)
	}
	if got := Hashtags("#PanaderíaSol, #año2026 #1 a#b https://x.es/#frag"); strings.Join(got, " ") != "PanaderíaSol año2026" {
		t.Errorf("hashtags %q", got)
	}
}
