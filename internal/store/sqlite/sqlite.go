// Package sqlite opens the embedded default store: a single SQLite file
// through modernc.org/sqlite (pure Go, so the binary needs no C toolchain).
package sqlite

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// Dialect is SQLite's flavour of the shared SQL.
var Dialect = sqlstore.Dialect{Name: "sqlite"}

// Open opens (creating if needed) the SQLite file at path. WAL lets pages
// read while a collector writes; busy_timeout makes writers queue instead
// of failing; immediate transactions avoid lock upgrades that deadlock.
// ":memory:" gives a private in-memory database (tests).
func Open(path string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	dsn := "file::memory:?_pragma=foreign_keys(1)"
	if path != ":memory:" {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("sqlite: create %s: %w", dir, err)
			}
		}
		q := url.Values{}
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
		dsn = "file:" + filepath.ToSlash(path) + "?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if path == ":memory:" {
		// Each connection to :memory: is its own database: keep one.
		db.SetMaxOpenConns(1)
	}
	return sqlstore.New(db, Dialect, opts...), nil
}
