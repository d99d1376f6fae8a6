package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/kolada"
	"github.com/svenskaindustrikommuner/dashboard/collectors/scb"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// recordingClock is the wall clock, except that it adds up every wait the
// collectors ask for (rate limits and retry backoff), which is the time a
// refresh spends beyond the sources' own answering.
type recordingClock struct {
	mu    sync.Mutex
	slept time.Duration
	waits int
}

func (c *recordingClock) Now() time.Time { return time.Now() }

func (c *recordingClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	c.slept += d
	c.waits++
	c.mu.Unlock()
	return clock.Sleep(ctx, d)
}

// replay answers with recorded files by method and path and counts what
// it was asked; anything else is a 404, so a request the collector should
// not make shows as a failure, not as a silent success.
type replay struct {
	mu     sync.Mutex
	routes map[string][]byte
	calls  []string
	misses []string
}

func (rp *replay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	if p := r.URL.Query().Get("page"); p != "" {
		key += "?page=" + p
	}
	rp.mu.Lock()
	rp.calls = append(rp.calls, key)
	body, ok := rp.routes[key]
	if !ok {
		rp.misses = append(rp.misses, key)
	}
	rp.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

func readFixture(root, pkg, name string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(root, "collectors", pkg, "testdata", name))
	if err != nil {
		return nil, fmt.Errorf("%w (run from the repository root or pass -root)", err)
	}
	return b, nil
}

func runRefresh(ctx context.Context, o options, out io.Writer) error {
	cfg, err := config.Default()
	if err != nil {
		return err
	}
	regions := cfg.RegionIndex()
	quiet := slog.New(slog.DiscardHandler)

	// SCB: the recorded /config and TAB638 metadata, and the data answer
	// constructed from real figures (collectors/scb/testdata/SOURCES.md).
	// TAB638 is the only configured table with recorded answers.
	cfgJSON, err := readFixture(o.root, "scb", "scb_v2_config.json")
	if err != nil {
		return err
	}
	meta, err := readFixture(o.root, "scb", "scb_v2_TAB638_metadata.json")
	if err != nil {
		return err
	}
	data, err := readFixture(o.root, "scb", "scb_constructed_TAB638_population_jsonstat2.json")
	if err != nil {
		return err
	}
	scbReplay := &replay{routes: map[string][]byte{
		"GET /api/v2/config":                 cfgJSON,
		"GET /api/v2/tables/TAB638/metadata": meta,
		"POST /api/v2/tables/TAB638/data":    data,
	}}
	scbSrv := httptest.NewServer(scbReplay)
	defer scbSrv.Close()
	var specs []config.SCBTable
	for _, t := range cfg.Sources.SCB.Tables {
		if t.ID == "TAB638" {
			specs = append(specs, t)
		}
	}
	scbClock := &recordingClock{}
	sc := scb.New(config.SCB{URL: scbSrv.URL + "/api/v2", Tables: specs, MaxAttempts: 1, Timeout: config.Duration(10 * time.Second)}, regions,
		scb.WithHTTPClient(scbSrv.Client()), scb.WithClock(scbClock), scb.WithLogger(quiet))
	scbRes, err := timeCollect(ctx, sc)
	if err != nil {
		return err
	}

	// Kolada: the two constructed pages of N01951 (the only KPI with
	// answers at hand), their next link pointed at the local server.
	p1, err := readFixture(o.root, "kolada", "kolada_constructed_N01951_page1.json")
	if err != nil {
		return err
	}
	p2, err := readFixture(o.root, "kolada", "kolada_constructed_N01951_page2.json")
	if err != nil {
		return err
	}
	kolReplay := &replay{routes: map[string][]byte{}}
	kolSrv := httptest.NewServer(kolReplay)
	defer kolSrv.Close()
	spec := config.KoladaKPI{ID: "N01951", Indicator: domain.IndicatorPopulation, From: 2023}
	years := yearList(spec.From, time.Now().Year())
	path := "/v3/data/kpi/N01951/year/" + years
	kolReplay.routes["GET "+path] = []byte(strings.ReplaceAll(string(p1), "https://api.kolada.se/v3/data/kpi/N01951/year/2023,2024", kolSrv.URL+path))
	kolReplay.routes["GET "+path+"?page=2"] = p2
	kolClock := &recordingClock{}
	kc := kolada.New(config.Kolada{URL: kolSrv.URL + "/v3", KPIs: []config.KoladaKPI{spec}, MaxAttempts: 1, Timeout: config.Duration(10 * time.Second)}, regions,
		kolada.WithHTTPClient(kolSrv.Client()), kolada.WithClock(kolClock), kolada.WithLogger(quiet))
	kolRes, err := timeCollect(ctx, kc)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "| source | what was replayed | requests (collector) | requests (server) | figures | waits asked | time waited | wall time |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(out, "| SCB | %d spec(s) of TAB638: /config, metadata, data | %d | %d | %d | %d | %s | %s |\n",
		len(specs), scbRes.col.Requests, len(scbReplay.calls), len(scbRes.col.Observations()), scbClock.waits, scbClock.slept, scbRes.wall.Round(time.Microsecond))
	fmt.Fprintf(out, "| Kolada | N01951, years %s, 2 pages | %d | %d | %d | %d | %s | %s |\n",
		years, kolRes.col.Requests, len(kolReplay.calls), len(kolRes.col.Observations()), kolClock.waits, kolClock.slept, kolRes.wall.Round(time.Microsecond))
	for _, rp := range []*replay{scbReplay, kolReplay} {
		if len(rp.misses) > 0 {
			fmt.Fprintf(out, "\nrequests with no recorded answer: %v\n", rp.misses)
		}
	}
	fmt.Fprintf(out, "\nSCB calls made: %v\nKolada calls made: %v\n", scbReplay.calls, kolReplay.calls)
	fmt.Fprint(out, "\n"+expectedRequests(cfg))
	return nil
}

