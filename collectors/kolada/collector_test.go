package kolada

import (
	"context"
	"encoding/csv"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

var t0 = time.Date(2024, 6, 1, 6, 0, 0, 0, time.UTC) // "this year" is 2024

// regions reads the real code list (riket, 21 län, 290 kommuner) minus drop.
func regions(t testing.TB, drop ...string) *domain.Regions {
	t.Helper()
	f, err := os.Open("testdata/municipalities.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var list []domain.Region
	for _, r := range recs[1:] {
		if !slices.Contains(drop, r[0]) {
			list = append(list, domain.Region{Code: r[0], Name: r[1], CountyCode: r[2]})
		}
	}
	return domain.NewRegions(list)
}

const realBase = "https://api.kolada.se/v3"

// fakeKolada serves the constructed pages with their links pointed at the
// test server.
type fakeKolada struct {
	page1, page2 http.HandlerFunc
	other        http.HandlerFunc // any other path; nil = 404
	mu           sync.Mutex
	uris         []string
}

func (f *fakeKolada) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.uris = append(f.uris, r.RequestURI)
	f.mu.Unlock()
	switch {
	case r.URL.Path == "/v3/data/kpi/N01951/year/2023,2024" && r.URL.Query().Get("page") == "":
		f.page1(w, r)
	case r.URL.Path == "/v3/data/kpi/N01951/year/2023,2024" && r.URL.Query().Get("page") == "2":
		f.page2(w, r)
	case f.other != nil:
		f.other(w, r)
	default:
		http.NotFound(w, r)
	}
}

func page(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}
}

func statusH(code int, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		http.Error(w, http.StatusText(code), code)
	}
}

