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

// Constructed figures (not real statistics) for 2024: SCB counts for
// Karlshamn (30 %), Motala (20 %), Stockholm (50 %, a metropolitan
// municipality) and the member Olofström (35 %); Kolada's share for
// Vadstena (25,5 %, no SCB counts), Karlshamn (28,0 %, SCB wins) and
// Upplands Väsby (60 %, "Pendlingskommun nära storstad").
func TestCandidatesRankNonMembersOutsideMetroRegions(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	at := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	scb := domain.Source{Kind: domain.SourceSCB, Ref: "TAB3204", FetchedAt: at}
	kolada := domain.Source{Kind: domain.SourceKolada, Ref: "N02235", FetchedAt: at}
	var sobs, kobs []domain.Observation
	for code, v := range map[string][2]float64{"1082": {3000, 10000}, "0583": {4000, 20000}, "0180": {300000, 600000}, "1060": {2275, 6500}} {
		sobs = append(sobs,
			domain.Observation{Municipality: code, Indicator: "industrial_jobs", Year: 2024, Value: v[0], Source: scb},
			domain.Observation{Municipality: code, Indicator: "employed_day", Year: 2024, Value: v[1], Source: scb})
	}
	for code, v := range map[string]float64{"0584": 25.5, "1082": 28.0, "0114": 60} {
		kobs = append(kobs, domain.Observation{Municipality: code, Indicator: "industrial_share", Year: 2024, Value: v, Source: kolada})
	}
	for _, b := range []domain.Batch{
		{Kind: domain.BatchRun, Source: domain.SourceSCB, Label: "scb", Actor: "t", Observations: sobs},
		{Kind: domain.BatchRun, Source: domain.SourceKolada, Label: "kolada", Actor: "t", Observations: kobs},
	} {
		if _, err := inst.Store.Apply(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	inst.Server.Invalidate()
	resp, body := get(t, inst.URL+"/kandidater?ar=2024")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var ranked []string
	for _, m := range regexp.MustCompile(`data-code="(\d{4})" data-value="([0-9.]+)">[^<]*</td><td>([^<]*)</td>`).FindAllStringSubmatch(body, -1) {
		ranked = append(ranked, m[1]+"="+m[2]+" "+m[3])
	}
	want := "1082=30 SCB,0584=25.5 Kolada N02235,0583=20 SCB"
	if strings.Join(ranked, ",") != want {
		t.Errorf("ranking %v, want %s", ranked, want)
	}
	for _, excluded := range []string{`data-code="0180"`, `data-code="0114"`, `data-code="1060"`} {
		if strings.Contains(body, excluded) {
			t.Errorf("%s is a member or metropolitan, yet listed", excluded)
		}
	}
	for _, s := range []string{"Storstäder (G92787, 3 kommuner)", "Pendlingskommun nära storstad (G92793", "Högst 25 medlemmar", "nätverkets median 35,0"} {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	_, csv := get(t, inst.URL+"/kandidater?ar=2024&format=csv")
	if !strings.Contains(csv, "Karlshamn") || !strings.Contains(csv, "Kolada N02235") || strings.Contains(csv, "Stockholm;") {
		t.Errorf("export: %.300s", csv)
	}
	if resp, _ := get(t, inst.URL+"/kandidater?ar=x"); resp.StatusCode != 400 {
		t.Errorf("bad year: %d", resp.StatusCode)
	}
}
