package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// Summary counts what a store holds, for the backup report and for
// checking a copy against its original.
type Summary struct {
	SchemaVersion int
	Figures       int64 // observation rows, every source
	Batches       int64
	Users         int64
	Runs          int64
}

// Summarize counts the rows of a store through any connection, including
// a read-only one to a backup file (it writes nothing).
func Summarize(ctx context.Context, db *sql.DB) (Summary, error) {
	var s Summary
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return s, fmt.Errorf("store: summary: schema version: %w", err)
	}
	s.SchemaVersion = int(v.Int64)
	for _, c := range []struct {
		table string
		dst   *int64
	}{{"observations", &s.Figures}, {"batches", &s.Batches}, {"users", &s.Users}, {"runs", &s.Runs}} {
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+c.table).Scan(c.dst); err != nil {
			return s, fmt.Errorf("store: summary: %s: %w", c.table, err)
		}
	}
	return s, nil
}

// Summary counts what this store holds.
func (s *Store) Summary(ctx context.Context) (Summary, error) { return Summarize(ctx, s.db) }
