package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
)

// Lang is a report language: the client's content language when it is one
// of es, it, en; English otherwise.
func Lang(tag string) string {
	base := strings.ToLower(strings.SplitN(strings.SplitN(tag, "-", 2)[0], "_", 2)[0])
	switch base {
	case "es", "it", "en":
		return base
	}
	return "en"
}

// texts are the words of the PDF and CSV in each language.
var texts = map[string]map[string]string{
	"en": {
		"title": "Monthly report", "title_range": "Report", "prepared_by": "Prepared by", "page": "Page %d of %s",
		"totals": "Summary", "posts": "Posts", "interactions": "Interactions", "engagement": "Interactions per post", "followers_gained": "Followers gained",
		"vs_prev": "vs previous period", "daily": "Posts and interactions per day", "followers": "Followers per account",
		"top": "Top posts", "networks": "By network", "best": "Best time to post", "objectives": "Objectives", "said": "What people said",
		"summary": "Summary", "plan": "Next month's plan", "date": "Date", "network": "Network", "post": "Post", "likes": "Likes",
		"replies": "Replies", "reposts": "Reposts", "quotes": "Quotes", "reach": "Reach", "saves": "Saves", "per_post": "Per post",
		"target": "Target", "result": "Result", "met": "Met", "not_met": "Not met", "by_hand": "entered by hand", "deleted_mark": "deleted",
		"best_line": "%s at %s:00 (client's time): %s interactions per post on average, over %d posts.",
		"obj_posts": "Posts on %s", "obj_interactions": "Interactions", "obj_followers_gained": "Followers gained", "obj_first_response_minutes": "Median first response (minutes)",
		"conversations": "Conversations per network", "tags": "Items by tag", "quotes_pinned": "Quotes", "response": "First response",
		"median_p90": "Median %s min · 90th percentile %s min (%d answered, %d unanswered)", "crisis": "Crisis log", "arrived": "Arrived", "answered": "Answered", "note": "Outcome",
		"no_posts": "nothing published in this period", "no_figures": "no figures read yet", "no_snapshots": "no follower counts in this period",
		"no_previous": "nothing to compare with", "not_read_yet": "the network has not been reachable since", "manual_missing": "figures not entered",
		"no_inbox_data": "The inbox has no conversations for this period.", "no_target": "no objective set", "no_responses": "no answered conversation",
		"deleted": "deleted from the network", "no_objectives": "No objectives were set for %s.", "none": "None.",
		"csv_date": "date", "csv_time": "time", "csv_network": "network", "csv_account": "account", "csv_text": "text", "csv_url": "link",
		"csv_source": "source", "csv_interactions": "interactions", "csv_missing": "no figures because", "source_network": "network", "source_manual": "entered by hand",
	},
	"es": {
		"title": "Informe mensual", "title_range": "Informe", "prepared_by": "Preparado por", "page": "Página %d de %s",
		"totals": "Resumen", "posts": "Publicaciones", "interactions": "Interacciones", "engagement": "Interacciones por publicación", "followers_gained": "Seguidores ganados",
		"vs_prev": "vs. periodo anterior", "daily": "Publicaciones e interacciones por día", "followers": "Seguidores por cuenta",
		"top": "Publicaciones destacadas", "networks": "Por red", "best": "Mejor momento para publicar", "objectives": "Objetivos", "said": "Lo que dijo la gente",
		"summary": "Resumen", "plan": "Plan para el próximo mes", "date": "Fecha", "network": "Red", "post": "Publicación", "likes": "Me gusta",
		"replies": "Respuestas", "reposts": "Compartidos", "quotes": "Citas", "reach": "Alcance", "saves": "Guardados", "per_post": "Por publicación",
		"target": "Objetivo", "result": "Resultado", "met": "Cumplido", "not_met": "No cumplido", "by_hand": "introducido a mano", "deleted_mark": "eliminada",
		"best_line": "%s a las %s:00 (hora del cliente): %s interacciones por publicación de media, sobre %d publicaciones.",
		"obj_posts": "Publicaciones en %s", "obj_interactions": "Interacciones", "obj_followers_gained": "Seguidores ganados", "obj_first_response_minutes": "Mediana de primera respuesta (minutos)",
		"conversations": "Conversaciones por red", "tags": "Elementos por etiqueta", "quotes_pinned": "Citas", "response": "Primera respuesta",
		"median_p90": "Mediana %s min · percentil 90 %s min (%d respondidas, %d sin responder)", "crisis": "Registro de crisis", "arrived": "Llegó", "answered": "Respondida", "note": "Resultado",
		"no_posts": "no se publicó nada en este periodo", "no_figures": "aún no hay cifras", "no_snapshots": "no hay recuentos de seguidores en este periodo",
		"no_previous": "nada con qué comparar", "not_read_yet": "la red no ha estado accesible desde entonces", "manual_missing": "cifras no introducidas",
		"no_inbox_data": "La bandeja de entrada no tiene conversaciones de este periodo.", "no_target": "sin objetivo", "no_responses": "ninguna conversación respondida",
		"deleted": "eliminada de la red", "no_objectives": "No se fijaron objetivos para %s.", "none": "Ninguno.",
		"csv_date": "fecha", "csv_time": "hora", "csv_network": "red", "csv_account": "cuenta", "csv_text": "texto", "csv_url": "enlace",
		"csv_source": "origen", "csv_interactions": "interacciones", "csv_missing": "sin cifras porque", "source_network": "red", "source_manual": "introducido a mano",
	},
	"it": {
		"title": "Report mensile", "title_range": "Report", "prepared_by": "Preparato da", "page": "Pagina %d di %s",
		"totals": "Riepilogo", "posts": "Post", "interactions": "Interazioni", "engagement": "Interazioni per post", "followers_gained": "Follower guadagnati",
		"vs_prev": "rispetto al periodo precedente", "daily": "Post e interazioni al giorno", "followers": "Follower per account",
		"top": "Post migliori", "networks": "Per rete", "best": "Momento migliore per pubblicare", "objectives": "Obiettivi", "said": "Cosa ha detto la gente",
		"summary": "Sintesi", "plan": "Piano per il prossimo mese", "date": "Data", "network": "Rete", "post": "Post", "likes": "Mi piace",
		"replies": "Risposte", "reposts": "Condivisioni", "quotes": "Citazioni", "reach": "Copertura", "saves": "Salvataggi", "per_post": "Per post",
		"target": "Obiettivo", "result": "Risultato", "met": "Raggiunto", "not_met": "Non raggiunto", "by_hand": "inserito a mano", "deleted_mark": "eliminato",
		"best_line": "%s alle %s:00 (ora del cliente): %s interazioni per post in media, su %d post.",
		"obj_posts": "Post su %s", "obj_interactions": "Interazioni", "obj_followers_gained": "Follower guadagnati", "obj_first_response_minutes": "Mediana della prima risposta (minuti)",
		"conversations": "Conversazioni per rete", "tags": "Elementi per etichetta", "quotes_pinned": "Citazioni", "response": "Prima risposta",
		"median_p90": "Mediana %s min · 90° percentile %s min (%d con risposta, %d senza risposta)", "crisis": "Registro delle crisi", "arrived": "Arrivato", "answered": "Risposto", "note": "Esito",
		"no_posts": "nulla pubblicato in questo periodo", "no_figures": "ancora nessun dato", "no_snapshots": "nessun conteggio dei follower in questo periodo",
		"no_previous": "niente con cui confrontare", "not_read_yet": "la rete non è stata raggiungibile da allora", "manual_missing": "dati non inseriti",
		"no_inbox_data": "La posta in arrivo non ha conversazioni per questo periodo.", "no_target": "nessun obiettivo", "no_responses": "nessuna conversazione con risposta",
		"deleted": "eliminato dalla rete", "no_objectives": "Nessun obiettivo fissato per %s.", "none": "Nessuno.",
		"csv_date": "data", "csv_time": "ora", "csv_network": "rete", "csv_account": "account", "csv_text": "testo", "csv_url": "link",
		"csv_source": "origine", "csv_interactions": "interazioni", "csv_missing": "senza dati perché", "source_network": "rete", "source_manual": "inserito a mano",
	},
}

