package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/postgres"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/storetest"
)

var t0 = time.Date(2024, 6, 1, 6, 0, 0, 0, time.UTC)

// fakeClock never waits: Sleep advances its time and records the wait.
type fakeClock = clocktest.FakeClock

func newFakeClock(t time.Time) *fakeClock { return clocktest.NewFakeClock(t) }

// fakeCollector answers with fn; it counts calls.
type fakeCollector struct {
	name  string
	mu    sync.Mutex
	calls int
	fn    func(ctx context.Context, call int, seen map[string]time.Time) (domain.Collection, error)
}

func (f *fakeCollector) Name() string { return f.name }

func (f *fakeCollector) Collect(ctx context.Context, seen map[string]time.Time) (domain.Collection, error) {
	f.mu.Lock()
	f.calls++
	n := f.calls
	f.mu.Unlock()
	return f.fn(ctx, n, seen)
}

func (f *fakeCollector) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// realFigures are real population figures (31 Dec) from
// internal/bundled/observations.csv (2023: rh_utv_alla_kommuner, 2024:
// rh_beeswarm_2024), as an SCB run would bring them.
func realFigures(fetched time.Time) []domain.Observation {
	src := domain.Source{Kind: domain.SourceSCB, Ref: "TAB638", FetchedAt: fetched}
	o := func(m string, y int, v float64) domain.Observation {
		return domain.Observation{Municipality: m, Indicator: "population", Year: y, Value: v, Source: src}
	}
	return []domain.Observation{
		o("0481", 2023, 12106), o("0481", 2024, 12031),
		o("0562", 2023, 21694), o("0562", 2024, 21623),
		o("1060", 2023, 13061), o("1060", 2024, 13000),
	}
}

// stamp638 is the "updated" of the recorded TAB638 answers.
var stamp638 = time.Date(2025, 2, 21, 7, 0, 0, 0, time.UTC)

func okCollection(fetched time.Time) domain.Collection {
	return domain.Collection{Units: []domain.Unit{{Ref: "TAB638", Observations: realFigures(fetched), Stamp: stamp638}}, Requests: 3}
}

func shipped(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// openStore opens a migrated store: SQLite in a temp dir, or a fresh
// PostgreSQL schema when DATABASE_URL is set. CI runs this package both
// ways (.ci/run runs it again without DATABASE_URL), so the scheduler path
// of the default backend is tested as well as PostgreSQL's.
func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	if base := os.Getenv("DATABASE_URL"); base != "" {
		return openPostgresSchema(t, base)
	}
	return openSQLite(t, filepath.Join(t.TempDir(), "t.db"))
}

func openSQLite(t *testing.T, path string) *sqlstore.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// openSharedStores opens two stores on one database, as two instances of
// the dashboard would.
func openSharedStores(t *testing.T) (*sqlstore.Store, *sqlstore.Store) {
	t.Helper()
	if base := os.Getenv("DATABASE_URL"); base != "" {
		shared := storetest.PostgresSchemaURL(t, base)
		a, b := openPostgres(t, shared), openPostgres(t, shared)
		if _, err := a.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return a, b
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	return openSQLite(t, path), openSQLite(t, path)
}

// openPostgresSchema opens a migrated store in a fresh schema of the
// database at base.
func openPostgresSchema(t *testing.T, base string) *sqlstore.Store {
	t.Helper()
	s := openPostgres(t, storetest.PostgresSchemaURL(t, base))
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func openPostgres(t *testing.T, url string) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// logCapture is a slog handler that keeps every record and signals the
// ones whose message contains watch.
type logCapture struct {
	mu      sync.Mutex
	records []string
	watch   string
	hit     chan string
}

func newLogCapture(watch string) *logCapture {
	return &logCapture{watch: watch, hit: make(chan string, 100)}
}

func (h *logCapture) Enabled(context.Context, slog.Level) bool { return true }

func (h *logCapture) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	h.mu.Lock()
	h.records = append(h.records, b.String())
	h.mu.Unlock()
	if h.watch != "" && strings.Contains(r.Message, h.watch) {
		select {
		case h.hit <- b.String():
		default:
		}
	}
	return nil
}

func (h *logCapture) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrHandler{h, as}
}

func (h *logCapture) WithGroup(string) slog.Handler { return h }

func (h *logCapture) all() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.records, "\n")
}

// attrHandler keeps With attributes (the source name) on records.
type attrHandler struct {
	h  *logCapture
	as []slog.Attr
}

func (a *attrHandler) Enabled(ctx context.Context, l slog.Level) bool { return true }
func (a *attrHandler) Handle(ctx context.Context, r slog.Record) error {
	r.AddAttrs(a.as...)
	return a.h.Handle(ctx, r)
}
func (a *attrHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrHandler{a.h, append(append([]slog.Attr(nil), a.as...), as...)}
}
func (a *attrHandler) WithGroup(string) slog.Handler { return a }

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// wait receives from ch or fails the test after a generous bound (a hung
// test, not a timing assertion).
func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

// newTest builds a scheduler over store with one source "scb".
func newTest(t *testing.T, store Store, c domain.Collector, mod func(*Config)) *Scheduler {
	t.Helper()
	cfg := shipped(t)
	conf := Config{
		Sources:   []Source{{Name: "scb", Kind: domain.SourceSCB, Spec: "@monthly", Collector: c, Enabled: true, Items: []string{"TAB638 → population"}}},
		Store:     store,
		Catalogue: cfg.Catalogue(),
		Regions:   cfg.RegionIndex(),
		Log:       discard,
		Clock:     newFakeClock(t0),
		Retry:     Retry{Attempts: 3, Base: time.Minute, Max: 4 * time.Minute},
	}
	if mod != nil {
		mod(&conf)
	}
	s, err := New(conf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s
}

func lastRun(t *testing.T, s domain.RunStore, source string) domain.Run {
	t.Helper()
	runs, err := s.Runs(context.Background(), source, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) == 0 {
		t.Fatal("no run recorded")
	}
	return runs[0]
}