func then(hs ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hs[min(n, len(hs)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}

type setup struct {
	f     *fakeKolada
	srv   *httptest.Server
	clock *clocktest.FakeClock
	p1    string // page 1 with links to the test server
	p2    string
}

func newSetup(t *testing.T) *setup {
	s := &setup{f: &fakeKolada{}, clock: clocktest.NewFakeClock(t0)}
	s.srv = httptest.NewServer(s.f)
	t.Cleanup(s.srv.Close)
	s.p1 = strings.ReplaceAll(string(fixture(t, "kolada_constructed_N01951_page1.json")), realBase, s.srv.URL+"/v3")
	s.p2 = strings.ReplaceAll(string(fixture(t, "kolada_constructed_N01951_page2.json")), realBase, s.srv.URL+"/v3")
	s.f.page1, s.f.page2 = page(s.p1), page(s.p2)
	return s
}

func (s *setup) collector(regs *domain.Regions, spec config.KoladaKPI, timeout time.Duration) *Collector {
	cfg := config.Kolada{URL: s.srv.URL + "/v3", KPIs: []config.KoladaKPI{spec}, MaxAttempts: 3, Timeout: config.Duration(timeout)}
	return New(cfg, regs, WithHTTPClient(s.srv.Client()), WithClock(s.clock), WithLogger(slog.New(slog.DiscardHandler)), WithBackoff(time.Second, 30*time.Second))
}

var n01951 = config.KoladaKPI{ID: "N01951", Indicator: "population", From: 2023}

// wantAll is every figure of the two constructed pages: real SCB
// population figures; 0882 for 2023 is null there and gives nothing.
func wantAll() []domain.Observation {
	src := domain.Source{Kind: domain.SourceKolada, Ref: "N01951", FetchedAt: t0}
	o := func(m string, y int, v float64) domain.Observation {
		return domain.Observation{Municipality: m, Indicator: "population", Year: y, Value: v, Source: src}
	}
	return []domain.Observation{
		o("00", 2024, 10587710), o("01", 2024, 2473307),
		o("1060", 2023, 13061), o("1060", 2024, 13000),
		o("0481", 2023, 12106), o("0481", 2024, 12031),
		o("0562", 2023, 21694), o("0562", 2024, 21623),
		o("0882", 2024, 26923),
	}
}

func TestCollectFollowsPages(t *testing.T) {
	s := newSetup(t)
	c := s.collector(regions(t), n01951, 0)
	col, err := c.Collect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(col.Observations(), wantAll()) {
		t.Errorf("observations\n got %+v\nwant %+v", col.Observations(), wantAll())
	}
	if col.Requests != 2 || c.LastStats().Pages != 2 {
		t.Errorf("requests %d pages %d, want 2", col.Requests, c.LastStats().Pages)
	}
	// One request for all regions: the year form, no municipality list,
	// Kolada's largest pages.
	if got := s.f.uris[0]; got != "/v3/data/kpi/N01951/year/2023,2024?per_page=5000" {
		t.Errorf("first request %q", got)
	}
	if len(col.Units) != 1 || col.Units[0].Unchanged || !col.Units[0].Stamp.IsZero() || col.Units[0].Ref != "N01951" {
		t.Errorf("units %+v", col.Units)
	}
}

func TestCollectFaults(t *testing.T) {
	tests := []struct {
		name      string
		page1     func(s *setup) http.HandlerFunc
		page2     func(s *setup) http.HandlerFunc
		spec      config.KoladaKPI
		drop      []string
		timeout   time.Duration
		wantErr   bool
		wantObs   int
		wantSlept time.Duration
	}{
		{name: "500 then success", page2: func(s *setup) http.HandlerFunc { return then(statusH(500), page(s.p2)) }, wantObs: 9, wantSlept: time.Second},
		{name: "persistent 500 on page 2 loses page 1 too", page2: func(s *setup) http.HandlerFunc { return statusH(502) }, wantErr: true, wantSlept: 3 * time.Second},
		{name: "429 with Retry-After", page1: func(s *setup) http.HandlerFunc {
			return then(statusH(429, "Retry-After", "5"), page(s.p1))
		}, wantObs: 9, wantSlept: 5 * time.Second},
		{name: "timeout then success", timeout: 100 * time.Millisecond, page1: func(s *setup) http.HandlerFunc {
			return then(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, page(s.p1))
		}, wantObs: 9, wantSlept: time.Second},
		{name: "truncated page", page2: func(s *setup) http.HandlerFunc { return page(s.p2[:len(s.p2)/2]) }, wantErr: true},
		{name: "garbage page", page2: func(s *setup) http.HandlerFunc { return page("<html>Service Unavailable</html>") }, wantErr: true},
		{name: "chain breaks with 404", page2: func(s *setup) http.HandlerFunc { return statusH(404) }, wantErr: true},
		{name: "chain loops", page2: func(s *setup) http.HandlerFunc {
			return page(strings.Replace(s.p2, `"next_url": null`, `"next_url": "`+s.srv.URL+`/v3/data/kpi/N01951/year/2023,2024"`, 1))
		}, wantErr: true},
		{name: "next link to another host", page1: func(s *setup) http.HandlerFunc {
			return page(strings.Replace(s.p1, s.srv.URL, "https://example.org", 1))
		}, wantErr: true},
		{name: "relative next link", page1: func(s *setup) http.HandlerFunc {
			return page(strings.Replace(s.p1, s.srv.URL, "", 1))
		}, wantObs: 9},
		{name: "row for another KPI", page2: func(s *setup) http.HandlerFunc {
			return page(strings.Replace(s.p2, `"kpi": "N01951"`, `"kpi": "N00914"`, 1))
		}, wantErr: true},
		{name: "conflicting duplicate", page2: func(s *setup) http.HandlerFunc {
			return page(strings.Replace(s.p2, `"municipality": "0481"`, `"municipality": "1060"`, 1))
		}, wantErr: true},
		{name: "unknown region ids skipped", drop: []string{"0481", "01"}, wantObs: 6},
		{name: "other gender: no totals taken", spec: config.KoladaKPI{ID: "N01951", Indicator: "population", Gender: "K", From: 2023}, wantObs: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t)
			if tt.page1 != nil {
				s.f.page1 = tt.page1(s)
			}
			if tt.page2 != nil {
				s.f.page2 = tt.page2(s)
			}
			spec := n01951
			if tt.spec.ID != "" {
				spec = tt.spec
			}
			c := s.collector(regions(t, tt.drop...), spec, tt.timeout)
			col, err := c.Collect(context.Background(), nil)
			if err != nil {
				t.Fatalf("a request's fault failed the whole collection: %v", err)
			}
			if len(col.Units) != 1 {
				t.Fatalf("units %+v", col.Units)
			}
			if err = col.Units[0].Err; (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				var de *domain.Error
				if !errors.As(err, &de) || de.Code != domain.CodeUnavailable || !strings.Contains(de.Message, "Kolada") {
					t.Errorf("error %v is not a coded Swedish Kolada error", err)
				}
			}
			if len(col.Observations()) != tt.wantObs {
				t.Errorf("%d observations, want %d", len(col.Observations()), tt.wantObs)
			}
			if s.clock.Slept() != tt.wantSlept {
				t.Errorf("waited %s, want %s", s.clock.Slept(), tt.wantSlept)
			}
		})
	}
}

func TestCollectUnknownIDsAreCounted(t *testing.T) {
	s := newSetup(t)
	c := s.collector(regions(t, "0481", "01"), n01951, 0)
	col, err := c.Collect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range col.Observations() {
		if o.Municipality == "0481" || o.Municipality == "01" {
			t.Errorf("unknown region stored: %+v", o)
		}
	}
	if got := c.LastStats().SkippedRegions; got != 3 {
		t.Errorf("skipped %d rows, want 3 (0001 once, 0481 twice)", got)
	}
}

