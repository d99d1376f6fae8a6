package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

// fakeKoladaGroups answers every data request with one figure and
// /v3/municipality_groups with CONSTRUCTED groups in the v3 shape: one
// "Liknande kommuner, övergripande" group per municipality (the
// municipality's neighbours in SCB's code order stand in for Kolada's
// similar ones). broken makes the groups answer 500.
type fakeKoladaGroups struct {
	t      *testing.T
	body   []byte
	broken atomic.Bool
}

func newFakeKoladaGroups(t *testing.T) *fakeKoladaGroups {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	munis := cfg.RegionIndex().Municipalities()
	type member struct {
		ID    string `json:"member_id"`
		Title string `json:"member_title"`
	}
	type group struct {
		ID      string   `json:"id"`
		Title   string   `json:"title"`
		Members []member `json:"members"`
	}
	var gs []group
	for i, r := range munis {
		g := group{ID: "G9" + r.Code, Title: "Liknande kommuner, övergripande, " + r.Name + ", 2026"}
		for j := 1; j <= 7; j++ {
			m := munis[(i+j)%len(munis)]
			g.Members = append(g.Members, member{ID: m.Code, Title: m.Name})
		}
		gs = append(gs, g)
	}
	b, err := json.Marshal(map[string]any{"count": len(gs), "values": gs, "next_url": nil})
	if err != nil {
		t.Fatal(err)
	}
	return &fakeKoladaGroups{t: t, body: b}
}

func (f *fakeKoladaGroups) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/v3/municipality_groups" && f.broken.Load():
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	case r.URL.Path == "/v3/municipality_groups":
		_, _ = w.Write(f.body)
	case strings.HasPrefix(r.URL.Path, "/v3/data/"):
		// One CONSTRUCTED figure, so the run has something to land.
		_, _ = w.Write([]byte(`{"count":1,"values":[{"kpi":"N02267","municipality":"1060","period":2024,"values":[{"gender":"T","value":80.1,"count":1}]}],"next_url":null}`))
	default:
		http.NotFound(w, r)
	}
}

// The Kolada run refreshes the municipality groups into the store; a
// failing groups answer lands the figures, leaves the stored groups as
// they were and reports the run as partial.
func TestKoladaRunRefreshesGroups(t *testing.T) {
	f := newFakeKoladaGroups(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dashboard.yaml")
	yaml := "load_bundled: false\nsources:\n  kolada:\n    max_attempts: 1\n    kpis:\n      - {id: N02267, indicator: employment_rate, gender: T, from: 2024}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "d.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + db, "DASHBOARD_KOLADA_URL": srv.URL + "/v3", "DASHBOARD_CONFIG": cfg,
		"DASHBOARD_COLLECT_ON_START": "never"}

	stored := func() (int, string) {
		s, err := sqlite.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		snap, _, err := s.Groups(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range snap.Groups {
			if g.ID == "G91060" {
				return len(snap.Groups), strings.Join(g.Members, ",")
			}
		}
		return len(snap.Groups), ""
	}
	if code, out, errs := runCLI(t, env, "collect", "--source", "kolada"); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	n, olofstrom := stored()
	if n != 290 || olofstrom != "1080,1081,1082,1083,1214,1230,1231" {
		t.Fatalf("stored %d groups, Olofström's %q", n, olofstrom)
	}
	f.broken.Store(true)
	// The figures still land; the groups' failure makes the run partial,
	// named on its own line, and the exit code tells a wrapper to look.
	code, out, errs := runCLI(t, env, "collect", "--source", "kolada")
	if code != 1 {
		t.Fatalf("a failing groups answer: exit %d, want 1 (partial)\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"Kolada: delvis – 1 av 2 förfrågningar misslyckades", "N02267: ",
		"municipality_groups: misslyckades – Koladas kommungrupper kunde inte hämtas; de tidigare används.", "500"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "N02267: misslyckades") {
		t.Errorf("the figures failed with the groups:\n%s", out)
	}
	if n2, _ := stored(); n2 != n {
		t.Errorf("a failed refresh changed the stored groups: %d, was %d", n2, n)
	}
}