var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
}

var weekdays = map[string][7]string{
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	"es": {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
	"it": {"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
}

var networkNames = map[backend.Network]string{
	backend.Instagram: "Instagram", backend.Facebook: "Facebook", backend.X: "X", backend.LinkedIn: "LinkedIn", backend.Mastodon: "Mastodon",
	backend.Bluesky: "Bluesky", backend.Threads: "Threads", backend.TikTok: "TikTok", backend.Pinterest: "Pinterest", backend.YouTube: "YouTube",
	backend.GoogleBusiness: "Google Business",
}

// T is a report text in lang.
func T(lang, key string) string {
	if s, ok := texts[Lang(lang)][key]; ok {
		return s
	}
	return texts["en"][key]
}

// NetworkName is a network's display name.
func NetworkName(n backend.Network) string {
	if s, ok := networkNames[n]; ok {
		return s
	}
	return string(n)
}

// PeriodLabel names a period: "octubre 2026", or "20 oct 2026 – 29 oct 2026".
func PeriodLabel(lang string, p Period) string {
	l := Lang(lang)
	if p.Month != "" {
		t, _ := time.Parse("2006-01", p.Month)
		return months[l][t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	from, _ := time.Parse("2006-01-02", p.FromDay)
	to, _ := time.Parse("2006-01-02", p.ToDay)
	return DayLabel(l, from) + " – " + DayLabel(l, to.AddDate(0, 0, -1))
}

// DayLabel is "20 October 2026" (en: "October 20, 2026").
func DayLabel(lang string, t time.Time) string {
	l := Lang(lang)
	if l == "en" {
		return months[l][t.Month()-1] + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
	}
	return strconv.Itoa(t.Day()) + " " + months[l][t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Num formats a number the language's way: 1,234.5 (en), 1.234,5 (es, it).
func Num(lang string, v float64, decimals int) string {
	neg := v < 0
	v = math.Abs(v)
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	thou, dec := ",", "."
	if Lang(lang) != "en" {
		thou, dec = ".", ","
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" && strings.Trim(frac, "0") != "" {
		out += dec + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func networkOf(s string) backend.Network { return backend.Network(s) }
