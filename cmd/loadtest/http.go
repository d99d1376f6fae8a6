package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/report/reporttest"
)

// target is one kind of request; url picks the next URL. identity asks
// for the answer uncompressed.
type target struct {
	name     string
	url      func(r *rand.Rand) string
	identity bool
}

// targets builds the request mix for a dataset. The varying targets draw
// uniformly from 2 indicators × 20 years × 26 municipalities = 1,040 URLs,
// about twice the server's page cache (512 entries), so that in steady
// state about half the requests are cache hits and half build the answer.
func targets(cfg *config.Config, ds reporttest.Dataset) []target {
	codes := reporttest.Codes(cfg, ds)[:26]
	member := cfg.Network.Members[0].Code
	year := strconv.Itoa(reporttest.LastYear - 1)
	fixed := func(p string) func(*rand.Rand) string { return func(*rand.Rand) string { return p } }
	inds := []string{"population", "industrial_jobs"}
	api := "/api/v1/observations?indicator=population&municipality=" + strings.Join(codes[:5], ",")
	return []target{
		{"static file", fixed("/static/style.css"), false},
		{"static file, uncompressed", fixed("/static/style.css"), true},
		{"compare, fixed URL", fixed("/jamfor?indikator=industrial_jobs&ar=" + year + "&matt=per1000&kommun=" + member), false},
		{"compare, varying", func(r *rand.Rand) string {
			return "/jamfor?indikator=" + inds[r.IntN(2)] + "&ar=" + strconv.Itoa(reporttest.LastYear-r.IntN(20)) + "&kommun=" + codes[r.IntN(26)]
		}, false},
		{"API, fixed URL", fixed(api), false},
		{"API, varying", func(r *rand.Rand) string {
			return "/api/v1/observations?indicator=" + inds[r.IntN(2)] + "&municipality=" + codes[r.IntN(26)] + "&from=" + strconv.Itoa(reporttest.LastYear-r.IntN(20))
		}, false},
	}
}

type result struct {
	name      string
	requests  int
	errors    int
	bytes     int64
	elapsed   time.Duration
	latencies []time.Duration
	hits      float64 // share of cache hits, -1 when not cached
}

func (r result) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(p*float64(len(r.latencies))+0.5) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

