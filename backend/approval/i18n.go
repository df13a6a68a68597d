package approval

import (
	"strings"
	"time"

	"pauta/backend"
)

// The package is read by the client, in the client's content language:
// its words live here, on the Go side, for es, it and en.
type words struct {
	title, period, intro, numbered, firstComment, images, decision, approve, changes, comment, commentHint string
	sendBack, sendIntro, download, copy, copied, needComment, noneDecided, progress, empty, package_, made string
	checkbox, paperIntro, footer, approved, changesAsked                                                   string
	days                                                                                                   [7]string
	months                                                                                                 [12]string
}

var catalog = map[string]words{
	"en": {
		title: "Posts for your approval", period: "{from} – {to}",
		intro:    "Each post is shown as it will look on each network, at its time ({zone}). Approve it or ask for changes, then press “Send back” at the end.",
		numbered: "Post {n}", firstComment: "First comment", images: "Images", decision: "Your decision",
		approve: "Approve", changes: "Ask for changes", comment: "Comment", commentHint: "What should change?",
		sendBack: "Send back", sendIntro: "Send this answer to your community manager: attach the downloaded file, or copy the text below into an e-mail.",
		download: "Download the answer file", copy: "Copy the text", copied: "Copied",
		needComment: "Post {n}: say what should change.", noneDecided: "Approve or ask for changes on at least one post first.",
		progress: "{n} of {total} posts decided", empty: "There are no posts in this period.", package_: "Package", made: "Made on {date}",
		checkbox: "[  ] Approve     [  ] Ask for changes", paperIntro: "Each post is shown as it will look on each network, at its time ({zone}). Tick approve or ask for changes and write what should change.", footer: "Made with Pauta. This file needs no internet connection.",
		approved: "approved", changesAsked: "changes asked",
		days:   [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	},
	"es": {
		title: "Publicaciones para tu aprobación", period: "{from} – {to}",
		intro:    "Cada publicación se ve como quedará en cada red, a su hora ({zone}). Apruébala o pide cambios y pulsa «Enviar respuesta» al final.",
		numbered: "Publicación {n}", firstComment: "Primer comentario", images: "Imágenes", decision: "Tu decisión",
		approve: "Aprobar", changes: "Pedir cambios", comment: "Comentario", commentHint: "¿Qué hay que cambiar?",
		sendBack: "Enviar respuesta", sendIntro: "Envía esta respuesta a tu community manager: adjunta el archivo descargado o copia el texto de abajo en un correo.",
		download: "Descargar el archivo de respuesta", copy: "Copiar el texto", copied: "Copiado",
		needComment: "Publicación {n}: di qué hay que cambiar.", noneDecided: "Primero aprueba o pide cambios en al menos una publicación.",
		progress: "{n} de {total} publicaciones decididas", empty: "No hay publicaciones en este periodo.", package_: "Paquete", made: "Creado el {date}",
		checkbox: "[  ] Aprobar     [  ] Pedir cambios", paperIntro: "Cada publicación se ve como quedará en cada red, a su hora ({zone}). Marca aprobar o pedir cambios y escribe qué hay que cambiar.", footer: "Hecho con Pauta. Este archivo no necesita conexión a internet.",
		approved: "aprobada", changesAsked: "cambios pedidos",
		days:   [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	},
	"it": {
		title: "Post da approvare", period: "{from} – {to}",
		intro:    "Ogni post è mostrato come apparirà su ogni rete, alla sua ora ({zone}). Approvalo o chiedi modifiche, poi premi «Invia risposta» in fondo.",
		numbered: "Post {n}", firstComment: "Primo commento", images: "Immagini", decision: "La tua decisione",
		approve: "Approva", changes: "Chiedi modifiche", comment: "Commento", commentHint: "Cosa va cambiato?",
		sendBack: "Invia risposta", sendIntro: "Invia questa risposta al tuo community manager: allega il file scaricato o copia il testo qui sotto in un'e-mail.",
		download: "Scarica il file di risposta", copy: "Copia il testo", copied: "Copiato",
		needComment: "Post {n}: scrivi cosa va cambiato.", noneDecided: "Prima approva o chiedi modifiche su almeno un post.",
		progress: "{n} post decisi su {total}", empty: "Non ci sono post in questo periodo.", package_: "Pacchetto", made: "Creato il {date}",
		checkbox: "[  ] Approva     [  ] Chiedi modifiche", paperIntro: "Ogni post è mostrato come apparirà su ogni rete, alla sua ora ({zone}). Segna approva o chiedi modifiche e scrivi cosa va cambiato.", footer: "Fatto con Pauta. Questo file non ha bisogno di internet.",
		approved: "approvato", changesAsked: "modifiche chieste",
		days:   [7]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
		months: [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	},
}

// Lang is the package's language for a client's content language: es, it or en.
func Lang(content string) string {
	l := strings.ToLower(strings.TrimSpace(content))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if _, ok := catalog[l]; ok {
		return l
	}
	return "en"
}

func fill(s string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

// day is a date as a person writes it: "Tuesday 1 December" (en),
// "martes 1 de diciembre" (es), "martedì 1 dicembre" (it).
func (w words) day(t time.Time, lang string) string {
	d, m := w.days[t.Weekday()], w.months[t.Month()-1]
	switch lang {
	case "es":
		return d + " " + itoa(t.Day()) + " de " + m
	case "it":
		return d + " " + itoa(t.Day()) + " " + m
	}
	return d + " " + itoa(t.Day()) + " " + m
}

// when is a post's date and 24-hour time.
func (w words) when(t time.Time, lang string) string {
	return w.day(t, lang) + ", " + t.Format("15:04")
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// networkName is how a network is called in the package.
func networkName(n backend.Network) string {
	switch n {
	case backend.Instagram:
		return "Instagram"
	case backend.Facebook:
		return "Facebook"
	case backend.X:
		return "X"
	case backend.LinkedIn:
		return "LinkedIn"
	case backend.Mastodon:
		return "Mastodon"
	case backend.Bluesky:
		return "Bluesky"
	case backend.Threads:
		return "Threads"
	case backend.TikTok:
		return "TikTok"
	case backend.Pinterest:
		return "Pinterest"
	case backend.YouTube:
		return "YouTube"
	case backend.GoogleBusiness:
		return "Google Business Profile"
	}
	return string(n)
}
