package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"pauta/backend"
)

// HistoryStore is what SeedHistory writes: posts, their figures and the
// accounts' follower counts.
type HistoryStore interface {
	backend.Store
	backend.MetricsStore
}

// HistoryWeeks is how far back the demo's published history goes.
const HistoryWeeks = 13

// history phrases per client language: plausible posts of the past months.
var historyTexts = map[string][]string{
	"es": {"Pan de centeno recién salido del horno. Ven a por el tuyo. #PanaderíaSol", "Hoy hay empanada gallega de atún. Hasta agotar existencias. #PanaderíaSol",
		"Gracias por vuestras fotos de la semana ☺️ #PanaderíaSol", "¿Croissant o napolitana? Te leemos. #PanaderíaSol", "Nuestro horno de leña cumple 15 años. #PanaderíaSol",
		"Receta de la abuela: magdalenas de aceite. #PanaderíaSol", "Este domingo abrimos de 8:00 a 14:00. #PanaderíaSol", "Masa madre: te contamos cómo la cuidamos cada día. #PanaderíaSol"},
	"it": {"Il nuovo tavolo Riva: rovere e ottone, disegnato da Luca Monti.", "Visita in laboratorio: come nasce una sedia in frassino curvato.",
		"Tre progetti che presenteremo al Salone. Ecco il primo.", "Cerchiamo un tirocinante in design del prodotto.", "Il nostro metodo: prototipi veloci, test lenti.",
		"La lampada Nebbia in un nuovo colore: salvia.", "Dietro le quinte dello shooting della collezione autunno.", "Grazie a chi è passato in studio venerdì."},
	"en": {"Sunday community class: pay what you can, beginners welcome.", "New teacher alert: meet Sam, who teaches our Tuesday slow flow.",
		"Three stretches for your lunch break, no mat needed.", "The studio is warm and the tea is on. Beginners welcome.", "Your favourite class this month? Tell us below.",
		"Breathing practice for busy mornings: 4 in, 6 out.", "Workshop photos are up. Thank you for coming!", "Saturday slow flow is full: join the waiting list."},
}

// network traits: how many posts a week, what a typical post draws, when posts go out.
var netTraits = map[backend.Network]struct {
	perWeek   int
	base      int
	hours     []int
	followers int
}{
	backend.Instagram: {3, 60, []int{9, 13, 19}, 2400},
	backend.Facebook:  {2, 25, []int{9, 18}, 1300},
	backend.LinkedIn:  {2, 40, []int{8, 10, 12}, 900},
	backend.Mastodon:  {3, 12, []int{10, 13, 17}, 420},
	backend.Bluesky:   {3, 18, []int{8, 12, 19}, 650},
}

// SeedHistory gives the named demo clients three months of published posts
// with figures (fetched ones on Mastodon and Bluesky, typed ones elsewhere),
// a follower count per account and day, and objectives for this month and
// the two before, so the report is not empty on the first run. The numbers
// are made up, deterministically.
func SeedHistory(ctx context.Context, store HistoryStore, clock backend.Clock, names []string) (int, error) {
	posts := 0
	now := clock.Now()
	for ci, name := range names {
		c, err := store.FindClientByName(ctx, name)
		if err != nil {
			return posts, err
		}
		loc, err := backend.LoadZone(c.TimeZone)
		if err != nil {
			return posts, err
		}
		accs, err := store.ListAccounts(ctx, c.ID)
		if err != nil {
			return posts, err
		}
		rng := rand.New(rand.NewPCG(uint64(ci+1), 15))
		texts := historyTexts[c.Language]
		if texts == nil {
			texts = historyTexts["en"]
		}
		monday := mondayOf(now.In(loc))
		for _, a := range accs {
			tr, ok := netTraits[a.Network]
			if !ok {
				continue
			}
			for w := HistoryWeeks; w >= 1; w-- {
				for k := 0; k < tr.perWeek; k++ {
					day := monday.AddDate(0, 0, -7*w+(k*7/tr.perWeek)+rng.IntN(2))
					hour := tr.hours[rng.IntN(len(tr.hours))]
					at := time.Date(day.Year(), day.Month(), day.Day(), hour, 5*rng.IntN(12), 0, 0, loc).UTC()
					p := backend.Post{ClientID: c.ID, Status: backend.StatusPublished, BaseText: texts[rng.IntN(len(texts))], ScheduledAt: &at,
						TimeZone: c.TimeZone, Labels: []string{}, Variants: []backend.Variant{{AccountID: a.ID}}}
					if err := store.CreatePost(ctx, &p); err != nil {
						return posts, fmt.Errorf("demo history for %s: %w", c.Name, err)
					}
					posts++
					// Evening posts draw more, and the audience grows week by week.
					scale := float64(tr.base) * (0.6 + rng.Float64()) * (1 + float64(HistoryWeeks-w)/20)
					if hour >= 18 {
						scale *= 1.4
					}
					likes := int(scale)
					replies, shares := int(scale/8)+rng.IntN(3), int(scale/6)
					vid := p.Variants[0].ID
					if a.Network.Direct() {
						err = store.SaveNetworkMetrics(ctx, vid, backend.PostMetrics{Likes: likes, Replies: replies, Reposts: shares, Quotes: rng.IntN(2)}, at.Add(30*24*time.Hour))
					} else {
						reach := likes * (8 + rng.IntN(6))
						f := backend.ManualFigures{Likes: &likes, Comments: &replies, Reach: &reach}
						if a.Network != backend.Pinterest {
							f.Shares = &shares
						}
						if a.Network == backend.Instagram {
							saves := likes / 10
							f.Saves = &saves
						}
						err = store.SaveManualMetrics(ctx, vid, f)
					}
					if err != nil {
						return posts, fmt.Errorf("demo figures for %s: %w", c.Name, err)
					}
				}
			}
			n := tr.followers
			for d := 7*HistoryWeeks + 1; d >= 1; d-- {
				day := now.In(loc).AddDate(0, 0, -d)
				n += rng.IntN(6) - 1
				if _, err := store.SaveFollowers(ctx, backend.FollowerSnapshot{AccountID: a.ID, Day: day.Format("2006-01-02"), Followers: n, TakenAt: day.UTC()}); err != nil {
					return posts, err
				}
			}
		}
		for m := 0; m < 3; m++ {
			month := time.Date(now.In(loc).Year(), now.In(loc).Month()-time.Month(m), 1, 12, 0, 0, 0, loc).Format("2006-01")
			o := backend.Objectives{ClientID: c.ID, Month: month, PostsPerNetwork: map[backend.Network]int{}}
			for _, a := range accs {
				if tr, ok := netTraits[a.Network]; ok {
					o.PostsPerNetwork[a.Network] = tr.perWeek * 4
				}
			}
			inter, gained := 600, 40
			o.Interactions, o.FollowersGained = &inter, &gained
			if err := store.SaveObjectives(ctx, &o); err != nil {
				return posts, err
			}
		}
	}
	return posts, nil
}
