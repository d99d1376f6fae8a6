package scheduler

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/kolada"
	"github.com/svenskaindustrikommuner/dashboard/collectors/scb"
	"github.com/svenskaindustrikommuner/dashboard/collectors/scb/scbtest"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// The fault matrix runs the real SCB and Kolada collectors against
// httptest servers replaying the recorded answers (testdata/SOURCES.md),
// spoiled one way per case, through a whole run. After each: the run is
// recorded with a useful message, and every figure stored before (the
// bundled figures and a good run of the other source) is still there,
// unchanged.

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// recorded is a recorded SCB answer shared with the collector's tests.
func recorded(t testing.TB, name string) string {
	t.Helper()
	b, err := scbtest.Recorded(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// switchable serves h until the test swaps it.
type switchable struct {
	mu sync.Mutex
	h  http.HandlerFunc
}

func (s *switchable) set(h http.HandlerFunc) { s.mu.Lock(); s.h = h; s.mu.Unlock() }
func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.h
	s.mu.Unlock()
	h(w, r)
}

func body(b string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		_, _ = w.Write([]byte(b))
	}
}

func status(code int, hdr ...string) http.HandlerFunc {
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

// hang holds the request until the client gives up. The body is read
// first: only then does the server notice a closed connection.
func hang(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// cutOff promises more than it sends: the connection ends mid-body.
func cutOff(b string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write([]byte(b[:200]))
	}
}

type rig struct {
	t          *testing.T
	srv        *httptest.Server
	clock      *fakeClock
	store      *sqlstore.Store
	sched      *Scheduler
	scbData    switchable
	koladaP1   switchable
	koladaP2   switchable
	scbPop     string // the constructed TAB638 answer (real figures)
	kP1, kP2   string // the Kolada pages with links to this server
	scbColl    *scb.Collector
	koladaColl *kolada.Collector
}

func newRig(t *testing.T, timeout time.Duration) *rig {
	r := &rig{t: t, clock: newFakeClock(t0), store: openStore(t), scbPop: recorded(t, "scb_constructed_TAB638_population_jsonstat2.json")}
	apiCfg, meta := recorded(t, "scb_v2_config.json"), recorded(t, "scb_v2_TAB638_metadata.json")
	mux := http.NewServeMux()
	mux.Handle("GET /api/v2/config", body(apiCfg))
	mux.Handle("GET /api/v2/tables/TAB638/metadata", body(meta))
	mux.Handle("POST /api/v2/tables/TAB638/data", &r.scbData)
	mux.HandleFunc("GET /v3/data/kpi/N01951/year/2023,2024", func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Query().Get("page") == "2" {
			r.koladaP2.ServeHTTP(w, req)
			return
		}
		r.koladaP1.ServeHTTP(w, req)
	})
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	const realBase = "https://api.kolada.se/v3"
	r.kP1 = strings.ReplaceAll(fixture(t, "kolada_constructed_N01951_page1.json"), realBase, r.srv.URL+"/v3")
	r.kP2 = strings.ReplaceAll(fixture(t, "kolada_constructed_N01951_page2.json"), realBase, r.srv.URL+"/v3")
	r.good()

	cfg := shipped(t)
	regions := cfg.RegionIndex()
	r.scbColl = scb.New(config.SCB{
		URL:         r.srv.URL + "/api/v2",
		Tables:      []config.SCBTable{{ID: "TAB638", Indicator: "population", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, From: 2023}},
		Timeout:     config.Duration(timeout),
		MaxAttempts: 2,
	}, regions, scb.WithHTTPClient(r.srv.Client()), scb.WithClock(r.clock), scb.WithLogger(discard), scb.WithBackoff(time.Second, 10*time.Second))
	r.koladaColl = kolada.New(config.Kolada{
		URL:         r.srv.URL + "/v3",
		KPIs:        []config.KoladaKPI{{ID: "N01951", Indicator: "population", From: 2023}},
		Timeout:     config.Duration(timeout),
		MaxAttempts: 2,
	}, regions, kolada.WithHTTPClient(r.srv.Client()), kolada.WithClock(r.clock), kolada.WithLogger(discard), kolada.WithBackoff(time.Second, 10*time.Second))
	s, err := New(Config{
		Sources: []Source{
			{Name: "scb", Kind: domain.SourceSCB, Spec: "@monthly", Collector: r.scbColl, Enabled: true},
			{Name: "kolada", Kind: domain.SourceKolada, Spec: "@monthly", Collector: r.koladaColl, Enabled: true},
		},
		Store: r.store, Leaser: r.store, Catalogue: cfg.Catalogue(), Regions: regions,
		Log: discard, Clock: r.clock, Retry: Retry{Attempts: 2, Base: time.Minute, Max: time.Minute},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	r.sched = s
	if _, err := bundled.LoadIfEmpty(context.Background(), r.store, t0.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	return r
}

// good makes every answer the recorded one.
func (r *rig) good() {
	r.scbData.set(body(r.scbPop))
	r.koladaP1.set(body(r.kP1))
	r.koladaP2.set(body(r.kP2))
}

func TestFaultMatrix(t *testing.T) {
	nulls := strings.NewReplacer("10587710", "null", "2473307", "null", "12106", "null", "12031", "null",
		"21694", "null", "21623", "null", "13061", "null", "13000", "null")
	tests := []struct {
		name    string
		source  string
		timeout time.Duration
		spoil   func(r *rig)
		status  domain.RunStatus
		wants   []string // in the recorded error text
		check   func(t *testing.T, r *rig, run domain.Run)
	}{
		{name: "SCB answers 500", source: "scb", spoil: func(r *rig) { r.scbData.set(status(500)) },
			status: domain.RunFailed, wants: []string{"Hämtningen från SCB misslyckades (tabell TAB638).", "(2 försök)", "HTTP 500"}},
		{name: "SCB answers 429 with Retry-After", source: "scb", spoil: func(r *rig) { r.scbData.set(status(429, "Retry-After", "3")) },
			status: domain.RunFailed, wants: []string{"Hämtningen från SCB misslyckades (tabell TAB638).", "HTTP 429"},
			check: func(t *testing.T, r *rig, _ domain.Run) {
				if n := slices.Index(r.clock.Sleeps(), 3*time.Second); n < 0 {
					t.Errorf("Retry-After not honoured: waits %v", r.clock.Sleeps())
				}
			}},
		{name: "SCB answers 429 once, then the table", source: "scb", spoil: func(r *rig) { r.scbData.set(then(status(429, "Retry-After", "3"), body(r.scbPop))) },
			status: domain.RunSucceeded},
		{name: "SCB times out", source: "scb", timeout: 100 * time.Millisecond, spoil: func(r *rig) { r.scbData.set(hang) },
			status: domain.RunFailed, wants: []string{"SCB", "(2 försök)", "context deadline exceeded"}},
		{name: "SCB body cut off", source: "scb", spoil: func(r *rig) { r.scbData.set(cutOff(r.scbPop)) },
			status: domain.RunFailed, wants: []string{"Hämtningen från SCB misslyckades (tabell TAB638).", "reading answer"}},
		{name: "SCB truncated json", source: "scb", spoil: func(r *rig) { r.scbData.set(body(r.scbPop[:len(r.scbPop)-40])) },
			status: domain.RunFailed, wants: []string{"SCB svarade med data som inte kunde tolkas (tabell TAB638)."}},
		{name: "SCB malformed json-stat2 (size disagrees with the values)", source: "scb",
			spoil:  func(r *rig) { r.scbData.set(body(strings.Replace(r.scbPop, `"size": [`, `"size": [7, `, 1))) },
			status: domain.RunFailed, wants: []string{"SCB svarade med data som inte kunde tolkas (tabell TAB638)."}},
		{name: "SCB missing dimension (ContentsCode renamed)", source: "scb",
			spoil:  func(r *rig) { r.scbData.set(body(strings.Replace(r.scbPop, `"ContentsCode": {`, `"Innehall": {`, 1))) },
			status: domain.RunFailed, wants: []string{"SCB svarade med data som inte kunde tolkas (tabell TAB638)."}},
		{name: "SCB empty table (every value null)", source: "scb", spoil: func(r *rig) { r.scbData.set(body(nulls.Replace(r.scbPop))) },
			status: domain.RunFailed, wants: []string{"SCB svarade utan en enda siffra"}},
		// A code the dashboard does not know (here 0481 renamed 9998): the
		// collector skips it and logs it; the rest is stored.
		{name: "SCB unknown region code", source: "scb", spoil: func(r *rig) { r.scbData.set(body(strings.ReplaceAll(r.scbPop, `"0481"`, `"9998"`))) },
			status: domain.RunSucceeded,
			check: func(t *testing.T, r *rig, run domain.Run) {
				if run.New+run.Changed+run.Unchanged != 6 {
					t.Errorf("run %+v: want the 6 figures of known regions", run)
				}
				if obs, _ := r.store.AllSources(context.Background(), domain.Filter{Municipalities: []string{"9998"}}); len(obs) != 0 {
					t.Errorf("unknown region stored: %+v", obs)
				}
				if r.scbColl.LastStats().SkippedRegions != 1 {
					t.Errorf("skipped regions %d", r.scbColl.LastStats().SkippedRegions)
				}
			}},
		{name: "Kolada answers 500", source: "kolada", spoil: func(r *rig) { r.koladaP1.set(status(500)) },
			status: domain.RunFailed, wants: []string{"Hämtningen från Kolada misslyckades (nyckeltal N01951).", "HTTP 500"}},
		{name: "Kolada answers 429 with Retry-After", source: "kolada", spoil: func(r *rig) { r.koladaP1.set(status(429, "Retry-After", "5")) },
			status: domain.RunFailed, wants: []string{"Hämtningen från Kolada misslyckades (nyckeltal N01951).", "HTTP 429"},
			check: func(t *testing.T, r *rig, _ domain.Run) {
				if slices.Index(r.clock.Sleeps(), 5*time.Second) < 0 {
					t.Errorf("Retry-After not honoured: waits %v", r.clock.Sleeps())
				}
			}},
		{name: "Kolada times out", source: "kolada", timeout: 100 * time.Millisecond, spoil: func(r *rig) { r.koladaP1.set(hang) },
			status: domain.RunFailed, wants: []string{"Kolada", "(2 försök)", "context deadline exceeded"}},
		{name: "Kolada malformed page", source: "kolada", spoil: func(r *rig) { r.koladaP1.set(body(`{"count": 4, "values": [{"kpi": `)) },
			status: domain.RunFailed, wants: []string{"Kolada svarade med data som inte kunde tolkas (nyckeltal N01951)."}},
		{name: "Kolada page chain breaks half-way (500 on page 2)", source: "kolada", spoil: func(r *rig) { r.koladaP2.set(status(500)) },
			status: domain.RunFailed, wants: []string{"Hämtningen från Kolada misslyckades (nyckeltal N01951).", "page 2"}},
		{name: "Kolada page chain breaks half-way (page 2 cut off)", source: "kolada", spoil: func(r *rig) { r.koladaP2.set(cutOff(r.kP2)) },
			status: domain.RunFailed, wants: []string{"Kolada", "page 2"}},
		{name: "Kolada unknown region code", source: "kolada",
			spoil: func(r *rig) {
				r.koladaP2.set(body(strings.ReplaceAll(r.kP2, `"municipality": "0481"`, `"municipality": "9998"`)))
			},
			status: domain.RunSucceeded,
			check: func(t *testing.T, r *rig, run domain.Run) {
				if obs, _ := r.store.AllSources(context.Background(), domain.Filter{Municipalities: []string{"9998"}}); len(obs) != 0 {
					t.Errorf("unknown region stored: %+v", obs)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			r := newRig(t, timeout)
			ctx := context.Background()
			other := map[string]string{"scb": "kolada", "kolada": "scb"}[tt.source]
			if run, err := r.sched.RunNow(ctx, other, TriggerManual, "anna"); err != nil || run.Status != domain.RunSucceeded {
				t.Fatalf("seeding run of %s: %+v, %v", other, run, err)
			}
			before := snap(t, r.store)
			tt.spoil(r)
			run, err := r.sched.RunNow(ctx, tt.source, TriggerSchedule, "")
			if run.ID == 0 || run.Status != tt.status {
				t.Fatalf("run %+v, err %v; want status %s", run, err, tt.status)
			}
			if got := lastRun(t, r.store, tt.source); got.ID != run.ID || got.Status != tt.status || got.Error != run.Error || got.Finished == nil {
				t.Errorf("recorded %+v, returned %+v", got, run)
			}
			t.Logf("recorded: %s %q", run.Status, run.Error)
			after := snap(t, r.store)
			if tt.status == domain.RunFailed {
				if err == nil {
					t.Error("failed run returned no error")
				}
				for _, w := range tt.wants {
					if !strings.Contains(run.Error, w) {
						t.Errorf("error text %q lacks %q", run.Error, w)
					}
				}
				assertUnchanged(t, before, after)
			} else {
				if err != nil || run.Error != "" {
					t.Errorf("err %v, text %q", err, run.Error)
				}
				for _, o := range before.all {
					if !slices.ContainsFunc(after.all, func(a domain.Observation) bool { return reflect.DeepEqual(a, o) }) {
						t.Errorf("figure %s from %s changed or lost", o.Key(), o.Source)
					}
				}
			}
			if tt.check != nil {
				tt.check(t, r, run)
			}
			// The spoiled source recovers on the next run.
			r.good()
			if run, err := r.sched.RunNow(ctx, tt.source, TriggerManual, "anna"); err != nil || (run.Status != domain.RunSucceeded && run.Status != domain.RunSkipped) {
				t.Errorf("run after the fault: %+v, %v", run, err)
			}
		})
	}
}
