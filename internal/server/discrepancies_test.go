package server_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// seedDisagreement stores constructed figures where SCB and Kolada
// disagree for Olofström 2023 (SCB 3 000 of 10 000 jobs = 30,0 %, Kolada
// 28,9 %: 1,1 procentenheter) and agree within the threshold for
// Oxelösund 2023 (25,0 % against 25,3 %). They are not real figures.
func seedDisagreement(t *testing.T, inst *servertest.Instance) {
	t.Helper()
	at := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	scb := func(table string) domain.Source {
		return domain.Source{Kind: domain.SourceSCB, Ref: table, FetchedAt: at}
	}
	kolada := domain.Source{Kind: domain.SourceKolada, Ref: "N02235", FetchedAt: at}
	obs := []domain.Observation{
		{Municipality: "1060", Indicator: "industrial_jobs", Year: 2023, Value: 3000, Source: scb("TAB3204")},
		{Municipality: "1060", Indicator: "employed_day", Year: 2023, Value: 10000, Source: scb("TAB3204")},
		{Municipality: "0481", Indicator: "industrial_jobs", Year: 2023, Value: 2000, Source: scb("TAB3204")},
		{Municipality: "0481", Indicator: "employed_day", Year: 2023, Value: 8000, Source: scb("TAB3204")},
	}
	kobs := []domain.Observation{
		{Municipality: "1060", Indicator: "industrial_share", Year: 2023, Value: 28.9, Source: kolada},
		{Municipality: "0481", Indicator: "industrial_share", Year: 2023, Value: 25.3, Source: kolada},
	}
	for _, b := range []domain.Batch{
		{Kind: domain.BatchRun, Source: domain.SourceSCB, Label: "scb", Actor: "t", Observations: obs},
		{Kind: domain.BatchRun, Source: domain.SourceKolada, Label: "kolada", Actor: "t", Observations: kobs},
	} {
		if _, err := inst.Store.Apply(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	inst.Server.Invalidate()
}

func TestDeliberateDisagreementIsListedAndMarked(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	_, body := get(t, inst.URL+"/api/v1/discrepancies")
	if body != `{"data":[]}` {
		t.Fatalf("before any figures: %s", body)
	}
	seedDisagreement(t, inst)
	_, body = get(t, inst.URL+"/api/v1/discrepancies")
	var out struct {
		Data []struct {
			Check, Municipality string
			Year                int
			Values              map[string]float64
			Difference          float64
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Data) != 1 {
		t.Fatalf("want one discrepancy (Olofström 2023), got %s", body)
	}
	d := out.Data[0]
	if d.Check != "industrial_share" || d.Municipality != "1060" || d.Year != 2023 || math.Abs(d.Difference-1.1) > 1e-9 ||
		d.Values["scb"] != 30 || d.Values["kolada"] != 28.9 || d.Values["industrial_jobs"] != 3000 || d.Values["employed_day"] != 10000 {
		t.Errorf("discrepancy %+v", d)
	}
	// Marked where either figure is shown; nothing overwritten.
	for _, p := range []string{"/jamfor?indikator=industrial_share&ar=2023", "/jamfor?indikator=industrial_jobs&ar=2023", "/kommun/1060?tema=industri"} {
		_, page := get(t, inst.URL+p)
		if !strings.Contains(page, `class="discrepancy">⚠ Källorna avviker 2023: SCB 30,0 % mot Kolada 28,9 % (1,1 procentenheter).`) {
			t.Errorf("%s: discrepancy not marked", p)
		}
	}
	_, page := get(t, inst.URL+"/jamfor?indikator=industrial_share&ar=2023")
	if !strings.Contains(page, `data-code="1060" data-value="28.9"`) {
		t.Error("Kolada's figure must still be shown as stored")
	}
	if strings.Count(page, `class="discrepancy"`) != 1 {
		t.Error("only Olofström differs by more than 0.5 percentage points")
	}
	admin := login(t, inst, "ada", domain.RoleAdmin)
	_, page = admin.get("/admin/kallor")
	if !strings.Contains(page, "Avvikelser mellan källor") || !strings.Contains(page, "<td>Olofström (1060)</td><td class=\"num\">2023</td><td class=\"num\">30,0 %</td><td class=\"num\">28,9 %</td><td class=\"num\">&#43;1,1\u00a0p.e.</td>") || !strings.Contains(page, "<caption>1 avvikelse</caption>") {
		t.Errorf("admin page does not list the discrepancy")
	}
}
