package approval

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"strconv"

	"pauta/backend"
)

//go:embed page.css
var pageCSS string

//go:embed page.js
var pageJS string

// csp allows nothing but the page's own style and script (by hash) and its
// embedded images: no request can leave the file.
func csp() string {
	h := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return "default-src 'none'; img-src data:; style-src " + h(pageCSS) + "; script-src " + h(pageJS) +
		"; base-uri 'none'; form-action 'none'"
}

type pageImage struct {
	Src template.URL
	Alt string
}

type pageCard struct {
	Network, NetworkName, Handle, Name, Text, FirstComment string
}

type pageItem struct {
	Number  int
	PostID  int64
	Hash    string
	When    string
	Cards   []pageCard
	Images  []pageImage
	Decided string // approved / changes already decided for this content
	Comment string
}

type pageData struct {
	Lang, CSP, Title, Client, Color, Period, Intro, Made, PackageID, WorkspaceID, ClientID, FileName string
	CSS                                                                                              template.CSS
	JS                                                                                               template.JS
	Items                                                                                            []pageItem
	W                                                                                                map[string]string
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.Title}} · {{.Client}}</title>
<style>{{.CSS}}</style>
</head>
<body data-package="{{.PackageID}}" data-workspace="{{.WorkspaceID}}" data-client="{{.ClientID}}" data-title="{{.Title}} · {{.Client}} · {{.Period}}"
 data-t-progress="{{.W.progress}}" data-t-need-comment="{{.W.needComment}}" data-t-none-decided="{{.W.noneDecided}}" data-t-approved="{{.W.approved}}" data-t-changes="{{.W.changesAsked}}">
