package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/postgres"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *sqlstore.Store {
		s, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	}, func(t *testing.T, s *sqlstore.Store, m string) {
		if _, err := s.DB().Exec(fmt.Sprintf(`CREATE TRIGGER fail_%s BEFORE INSERT ON observations WHEN NEW.municipality = '%s'
			BEGIN SELECT RAISE(ABORT, 'injected failure'); END`, m, m)); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPostgres runs the same suite on PostgreSQL. DATABASE_URL must name a
// server (CI sets it); each test gets its own schema, dropped afterwards.
func TestPostgres(t *testing.T) {
	base := os.Getenv("DATABASE_URL")
	if !strings.HasPrefix(base, "postgres") {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must set DATABASE_URL to a PostgreSQL server")
		}
		t.Skip("DATABASE_URL is not a postgres URL; .ci/run sets it")
	}
	storetest.Run(t, func(t *testing.T) *sqlstore.Store {
		return OpenPostgresSchema(t, base)
	}, func(t *testing.T, s *sqlstore.Store, m string) {
		stmts := []string{
			fmt.Sprintf(`CREATE FUNCTION fail_%s() RETURNS trigger AS $$ BEGIN IF NEW.municipality = '%s' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`, m, m),
			fmt.Sprintf(`CREATE TRIGGER fail_%s BEFORE INSERT ON observations FOR EACH ROW EXECUTE FUNCTION fail_%s()`, m, m),
		}
		for _, q := range stmts {
			if _, err := s.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// OpenPostgresSchema opens a migrated store in a fresh schema of the
// database at base.
func OpenPostgresSchema(t *testing.T, base string) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(storetest.PostgresSchemaURL(t, base))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
