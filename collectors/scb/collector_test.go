package scb

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

var t0 = time.Date(2025, 3, 1, 6, 0, 0, 0, time.UTC)

var stamp638 = time.Date(2025, 2, 21, 7, 0, 0, 0, time.UTC)

// regionsFromMeta is the dashboard's code list as SCB gives it: the 312
// Region codes of the real TAB638 metadata, minus any codes in drop.
func regionsFromMeta(t testing.TB, drop ...string) *domain.Regions {
	t.Helper()
	meta, err := ParseMetadata(fixture(t, "scb_v2_TAB638_metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := meta.Dim("Region")
	var list []domain.Region
	for i, c := range reg.Codes {
		if slices.Contains(drop, c) {
			continue
		}
		r := domain.Region{Code: c, Name: reg.Labels[i]}
		if len(c) == 4 {
			r.CountyCode = c[:2]
		}
		list = append(list, r)
	}
	return domain.NewRegions(list)
}

var populationSpec = config.SCBTable{ID: "TAB638", Indicator: "population", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, From: 2023}

// fakeSCB serves the recorded answers; data answers come from dataFn so
// each test can misbehave in its own way.
type fakeSCB struct {
	t        *testing.T
	config   http.HandlerFunc
	metadata http.HandlerFunc
	data     http.HandlerFunc

	mu     sync.Mutex
	calls  []string
	bodies []Query
}

func (f *fakeSCB) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	switch {
	case r.URL.Path == "/api/v2/config":
		f.config(w, r)
	case r.URL.Path == "/api/v2/tables/TAB638/metadata":
		if r.URL.Query().Get("lang") != "sv" {
			f.t.Errorf("metadata without lang=sv: %s", r.URL)
		}
		f.metadata(w, r)
	case r.URL.Path == "/api/v2/tables/TAB638/data" && r.Method == http.MethodPost:
		if q := r.URL.Query(); q.Get("outputFormat") != "json-stat2" || q.Get("lang") != "sv" {
			f.t.Errorf("data query %s", r.URL.RawQuery)
		}
		b, _ := io.ReadAll(r.Body)
		var q Query
		if err := json.Unmarshal(b, &q); err != nil {
			f.t.Errorf("request body is not a query: %v: %s", err, b)
		}
		f.mu.Lock()
		f.bodies = append(f.bodies, q)
		f.mu.Unlock()
		f.data(w, r)
	default:
		http.NotFound(w, r)
	}
}

func serve(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		_, _ = w.Write(b)
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

// then answers with each handler in turn; the last repeats.
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

func newFake(t *testing.T) *fakeSCB {
	return &fakeSCB{
		t:        t,
		config:   serve(fixture(t, "scb_v2_config.json")),
		metadata: serve(fixture(t, "scb_v2_TAB638_metadata.json")),
		data:     serve(fixture(t, "scb_constructed_TAB638_population_jsonstat2.json")),
	}
}

func newCollector(t *testing.T, f *fakeSCB, clock *clocktest.FakeClock, regions *domain.Regions, cfg config.SCB) (*Collector, func()) {
	srv := httptest.NewServer(f)
	if cfg.URL == "" {
		cfg.URL = srv.URL + "/api/v2"
	}
	if len(cfg.Tables) == 0 {
		cfg.Tables = []config.SCBTable{populationSpec}
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 3
	}
	c := New(cfg, regions, WithHTTPClient(srv.Client()), WithClock(clock), WithLogger(slog.New(slog.DiscardHandler)), WithBackoff(time.Second, 30*time.Second))
	return c, srv.Close
}

// wantPopulation is what the constructed answer holds for the known
// regions: real figures (observations.csv); the null and ".." cells of 00
// and 01 for 2023 give no observation.
func wantPopulation() []domain.Observation {
	src := domain.Source{Kind: domain.SourceSCB, Ref: "TAB638", FetchedAt: t0}
	o := func(m string, y int, v float64) domain.Observation {
		return domain.Observation{Municipality: m, Indicator: "population", Year: y, Value: v, Source: src}
	}
	return []domain.Observation{
		o("00", 2024, 10587710),
		o("01", 2024, 2473307),
		o("0481", 2023, 12106), o("0481", 2024, 12031),
		o("0562", 2023, 21694), o("0562", 2024, 21623),
		o("1060", 2023, 13061), o("1060", 2024, 13000),
	}
}

func TestCollectPopulation(t *testing.T) {
	f := newFake(t)
	clock := clocktest.NewFakeClock(t0)
	c, done := newCollector(t, f, clock, regionsFromMeta(t), config.SCB{})
	defer done()
	col, err := c.Collect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(col.Observations(), wantPopulation()) {
		t.Errorf("observations\n got %+v\nwant %+v", col.Observations(), wantPopulation())
	}
	if len(col.Units) != 1 || col.Units[0].Ref != "TAB638" || !col.Units[0].Stamp.Equal(stamp638) || col.Units[0].Unchanged || col.Units[0].Err != nil {
		t.Errorf("units %+v", col.Units)
	}
	if col.Requests != 3 {
		t.Errorf("requests = %d, want 3 (config, metadata, data)", col.Requests)
	}
	// One request for all 312 regions; required variables selected,
	// eliminable ones left out.
	if len(f.bodies) != 1 {
		t.Fatalf("%d data requests, want 1", len(f.bodies))
	}
	q := f.bodies[0]
	got := map[string][]string{}
	var order []string
	for _, s := range q.Selection {
		got[s.VariableCode] = s.ValueCodes
		order = append(order, s.VariableCode)
	}
	if !slices.Equal(order, []string{"Region", "ContentsCode", "Tid"}) {
		t.Errorf("selected variables %v", order)
	}
	if len(got["Region"]) != 312 || got["Region"][0] != "00" || !slices.Contains(got["Region"], "1060") {
		t.Errorf("Region: %d codes", len(got["Region"]))
	}
	if !slices.Equal(got["ContentsCode"], []string{"BE0101N1"}) || !slices.Equal(got["Tid"], []string{"from(2023)"}) {
		t.Errorf("ContentsCode %v Tid %v", got["ContentsCode"], got["Tid"])
	}
	if st := c.LastStats(); st.MaxCells != 150000 || st.MaxCalls != 30 || st.TimeWindow != 10*time.Second || st.SkippedRegions != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestCollectUnchangedTableIsNotFetched(t *testing.T) {
	f := newFake(t)
	c, done := newCollector(t, f, clocktest.NewFakeClock(t0), regionsFromMeta(t), config.SCB{})
	defer done()
	col, err := c.Collect(context.Background(), map[string]time.Time{"TAB638": stamp638})
	if err != nil {
		t.Fatal(err)
	}
	if len(col.Units) != 1 || len(col.Units[0].Observations) != 0 || !col.Units[0].Unchanged || !col.Units[0].Stamp.Equal(stamp638) {
		t.Errorf("units %+v", col.Units)
	}
	if len(f.bodies) != 0 || col.Requests != 2 {
		t.Errorf("%d data requests, %d requests; want 0 and 2", len(f.bodies), col.Requests)
	}
	// An older stamp means SCB has published since: fetch the table, all
	// of it, and record the new stamp.
	col, err = c.Collect(context.Background(), map[string]time.Time{"TAB638": stamp638.Add(-24 * time.Hour)})
	if err != nil {
		t.Fatalf("stale stamp: %v", err)
	}
	if !slices.Equal(col.Observations(), wantPopulation()) || len(col.Units) != 1 || col.Units[0].Unchanged {
		t.Errorf("stale stamp: units %+v, observations\n got %+v\nwant %+v", col.Units, col.Observations(), wantPopulation())
	}
	if !col.Units[0].Stamp.Equal(stamp638) {
		t.Errorf("stale stamp: stamp %v, want TAB638 at %v", col.Units[0].Stamp, stamp638)
	}
	if len(f.bodies) != 1 {
		t.Errorf("stale stamp: %d data requests, want 1", len(f.bodies))
	}
}

func TestCollectFaults(t *testing.T) {
	real := string(fixture(t, "scb_constructed_TAB638_population_jsonstat2.json"))
	good := serve([]byte(real))
	tests := []struct {
		name      string
		config    http.HandlerFunc
		metadata  http.HandlerFunc
		data      http.HandlerFunc
		timeout   time.Duration
		drop      []string
		wantErr   bool
		wantObs   int
		wantSlept time.Duration
		check     func(t *testing.T, c *Collector, col domain.Collection, err error)
	}{
		{name: "500 then success", data: then(statusH(500), good), wantObs: 8, wantSlept: time.Second},
		{name: "persistent 500", data: statusH(500), wantErr: true, wantSlept: 3 * time.Second},
		{name: "429 with Retry-After", data: then(statusH(429, "Retry-After", "4"), good), wantObs: 8, wantSlept: 4 * time.Second},
		{name: "429 with Retry-After as HTTP date", data: then(statusH(429, "Retry-After", t0.Add(6*time.Second).Format(http.TimeFormat)), good), wantObs: 8, wantSlept: 6 * time.Second},
		{name: "timeout then success", timeout: 100 * time.Millisecond, data: then(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, good), wantObs: 8, wantSlept: time.Second},
		{name: "body cut off then success", data: then(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			_, _ = w.Write([]byte(real[:200]))
		}, good), wantObs: 8, wantSlept: time.Second},
		{name: "truncated json", data: serve([]byte(real[:len(real)-40])), wantErr: true},
		{name: "malformed json-stat2", data: serve([]byte(strings.Replace(real, `"size": [`, `"size": [7, `, 1))), wantErr: true},
		{name: "missing dimension", data: serve([]byte(strings.Replace(real, `"ContentsCode": {`, `"Innehall": {`, 1))), wantErr: true},
		{name: "answer without Region", data: serve([]byte(strings.NewReplacer(`"Region",`, `"Omrade",`, `"Region": {`, `"Omrade": {`).Replace(real))), wantErr: true},
		{name: "malformed metadata", metadata: serve([]byte(`{"version":"2.0","class":"dataset"}`)), wantErr: true},
		{name: "404 metadata", metadata: statusH(404), wantErr: true},
		{name: "empty table", data: serve([]byte(strings.NewReplacer(
			"10587710", "null", "2473307", "null", "12106", "null", "12031", "null", "21694", "null",
			"21623", "null", "13061", "null", "13000", "null").Replace(real))), wantObs: 0,
			check: func(t *testing.T, c *Collector, col domain.Collection, err error) {
				if !col.Units[0].Stamp.Equal(stamp638) {
					t.Errorf("stamp not kept for an empty table: %+v", col.Units)
				}
			}},
		{name: "unknown region codes are skipped", drop: []string{"0481"}, wantObs: 6,
			check: func(t *testing.T, c *Collector, col domain.Collection, err error) {
				for _, o := range col.Observations() {
					if o.Municipality == "0481" {
						t.Errorf("unknown region stored: %+v", o)
					}
				}
				if c.LastStats().SkippedRegions != 1 {
					t.Errorf("skipped = %d, want 1", c.LastStats().SkippedRegions)
				}
			}},
		{name: "dots are missing, not zero", wantObs: 8,
			check: func(t *testing.T, c *Collector, col domain.Collection, err error) {
				for _, o := range col.Observations() {
					if o.Municipality == "00" && o.Year == 2023 {
						t.Errorf("'..' cell stored: %+v", o)
					}
				}
			}},
		{name: "config unreadable uses defaults", config: statusH(404), wantObs: 8,
			check: func(t *testing.T, c *Collector, col domain.Collection, err error) {
				if st := c.LastStats(); st.MaxCells != DefaultMaxCells || st.MaxCalls != DefaultMaxCalls {
					t.Errorf("stats %+v", st)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			if tt.config != nil {
				f.config = tt.config
			}
			if tt.metadata != nil {
				f.metadata = tt.metadata
			}
			if tt.data != nil {
				f.data = tt.data
			}
			clock := clocktest.NewFakeClock(t0)
			c, done := newCollector(t, f, clock, regionsFromMeta(t, tt.drop...), config.SCB{Timeout: config.Duration(tt.timeout)})
			defer done()
			col, err := c.Collect(context.Background(), nil)
			if err != nil {
				t.Fatalf("a table's fault failed the whole collection: %v", err)
			}
			if len(col.Units) != 1 {
				t.Fatalf("units %+v", col.Units)
			}
			u := col.Units[0]
			if (u.Err != nil) != tt.wantErr {
				t.Fatalf("table err = %v, wantErr %v", u.Err, tt.wantErr)
			}
			if u.Err != nil {
				var de *domain.Error
				if !errors.As(u.Err, &de) || de.Code != domain.CodeUnavailable || !strings.Contains(de.Message, "SCB") || !strings.Contains(de.Message, "TAB638") {
					t.Errorf("error %v is not a coded Swedish SCB error naming the table", u.Err)
				}
				if len(u.Observations) != 0 {
					t.Errorf("failed table returned %d observations", len(u.Observations))
				}
			}
			if len(col.Observations()) != tt.wantObs {
				t.Errorf("%d observations, want %d", len(col.Observations()), tt.wantObs)
			}
			if clock.Slept() != tt.wantSlept {
				t.Errorf("waited %s, want %s", clock.Slept(), tt.wantSlept)
			}
			if tt.check != nil {
				tt.check(t, c, col, err)
			}
		})
	}
}

func TestCollectStopsOnCancel(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reached := make(chan struct{})
	f.data = func(w http.ResponseWriter, r *http.Request) {
		close(reached)
		cancel()
		<-r.Context().Done() // the client must drop the request
	}
	c, done := newCollector(t, f, clocktest.NewFakeClock(t0), regionsFromMeta(t), config.SCB{MaxAttempts: 5})
	defer done()
	col, err := c.Collect(ctx, nil)
	<-reached
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(f.bodies) != 1 || len(col.Observations()) != 0 {
		t.Errorf("%d data requests after cancel, %d observations", len(f.bodies), len(col.Observations()))
	}
}

func TestCollectRateLimitAcrossRequests(t *testing.T) {
	f := newFake(t)
	// A /config of 2 calls per 10 s and 1,000 cells per call: 312 regions
	// × 10 years (2015–2024) = 3,120 cells must go in 4 calls of at most
	// 100 regions, and the 6 calls in all must wait for the window twice.
	f.config = serve([]byte(`{"maxDataCells":1000,"maxCallsPerTimeWindow":2,"timeWindow":10}`))
	clock := clocktest.NewFakeClock(t0)
	spec := populationSpec
	spec.From = 2015
	c, done := newCollector(t, f, clock, regionsFromMeta(t), config.SCB{Tables: []config.SCBTable{spec}})
	defer done()
	col, err := c.Collect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.bodies) != 4 || col.Requests != 6 {
		t.Fatalf("%d data calls, %d requests; want 4 and 6", len(f.bodies), col.Requests)
	}
	// Regions split without overlap or loss; each call within the limit.
	var all []string
	for _, q := range f.bodies {
		for _, s := range q.Selection {
			if s.VariableCode == "Region" {
				if len(s.ValueCodes)*10 > 1000 {
					t.Errorf("call with %d regions exceeds 1000 cells", len(s.ValueCodes))
				}
				all = append(all, s.ValueCodes...)
			}
		}
	}
	if len(all) != 312 || len(slices.Compact(slices.Sorted(slices.Values(all)))) != 312 {
		t.Errorf("regions asked: %d", len(all))
	}
	// 6 calls at 2 per 10 s: two full waits of virtual time.
	if clock.Slept() != 20*time.Second {
		t.Errorf("waited %s, want 20s", clock.Slept())
	}
}

func TestCollectRejectsBadConfig(t *testing.T) {
	tests := []config.SCB{
		{},
		{Tables: []config.SCBTable{{ID: "", Indicator: "x"}}},
		{Tables: []config.SCBTable{{ID: "TAB638"}}},
		{Tables: []config.SCBTable{{ID: "TAB638", Indicator: "x", Select: map[string][]string{"Region": {"00"}}}}},
		{Tables: []config.SCBTable{{ID: "TAB638", Indicator: "x", Select: map[string][]string{"Kon": {"1", "2"}}}}},
		{Tables: []config.SCBTable{{ID: "TAB638", Indicator: "x", Sum: "Kon"}}},
		{Tables: []config.SCBTable{{ID: "../x", Indicator: "x"}}},
	}
	for i, cfg := range tests {
		c := New(cfg, regionsFromMeta(t))
		_, err := c.Collect(context.Background(), nil)
		if domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("config %d: err = %v, want CodeInvalid", i, err)
		}
	}
}
