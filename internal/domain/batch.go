package domain

import "time"

// BatchKind says what produced an import batch.
type BatchKind string

const (
	BatchRun     BatchKind = "run"     // a collector run (scheduled or by hand)
	BatchUpload  BatchKind = "upload"  // an analyst's spreadsheet
	BatchBundled BatchKind = "bundled" // the figures shipped with the binary
)

// Batch is a set of observations written together, all or nothing. Every
// write to the store is a batch, so provenance, precedence and rollback
// live in one place.
type Batch struct {
	Kind   BatchKind
	Source SourceKind // every observation in the batch has this source kind
	// Label describes the batch for people: a file name, "SCB TAB638", ...
	Label string
	Actor string // user name, or "scheduler"
	// Observations to write. Their Source.BatchID is set by the store.
	Observations []Observation
	// Stamps (optional) are a collector's table stamps, saved with the
	// figures so a crash can never record a table as fetched without them.
	Stamps map[string]time.Time
}

// BatchStatus is the life state of a stored batch.
type BatchStatus string

const (
	BatchApplied    BatchStatus = "applied"
	BatchRolledBack BatchStatus = "rolled_back"
)

// BatchInfo is a stored batch as the batch list shows it.
type BatchInfo struct {
	ID           int64       `json:"id"`
	Kind         BatchKind   `json:"kind"`
	Source       SourceKind  `json:"source"`
	Label        string      `json:"label"`
	Actor        string      `json:"actor"`
	CreatedAt    time.Time   `json:"created_at"`
	Rows         int         `json:"rows"`
	New          int         `json:"new"`
	Changed      int         `json:"changed"`
	Unchanged    int         `json:"unchanged"`
	Shadowed     int         `json:"shadowed"`
	Status       BatchStatus `json:"status"`
	RolledBackAt *time.Time  `json:"rolled_back_at,omitempty"`
	RolledBackBy string      `json:"rolled_back_by,omitempty"`
}

// ChangeKind classifies one cell of a diff.
type ChangeKind string

const (
	ChangeNew       ChangeKind = "new"       // no figure shown before
	ChangeChanged   ChangeKind = "changed"   // the figure shown changes
	ChangeUnchanged ChangeKind = "unchanged" // same figure as shown now
	// ChangeShadowed: the batch's figure differs from the one shown, but a
	// source with higher precedence keeps the shown figure.
	ChangeShadowed ChangeKind = "shadowed"
)

// Change is one cell of a diff, in terms of what pages show.
type Change struct {
	Key     Key        `json:"key"`
	Kind    ChangeKind `json:"kind"`
	Old     *float64   `json:"old,omitempty"` // figure shown before, nil if none
	New     float64    `json:"new"`
	OldFrom *Source    `json:"old_from,omitempty"` // source of the figure shown before
}

// Diff is what a batch changes (Preview) or changed (Apply). Preview and
// Apply compute it the same way, so a preview never disagrees with the
// write.
type Diff struct {
	BatchID   int64    `json:"batch_id,omitempty"`
	New       int      `json:"new"`
	Changed   int      `json:"changed"`
	Unchanged int      `json:"unchanged"`
	Shadowed  int      `json:"shadowed"`
	Changes   []Change `json:"changes"`
}

// Add counts a change and keeps it.
func (d *Diff) Add(c Change) {
	switch c.Kind {
	case ChangeNew:
		d.New++
	case ChangeChanged:
		d.Changed++
	case ChangeUnchanged:
		d.Unchanged++
	case ChangeShadowed:
		d.Shadowed++
	}
	d.Changes = append(d.Changes, c)
}
