package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

func runsOf(t *testing.T, db string) []domain.Run {
	t.Helper()
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.Runs(context.Background(), "", 20)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

func page(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestFirstStartFillsItself: serve on an empty store with the sources
// answering (fakes per the evidence) runs every enabled source once, in
// the background, and a second start does not (auto: only when nothing was
// ever collected).
func TestFirstStartFillsItself(t *testing.T) {
	// Two small tables keep the test quick under the race detector; the
	// shipped tables are the evidence tests' business.
	env, db, scbFake, _, _ := evidenceEnv(t, `sources:
  scb:
    tables:
      - {id: TAB2597, indicator: state_jobs, select: {ContentsCode: ["000005F4"], ArbetsSektor: ["staten"], Alder: ["15-74"]}, month: 11, from: 2020}
  kolada:
    kpis:
      - {id: N02267, indicator: employment_rate, gender: T, from: 2020}
`)
	env["DASHBOARD_COLLECT_ON_START"] = "auto"
	stop := serving(t, env)
	eventually(t, "both first runs to finish", func() bool {
		n := 0
		for _, r := range runsOf(t, db) {
			if r.Trigger == "start" && r.Status != domain.RunRunning {
				n++
			}
		}
		return n == 2
	})
	for _, r := range runsOf(t, db) {
		if r.Status != domain.RunSucceeded {
			t.Errorf("first run %+v", r)
		}
	}
	if got := collected(t, db)["1060/state_jobs/2024"]; got.Source.Ref != "TAB2597" {
		t.Errorf("state jobs 2024 after the first start: %+v", got)
	}
	if body := page(t, "http://"+env["DASHBOARD_ADDR"]+"/"); strings.Contains(body, "första") {
		t.Error("the startup notice stayed after the runs succeeded")
	}
	stop()
	calls := len(scbFake.Calls())
	stop = serving(t, env)
	page(t, "http://"+env["DASHBOARD_ADDR"]+"/")
	stop()
	if len(runsOf(t, db)) != 2 || len(scbFake.Calls()) != calls {
		t.Errorf("a second start collected again: %d runs, %d calls (had %d)", len(runsOf(t, db)), len(scbFake.Calls()), calls)
	}
}

// TestOfflineFirstStartServesBundledFigures: with no source reachable the
// server answers at once with the bundled figures and a notice.
func TestOfflineFirstStartServesBundledFigures(t *testing.T) {
	env, db := collectEnv(t, "http://127.0.0.1:9")
	env["DASHBOARD_KOLADA_URL"] = "http://127.0.0.1:9/v3"
	env["DASHBOARD_COLLECT_ON_START"] = "auto"
	cfg, err := os.ReadFile(env["DASHBOARD_CONFIG"])
	if err != nil {
		t.Fatal(err)
	}
	cfg = []byte(strings.Replace(string(cfg), "sources:\n", "sources:\n  kolada:\n    max_attempts: 1\n", 1))
	if err := os.WriteFile(env["DASHBOARD_CONFIG"], cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	stop := serving(t, env)
	defer stop()
	body := page(t, "http://"+env["DASHBOARD_ADDR"]+"/kommun/1060")
	if !strings.Contains(body, "Folkmängd") || !strings.Contains(body, "13 000") && !strings.Contains(body, "13 000") {
		t.Errorf("the bundled figures are not served:\n%.300s", body)
	}
	if !strings.Contains(body, "Dashboarden hämtar sina första siffror") && !strings.Contains(body, "Den första hämtningen från") {
		t.Errorf("no startup notice:\n%.400s", body)
	}
	// SCB (one try per request here) fails soon; the notice says so once
	// and the run names the error for the sources page.
	eventually(t, "the first SCB run to fail", func() bool {
		for _, r := range runsOf(t, db) {
			if r.Source == "scb" && r.Status == domain.RunFailed {
				return true
			}
		}
		return false
	})
	eventually(t, "the notice to name the failures", func() bool {
		return strings.Count(page(t, "http://"+env["DASHBOARD_ADDR"]+"/"), "Den första hämtningen från SCB och Kolada gick inte att slutföra") == 1
	})
}

func TestStartupNotice(t *testing.T) {
	now := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	later := domain.Run{Status: domain.RunFailed}
	sc := &startCollect{order: []string{"scb", "kolada"}, state: map[string]string{"scb": "running", "kolada": "done"},
		now: func() time.Time { return now }, runs: func(context.Context, string) (domain.Run, bool) { return later, true }}
	if got := sc.Notice(); got != "Dashboarden hämtar sina första siffror (SCB pågår, Kolada klar). Till dess visas de medföljande siffrorna; sidorna fylls på när hämtningen är klar." {
		t.Errorf("running: %q", got)
	}
	sc.state["scb"] = "failed"
	if got := sc.Notice(); got != "Den första hämtningen från SCB gick inte att slutföra (källan kunde inte nås eller svarade fel), så en del siffror saknas och de medföljande visas. Administratörer ser felet under Källor." {
		t.Errorf("failed: %q", got)
	}
	// A later successful run of the source ends the notice (looked at
	// again after recheckEvery).
	later = domain.Run{Status: domain.RunSucceeded}
	if got := sc.Notice(); got == "" {
		t.Error("the failure notice ended before the recheck time")
	}
	now = now.Add(recheckEvery + time.Second)
	if got := sc.Notice(); got != "" {
		t.Errorf("after a later success: %q", got)
	}
	if got := (&startCollect{}).Notice(); got != "" {
		t.Errorf("never started: %q", got)
	}
}
