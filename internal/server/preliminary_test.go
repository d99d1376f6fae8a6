package server_test

import (
	"context"
	"encoding/json"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// applyPreliminary stores industrial jobs in Olofström for 2024 (final,
// TAB3204) and 2025 (preliminary, TAB3785) as an SCB run would. The
// figures are constructed: the bundled data has no SCB job counts.
func applyPreliminary(t *testing.T, inst *servertest.Instance) {
	t.Helper()
	at := time.Date(2025, 12, 2, 3, 0, 0, 0, time.UTC)
	o := func(year int, v float64, ref string, pre bool) domain.Observation {
		return domain.Observation{Municipality: "1060", Indicator: "industrial_jobs", Year: year, Value: v,
			Source: domain.Source{Kind: domain.SourceSCB, Ref: ref, FetchedAt: at, Preliminary: pre}}
	}
	_, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchRun, Source: domain.SourceSCB, Label: "SCB (2 tabeller)", Actor: "schemaläggare",
		Observations: []domain.Observation{o(2024, 1500, "TAB3204", false), o(2025, 1480, "TAB3785", true)}})
	if err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
}

func TestPreliminaryFigureIsMarkedEverywhere(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	applyPreliminary(t, inst)

	// The API has the field on every row, true only for the preliminary one.
	_, body := get(t, inst.URL+"/api/v1/observations?indicator=industrial_jobs,population&municipality=1060&from=2023")
	var out struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Data) < 3 {
		t.Fatalf("rows %v", out.Data)
	}
	for _, row := range out.Data {
		pre, ok := row["preliminary"].(bool)
		want := row["source_ref"] == "TAB3785"
		if !ok || pre != want {
			t.Errorf("row %v: preliminary %v (present %v), want %v", row, row["preliminary"], ok, want)
		}
		if want && !strings.Contains(row["source"].(string), "preliminär uppgift") {
			t.Errorf("row %v: the source does not say preliminary", row)
		}
	}

	// The profile writes 2025* and the footnote once.
	_, page := get(t, inst.URL+"/kommun/1060")
	text := html.UnescapeString(page)
	if !strings.Contains(text, "2025*") || strings.Count(text, "* preliminär uppgift:") != 1 {
		t.Errorf("profile lacks 2025* or the footnote (count %d)", strings.Count(text, "* preliminär uppgift:"))
	}
	if strings.Contains(text, "2024*") {
		t.Error("a final figure is marked preliminary")
	}

	// Exports carry a column.
	_, csv := get(t, inst.URL+"/jamfor?indikator=industrial_jobs&ar=2025&format=csv")
	if !strings.Contains(csv, ";Medlem;Preliminär\r\n") && !strings.Contains(csv, ";Medlem;Preliminär\n") {
		t.Errorf("compare export lacks the preliminary column:\n%.300s", csv)
	}
	if !strings.Contains(csv, "\n1;1060;Olofström;1480;ja;ja") || !strings.Contains(csv, "TAB3785 (preliminär uppgift)") {
		t.Errorf("Olofström's row does not say preliminary:\n%.300s", csv)
	}
}
