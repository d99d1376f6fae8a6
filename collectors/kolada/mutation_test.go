package kolada

import (
	"bytes"
	"context"
	"fmt"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// The edges that mutation testing found unchecked (docs/testing.md).

// KPIs are asked for in requests of at most MaxListItems ids, with no
// empty request when the ids fill the last one exactly (or there are none).
func TestRequestsSplitAtTheListLimit(t *testing.T) {
	specs := func(n int) []config.KoladaKPI {
		var out []config.KoladaKPI
		for i := range n {
			out = append(out, config.KoladaKPI{ID: fmt.Sprintf("N%05d", i), Indicator: "x"})
		}
		return out
	}
	for _, tt := range []struct{ ids, want int }{{0, 0}, {1, 1}, {MaxListItems, 1}, {MaxListItems + 1, 2}, {2 * MaxListItems, 2}} {
		got := requests(specs(tt.ids))
		if len(got) != tt.want {
			t.Errorf("%d ids: %d requests, want %d", tt.ids, len(got), tt.want)
		}
		for i, r := range got {
			if len(r) == 0 || len(r) > MaxListItems {
				t.Errorf("%d ids: request %d has %d KPIs", tt.ids, i, len(r))
			}
		}
	}
}

// A KPI's last year is its configured To when that is earlier than this
// year, else this year.
func TestSpecSeriesLastYear(t *testing.T) {
	for _, tt := range []struct{ to, want int }{{0, 2026}, {2020, 2020}, {2026, 2026}, {2030, 2026}} {
		if got := specSeries(config.KoladaKPI{ID: "N1", Indicator: "x", To: tt.to}, 2026).to; got != tt.want {
			t.Errorf("To %d: last year %d, want %d", tt.to, got, tt.want)
		}
	}
}

// Exactly MaxListItems years go in one request, with no empty one after.
func TestCollectYearListOfExactlyTheLimit(t *testing.T) {
	s := newSetup(t)
	s.f.other = page(`{"values":[]}`)
	c := s.collector(regions(t), config.KoladaKPI{ID: "N01951", Indicator: "population", From: 2000}, 0) // 2000–2024
	if _, err := c.Collect(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(s.f.uris) != 1 || !strings.Contains(s.f.uris[0], "/year/2000,") || !strings.Contains(s.f.uris[0], ",2024?") {
		t.Errorf("requests %v, want one for 2000–2024", s.f.uris)
	}
}

// collectWith runs the two-page setup with max_pages set.
func collectWith(t *testing.T, s *setup, maxPages int) domain.Collection {
	t.Helper()
	cfg := config.Kolada{URL: s.srv.URL + "/v3", KPIs: []config.KoladaKPI{n01951}, MaxAttempts: 1, MaxPages: maxPages}
	c := New(cfg, regions(t), WithHTTPClient(s.srv.Client()), WithClock(s.clock), WithLogger(slog.New(slog.DiscardHandler)))
	col, err := c.Collect(context.Background(), nil)
	if err != nil || len(col.Units) != 1 {
		t.Fatalf("collection %+v, err %v", col, err)
	}
	return col
}

// max_pages pages are followed; one more is refused.
func TestMaxPagesIsTheLastPageFollowed(t *testing.T) {
	if col := collectWith(t, newSetup(t), 2); col.Units[0].Err != nil || len(col.Observations()) != 9 {
		t.Errorf("two pages with max_pages 2: err %v, %d observations", col.Units[0].Err, len(col.Observations()))
	}
	if col := collectWith(t, newSetup(t), 1); col.Units[0].Err == nil || !strings.Contains(col.Units[0].Err.Error(), "more than 1 pages") {
		t.Errorf("two pages with max_pages 1: err %v", col.Units[0].Err)
	}
}

// A failing page is named by its number, counting from 1.
func TestFailingPageIsNamed(t *testing.T) {
	s := newSetup(t)
	s.f.page1 = statusH(404)
	if err := collectWith(t, s, 0).Units[0].Err; err == nil || !strings.Contains(err.Error(), "page 1: ") {
		t.Errorf("err %v, want it to name page 1", err)
	}
}

// An answer for a single KPI may leave the KPI out of its rows.
func TestRowsWithoutTheirKPI(t *testing.T) {
	s := newSetup(t)
	s.f.page1 = page(strings.ReplaceAll(s.p1, `"kpi": "N01951",`, ""))
	s.f.page2 = page(strings.ReplaceAll(s.p2, `"kpi": "N01951",`, ""))
	if col := collectWith(t, s, 0); col.Units[0].Err != nil || !slices.Equal(col.Observations(), wantAll()) {
		t.Errorf("single KPI: err %v, observations %+v", col.Units[0].Err, col.Observations())
	}
}

// Rows for ids that are not known regions are logged once per request,
// naming the ids; a request without such rows logs nothing about them.
func TestUnknownIDsAreLogged(t *testing.T) {
	for _, drop := range [][]string{nil, {"0481", "01"}} {
		s := newSetup(t)
		var buf bytes.Buffer
		cfg := config.Kolada{URL: s.srv.URL + "/v3", KPIs: []config.KoladaKPI{n01951}, MaxAttempts: 1}
		c := New(cfg, regions(t, drop...), WithHTTPClient(s.srv.Client()), WithClock(s.clock), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
		if _, err := c.Collect(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		logged := strings.Contains(buf.String(), "not known regions")
		if len(drop) == 0 && logged {
			t.Errorf("logged unknown ids where there were none:\n%s", buf.String())
		}
		if len(drop) > 0 && (!logged || !strings.Contains(buf.String(), "0481") || !strings.Contains(buf.String(), "0001")) {
			t.Errorf("unknown ids 0481 and 0001 (Kolada's id for county 01) not both logged:\n%s", buf.String())
		}
	}
}

// Periods 1900 and 2200 are the bounds of a plausible year, both accepted.
func TestParsePagePeriodBounds(t *testing.T) {
	for _, tt := range []struct {
		period int
		ok     bool
	}{{1899, false}, {1900, true}, {2200, true}, {2201, false}} {
		b := fmt.Sprintf(`{"count":1,"values":[{"kpi":"N01951","municipality":"1060","period":%d,"values":[]}],"next_url":null}`, tt.period)
		if _, err := ParsePage([]byte(b)); (err == nil) != tt.ok {
			t.Errorf("period %d: err %v, want accepted %v", tt.period, err, tt.ok)
		}
	}
}
