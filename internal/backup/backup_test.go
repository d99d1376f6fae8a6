package backup_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/backup"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

var start = time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)

func newStore(t *testing.T) (string, *sqlstore.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dashboard.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return path, s
}

func addFigure(t *testing.T, s *sqlstore.Store, year int) {
	t.Helper()
	_, err := s.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: "f.xlsx", Actor: "t",
		Observations: []domain.Observation{{Municipality: "1060", Indicator: "population", Year: year, Value: 13000,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "f.xlsx", FetchedAt: start}}}})
	if err != nil {
		t.Fatal(err)
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func figures(t *testing.T, path string) int64 {
	t.Helper()
	db, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sum, err := sqlstore.Summarize(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return sum.Figures
}

func TestScheduledCopiesKeepTheNewest(t *testing.T) {
	path, s := newStore(t)
	dir := filepath.Dir(path)
	// Files the job must never remove: a copy named by hand, another
	// store's dated copy, a name that only looks similar.
	for _, name := range []string{"dashboard.db.backup-fore-uppgradering", "annan.db.backup-20200101T000000Z", "dashboard.db.backup-20200101T000000Z.sha256"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := clocktest.NewFakeClock(start)
	reg := metrics.NewRegistry()
	job := backup.NewJob(s.DB(), path, 2, c, slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	if st := job.Status(); !st.Last.At.IsZero() || st.Keep != 2 || st.Dir != dir {
		t.Fatalf("status before any run = %+v", st)
	}
	for day := 0; day < 4; day++ {
		addFigure(t, s, 2020+day) // each copy holds one figure more
		if err := job.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		c.Sleep(context.Background(), 24*time.Hour)
	}
	// The store's own files (-wal, -shm, .lock) aside, the directory holds
	// the two newest dated copies and the files that are not the job's.
	wantKept := []string{"annan.db.backup-20200101T000000Z", "dashboard.db",
		"dashboard.db.backup-20200101T000000Z.sha256", "dashboard.db.backup-20260303T030000Z", "dashboard.db.backup-20260304T030000Z",
		"dashboard.db.backup-fore-uppgradering"}
	var kept []string
	for _, g := range listDir(t, dir) {
		if !strings.HasSuffix(g, ".lock") && !strings.HasSuffix(g, "-shm") && !strings.HasSuffix(g, "-wal") {
			kept = append(kept, g)
		}
	}
	if strings.Join(kept, "\n") != strings.Join(wantKept, "\n") {
		t.Errorf("files after four runs with keep 2:\n%s\nwant\n%s", strings.Join(kept, "\n"), strings.Join(wantKept, "\n"))
	}
	if n := figures(t, filepath.Join(dir, "dashboard.db.backup-20260304T030000Z")); n != 4 {
		t.Errorf("the newest copy holds %d figures, want 4", n)
	}
	st := job.Status()
	if !st.Last.OK() || st.Last.File != backup.Name(path, start.Add(72*time.Hour)) || !st.LastSuccess.Equal(start.Add(72*time.Hour)) {
		t.Errorf("status = %+v", st)
	}
}

func TestFailedBackupIsRecordedAndRemovesNothing(t *testing.T) {
	path, s := newStore(t)
	c := clocktest.NewFakeClock(start)
	reg := metrics.NewRegistry()
	job := backup.NewJob(s.DB(), path, 1, c, slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	if err := job.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	good := backup.Name(path, start)
	c.Sleep(context.Background(), time.Hour)
	// The next copy's name is taken by a directory: the copy cannot be
	// written (as on a full or read-only disk).
	if err := os.Mkdir(backup.Name(path, start.Add(time.Hour)), 0o700); err != nil {
		t.Fatal(err)
	}
	err := job.Run(context.Background())
	if err == nil {
		t.Fatal("a backup that could not be written reported success")
	}
	st := job.Status()
	if st.Last.OK() || st.Last.Err == "" || st.Last.File != "" || !st.LastSuccess.Equal(start) {
		t.Errorf("status after the failure = %+v", st)
	}
	if _, err := os.Stat(good); err != nil {
		t.Errorf("the good copy was removed after a failure: %v", err)
	}
	rec := httptestScrape(t, reg)
	for _, want := range []string{metrics.NameBackupLastFailed + " 1", metrics.NameBackups + `{status="failed"} 1`, metrics.NameBackups + `{status="ok"} 1`} {
		if !strings.Contains(rec, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
