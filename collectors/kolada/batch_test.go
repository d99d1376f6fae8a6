package kolada

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/collectors/kolada/koladatest"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// 26 KPIs make two requests (25 ids share one path, Kolada's limit); a
// broken KPI fails only its own request, and each figure keeps the KPI it
// came from. The fake's figures are constructed, not Kolada's.
func TestCollectBatchesKPIsPerRequest(t *testing.T) {
	var kpis []koladatest.KPI
	var specs []config.KoladaKPI
	for i := range 26 {
		id := fmt.Sprintf("N%05d", i+1)
		kpis = append(kpis, koladatest.KPI{ID: id, First: 2023, Last: 2024})
		specs = append(specs, config.KoladaKPI{ID: id, Indicator: fmt.Sprintf("ind%d", i+1), From: 2023})
	}
	// The same KPI feeding a second indicator is asked for once.
	specs = append(specs, config.KoladaKPI{ID: "N00001", Indicator: "again", From: 2024})
	fake := koladatest.New([]string{"0000", "0010", "1060", "G12345"}, kpis...)
	fake.Break("N00026")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := New(config.Kolada{URL: srv.URL + "/v3", KPIs: specs, MaxAttempts: 1}, regions(t),
		WithHTTPClient(srv.Client()), WithClock(clocktest.NewFakeClock(t0)), WithLogger(slog.New(slog.DiscardHandler)))
	col, err := c.Collect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls()
	if len(calls) != 2 || strings.Count(calls[0], ",") != 24+1 || !strings.HasPrefix(calls[0], "/v3/data/kpi/N00001,N00002,") ||
		!strings.HasPrefix(calls[1], "/v3/data/kpi/N00026/year/2023,2024?per_page=5000") {
		t.Fatalf("requests %v", calls)
	}
	if len(col.Units) != 2 || col.Units[0].Err != nil || col.Units[1].Err == nil || col.Units[1].Ref != "N00026" {
		t.Fatalf("units %+v", col.Units)
	}
	first := col.Units[0]
	if !strings.HasPrefix(first.Ref, "N00001,N00002,") || strings.Contains(first.Ref, "N00026") {
		t.Errorf("ref %q", first.Ref)
	}
	// 25 KPIs × 2 years × 3 known regions (the group id is skipped), plus
	// "again" for 2024 only.
	if len(first.Observations) != 25*2*3+3 {
		t.Errorf("%d observations", len(first.Observations))
	}
	for _, o := range first.Observations {
		want := "N" + fmt.Sprintf("%05d", atoi(strings.TrimPrefix(o.Indicator, "ind")))
		if o.Indicator == "again" {
			want = "N00001"
			if o.Year != 2024 {
				t.Errorf("again %d: from 2024 only", o.Year)
			}
		}
		if o.Source != (domain.Source{Kind: domain.SourceKolada, Ref: want, FetchedAt: t0}) {
			t.Errorf("%s: source %+v, want %s", o.Indicator, o.Source, want)
		}
		if v := koladatest.Value(o.Source.Ref, koladaIDOf(o.Municipality), o.Year, "T"); o.Value != v {
			t.Errorf("%s %s %d = %v, want %v", o.Indicator, o.Municipality, o.Year, o.Value, v)
		}
	}
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}

func koladaIDOf(code string) string {
	switch {
	case code == domain.RiketCode:
		return "0000"
	case len(code) == 2:
		return "00" + code
	}
	return code
}