func runHTTP(ctx context.Context, o options, out io.Writer) error {
	ds, err := reporttest.ByName(o.dataset)
	if err != nil {
		return err
	}
	cfg, err := config.Default()
	if err != nil {
		return err
	}
	reporttest.Configure(cfg, ds)
	base := o.url
	seeded := "external server"
	if base == "" {
		in, err := startInstance(ctx, ds, o.db)
		if err != nil {
			return err
		}
		defer in.Close()
		base = in.URL
		seeded = fmt.Sprintf("seeded into a temporary store in %.1f s", in.Seeded.Seconds())
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency, MaxConnsPerHost: o.concurrency, DisableCompression: true}}
	fmt.Fprintf(out, "dataset %s (SYNTHETIC): %d municipalities × %d years × %d indicators = %d figures, %s\n",
		ds.Name, ds.Municipalities, ds.Years, ds.Indicators, ds.Figures(), seeded)
	fmt.Fprintf(out, "%d clients, %s warm-up + %s per target, GOMAXPROCS=%d, NumCPU=%d, %s\n\n",
		o.concurrency, o.warmup, o.duration, runtime.GOMAXPROCS(0), runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339))

	ts := targets(cfg, ds)
	if o.only != "" {
		kept := ts[:2]
		for _, t := range ts[2:] {
			if strings.Contains(t.name, o.only) {
				kept = append(kept, t)
			}
		}
		ts = kept
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// The static file runs first and last; the baseline is their mean, so
	// a neighbour's load during the run shows as a gap between the two.
	order := append(append([]target{}, ts...), target{name: "static file (again)", url: ts[0].url})
	var results []result
	for _, t := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		drive(ctx, client, base, t, o.concurrency, o.warmup)
		mid := cacheLookups(client, base)
		r := drive(ctx, client, base, t, o.concurrency, o.duration)
		after := cacheLookups(client, base)
		r.hits = -1
		if dh, dm := after[0]-mid[0], after[1]-mid[1]; dh+dm > 0 {
			r.hits = dh / (dh + dm)
		}
		results = append(results, r)
	}
	baseline := (results[0].rps() + results[len(results)-1].rps()) / 2
	plain := results[1].rps()
	fmt.Fprintf(out, "| target | requests/s | p50 | p99 | bytes/answer | cache hits | ratio to static | ratio to uncompressed static |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		hits := "–"
		if r.hits >= 0 {
			hits = fmt.Sprintf("%.0f %%", 100*r.hits)
		}
		fmt.Fprintf(out, "| %s | %.0f | %s | %s | %d | %s | %.2f | %.2f |\n", r.name, r.rps(), ms(r.percentile(0.50)), ms(r.percentile(0.99)),
			r.bytes/int64(max(r.requests, 1)), hits, r.rps()/baseline, r.rps()/plain)
		if r.errors > 0 {
			fmt.Fprintf(out, "|   ↳ %d answers were not 200 |\n", r.errors)
		}
	}
	fmt.Fprintf(out, "\nratio to static: against the mean of the two compressed static runs (%.0f and %.0f requests/s), as browsers ask;\n"+
		"ratio to uncompressed static: against the same file asked for without Accept-Encoding (%.0f requests/s)\n", results[0].rps(), results[len(results)-1].rps(), plain)
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// drive runs c clients against t for d and collects every latency.
func drive(ctx context.Context, client *http.Client, base string, t target, c int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	res := result{name: t.name}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for w := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var lat []time.Duration
			var bytes int64
			errs := 0
			for ctx.Err() == nil {
				t0 := time.Now()
				n, ok := get(ctx, client, base+t.url(rng), t.identity)
				if ctx.Err() != nil {
					break // cut off by the deadline: not a complete request
				}
				lat = append(lat, time.Since(t0))
				bytes += n
				if !ok {
					errs++
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.bytes += bytes
			res.errors += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.requests = len(res.latencies)
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	return res
}

// get asks as a browser does (brotli or gzip accepted: the server
// compresses on the fly, and that is part of the cost), or for the plain
// answer when identity is set, and reads the whole answer.
func get(ctx context.Context, client *http.Client, url string, identity bool) (int64, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, false
	}
	if !identity {
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, false
	}
	n, err := io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return n, err == nil && resp.StatusCode == http.StatusOK
}

// cacheLookups reads the page cache's hit and miss counters from
// /metrics (zeros if the server has none).
func cacheLookups(client *http.Client, base string) [2]float64 {
	var out [2]float64
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		l := sc.Text()
		for i, res := range []string{"hit", "miss"} {
			if v, ok := strings.CutPrefix(l, metrics.NameCacheLookups+`{result="`+res+`"} `); ok {
				out[i], _ = strconv.ParseFloat(v, 64)
			}
		}
	}
	return out
}

func runServe(ctx context.Context, o options, out io.Writer) error {
	ds, err := reporttest.ByName(o.dataset)
	if err != nil {
		return err
	}
	in, err := startInstance(ctx, ds, o.db)
	if err != nil {
		return err
	}
	defer in.Close()
	fmt.Fprintf(out, "serving the SYNTHETIC %s dataset (%d figures, seeded in %.1f s) at %s\n", ds.Name, ds.Figures(), in.Seeded.Seconds(), in.URL)
	for _, t := range targets(in.Config, ds) {
		fmt.Fprintf(out, "  %-20s %s%s\n", t.name, in.URL, t.url(rand.New(rand.NewPCG(1, 1))))
	}
	if o.paths != "" {
		n, err := writeComparePaths(o.paths, in.Config, ds)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %d comparison-page paths written to %s (wrk -s cmd/loadtest/jamfor.lua %s -- %s)\n", n, o.paths, in.URL, o.paths)
	}
	fmt.Fprintln(out, "Ctrl-C stops it.")
	<-ctx.Done()
	return nil
}

// comparePaths lists every comparison page of the dataset that issue #15
// measures: each indicator × year × highlighted municipality of the
// default view (network group, the figure itself), about 72,500 for all5.
func comparePaths(cfg *config.Config, ds reporttest.Dataset) []string {
	codes := reporttest.Codes(cfg, ds)
	var out []string
	for _, ind := range cfg.Indicators[:ds.Indicators] {
		for y := reporttest.LastYear - ds.Years + 1; y <= reporttest.LastYear; y++ {
			for _, c := range codes {
				out = append(out, "/jamfor?indikator="+ind.ID+"&ar="+strconv.Itoa(y)+"&kommun="+c)
			}
		}
	}
	return out
}

// writeComparePaths writes comparePaths one a line.
func writeComparePaths(name string, cfg *config.Config, ds reporttest.Dataset) (int, error) {
	paths := comparePaths(cfg, ds)
	if err := os.WriteFile(name, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
		return 0, fmt.Errorf("write paths: %w", err)
	}
	return len(paths), nil
}
