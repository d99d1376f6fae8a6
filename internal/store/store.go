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
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return postgres.Open(url, opts...)
	case strings.HasPrefix(url, "sqlite://"):
		return sqlite.Open(strings.TrimPrefix(url, "sqlite://"), opts...)
	case strings.HasPrefix(url, "sqlite:"):
		return sqlite.Open(strings.TrimPrefix(url, "sqlite:"), opts...)
	case strings.HasPrefix(url, "file:"):
		return sqlite.Open(strings.TrimPrefix(url, "file:"), opts...)
	}
	return nil, fmt.Errorf("store: unsupported database URL %q (use sqlite:PATH or postgres://...)", url)
}
