// Package demo fills a workspace with three clients, six accounts and about
// forty posts over this week and next, so a first run shows real work.
// Running it twice creates nothing new: a client that already exists (by
// name) is left as it is.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pauta/backend"
)

// Report says what Seed created or found already there.
type Report struct {
	Clients  []string `json:"clients"`  // created
	Skipped  []string `json:"skipped"`  // already present, untouched
	Accounts int      `json:"accounts"` // created
	Posts    int      `json:"posts"`    // created
	History  int      `json:"history"`  // published posts of the past months (SeedHistory)
}

type demoAccount struct {
	network       backend.Network
	handle, title string
}

type demoPost struct {
	day      int // 0 = Monday of this week … 13 = Sunday of next week
	at       string
	networks []backend.Network // empty = all of the client's accounts
	status   backend.PostStatus
	labels   []string
	text     string
}

// instagramComments: demo posts (by the start of their text) whose
// Instagram account gets a hashtag first comment the other networks don't.
var instagramComments = map[string]string{
	"Lunes de masa madre": "#masamadre #pan #panaderia #madrid #sourdough",
}

type demoClient struct {
	client   backend.Client
	accounts []demoAccount
	posts    []demoPost
}

var s, d = backend.StatusScheduled, backend.StatusDraft

var clients = []demoClient{
	{
		client: backend.Client{Name: "Panadería Sol", Color: "#e8833a", TimeZone: "Europe/Madrid", Language: "es",
			Guidelines: "Tono cercano y cálido, tuteo. Siempre #PanaderíaSol. Nada de 'barato': decimos 'de siempre'."},
		accounts: []demoAccount{{backend.Instagram, "@panaderiasol", "Panadería Sol"}, {backend.Facebook, "panaderiasol", "Panadería Sol Madrid"}},
		posts: []demoPost{
			{0, "08:30", nil, s, []string{"producto"}, "Lunes de masa madre: 48 horas de fermentación y una corteza que cruje. Ven temprano, vuela. 🥖 #PanaderíaSol"},
			{0, "18:00", []backend.Network{backend.Instagram}, s, []string{"equipo"}, "Conoce a Lucía, nuestra maestra panadera desde 2009. ¿Su secreto? Paciencia y harina de Castilla. #PanaderíaSol"},
			{1, "09:00", nil, s, []string{"producto"}, "Martes de torrijas fuera de temporada, porque sí. Solo hoy. #PanaderíaSol"},
			{2, "08:30", []backend.Network{backend.Facebook}, s, []string{"local"}, "Este sábado abrimos también en la calle Ibiza. ¡Os esperamos con café de regalo! #PanaderíaSol"},
			{2, "13:00", []backend.Network{backend.Instagram}, d, []string{"receta"}, "Receta: tostada de pan de centeno con tomate rallado y AOVE. Guarda este post. #PanaderíaSol"},
			{3, "08:30", nil, s, []string{"producto"}, "Jueves de roscón (sí, en noviembre). Encárgalo y recógelo calentito. #PanaderíaSol"},
			{4, "09:00", nil, s, []string{"sorteo"}, "SORTEO 🎉 Un mes de pan gratis. Sigue a @panaderiasol, comenta con quién lo compartirías. #PanaderíaSol"},
			{5, "10:00", []backend.Network{backend.Instagram}, s, []string{"local"}, "Sábado de mercado en Chamberí: búscanos en el puesto 14. #PanaderíaSol"},
			{7, "08:30", nil, s, []string{"producto"}, "Nueva semana, nuevo pan: espelta con nueces. #PanaderíaSol"},
			{8, "18:30", []backend.Network{backend.Instagram}, d, []string{"equipo"}, "Detrás del mostrador: así empieza nuestro día a las 4:00. #PanaderíaSol"},
			{9, "09:00", nil, s, []string{"sorteo"}, "Ganadora del sorteo: ¡enhorabuena, @marta.cocina! Escríbenos por privado. #PanaderíaSol"},
			{10, "13:00", []backend.Network{backend.Facebook}, d, []string{"receta"}, "Pan del día anterior = migas extremeñas. Te contamos cómo. #PanaderíaSol"},
			{11, "08:30", nil, s, []string{"producto"}, "Viernes de brioche. Mantequilla de verdad, sin atajos. #PanaderíaSol"},
			{12, "10:00", []backend.Network{backend.Instagram}, s, []string{"local"}, "Hoy taller de masa madre para peques a las 11:00. Quedan 3 plazas. #PanaderíaSol"},
		},
	},
	{
		client: backend.Client{Name: "Studio Brera", Color: "#2f6fde", TimeZone: "Europe/Rome", Language: "it",
			Guidelines: "Tono sobrio, frasi brevi. Mai emoji nei post LinkedIn. Citare sempre il progettista."},
		accounts: []demoAccount{{backend.LinkedIn, "studio-brera", "Studio Brera Design"}, {backend.Mastodon, "@studiobrera@mastodon.design", "Studio Brera"}},
		posts: []demoPost{
			{0, "10:00", []backend.Network{backend.LinkedIn}, s, []string{"progetti"}, "Nuovo progetto: la sedia Ago, disegnata da Chiara Ferri. Frassino curvato, zero viti."},
			{1, "12:30", []backend.Network{backend.Mastodon}, s, []string{"processo"}, "Dal bozzetto al prototipo in sei settimane: il making of della lampada Nebbia. #design #Milano"},
			{2, "10:00", nil, s, []string{"eventi"}, "Giovedì sera apriamo lo studio in via Solferino per la Design Week d'autunno. Ingresso libero."},
			{3, "18:00", []backend.Network{backend.Mastodon}, d, []string{"processo"}, "Tre materiali che useremo nel 2027: sughero, alluminio riciclato, lino. Perché?"},
			{4, "10:00", []backend.Network{backend.LinkedIn}, s, []string{"team"}, "Cerchiamo un/una junior product designer. Candidature entro il 15 dicembre."},
			{6, "11:00", []backend.Network{backend.Mastodon}, s, []string{"eventi"}, "Grazie a chi è passato giovedì: le foto della serata nel thread. #design"},
			{7, "10:00", []backend.Network{backend.LinkedIn}, s, []string{"progetti"}, "Caso studio: il nuovo showroom Ferri a Torino, dalla luce ai percorsi."},
			{8, "12:30", nil, d, []string{"processo"}, "Come scegliamo un colore: 40 campioni, una parete, due settimane di luce naturale."},
			{9, "10:00", []backend.Network{backend.LinkedIn}, s, []string{"team"}, "Benvenuto a Marco Galli, nuovo responsabile di produzione."},
			{10, "17:30", []backend.Network{backend.Mastodon}, s, []string{"processo"}, "Il prototipo 3 della sedia Ago non ha passato il test di carico. Ecco cosa abbiamo cambiato."},
			{11, "10:00", nil, s, []string{"progetti"}, "La lampada Nebbia è in finale all'ADI Design Index."},
			{13, "11:00", []backend.Network{backend.Mastodon}, d, []string{"eventi"}, "Domenica di laboratorio aperto: portate un oggetto rotto, lo ripariamo insieme."},
		},
	},
	{
		client: backend.Client{Name: "Hearth Yoga London", Color: "#3fa66b", TimeZone: "Europe/London", Language: "en",
			Guidelines: "Warm, inclusive, never preachy. No before/after body images. Always mention that beginners are welcome."},
		accounts: []demoAccount{{backend.Instagram, "@hearthyoga", "Hearth Yoga"}, {backend.Bluesky, "hearthyoga.bsky.social", "Hearth Yoga London"}},
		posts: []demoPost{
			{0, "07:00", nil, s, []string{"classes"}, "Monday 7am flow is back at the Hackney studio. Beginners welcome, mats provided. 🧘"},
			{1, "19:30", []backend.Network{backend.Instagram}, s, []string{"tips"}, "Tight hips from desk work? Try 2 minutes of pigeon pose tonight. Swipe for the steps."},
			{2, "07:00", []backend.Network{backend.Bluesky}, s, []string{"community"}, "Thank you to the 40 of you who came to Sunday's community class. Donations went to @hackneyfoodbank."},
			{3, "12:00", nil, d, []string{"classes"}, "New: lunchtime yin, Thursdays 12:15–13:00. Beginners welcome."},
			{4, "08:00", []backend.Network{backend.Instagram}, s, []string{"tips"}, "Breath before pose. Four counts in, six counts out."},
			{5, "09:00", nil, s, []string{"workshops"}, "December workshop: Restorative yoga for the long nights. Booking opens Monday."},
			{7, "07:00", nil, s, []string{"workshops"}, "Booking is open: Restorative yoga for the long nights, 14 December. Beginners welcome."},
			{8, "19:30", []backend.Network{backend.Bluesky}, s, []string{"tips"}, "Cold mornings: warm up with 5 rounds of cat-cow before you even get out of bed."},
			{9, "12:00", []backend.Network{backend.Instagram}, d, []string{"community"}, "Meet our teachers: Priya, who came to yoga through running injuries."},
			{10, "07:00", nil, s, []string{"classes"}, "Studio closed Friday for a deep clean. See you Saturday!"},
			{11, "18:00", []backend.Network{backend.Instagram}, s, []string{"community"}, "Your photos from this month, collected. Tag #HearthYoga to be in the next one."},
			{12, "09:00", nil, s, []string{"classes"}, "Saturday slow flow, 9am. Beginners welcome, as always."},
			{13, "17:00", []backend.Network{backend.Bluesky}, d, []string{"workshops"}, "One week until the restorative workshop. 3 spots left."},
		},
	},
}

