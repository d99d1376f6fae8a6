package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// ErrNotAStore means the file is not a dashboard store (no migrations
// table), or is damaged.
var ErrNotAStore = errors.New("not a dashboard store")

// Restored says what Restore did.
type Restored struct {
	// Previous is where the replaced store now lies ("" if there was none).
	Previous string
	// SchemaVersion is the restored file's; Known the binary's. Older
	// files are migrated at the next start or by `dashboard migrate`.
	SchemaVersion, Known int
}

// Restore replaces the store at live with the backup src. It refuses
// while any process holds the store (ErrInUse, see Lock), and refuses a
// file that fails SQLite's integrity check, is not a dashboard store, or
// was written by a newer binary (sqlstore.ErrDatabaseNewer).
//
// src is copied with VACUUM INTO to a temporary file beside live and
// checked there (what is checked is what is installed). The current
// store is checkpointed, so its -wal holds nothing, and hard-linked to
// "<live>.pre-restore-<time>"; the checked copy is then renamed over live.
// A rename is atomic: at every moment live is the old store or the new,
// and the old one stays beside it.
func Restore(ctx context.Context, src, live string, now time.Time) (Restored, error) {
	var r Restored
	lk, err := LockExclusive(live)
	if err != nil {
		return r, err
	}
	defer lk.Close()

	tmp, err := tempFile(live, "restore")
	if err != nil {
		return r, fmt.Errorf("sqlite: restore: %w", err)
	}
	defer os.Remove(tmp)
	if err := copyChecked(ctx, src, tmp, &r); err != nil {
		return r, err
	}

	if _, err := os.Stat(live); err == nil {
		if err := checkpoint(ctx, live); err != nil {
			return r, err
		}
		prev := live + ".pre-restore-" + now.UTC().Format("20060102T150405Z")
		if err := os.Link(live, prev); err != nil {
			return r, fmt.Errorf("sqlite: restore: keep the current store: %w", err)
		}
		r.Previous = prev
	} else if !errors.Is(err, fs.ErrNotExist) {
		return r, fmt.Errorf("sqlite: restore: %w", err)
	}
	if err := os.Rename(tmp, live); err != nil {
		return r, fmt.Errorf("sqlite: restore: %w", err)
	}
	if err := syncDir(filepath.Dir(live)); err != nil {
		return r, fmt.Errorf("sqlite: restore: %w", err)
	}
	return r, nil
}

// copyChecked checks src, copies it to tmp and checks the copy.
func copyChecked(ctx context.Context, src, tmp string, r *Restored) error {
	db, err := OpenReadOnly(src)
	if err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	defer db.Close()
	if err := integrity(ctx, db, src); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("sqlite: restore: copy %s: %w", src, err)
	}
	cp, err := OpenReadOnly(tmp)
	if err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	defer cp.Close()
	if err := integrity(ctx, cp, src); err != nil {
		return err
	}
	var tables int
	if err := cp.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables); err != nil || tables == 0 {
		return fmt.Errorf("sqlite: restore: %s has no schema_migrations table: %w", src, ErrNotAStore)
	}
	var v sql.NullInt64
	if err := cp.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil || !v.Valid {
		return fmt.Errorf("sqlite: restore: %s has no applied migration: %w", src, ErrNotAStore)
	}
	ms, err := sqlstore.New(nil, Dialect).Migrations()
	if err != nil {
		return err
	}
	r.SchemaVersion, r.Known = int(v.Int64), ms[len(ms)-1].Version
	if r.SchemaVersion > r.Known {
		return fmt.Errorf("sqlite: restore: %s has schema version %d, this program knows up to %d: %w",
			src, r.SchemaVersion, r.Known, sqlstore.ErrDatabaseNewer)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	return nil
}

// integrity runs SQLite's full integrity check.
func integrity(ctx context.Context, db *sql.DB, name string) error {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("sqlite: restore: %s: %w (%v)", name, ErrNotAStore, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("sqlite: restore: %s: %w", name, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: restore: %s: %w (%v)", name, ErrNotAStore, err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = problems[:5]
		}
		return fmt.Errorf("sqlite: restore: %s fails the integrity check: %s: %w", name, strings.Join(problems, "; "), ErrNotAStore)
	}
	return nil
}

// checkpoint moves everything in live's -wal into the file and empties
// it, so the file alone is the whole store; then the stale -wal and -shm
// are removed (no process has them open: the caller holds the lock).
// An old -wal left beside the restored file would be replayed into it.
func checkpoint(ctx context.Context, live string) error {
	s, err := Open(live)
	if err != nil {
		return err
	}
	var busy, logFrames, done int
	err = s.DB().QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sqlite: restore: checkpoint %s: %w", live, err)
	}
	if busy != 0 {
		return fmt.Errorf("sqlite: restore: checkpoint %s: %w", live, ErrInUse)
	}
	for _, side := range []string{live + "-wal", live + "-shm"} {
		if fi, err := os.Stat(side); err == nil && strings.HasSuffix(side, "-wal") && fi.Size() > 0 {
			return fmt.Errorf("sqlite: restore: %s still holds writes after the checkpoint; not replacing the store", side)
		}
		if err := os.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("sqlite: restore: %w", err)
		}
	}
	return nil
}
