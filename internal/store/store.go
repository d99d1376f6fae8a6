// Package store chooses the store implementation from a database URL:
// sqlite:PATH (or file:PATH) for the embedded default, postgres://... for
// several instances.
package store

import (
	"fmt"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/postgres"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// Open opens the store named by url. It does not migrate.
func Open(url string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	if IsPostgres(url) {
		return postgres.Open(url, opts...)
	}
	if path, ok := SQLitePath(url); ok {
		return sqlite.Open(path, opts...)
	}
	return nil, fmt.Errorf("store: unsupported database URL %q (use sqlite:PATH or postgres://...)", url)
}

// IsPostgres says whether url names a PostgreSQL database.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// SQLitePath returns the file a sqlite:PATH (sqlite://PATH, file:PATH)
// URL names; ok is false for other URLs.
func SQLitePath(url string) (path string, ok bool) {
	for _, prefix := range []string{"sqlite://", "sqlite:", "file:"} {
		if p, found := strings.CutPrefix(url, prefix); found {
			return p, true
		}
	}
	return "", false
}
