package storetest

import (
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/postgres"
)

var schemaSeq atomic.Int64

// PostgresSchemaURL creates a fresh schema in the PostgreSQL database at
// base and returns base with search_path set to it, so tests (and several
// stores opened on that URL, like several instances) share one empty
// database that is dropped when the test ends.
func PostgresSchemaURL(t testing.TB, base string) string {
	t.Helper()
	schema := fmt.Sprintf("t_%d_%d", time.Now().UnixNano(), schemaSeq.Add(1))
	admin, err := postgres.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.DB().Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.DB().Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