// Counts of what a full Seed creates, for tests and the first-run screen.
func Counts() (clientsN, accounts, posts int) {
	for _, c := range clients {
		clientsN++
		accounts += len(c.accounts)
		posts += len(c.posts)
	}
	return
}

// Seed creates the demo workspace around the week of clock.Now().
func Seed(ctx context.Context, store backend.Store, clock backend.Clock) (Report, error) {
	r := Report{Clients: []string{}, Skipped: []string{}}
	for _, dc := range clients {
		if _, err := store.FindClientByName(ctx, dc.client.Name); err == nil {
			r.Skipped = append(r.Skipped, dc.client.Name)
			continue
		} else if backend.ErrorCode(err) != backend.ENotFound {
			return r, err
		}
		c := dc.client
		if err := store.CreateClient(ctx, &c); err != nil {
			return r, fmt.Errorf("demo client %s: %w", c.Name, err)
		}
		r.Clients = append(r.Clients, c.Name)
		byNet := map[backend.Network]int64{}
		for _, da := range dc.accounts {
			a := backend.Account{ClientID: c.ID, Network: da.network, Handle: da.handle, DisplayName: da.title}
			if err := store.CreateAccount(ctx, &a); err != nil {
				return r, fmt.Errorf("demo account %s: %w", da.handle, err)
			}
			byNet[da.network] = a.ID
			r.Accounts++
		}
		loc, err := backend.LoadZone(c.TimeZone)
		if err != nil {
			return r, err
		}
		monday := mondayOf(clock.Now().In(loc))
		for _, dp := range dc.posts {
			day := monday.AddDate(0, 0, dp.day)
			res, err := backend.ResolveLocal(backend.LocalInput{Date: day.Format("2006-01-02"), Time: dp.at}, c.TimeZone)
			if err != nil {
				return r, err
			}
			status := dp.status
			if res.UTC.Before(clock.Now()) {
				status = backend.StatusPublished // earlier this week: already out
			}
			p := backend.Post{ClientID: c.ID, Status: status, BaseText: dp.text, ScheduledAt: &res.UTC, TimeZone: c.TimeZone, Labels: dp.labels}
			nets := dp.networks
			if len(nets) == 0 {
				for _, da := range dc.accounts {
					nets = append(nets, da.network)
				}
			}
			for _, n := range nets {
				v := backend.Variant{AccountID: byNet[n]}
				for prefix, c := range instagramComments {
					if n == backend.Instagram && strings.HasPrefix(dp.text, prefix) {
						v.FirstComment = c
					}
				}
				p.Variants = append(p.Variants, v)
			}
			if err := store.CreatePost(ctx, &p); err != nil {
				return r, fmt.Errorf("demo post for %s: %w", c.Name, err)
			}
			r.Posts++
		}
	}
	return r, nil
}

func mondayOf(t time.Time) time.Time {
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	y, m, d := t.Date()
	return time.Date(y, m, d-wd, 12, 0, 0, 0, t.Location())
}