<div class="wrap">
<header class="top">
<p class="client">{{.Client}}</p>
<h1>{{.Title}}</h1>
<p data-testid="period"><strong>{{.Period}}</strong></p>
<p>{{.Intro}}</p>
<p class="muted">{{.Made}}</p>
</header>
<main>
{{range .Items}}
<article class="post{{if eq .Decided "approved"}} is-approved{{else if eq .Decided "changes"}} is-changes{{end}}" id="post-{{.Number}}" data-number="{{.Number}}" data-post-id="{{.PostID}}" data-hash="{{.Hash}}">
<h2><span class="num">{{.Number}}</span> <span>{{.When}}</span></h2>
<div class="cards">
{{$p := .}}{{range .Cards}}<section class="card net-{{.Network}}">
<header>{{if .NetworkName}}<span class="net">{{.NetworkName}}</span>{{end}} {{if .Name}}<strong>{{.Name}}</strong>{{end}} <span class="handle">{{.Handle}}</span></header>
<p class="text">{{.Text}}</p>
{{if $p.Images}}<div class="imgs">{{range $p.Images}}<img src="{{.Src}}" alt="{{.Alt}}">{{end}}</div>{{end}}
{{if .FirstComment}}<p class="reply"><b>{{$.W.firstComment}}</b>{{.FirstComment}}</p>{{end}}
</section>
{{end}}</div>
<fieldset class="decision">
<legend>{{$.W.decision}}</legend>
<div class="choices">
<label><input type="radio" name="d-{{.PostID}}" value="approved"{{if eq .Decided "approved"}} checked{{end}}> {{$.W.approve}}</label>
<label><input type="radio" name="d-{{.PostID}}" value="changes"{{if eq .Decided "changes"}} checked{{end}}> {{$.W.changes}}</label>
</div>
<label class="comment-label" for="c-{{.PostID}}">{{$.W.comment}}</label>
<textarea id="c-{{.PostID}}" maxlength="5000" placeholder="{{$.W.commentHint}}">{{.Comment}}</textarea>
</fieldset>
</article>
{{else}}
<p class="empty">{{.W.empty}}</p>
{{end}}
</main>
{{if .Items}}
<footer class="send">
<p id="progress" role="status"></p>
<p id="problem" class="problem" role="alert"></p>
<button type="button" id="send-back">{{.W.sendBack}}</button>
<div id="answer" hidden>
<p>{{.W.sendIntro}}</p>
<div class="actions"><a class="button" id="download" download="{{.FileName}}">{{.W.download}}</a>
<button type="button" class="secondary" id="copy">{{.W.copy}}</button> <span id="copied" hidden>{{.W.copied}}</span></div>
<textarea id="answer-text" readonly aria-label="{{.W.sendBack}}"></textarea>
</div>
</footer>
{{end}}
<p class="muted">{{.W.footer}} {{.W.package}} {{.PackageID}}</p>
</div>
<script>{{.JS}}</script>
</body>
</html>
`))

// HTML is the package as one self-contained page: styles, script and images
// inside, a Content-Security-Policy that forbids loading anything else.
func HTML(p *Package) ([]byte, error) {
	w := p.words()
	d := pageData{
		Lang: p.Lang, CSP: csp(), Title: w.title, Client: p.Client.Name, Color: p.Client.Color, Period: p.periodText(),
		Intro: fill(w.intro, "zone", p.Client.TimeZone), Made: fill(w.made, "date", w.when(p.Made, p.Lang)),
		PackageID: p.ID, WorkspaceID: p.WorkspaceID, ClientID: strconv.FormatInt(p.Client.ID, 10), FileName: AnswerFileName(p),
		CSS: template.CSS(pageCSS), JS: template.JS(pageJS),
		W: map[string]string{"progress": w.progress, "needComment": w.needComment, "noneDecided": w.noneDecided, "approved": w.approved,
			"changesAsked": w.changesAsked, "firstComment": w.firstComment, "decision": w.decision, "approve": w.approve, "changes": w.changes,
			"comment": w.comment, "commentHint": w.commentHint, "empty": w.empty, "sendBack": w.sendBack, "sendIntro": w.sendIntro,
			"download": w.download, "copy": w.copy, "copied": w.copied, "footer": w.footer, "package": w.package_},
	}
	for _, it := range p.Items {
		pi := pageItem{Number: it.Number, PostID: it.Post.ID, Hash: it.Post.ContentHash, When: w.when(it.When, p.Lang)}
		if a := it.Post.Approval; (a.Status == backend.ApprovalApproved || a.Status == backend.ApprovalChanges) && a.Hash == it.Post.ContentHash {
			pi.Decided, pi.Comment = string(a.Status), a.Comment
		}
		for _, c := range it.Cards {
			name := ""
			if c.Network != "" {
				name = networkName(c.Network)
			}
			pi.Cards = append(pi.Cards, pageCard{Network: string(c.Network), NetworkName: name, Handle: c.Handle, Name: c.DisplayName, Text: c.Text, FirstComment: c.FirstComment})
		}
		for _, im := range it.Images {
			pi.Images = append(pi.Images, pageImage{Src: template.URL("data:" + im.MIME + ";base64," + base64.StdEncoding.EncodeToString(im.Data)), Alt: im.Alt})
		}
		d.Items = append(d.Items, pi)
	}
	var b bytes.Buffer
	if err := pageTmpl.Execute(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// FileName is the package's file name without extension: "approval-sol-2026-12-07".
func FileName(p *Package) string {
	return fill("{word}-{client}-{date}", "word", map[string]string{"es": "aprobacion", "it": "approvazione", "en": "approval"}[p.Lang],
		"client", slug(p.Client.Name), "date", p.From.Format("2006-01-02"))
}

// AnswerFileName is the answer's download name.
func AnswerFileName(p *Package) string {
	return fill("{word}-{client}-{date}.txt", "word", map[string]string{"es": "respuesta", "it": "risposta", "en": "answer"}[p.Lang],
		"client", slug(p.Client.Name), "date", p.From.Format("2006-01-02"))
}

func slug(s string) string {
	var b []rune
	dash := false
	for _, r := range []rune(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b, dash = append(b, r), false
		case r >= 'A' && r <= 'Z':
			b, dash = append(b, r+'a'-'A'), false
		default:
			if m, ok := accents[r]; ok {
				b, dash = append(b, m), false
			} else if !dash && len(b) > 0 {
				b, dash = append(b, '-'), true
			}
		}
	}
	out := string(b)
	for len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	if out == "" {
		return "client"
	}
	if len(out) > 40 {
		out = out[:40]
	}
	return out
}

var accents = map[rune]rune{'á': 'a', 'à': 'a', 'é': 'e', 'è': 'e', 'í': 'i', 'ì': 'i', 'ó': 'o', 'ò': 'o', 'ú': 'u', 'ù': 'u', 'ñ': 'n', 'ç': 'c', 'ü': 'u',
	'Á': 'a', 'À': 'a', 'É': 'e', 'È': 'e', 'Í': 'i', 'Ó': 'o', 'Ú': 'u', 'Ñ': 'n'}
