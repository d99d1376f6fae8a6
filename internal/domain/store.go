package domain

import (
	"context"
	"time"
)

// Filter selects observations. Empty fields select everything.
type Filter struct {
	Indicators     []string
	Municipalities []string
	FromYear       int // inclusive; 0 = no lower bound
	ToYear         int // inclusive; 0 = no upper bound
}

// ObservationStore reads and writes figures. Observations returns, for each
// cell, the figure that wins under the store's Precedence, with its source.
type ObservationStore interface {
	Observations(ctx context.Context, f Filter) ([]Observation, error)
	// Preview computes what Apply would change without writing anything.
	Preview(ctx context.Context, b Batch) (Diff, error)
	// Apply writes the batch in one transaction: all or nothing. The
	// batch's table stamps are saved in the same transaction.
	Apply(ctx context.Context, b Batch) (Diff, error)
	// Rollback restores exactly the figures that were there before the
	// batch. A batch whose figures a later batch overwrote cannot be rolled
	// back before that later batch (CodeConflict).
	Rollback(ctx context.Context, batchID int64, actor string) error
	Batch(ctx context.Context, id int64) (BatchInfo, error)
	Batches(ctx context.Context, limit int) ([]BatchInfo, error)
	// DataVersion changes whenever figures change, on any instance; caches
	// and ETags key on it.
	DataVersion(ctx context.Context) (int64, error)
	// Years lists the years that have at least one figure of the indicator.
	Years(ctx context.Context, indicator string) ([]int, error)
}

// RunStatus is the outcome of a collector run.
type RunStatus string

const (
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
	RunSkipped   RunStatus = "skipped" // the source said nothing changed
	// RunPartial: some tables landed and some failed ("delvis" on pages).
	// Each table lands whole or not at all, so one broken table never keeps
	// the others' figures out.
	RunPartial RunStatus = "partial"
)

// TableStatus is the outcome of one table (or Kolada request) of a run.
type TableStatus string

const (
	TableLanded    TableStatus = "landed"    // its figures were written
	TableFailed    TableStatus = "failed"    // nothing of it was written
	TableUnchanged TableStatus = "unchanged" // the source said it had not changed, or had nothing new
)

// RunTable is the recorded outcome of one Unit of a run.
type RunTable struct {
	Ref    string      `json:"ref"`
	Status TableStatus `json:"status"`
	Rows   int         `json:"rows"`
	// Error is the Swedish message and the technical detail of a failure.
	Error string `json:"error,omitempty"`
}

// Run records one collector run for the admin page.
type Run struct {
	ID        int64      `json:"id"`
	Source    string     `json:"source"`
	Trigger   string     `json:"trigger"` // "schedule", "manual", "cli"
	Started   time.Time  `json:"started"`
	Finished  *time.Time `json:"finished,omitempty"`
	Status    RunStatus  `json:"status"`
	BatchID   int64      `json:"batch_id,omitempty"`
	New       int        `json:"new"`
	Changed   int        `json:"changed"`
	Unchanged int        `json:"unchanged"`
	Error     string     `json:"error,omitempty"`
	// Tables lists the outcome of every table or request, in the order the
	// collector reported them.
	Tables []RunTable `json:"tables,omitempty"`
}

// RunStore records collector runs.
type RunStore interface {
	// Stamps returns the last-updated stamps saved by the source's last
	// successful runs (see Collection.Stamps).
	Stamps(ctx context.Context, source string) (map[string]time.Time, error)
	StartRun(ctx context.Context, source, trigger string) (Run, error)
	FinishRun(ctx context.Context, r Run) error
	Runs(ctx context.Context, source string, limit int) ([]Run, error)
}

// Collector turns one source's answers into observations. It knows the
// source's wire format and nothing else: it never writes to the store.
type Collector interface {
	// Name is the source's id in config and on the admin page ("scb").
	Name() string
	// Collect fetches every configured table. seen holds, per table or KPI,
	// the source's last-updated stamp from the previous successful run; a
	// table whose stamp has not moved is not fetched again.
	Collect(ctx context.Context, seen map[string]time.Time) (Collection, error)
}

// Unit is one part of a collection that lands whole or not at all: one SCB
// table (every indicator it feeds), one Kolada request (every KPI it
// covers). A failing unit never keeps the others from landing.
type Unit struct {
	// Ref names the unit for people and metrics: "TAB638", "N02267", or
	// "N02267,N02235" for a request covering several KPIs.
	Ref          string
	Observations []Observation
	// Stamp is the source's last-updated time of the table (zero if the
	// source gives none); it is saved only when the unit lands or is
	// unchanged, and passed back as seen[Ref] next time.
	Stamp time.Time
	// Unchanged is set when the unit was not fetched because its stamp had
	// not moved, or when it had nothing new to give.
	Unchanged bool
	// Err is why the unit failed; a failed unit carries no observations.
	Err error
}

// Collection is a collector's answer: one Unit per table or request. Collect
// returns an error only for a failure of the whole source (bad config, the
// run cancelled); a failing table is a Unit with Err.
type Collection struct {
	Units []Unit
	// Requests counts the HTTP requests the collection made, for the
	// benchmarks and the run log.
	Requests int
}

// Observations lists the figures of every unit that did not fail.
func (c Collection) Observations() []Observation {
	var out []Observation
	for _, u := range c.Units {
		if u.Err == nil {
			out = append(out, u.Observations...)
		}
	}
	return out
}
