package server_test

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// TestReadyzProvesTheStoreCanWrite: a database that answers reads but
// refuses writes (SQLite's query_only stands in for a read-only file) is
// not ready: logins and uploads would all fail.
func TestReadyzProvesTheStoreCanWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	ro := sqlstore.New(db, sqlite.Dialect)
	t.Cleanup(func() { ro.Close() })
	inst := servertest.Start(t, servertest.Options{NoBundled: true, Deps: func(d *server.Deps) { d.Store = ro }})
	c := anonymous(t, inst)
	st2, body := c.get("/readyz")
	if st2 != http.StatusServiceUnavailable || !strings.Contains(body, "kan inte skriva") {
		t.Errorf("/readyz on a read-only store: %d %s", st2, body)
	}
	// The writable store of the same instance is ready.
	inst2 := servertest.Start(t, servertest.Options{NoBundled: true})
	if st3, body := anonymous(t, inst2).get("/readyz"); st3 != http.StatusOK {
		t.Errorf("/readyz on a writable store: %d %s", st3, body)
	}
}