type collected struct {
	col  domain.Collection
	wall time.Duration
}

func timeCollect(ctx context.Context, c domain.Collector) (collected, error) {
	start := time.Now()
	col, err := c.Collect(ctx, nil)
	if err != nil {
		return collected{}, fmt.Errorf("%s: %w", c.Name(), err)
	}
	return collected{col: col, wall: time.Since(start)}, nil
}

func yearList(from, to int) string {
	var ys []string
	for y := from; y <= to; y++ {
		ys = append(ys, fmt.Sprint(y))
	}
	return strings.Join(ys, ",")
}

// expectedRequests states, from the collectors' code, what a full refresh
// of the shipped configuration asks for: SCB one /config, one metadata per
// distinct table and one data call per spec as long as 312 regions × the
// years × the selected values stay under SCB's 150,000 cells per call;
// Kolada one page chain per 25 KPIs and 25 years, the union of their
// years, with one page per 5,000 values.
func expectedRequests(cfg *config.Config) string {
	tables := map[string]bool{}
	for _, t := range cfg.Sources.SCB.Tables {
		tables[t.ID] = true
	}
	now := time.Now().Year()
	var kol []string
	pages := 0
	var ids []string
	first := now
	for _, k := range cfg.Sources.Kolada.KPIs {
		if !slices.Contains(ids, k.ID) {
			ids = append(ids, k.ID)
		}
		if k.From > 0 {
			first = min(first, k.From)
		}
	}
	for start := 0; start < len(ids); start += kolada.MaxListItems {
		batch := ids[start:min(start+kolada.MaxListItems, len(ids))]
		for from := first; from <= now; from += kolada.MaxListItems {
			years := min(now, from+kolada.MaxListItems-1) - from + 1
			// Kolada answers for every region it knows: at least our 312
			// (at most: a KPI has no figures for some of the years).
			values := 312 * years * len(batch)
			p := (values + kolada.PageSize - 1) / kolada.PageSize
			pages += p
			kol = append(kol, fmt.Sprintf("%d KPIs %d–%d: one chain, ≤ %d values → ≤ %d page(s) of ≤ 5,000", len(batch), from, from+years-1, values, p))
		}
	}
	return fmt.Sprintf("shipped configuration: SCB %d specs over %d tables → 1 + %d + %d = %d requests; Kolada %s → %d requests\n",
		len(cfg.Sources.SCB.Tables), len(tables), len(tables), len(cfg.Sources.SCB.Tables), 1+len(tables)+len(cfg.Sources.SCB.Tables),
		strings.Join(kol, "; "), pages)
}
