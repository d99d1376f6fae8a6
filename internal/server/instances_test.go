package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/postgres"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/storetest"
)

// TestWriteOnOneInstanceShowsOnAll runs two servers on one database: a
// figure confirmed through one appears on the other's pages, whose caches
// key on the shared data version. Runs on a shared SQLite file and, when
// DATABASE_URL is set (CI), on PostgreSQL.
func TestWriteOnOneInstanceShowsOnAll(t *testing.T) {
	type opener func(t *testing.T) (*sqlstore.Store, *sqlstore.Store)
	backends := map[string]opener{
		"sqlite": func(t *testing.T) (*sqlstore.Store, *sqlstore.Store) {
			path := filepath.Join(t.TempDir(), "shared.db")
			a, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			b, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close(); b.Close() })
			return a, b
		},
	}
	if url := os.Getenv("DATABASE_URL"); strings.HasPrefix(url, "postgres") {
		backends["postgres"] = func(t *testing.T) (*sqlstore.Store, *sqlstore.Store) {
			schemaURL := storetest.PostgresSchemaURL(t, url)
			a, err := postgres.Open(schemaURL)
			if err != nil {
				t.Fatal(err)
			}
			b, err := postgres.Open(schemaURL)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close(); b.Close() })
			return a, b
		}
	} else if os.Getenv("CI") != "" {
		t.Fatal("CI must set DATABASE_URL to a PostgreSQL server")
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			sa, sb := open(t)
			a := servertest.Start(t, servertest.Options{Store: sa})
			b := servertest.Start(t, servertest.Options{Store: sb, Poll: 0})
			page := "/jamfor?indikator=state_offices&ar=2024"
			if _, body := get(t, b.URL+page); strings.Contains(body, "rättelse-42.xlsx") {
				t.Fatal("figure present before it was written")
			}
			// Confirmed on instance a (its own cache is dropped at once).
			if _, err := a.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: "rättelse-42.xlsx", Actor: "anna",
				Observations: []domain.Observation{{Municipality: "1060", Indicator: "state_offices", Year: 2024, Value: 2,
					Source: domain.Source{Kind: domain.SourceUpload, Ref: "rättelse-42.xlsx", FetchedAt: time.Now()}}}}); err != nil {
				t.Fatal(err)
			}
			a.Server.Invalidate()
			for _, inst := range []*servertest.Instance{a, b} {
				if _, body := get(t, inst.URL+page); !strings.Contains(body, "rättelse-42.xlsx") {
					t.Errorf("instance %s does not show the confirmed upload", inst.URL)
				}
			}
		})
	}
}
