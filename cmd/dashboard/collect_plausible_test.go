package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/collectors/scb/scbtest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// TestCollectFailsATableWithAnImplausibleFigure: the recorded TAB638 answer
// with one figure made negative fails that table clearly (the same rules as
// uploads, config indicators[].plausible) and stores nothing of it.
func TestCollectFailsATableWithAnImplausibleFigure(t *testing.T) {
	good, err := scbtest.Recorded("scb_constructed_TAB638_population_jsonstat2.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(good, []byte("12031"), []byte("-12031"), 1)
	if bytes.Equal(bad, good) {
		t.Fatal("recorded answer has no 12031 to break")
	}
	f := &fakeSCB{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v2/tables/TAB638/data", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		_, _ = w.Write(bad)
	})
	mux.Handle("/", f)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	env, db := emptyCollectEnv(t, srv.URL)
	code, out, errs := runCLI(t, env, "collect", "--source", "scb")
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout %s\nstderr %s", code, out, errs)
	}
	if !strings.Contains(out, "TAB638") || !strings.Contains(out, "orimligt värde för kommun 0481 år 2024") {
		t.Errorf("summary does not name the table and the figure: %q", out)
	}
	obs, runs := storedFigures(t, db)
	if len(obs) != 0 {
		t.Errorf("figures of an implausible table were stored: %+v", obs)
	}
	if len(runs) != 1 || runs[0].Status != domain.RunFailed || !strings.Contains(runs[0].Error, "orimligt värde") {
		t.Errorf("runs %+v", runs)
	}
}
