package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/collectors/scb/scbtest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

// fakeSCB replays the recorded SCB answers (testdata/SOURCES.md) at
// /api/v2, or answers 500 to everything once broken.
type fakeSCB struct {
	t      *testing.T
	mu     sync.Mutex
	broken bool
	paths  []string
}

func (f *fakeSCB) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	broken := f.broken
	f.paths = append(f.paths, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	if broken {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	file := map[string]string{
		"GET /api/v2/config":                 "scb_v2_config.json",
		"GET /api/v2/tables/TAB638/metadata": "scb_v2_TAB638_metadata.json",
		"POST /api/v2/tables/TAB638/data":    "scb_constructed_TAB638_population_jsonstat2.json",
	}[r.Method+" "+r.URL.Path]
	if file == "" {
		http.NotFound(w, r)
		return
	}
	b, err := scbtest.Recorded(file)
	if err != nil {
		f.t.Error(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_, _ = w.Write(b)
}

// collectEnv points the dashboard at the fake SCB and a temp SQLite file.
// The config file keeps the one recorded table and one try per request,
// so a failing source costs no backoff time.
func collectEnv(t *testing.T, scbURL string) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dashboard.yaml")
	yaml := `sources:
  scb:
    max_attempts: 1
    tables:
      - {id: TAB638, indicator: population, select: {ContentsCode: [BE0101N1]}, from: 2000}
`
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "d.db")
	return map[string]string{
		"DATABASE_URL":      "sqlite:" + db,
		"DASHBOARD_SCB_URL": scbURL + "/api/v2",
		"DASHBOARD_CONFIG":  cfg,
		// Tests never collect on their own: each starts what it tests.
		"DASHBOARD_COLLECT_ON_START": "never",
	}, db
}

// emptyCollectEnv is collectEnv without the bundled figures, which every
// command loads into an empty store: for tests that look at exactly what a
// run stores.
func emptyCollectEnv(t *testing.T, scbURL string) (map[string]string, string) {
	t.Helper()
	env, db := collectEnv(t, scbURL)
	b, err := os.ReadFile(env["DASHBOARD_CONFIG"])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(env["DASHBOARD_CONFIG"], append([]byte("load_bundled: false\n"), b...), 0o600); err != nil {
		t.Fatal(err)
	}
	return env, db
}

func storedFigures(t *testing.T, db string) ([]domain.Observation, []domain.Run) {
	t.Helper()
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	obs, err := s.AllSources(context.Background(), domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	return obs, runs
}

// recorded is every figure of the replayed TAB638 answer for a region the
// dashboard knows (its null and ".." cells give none).
var recorded = []struct {
	code  string
	year  int
	value float64
}{
	{"00", 2024, 10587710}, {"01", 2024, 2473307},
	{"0481", 2023, 12106}, {"0481", 2024, 12031},
	{"0562", 2023, 21694}, {"0562", 2024, 21623},
	{"1060", 2023, 13061}, {"1060", 2024, 13000},
}

func TestCollectFillsTheStoreWithTheRecordedFigures(t *testing.T) {
	f := &fakeSCB{t: t}
	srv := httptest.NewServer(f)
	defer srv.Close()
	env, db := emptyCollectEnv(t, srv.URL)

	code, out, errs := runCLI(t, env, "collect", "--source", "scb")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if !strings.Contains(out, "SCB: klar – 8 nya, 0 ändrade, 0 oförändrade siffror") {
		t.Errorf("summary %q", out)
	}
	obs, runs := storedFigures(t, db)
	if len(obs) != len(recorded) {
		t.Fatalf("%d figures stored, want the %d of the recording: %+v", len(obs), len(recorded), obs)
	}
	for _, r := range recorded {
		i := slices.IndexFunc(obs, func(o domain.Observation) bool {
			return o.Municipality == r.code && o.Year == r.year && o.Indicator == "population"
		})
		if i < 0 || obs[i].Value != r.value || obs[i].Source.Kind != domain.SourceSCB || obs[i].Source.Ref != "TAB638" {
			t.Errorf("%s %d: want %v from SCB TAB638, stored %+v", r.code, r.year, r.value, obs)
		}
	}
	if len(runs) != 1 || runs[0].Source != "scb" || runs[0].Trigger != "cli" || runs[0].Status != domain.RunSucceeded || runs[0].New != 8 {
		t.Errorf("runs %+v", runs)
	}
	for _, p := range f.paths {
		if strings.Contains(p, "kolada") || strings.Contains(p, "/v3/") {
			t.Errorf("--source scb asked Kolada: %s", p)
		}
	}

	// The source answers 500 to everything now: exit 1, a failed run, and
	// every figure as it was.
	f.mu.Lock()
	f.broken = true
	f.mu.Unlock()
	code, out, errs = runCLI(t, env, "collect", "--source", "scb")
	if code != 1 {
		t.Fatalf("exit %d with a failing source\nstdout %s\nstderr %s", code, out, errs)
	}
	if !strings.Contains(out, "SCB: misslyckades – Hämtningen från SCB misslyckades (tabell TAB638).") || !strings.Contains(out, "HTTP 500") {
		t.Errorf("summary %q", out)
	}
	if !strings.Contains(errs, "hämtningen misslyckades för scb") {
		t.Errorf("stderr %q", errs)
	}
	after, runs := storedFigures(t, db)
	if !reflect.DeepEqual(after, obs) {
		t.Errorf("a failed run changed the figures:\nbefore %+v\nafter  %+v", obs, after)
	}
	if len(runs) != 2 || runs[0].Status != domain.RunFailed || !strings.Contains(runs[0].Error, "HTTP 500") {
		t.Errorf("runs %+v", runs)
	}
}

func TestCollectFailingSourceOnEmptyStore(t *testing.T) {
	f := &fakeSCB{t: t, broken: true}
	srv := httptest.NewServer(f)
	defer srv.Close()
	env, db := emptyCollectEnv(t, srv.URL)
	code, out, errs := runCLI(t, env, "collect", "--source", "scb")
	if code != 1 || !strings.Contains(out, "SCB: misslyckades") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if obs, runs := storedFigures(t, db); len(obs) != 0 || len(runs) != 1 || runs[0].Status != domain.RunFailed {
		t.Errorf("figures %+v, runs %+v", obs, runs)
	}
}

func TestCollectRefusesUnknownAndDisabledSources(t *testing.T) {
	env, _ := collectEnv(t, "http://127.0.0.1:9")
	if code, _, errs := runCLI(t, env, "collect", "--source", "smhi"); code != 2 || !strings.Contains(errs, `okänd källa "smhi"`) {
		t.Errorf("unknown source: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, env, "collect", "extra"); code != 2 || !strings.Contains(errs, "inga argument") {
		t.Errorf("stray argument: exit %d, %q", code, errs)
	}
	off := filepath.Join(t.TempDir(), "off.yaml")
	if err := os.WriteFile(off, []byte("sources:\n  kolada:\n    enabled: false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["DASHBOARD_CONFIG"] = off
	if code, _, errs := runCLI(t, env, "collect", "--source", "kolada"); code != 2 || !strings.Contains(errs, "källan kolada är avstängd") {
		t.Errorf("disabled source: exit %d, %q", code, errs)
	}
}
