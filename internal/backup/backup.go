// Package backup takes the scheduled copies of a SQLite store: at each
// tick of backup.schedule it writes a dated online copy next to the store
// (sqlite.Backup, safe while the server writes), keeps the newest
// backup.keep of them, and remembers the outcome so a failure shows on
// /admin/kallor and in /metrics instead of only in a log nobody reads.
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

// stampLayout dates a copy in UTC, so names sort by time and never repeat
// across a daylight-saving change.
const stampLayout = "20060102T150405Z"

// Attempt is the outcome of one backup.
type Attempt struct {
	At   time.Time
	File string // the copy written; empty when it failed
	Err  string // empty when it succeeded
}

// OK says whether the attempt wrote a copy.
func (a Attempt) OK() bool { return a.Err == "" && !a.At.IsZero() }

// Status is what the admin page shows.
type Status struct {
	Dir         string
	Keep        int
	Last        Attempt   // zero before the first attempt
	LastSuccess time.Time // zero if none since start
}

// Job writes the copies of one store.
type Job struct {
	db      *sql.DB
	store   string // the store's file
	keep    int
	clock   clock.Clock
	log     *slog.Logger
	metrics *metrics.Registry

	mu     sync.Mutex
	status Status
}

// NewJob prepares backups of the open store db whose file is storePath,
// keeping the newest keep copies. m may be nil.
func NewJob(db *sql.DB, storePath string, keep int, c clock.Clock, log *slog.Logger, m *metrics.Registry) *Job {
	if log == nil {
		log = slog.Default()
	}
	return &Job{db: db, store: storePath, keep: keep, clock: c, log: log, metrics: m,
		status: Status{Dir: filepath.Dir(storePath), Keep: keep}}
}

// Name is the file a copy taken at t gets: "<store>.backup-<UTC time>".
func Name(storePath string, t time.Time) string {
	return storePath + ".backup-" + t.UTC().Format(stampLayout)
}

// Run takes one copy and then removes the oldest beyond keep. A failed
// copy removes nothing, so a run of failures never eats the good copies.
func (j *Job) Run(ctx context.Context) error {
	at := j.clock.Now()
	dst := Name(j.store, at)
	err := sqlite.Backup(ctx, j.db, dst)
	var removed []string
	if err == nil {
		removed, err = j.prune()
	}
	j.mu.Lock()
	j.status.Last = Attempt{At: at}
	if err != nil {
		j.status.Last.Err = err.Error()
	} else {
		j.status.Last.File = dst
		j.status.LastSuccess = at
	}
	j.mu.Unlock()
	j.metrics.RecordBackup(err == nil, at)
	if err != nil {
		j.log.Error("scheduled backup failed", "store", j.store, "file", dst, "err", err)
		return fmt.Errorf("backup: %w", err)
	}
	j.log.Info("scheduled backup written", "file", dst, "removed", removed)
	return nil
}

// Status returns the last outcome.
func (j *Job) Status() Status {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.status
}

// prune removes this store's dated copies beyond the newest keep. Only
// names Run writes are touched: a copy the operator named by hand stays.
func (j *Job) prune() ([]string, error) {
	dir, base := filepath.Dir(j.store), filepath.Base(j.store)
	own := regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `\.backup-\d{8}T\d{6}Z$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var copies []string
	for _, e := range entries {
		if e.Type().IsRegular() && own.MatchString(e.Name()) {
			copies = append(copies, e.Name())
		}
	}
	sort.Strings(copies) // the UTC stamp sorts by time
	var removed []string
	var errs []error
	for len(copies) > j.keep {
		p := filepath.Join(dir, copies[0])
		if err := os.Remove(p); err != nil {
			errs = append(errs, err)
		} else {
			removed = append(removed, copies[0])
		}
		copies = copies[1:]
	}
	if len(errs) > 0 {
		return removed, fmt.Errorf("remove old copies: %w", errors.Join(errs...))
	}
	return removed, nil
}
