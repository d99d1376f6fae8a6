package server_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// Constructed state shares (not Kolada's figures) for four members and
// riket, and SCB-style state jobs for Olofström; the populations are the
// bundled real ones (Olofström 13 000 in 2024).
func TestStatePresenceRanksMembersAgainstRiket(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	at := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	kolada := domain.Source{Kind: domain.SourceKolada, Ref: "N02206", FetchedAt: at}
	scb := domain.Source{Kind: domain.SourceSCB, Ref: "TAB2597", FetchedAt: at}
	upload := domain.Source{Kind: domain.SourceUpload, Ref: "kontor.xlsx", FetchedAt: at}
	var kobs []domain.Observation
	for code, v := range map[string]float64{"1060": 3.1, "0481": 4.2, "0562": 2.5, "0882": 1.2, "00": 9.8} {
		kobs = append(kobs, domain.Observation{Municipality: code, Indicator: "state_share", Year: 2024, Value: v, Source: kolada})
	}
	batches := []domain.Batch{
		{Kind: domain.BatchRun, Source: domain.SourceKolada, Label: "kolada", Actor: "t", Observations: kobs},
		{Kind: domain.BatchRun, Source: domain.SourceSCB, Label: "scb", Actor: "t", Observations: []domain.Observation{
			{Municipality: "1060", Indicator: "state_jobs", Year: 2024, Value: 195, Source: scb},
			{Municipality: "1060", Indicator: "employed_day", Year: 2024, Value: 6500, Source: scb}}},
		{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: "kontor.xlsx", Actor: "t", Observations: []domain.Observation{
			{Municipality: "1060", Indicator: "state_offices", Year: 2024, Value: 1, Source: upload}}},
	}
	for _, b := range batches {
		if _, err := inst.Store.Apply(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	inst.Server.Invalidate()
	resp, body := get(t, inst.URL+"/statlig-narvaro")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// Ranked by Kolada's share, highest first; Oskarshamn's small share last
	// among those with a figure.
	var order []string
	for _, m := range regexp.MustCompile(`<td class="num" data-code="(\d{4})" data-value="([0-9.]+)"`).FindAllStringSubmatch(body, -1) {
		order = append(order, m[1])
	}
	if strings.Join(order, ",") != "0481,1060,0562,0882" {
		t.Errorf("ranking %v", order)
	}
	if !strings.Contains(body, `data-code="00" data-value="9.8"`) {
		t.Error("riket row missing")
	}
	// Riket is a reference line on the chart.
	if !strings.Contains(body, `Riket`) || !regexp.MustCompile(`"markLine":\{[^<]*9\.8`).MatchString(body) {
		t.Error("riket is not drawn as a reference line")
	}
	// Olofström: 195 / 13 000 × 1 000 = 15,0 per 1 000; 195 / 6 500 = 3,0 %.
	if !strings.Contains(body, `<td class="num">195</td><td class="num">15,0</td><td class="num">3,0&nbsp;%</td><td class="num">1</td>`) &&
		!strings.Contains(body, "<td class=\"num\">195</td><td class=\"num\">15,0</td><td class=\"num\">3,0\u00a0%</td><td class=\"num\">1</td>") {
		t.Errorf("Olofström's derived figures")
	}
	for _, f := range []string{"xlsx", "csv"} {
		if resp, b := get(t, inst.URL+"/statlig-narvaro?ar=2024&format="+f); resp.StatusCode != 200 || len(b) == 0 {
			t.Errorf("%s export: %d", f, resp.StatusCode)
		}
	}
	_, csv := get(t, inst.URL+"/statlig-narvaro?ar=2024&format=csv")
	if !strings.Contains(csv, "Oskarshamn") || !strings.Contains(csv, "Riket") {
		t.Error("export lacks rows")
	}
	if resp, _ := get(t, inst.URL+"/statlig-narvaro?ar=abc"); resp.StatusCode != 400 {
		t.Errorf("bad year: %d", resp.StatusCode)
	}
}