func TestCollectMissingIsMissing(t *testing.T) {
	s := newSetup(t)
	c := s.collector(regions(t), n01951, 0)
	col, err := c.Collect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range col.Observations() {
		if o.Municipality == "0882" && o.Year == 2023 {
			t.Errorf("null value stored: %+v", o)
		}
	}
}

func TestCollectSplitsLongYearLists(t *testing.T) {
	s := newSetup(t)
	s.f.other = page(`{"values":[]}`)
	c := s.collector(regions(t), config.KoladaKPI{ID: "N01951", Indicator: "population", From: 1990}, 0) // 35 years
	if _, err := c.Collect(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(s.f.uris) != 2 {
		t.Fatalf("requests %v, want 2", s.f.uris)
	}
	if !strings.HasSuffix(s.f.uris[0], "/year/1990,1991,1992,1993,1994,1995,1996,1997,1998,1999,2000,2001,2002,2003,2004,2005,2006,2007,2008,2009,2010,2011,2012,2013,2014?per_page=5000") ||
		!strings.HasSuffix(s.f.uris[1], "/year/2015,2016,2017,2018,2019,2020,2021,2022,2023,2024?per_page=5000") {
		t.Errorf("requests %v", s.f.uris)
	}
}

func TestCollectStopsOnCancel(t *testing.T) {
	s := newSetup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.f.page2 = func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	}
	c := s.collector(regions(t), n01951, 0)
	col, err := c.Collect(ctx, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(col.Observations()) != 0 || col.Requests != 2 {
		t.Errorf("%d observations, %d requests", len(col.Observations()), col.Requests)
	}
}

func TestCollectRejectsBadConfig(t *testing.T) {
	for i, cfg := range []config.Kolada{
		{},
		{KPIs: []config.KoladaKPI{{ID: "N01951"}}},
		{KPIs: []config.KoladaKPI{{ID: "N0/1951", Indicator: "x"}}},
		{KPIs: []config.KoladaKPI{{ID: "N01951", Indicator: "x", Gender: "X"}}},
		{URL: "ftp://kolada", KPIs: []config.KoladaKPI{{ID: "N01951", Indicator: "x"}}},
	} {
		_, err := New(cfg, regions(t)).Collect(context.Background(), nil)
		if domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("config %d: err = %v, want CodeInvalid", i, err)
		}
	}
}

func TestSCBCode(t *testing.T) {
	regs := regions(t)
	for id, want := range map[string]string{
		"0000": "00", "0001": "01", "0025": "25", "1060": "1060", "0114": "0114",
		"0002": "", "0026": "", "G124026": "", "": "", "106": "", "00A1": "", "9999": "",
	} {
		got, ok := scbCode(id, regs)
		if got != want || ok != (want != "") {
			t.Errorf("scbCode(%q) = %q %v, want %q", id, got, ok, want)
		}
	}
}

// A next link that keeps the scheme but names another host (or another
// port of the same machine) is refused before it is followed: the foreign
// server here would answer with a valid page 2, so only the host check can
// stop the collector, and the foreign server must never be asked.
func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	tests := []struct {
		name    string
		foreign func(s *setup, other *httptest.Server) string // the next link's scheme and host
	}{
		{"same scheme, another port", func(_ *setup, other *httptest.Server) string { return other.URL }},
		{"same scheme and port, another host name", func(s *setup, _ *httptest.Server) string {
			return strings.Replace(s.srv.URL, "127.0.0.1", "localhost", 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t)
			foreign := &fakeKolada{}
			other := httptest.NewServer(foreign)
			t.Cleanup(other.Close)
			foreign.page1, foreign.page2 = page(s.p1), page(s.p2)
			link := tt.foreign(s, other)
			if !strings.HasPrefix(link, "http://") || link == s.srv.URL {
				t.Fatalf("test link %q must keep the scheme and change the host", link)
			}
			s.f.page1 = page(strings.Replace(s.p1, s.srv.URL, link, 1))
			c := s.collector(regions(t), n01951, 0)
			col, err := c.Collect(context.Background(), nil)
			if err != nil || len(col.Units) != 1 {
				t.Fatalf("collection %+v, %v", col, err)
			}
			if err := col.Units[0].Err; !errors.Is(err, ErrFormat) || domain.ErrorCode(err) != domain.CodeUnavailable {
				t.Fatalf("err = %v, want a coded Kolada format error", err)
			}
			if len(col.Observations()) != 0 {
				t.Errorf("%d observations kept from a chain that left the host", len(col.Observations()))
			}
			foreign.mu.Lock()
			defer foreign.mu.Unlock()
			if len(foreign.uris) != 0 {
				t.Errorf("the foreign host was asked for %v", foreign.uris)
			}
			if len(s.f.uris) != 1 {
				t.Errorf("%d requests to the configured host, want 1 (page 1): %v", len(s.f.uris), s.f.uris)
			}
		})
	}
}
