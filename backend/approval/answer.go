package approval

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"

	"pauta/backend"
)

// The answer the package's page produces (the script in page.js writes the
// same): the JSON below, a newline and the SHA-256 of the JSON in hex, all
// in base64 between two marker lines. The checksum catches a truncated or
// edited answer; the markers let it travel in an e-mail, quoted ("> ") or
// re-wrapped.
const (
	BeginMarker = "-----BEGIN PAUTA APPROVAL-----"
	EndMarker   = "-----END PAUTA APPROVAL-----"
)

type wireDecision struct {
	ID      int64  `json:"id"`
	Hash    string `json:"hash"`
	D       string `json:"d"`
	Comment string `json:"c"`
}

type wireAnswer struct {
	V       int            `json:"v"`
	Package string         `json:"pkg"`
	WS      string         `json:"ws"`
	Client  int64          `json:"client"`
	Posts   []wireDecision `json:"posts"`
}

// MaxAnswerBytes bounds an answer file read from disk or pasted.
const MaxAnswerBytes = 4 << 20

var (
	hexRE = regexp.MustCompile(`^[0-9a-f]{32}$`)
	idRE  = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

func notAnswer() error {
	return backend.Errorf(backend.EInvalid, "approval.not_answer", "this is not a Pauta approval answer")
}

func tampered(why string) error {
	return backend.Errorf(backend.EInvalid, "approval.tampered", "the approval answer is damaged or was changed (%s)", why)
}

// EncodeAnswer writes a as the page would (tests, and the CLI-less check).
func EncodeAnswer(a backend.ApprovalAnswer) string {
	w := wireAnswer{V: 1, Package: a.PackageID, WS: a.WorkspaceID, Client: a.ClientID, Posts: []wireDecision{}}
	for _, d := range a.Decisions {
		w.Posts = append(w.Posts, wireDecision{ID: d.PostID, Hash: d.Hash, D: string(d.Decision), Comment: d.Comment})
	}
	body, _ := json.Marshal(w)
	sum := sha256.Sum256(body)
	raw := base64.StdEncoding.EncodeToString(append(append(body, '\n'), []byte(hex.EncodeToString(sum[:]))...))
	var b strings.Builder
	b.WriteString(BeginMarker + "\n")
	for len(raw) > 64 {
		b.WriteString(raw[:64] + "\n")
		raw = raw[64:]
	}
	b.WriteString(raw + "\n" + EndMarker + "\n")
	return b.String()
}

// DecodeAnswer reads an answer file or a pasted e-mail holding one. It
// checks the form and the checksum only; ApprovalStore.ApplyApprovalAnswer
// checks it against the workspace.
func DecodeAnswer(text string) (backend.ApprovalAnswer, error) {
	var a backend.ApprovalAnswer
	if len(text) > MaxAnswerBytes || !utf8.ValidString(text) {
		return a, notAnswer()
	}
	begin := strings.Index(text, BeginMarker)
	if begin < 0 {
		return a, notAnswer()
	}
	rest := text[begin+len(BeginMarker):]
	end := strings.Index(rest, EndMarker)
	if end < 0 {
		return a, tampered("its end is missing")
	}
	var b64 strings.Builder
	for _, line := range strings.Split(rest[:end], "\n") {
		line = strings.TrimLeft(strings.TrimSpace(line), "> \t") // quoted in a reply
		for _, r := range line {
			if r != ' ' && r != '\t' && r != '\r' {
				b64.WriteRune(r)
			}
		}
	}
	raw, err := base64.StdEncoding.DecodeString(b64.String())
	if err != nil {
		return a, tampered("not base64")
	}
	nl := bytes.LastIndexByte(raw, '\n')
	if nl < 0 {
		return a, tampered("no checksum")
	}
	body, sum := raw[:nl], string(raw[nl+1:])
	want := sha256.Sum256(body)
	if sum != hex.EncodeToString(want[:]) {
		return a, tampered("checksum mismatch")
	}
	var w wireAnswer
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return a, tampered("not the answer's form")
	}
	if w.V != 1 {
		return a, backend.Errorf(backend.EInvalid, "approval.version", "this approval answer was made by a newer Pauta")
	}
	if !idRE.MatchString(w.Package) || !idRE.MatchString(w.WS) || w.Client <= 0 || len(w.Posts) == 0 {
		return a, tampered("missing package, workspace, client or posts")
	}
	a = backend.ApprovalAnswer{PackageID: w.Package, WorkspaceID: w.WS, ClientID: w.Client}
	for _, p := range w.Posts {
		d := backend.ApprovalStatus(p.D)
		if p.ID <= 0 || !hexRE.MatchString(p.Hash) || (d != backend.ApprovalApproved && d != backend.ApprovalChanges) ||
			utf8.RuneCountInString(p.Comment) > backend.MaxApprovalComment {
			return backend.ApprovalAnswer{}, tampered("a decision is not one the page writes")
		}
		a.Decisions = append(a.Decisions, backend.ApprovalDecision{PostID: p.ID, Hash: p.Hash, Decision: d, Comment: strings.TrimSpace(p.Comment)})
	}
	return a, nil
}
