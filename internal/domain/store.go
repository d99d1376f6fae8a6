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
)

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

// Collection is a collector's answer.
type Collection struct {
	Observations []Observation
	// Stamps holds the source's last-updated time of every table fetched
	// now (and of unchanged ones), to pass back as seen next time.
	Stamps map[string]time.Time
	// Unchanged lists tables skipped because their stamp had not moved.
	Unchanged []string
	// Requests counts the HTTP requests the collection made, for the
	// benchmarks and the run log.
	Requests int
}
