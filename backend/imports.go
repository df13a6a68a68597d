package backend

import (
	"context"
	"time"
)

// ImportBatch is a checked CSV import ready to write: every post, with the
// library images it carries, goes in one transaction or not at all.
type ImportBatch struct {
	ClientID int64
	Label    string // import-YYYY-MM-DD, added to every post's labels
	FileName string
	Posts    []ImportPost
}

// ImportPost is one post of a batch. Media are library images in order:
// one the client already has (same hash) is reused, a new one is added.
type ImportPost struct {
	Post  Post
	Media []Media
}

// ImportRecord is an applied import.
type ImportRecord struct {
	ID        int64      `json:"id"`
	ClientID  int64      `json:"clientId"`
	Label     string     `json:"label"`
	FileName  string     `json:"fileName"`
	Posts     int        `json:"posts"`
	CreatedAt time.Time  `json:"createdAt"`
	UndoneAt  *time.Time `json:"undoneAt"`
}

// ImportLabel is the label an import made at now gives its posts, as the
// date in the client's zone.
func ImportLabel(now time.Time, zone string) string {
	return "import-" + now.In(Zones{}.Get(zone)).Format("2006-01-02")
}

// ImportStore writes and undoes CSV imports.
type ImportStore interface {
	// ApplyImport writes the whole batch in one transaction.
	ApplyImport(ctx context.Context, b *ImportBatch) (ImportRecord, error)
	// UndoImport removes the posts the import created and the images it
	// added that nothing else uses, in one transaction. It refuses (EConflict
	// import.published) when one of its posts has gone out already.
	// dropped are the library images it removed (their files may go too).
	UndoImport(ctx context.Context, id int64) (removed int, dropped []Media, err error)
	ListImports(ctx context.Context, clientID int64) ([]ImportRecord, error)
}
