package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/postgres"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/storetest"
)

// releaseStore and releaseDump are stores written by the previous release
// (commit 9c48fd6) with its own binary, the same steps on each engine:
// bundled figures, two uploads, three users, a failed collector run.
// releaseDump is pg_dump's plain-SQL output of the PostgreSQL one, whose
// schema was named releaseSchema. testdata/SOURCES.md says how both were
// made.
const (
	releaseStore  = "testdata/store-release-9c48fd6.db"
	releaseDump   = "testdata/store-release-9c48fd6.pgsql"
	releaseSchema = "rel9c48fd6"
)

// oldRows are the rows as the previous release's schema (migration 0001)
// holds it, read with plain SQL from the untouched file.
type oldRows struct {
	figures map[string]string // key → value|ref|batch|fetched
	batches map[int64]string
	users   map[string]string // name → role|hash
	runs    map[int64]string
}

// readRelease reads them from a store of the previous release's schema.
func readRelease(t *testing.T, db *sql.DB) oldRows {
	t.Helper()
	r := oldRows{figures: map[string]string{}, batches: map[int64]string{}, users: map[string]string{}, runs: map[int64]string{}}
	scan := func(query string, each func(*sql.Rows) error) {
		rows, err := db.Query(query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	scan(`SELECT municipality, indicator, year, source, value, source_ref, batch_id, fetched_at FROM observations`, func(rs *sql.Rows) error {
		var m, ind, src, ref string
		var year int
		var v float64
		var batch, fetched int64
		if err := rs.Scan(&m, &ind, &year, &src, &v, &ref, &batch, &fetched); err != nil {
			return err
		}
		r.figures[fmt.Sprintf("%s/%s/%d/%s", m, ind, year, src)] = fmt.Sprintf("%v|%s|%d|%d", v, ref, batch, fetched)
		return nil
	})
	scan(`SELECT id, kind, source, label, actor, created_at, rows_total, new_count, changed_count, unchanged_count, status FROM batches`, func(rs *sql.Rows) error {
		var id, created int64
		var kind, src, label, actor, status string
		var rowsTotal, n, c, u int
		if err := rs.Scan(&id, &kind, &src, &label, &actor, &created, &rowsTotal, &n, &c, &u, &status); err != nil {
			return err
		}
		r.batches[id] = fmt.Sprintf("%s|%s|%s|%s|%d|%d|%d|%d|%d|%s", kind, src, label, actor, created, rowsTotal, n, c, u, status)
		return nil
	})
	scan(`SELECT name, role, password_hash FROM users`, func(rs *sql.Rows) error {
		var name, role, hash string
		if err := rs.Scan(&name, &role, &hash); err != nil {
			return err
		}
		r.users[name] = role + "|" + hash
		return nil
	})
	scan(`SELECT id, source, status, error_text FROM runs`, func(rs *sql.Rows) error {
		var id int64
		var src, status, text string
		if err := rs.Scan(&id, &src, &status, &text); err != nil {
			return err
		}
		r.runs[id] = src + "|" + status + "|" + text
		return nil
	})
	return r
}

// TestUpgradeFromPreviousRelease migrates the previous release's store,
// on each engine, with this binary (`dashboard migrate`, the same step
// serve takes at start) and reads it back through the store: every figure,
// batch, user and run must be there unchanged. It compares through the
// store's API, so it holds whatever migrations are added later.
func TestUpgradeFromPreviousRelease(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		src, err := os.ReadFile(releaseStore)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "dashboard.db")
		if err := os.WriteFile(path, src, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+releaseStore+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkUpgrade(t, "sqlite:"+path, readRelease(t, db))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("DATABASE_URL")
		if !strings.HasPrefix(base, "postgres") {
			if os.Getenv("CI") != "" {
				t.Fatal("CI must set DATABASE_URL to a PostgreSQL server")
			}
			t.Skip("DATABASE_URL is not a postgres URL; .ci/run sets it")
		}
		schemaURL := storetest.PostgresSchemaURL(t, base)
		restoreDump(t, base, schemaURL)
		st, err := postgres.Open(schemaURL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		checkUpgrade(t, schemaURL, readRelease(t, st.DB()))
	})
}

// restoreDump loads releaseDump into the empty schema schemaURL names:
// pg_dump wrote every name qualified with releaseSchema, and psql
// meta-commands (\restrict) that database/sql cannot run.
func restoreDump(t *testing.T, base, schemaURL string) {
	t.Helper()
	u, err := url.Parse(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	raw, err := os.ReadFile(releaseDump)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, `\`) || l == "CREATE SCHEMA "+releaseSchema+";" {
			continue
		}
		lines = append(lines, strings.ReplaceAll(l, releaseSchema+".", schema+"."))
	}
	// A connection of its own: the dump empties its session's search_path.
	admin, err := postgres.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.DB().Exec(strings.Join(lines, "\n")); err != nil {
		t.Fatalf("restore %s: %v", releaseDump, err)
	}
}

// checkUpgrade migrates the store at dbURL and compares it with before,
// the release's rows read from it beforehand.
func checkUpgrade(t *testing.T, dbURL string, before oldRows) {
	if len(before.figures) < 400 || len(before.batches) != 3 || len(before.users) != 3 || len(before.runs) != 1 {
		t.Fatalf("the release store is not the one described in SOURCES.md: %d figures, %d batches, %d users, %d runs",
			len(before.figures), len(before.batches), len(before.users), len(before.runs))
	}

	env := map[string]string{"DATABASE_URL": dbURL}
	code, out, errs := runCLI(t, env, "migrate")
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", code, out, errs)
	}
	// Twice is harmless: nothing left to apply.
	if code, _, errs := runCLI(t, env, "migrate"); code != 0 {
		t.Fatalf("second migrate: exit %d %s", code, errs)
	}

	ctx := context.Background()
	st, err := store.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CheckSchema(ctx); err != nil {
		t.Fatalf("after migrate: %v", err)
	}

	figures, err := st.AllSources(ctx, domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	after := map[string]string{}
	for _, o := range figures {
		after[fmt.Sprintf("%s/%s/%d/%s", o.Municipality, o.Indicator, o.Year, o.Source.Kind)] =
			fmt.Sprintf("%v|%s|%d|%d", o.Value, o.Source.Ref, o.Source.BatchID, o.Source.FetchedAt.UnixMicro())
	}
	diff(t, "figure", before.figures, after)

	batches, err := st.Batches(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	gotBatches := map[int64]string{}
	for _, b := range batches {
		gotBatches[b.ID] = fmt.Sprintf("%s|%s|%s|%s|%d|%d|%d|%d|%d|%s", b.Kind, b.Source, b.Label, b.Actor,
			b.CreatedAt.UnixMicro(), b.Rows, b.New, b.Changed, b.Unchanged, b.Status)
	}
	diff(t, "batch", stringKeys(before.batches), stringKeys(gotBatches))

	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gotUsers := map[string]string{}
	for _, u := range users {
		gotUsers[u.Name] = string(u.Role) + "|" + u.PasswordHash
	}
	diff(t, "user", before.users, gotUsers)
	// The logins still work: the password given when the release made
	// the store matches the migrated hash.
	u, err := st.UserByName(ctx, "analytiker")
	if err != nil || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte("hemligt-losen-1")) != nil {
		t.Errorf("analytiker cannot log in after the upgrade: %v", err)
	}

	runs, err := st.Runs(ctx, "scb", 100)
	if err != nil {
		t.Fatal(err)
	}
	gotRuns := map[int64]string{}
	for _, r := range runs {
		gotRuns[r.ID] = r.Source + "|" + string(r.Status) + "|" + r.Error
	}
	diff(t, "run", stringKeys(before.runs), stringKeys(gotRuns))

	// And the pages' view: Olofström's 2024 population is the uploaded
	// figure (upload outranks bundled), as the release showed it.
	obs, err := st.Observations(ctx, domain.Filter{Indicators: []string{"population"}, Municipalities: []string{"1060"}, FromYear: 2024, ToYear: 2024})
	uploaded, _, _ := strings.Cut(before.figures["1060/population/2024/upload"], "|")
	if err != nil || len(obs) != 1 || fmt.Sprint(obs[0].Value) != uploaded || obs[0].Source.Kind != domain.SourceUpload {
		t.Errorf("Olofström 2024 after the upgrade = %+v, %v; want the upload %s", obs, err, uploaded)
	}
}

func stringKeys[K comparable](m map[K]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[fmt.Sprint(k)] = v
	}
	return out
}

// diff reports every row lost, added or changed, sorted so a failure
// reads the same each run.
func diff(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	var problems []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s %s lost (was %s)", what, k, w))
		case g != w:
			problems = append(problems, fmt.Sprintf("%s %s changed: %s → %s", what, k, w, g))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			problems = append(problems, fmt.Sprintf("%s %s appeared: %s", what, k, g))
		}
	}
	sort.Strings(problems)
	if len(problems) > 10 {
		problems = append(problems[:10], fmt.Sprintf("… and %d more", len(problems)-10))
	}
	if len(problems) > 0 {
		t.Errorf("after the upgrade:\n%s", strings.Join(problems, "\n"))
	}
}
