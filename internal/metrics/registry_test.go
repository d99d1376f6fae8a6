package metrics

import (
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// exposition is a parsed scrape: the families by name.
type exposition map[string]*dto.MetricFamily

// scrape fetches the registry's exposition over HTTP, as Prometheus does,
// and parses it with the Prometheus text parser, which refuses what a
// scraper would refuse.
func scrape(t testing.TB, r *Registry, accept ...string) (exposition, string) {
	t.Helper()
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(accept) > 0 {
		req.Header.Set("Accept", accept[0])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(accept) > 0 {
		return nil, string(b)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, b)
	}
	return fams, string(b)
}

// find returns a sample's value. name may end in _bucket (with an "le"
// label), _sum or _count for a histogram; kv alternate label name, value.
func (e exposition) find(name string, kv ...string) (float64, bool) {
	want := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		want[kv[i]] = kv[i+1]
	}
	le, hasLE := want["le"]
	delete(want, "le")
	fam, suffix := e[name], ""
	for _, s := range []string{"_bucket", "_sum", "_count"} {
		if fam == nil && strings.HasSuffix(name, s) {
			fam, suffix = e[strings.TrimSuffix(name, s)], s
		}
	}
	if fam == nil {
		return 0, false
	}
	for _, m := range fam.GetMetric() {
		if !labelsEqual(m.GetLabel(), want) {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil && suffix == "_count":
			return float64(m.GetHistogram().GetSampleCount()), true
		case m.Histogram != nil && suffix == "_sum":
			return m.GetHistogram().GetSampleSum(), true
		case m.Histogram != nil && suffix == "_bucket" && hasLE:
			if le == "+Inf" {
				return float64(m.GetHistogram().GetSampleCount()), true
			}
			for _, b := range m.GetHistogram().GetBucket() {
				if strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64) == le {
					return float64(b.GetCumulativeCount()), true
				}
			}
		}
	}
	return 0, false
}

func labelsEqual(got []*dto.LabelPair, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, l := range got {
		if v, ok := want[l.GetName()]; !ok || v != l.GetValue() {
			return false
		}
	}
	return true
}

func TestNewRegistryExposesItsFamilies(t *testing.T) {
	e, _ := scrape(t, NewRegistry())
	// Families with a fixed label set are there from the start; the
	// others appear with their first sample.
	want := map[string]dto.MetricType{
		NameImports:                  dto.MetricType_COUNTER,
		NameDataVersion:              dto.MetricType_GAUGE,
		NameCacheLookups:             dto.MetricType_COUNTER,
		NamePagesWarmed:              dto.MetricType_COUNTER,
		NameWarmVersion:              dto.MetricType_GAUGE,
		"go_goroutines":              dto.MetricType_GAUGE,
		"process_start_time_seconds": dto.MetricType_GAUGE,
	}
	for name, typ := range want {
		f, ok := e[name]
		if !ok {
			t.Errorf("family %s missing", name)
			continue
		}
		if f.GetType() != typ || f.GetHelp() == "" {
			t.Errorf("%s: type %v help %q", name, f.GetType(), f.GetHelp())
		}
	}
	for _, kind := range []string{ImportConfirmed, ImportRolledBack} {
		if v, ok := e.find(NameImports, "kind", kind); !ok || v != 0 {
			t.Errorf("imports{kind=%s} = %v, %v; want 0 from the start", kind, v, ok)
		}
	}
	for _, res := range []string{"hit", "miss"} {
		if v, ok := e.find(NameCacheLookups, "result", res); !ok || v != 0 {
			t.Errorf("cache{result=%s} = %v, %v; want 0 from the start", res, v, ok)
		}
	}
}

// TestRegistriesAreSeparate checks that each registry is its own (not the
// global one): two in one process neither panic on registering the
// runtime collectors nor see each other's figures.
func TestRegistriesAreSeparate(t *testing.T) {
	a, b := NewRegistry(), NewRegistry()
	a.CacheHit()
	ea, _ := scrape(t, a)
	eb, _ := scrape(t, b)
	if v, _ := ea.find(NameCacheLookups, "result", "hit"); v != 1 {
		t.Errorf("a: hits %v, want 1", v)
	}
	if v, _ := eb.find(NameCacheLookups, "result", "hit"); v != 0 {
		t.Errorf("b: hits %v, want 0", v)
	}
}

func TestOpenMetricsWhenAsked(t *testing.T) {
	r := NewRegistry()
	r.RecordRun("scb", "succeeded", time.Unix(1700000000, 0))
	_, text := scrape(t, r, "application/openmetrics-text; version=1.0.0")
	if !strings.HasSuffix(text, "# EOF\n") || !strings.Contains(text, "# TYPE dashboard_collector_runs counter") ||
		!strings.Contains(text, `dashboard_collector_runs_total{source="scb",status="succeeded"} 1`) {
		t.Errorf("not OpenMetrics:\n%s", text)
	}
}

func TestRequestHistogram(t *testing.T) {
	r := NewRegistry()
	// 0.3 ms, 3 ms, 3 ms and 20 s on one route; one 404 elsewhere.
	for _, d := range []time.Duration{300 * time.Microsecond, 3 * time.Millisecond, 3 * time.Millisecond, 20 * time.Second} {
		r.ObserveRequest("/jamfor", "GET", 200, d)
	}
	r.ObserveRequest("(unmatched)", "GET", 404, time.Millisecond)
	e, text := scrape(t, r)

	lbl := func(le string) []string {
		return []string{"route", "/jamfor", "method", "GET", "code", "2xx", "le", le}
	}
	tests := []struct {
		le   string
		want float64
	}{
		{"0.0005", 1}, {"0.001", 1}, {"0.0025", 1}, {"0.005", 3}, {"1", 3}, {"10", 3}, {"+Inf", 4},
	}
	for _, tc := range tests {
		if got, ok := e.find(NameRequestDuration+"_bucket", lbl(tc.le)...); !ok || got != tc.want {
			t.Errorf("bucket le=%s: %v (found %v), want %v", tc.le, got, ok, tc.want)
		}
	}
	// The same bounds as before the client library: dashboards keep working.
	for _, b := range DefaultBuckets {
		if !strings.Contains(text, `le="`+strconv.FormatFloat(b, 'g', -1, 64)+`"`) {
			t.Errorf("bucket %v not in the exposition", b)
		}
	}
	if got, _ := e.find(NameRequestDuration+"_count", "route", "/jamfor", "method", "GET", "code", "2xx"); got != 4 {
		t.Errorf("count %v, want 4", got)
	}
	sum, _ := e.find(NameRequestDuration+"_sum", "route", "/jamfor", "method", "GET", "code", "2xx")
	if math.Abs(sum-20.0063) > 1e-9 {
		t.Errorf("sum %v, want 20.0063", sum)
	}
	if got, _ := e.find(NameRequestDuration+"_count", "route", "(unmatched)", "method", "GET", "code", "4xx"); got != 1 {
		t.Errorf("404 count %v, want 1", got)
	}
}

func TestStatusClass(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{
		{200, "2xx"}, {204, "2xx"}, {304, "3xx"}, {404, "4xx"}, {503, "5xx"}, {99, "other"}, {600, "other"}, {0, "other"},
	}
	for _, tc := range tests {
		if got := StatusClass(tc.status); got != tc.want {
			t.Errorf("StatusClass(%d) = %q, want %q", tc.status, got, tc.want)
		}
	}
}

func TestRecordRun(t *testing.T) {
	t1 := time.Date(2025, 3, 2, 4, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	type run struct {
		status string
		at     time.Time
	}
	tests := []struct {
		name     string
		runs     []run
		wantLast float64
		wantRuns map[string]float64
	}{
		{"success sets last success", []run{{"succeeded", t1}}, float64(t1.Unix()), map[string]float64{"succeeded": 1}},
		{"skipped counts as success", []run{{"skipped", t2}}, float64(t2.Unix()), map[string]float64{"skipped": 1}},
		{"failure keeps earlier success", []run{{"succeeded", t1}, {"failed", t2}}, float64(t1.Unix()), map[string]float64{"succeeded": 1, "failed": 1}},
		{"only failures: last success 0", []run{{"failed", t1}, {"failed", t2}}, 0, map[string]float64{"failed": 2}},
		{"an older success does not move it back", []run{{"succeeded", t2}, {"succeeded", t1}}, float64(t2.Unix()), map[string]float64{"succeeded": 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRegistry()
			for _, run := range tc.runs {
				r.RecordRun("scb", run.status, run.at)
			}
			e, _ := scrape(t, r)
			if got, ok := e.find(NameCollectorLastSuccess, "source", "scb"); !ok || got != tc.wantLast {
				t.Errorf("last success %v (found %v), want %v", got, ok, tc.wantLast)
			}
			for status, want := range tc.wantRuns {
				if got, _ := e.find(NameCollectorRuns, "source", "scb", "status", status); got != want {
					t.Errorf("runs{status=%s} = %v, want %v", status, got, want)
				}
			}
			if n := len(e[NameCollectorRuns].GetMetric()); n != len(tc.wantRuns) {
				t.Errorf("%d run series, want %d", n, len(tc.wantRuns))
			}
		})
	}
}

func TestAddSourcesStartsAtNever(t *testing.T) {
	r := NewRegistry()
	r.AddSources("scb", "kolada")
	r.RecordRun("scb", "succeeded", time.Unix(1700000000, 0))
	r.AddSources("scb") // must not reset a known source
	e, _ := scrape(t, r)
	if v, _ := e.find(NameCollectorLastSuccess, "source", "kolada"); v != 0 {
		t.Errorf("kolada %v, want 0", v)
	}
	if v, _ := e.find(NameCollectorLastSuccess, "source", "scb"); v != 1700000000 {
		t.Errorf("scb %v, want 1700000000", v)
	}
}

func TestImportsCacheAndDataVersion(t *testing.T) {
	r := NewRegistry()
	r.RecordImport(ImportConfirmed)
	r.RecordImport(ImportConfirmed)
	r.RecordImport(ImportRolledBack)
	r.CacheHit()
	r.CacheHit()
	r.CacheHit()
	r.CacheMiss()
	r.SetDataVersion(42)
	r.RecordWarmPage(WarmBuilt)
	r.RecordWarmPage(WarmBuilt)
	r.RecordWarmPage(WarmFailed)
	r.RecordWarmPass(41, 1500*time.Millisecond)
	e, _ := scrape(t, r)
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{NameImports, []string{"kind", "confirmed"}, 2},
		{NameImports, []string{"kind", "rolled_back"}, 1},
		{NameCacheLookups, []string{"result", "hit"}, 3},
		{NameCacheLookups, []string{"result", "miss"}, 1},
		{NameDataVersion, nil, 42},
		{NamePagesWarmed, []string{"result", WarmBuilt}, 2},
		{NamePagesWarmed, []string{"result", WarmFailed}, 1},
		{NameWarmVersion, nil, 41},
		{NameWarmSeconds, nil, 1.5},
	}
	for _, c := range checks {
		if got, ok := e.find(c.name, c.labels...); !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
}

func TestLabelEscaping(t *testing.T) {
	tests := []struct {
		in, wire, back string
	}{
		{"scb", `"scb"`, "scb"},
		{`a"b`, `"a\"b"`, `a"b`},
		{`c:\tmp`, `"c:\\tmp"`, `c:\tmp`},
		{"two\nlines", `"two\nlines"`, "two\nlines"},
		{"Örnsköldsvik", `"Örnsköldsvik"`, "Örnsköldsvik"},
		{"bad\xffutf8", "\"bad\uFFFDutf8\"", "bad\uFFFDutf8"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			r := NewRegistry()
			r.RecordRun(tc.in, "failed", time.Time{})
			e, text := scrape(t, r)
			if !strings.Contains(text, `{source=`+tc.wire+`,status="failed"} 1`) {
				t.Errorf("wire form %s not in\n%s", tc.wire, text)
			}
			if v, ok := e.find(NameCollectorRuns, "source", tc.back, "status", "failed"); !ok || v != 1 {
				t.Errorf("parsed back: %v %v", v, ok)
			}
		})
	}
}

func TestNilRegistryIsSafe(t *testing.T) {
	var r *Registry
	r.ObserveRequest("/", "GET", 200, time.Millisecond)
	r.RecordRun("scb", "succeeded", time.Now())
	r.RecordImport(ImportConfirmed)
	r.SetDataVersion(1)
	r.CacheHit()
	r.CacheMiss()
	r.AddSources("scb")
	r.RecordWarmPage(WarmBuilt)
	r.RecordWarmPass(1, time.Second)
	if e, _ := scrape(t, r); len(e) != 0 {
		t.Errorf("nil registry exposes %d families", len(e))
	}
}

// TestConcurrentScrapes records from many goroutines while scraping; every
// scrape must parse (so _count always equals the +Inf bucket) and the final
// count must be exact. Run with -race.
func TestConcurrentScrapes(t *testing.T) {
	r := NewRegistry()
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r.ObserveRequest("/api/v1/observations", "GET", 200+w%2*104, time.Duration(i)*time.Microsecond)
				r.CacheMiss()
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for scraping := true; scraping; {
		select {
		case <-done:
			scraping = false
		default:
		}
		scrape(t, r)
	}
	e, _ := scrape(t, r)
	ok200, _ := e.find(NameRequestDuration+"_count", "route", "/api/v1/observations", "method", "GET", "code", "2xx")
	ok304, _ := e.find(NameRequestDuration+"_count", "route", "/api/v1/observations", "method", "GET", "code", "3xx")
	if ok200+ok304 != workers*each || ok200 != ok304 {
		t.Errorf("counts 2xx=%v 3xx=%v, want %d each", ok200, ok304, workers*each/2)
	}
	if miss, _ := e.find(NameCacheLookups, "result", "miss"); miss != workers*each {
		t.Errorf("misses %v", miss)
	}
}

// FuzzLabelValue checks that any source name survives the exposition: it
// parses and reads back as the name (invalid UTF-8 replaced).
func FuzzLabelValue(f *testing.F) {
	for _, s := range []string{"scb", `a"b`, `\`, "x\ny", "\xff", `\n`, `"}`, "kolada,status=\"x\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := NewRegistry()
		r.RecordRun(s, "succeeded", time.Unix(1, 0))
		e, _ := scrape(t, r)
		want := strings.ToValidUTF8(s, "\uFFFD")
		if v, ok := e.find(NameCollectorRuns, "source", want, "status", "succeeded"); !ok || v != 1 {
			t.Errorf("source %q not read back", s)
		}
	})
}

func BenchmarkObserveRequest(b *testing.B) {
	r := NewRegistry()
	b.ReportAllocs()
	for b.Loop() {
		r.ObserveRequest("/jamfor", "GET", 200, 3*time.Millisecond)
	}
}

// BenchmarkScrape is one scrape of a registry with 35 request series,
// through the HTTP handler.
func BenchmarkScrape(b *testing.B) {
	r := NewRegistry()
	for _, route := range []string{"/", "/jamfor", "/kommun/:code", "/trend", "/karta", "/api/v1/observations", "/static/*"} {
		for _, st := range []int{200, 304, 400, 404, 500} {
			r.ObserveRequest(route, "GET", st, time.Millisecond)
		}
	}
	h := r.Handler()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

func TestRecordTable(t *testing.T) {
	r := NewRegistry()
	r.RecordTable("scb", "TAB638", "landed")
	r.RecordTable("scb", "TAB638", "landed")
	r.RecordTable("scb", "TAB5838", "failed")
	e, _ := scrape(t, r)
	for _, c := range []struct {
		table, status string
		want          float64
	}{{"TAB638", "landed", 2}, {"TAB5838", "failed", 1}} {
		if v, ok := e.find(NameCollectorTables, "source", "scb", "table", c.table, "status", c.status); !ok || v != c.want {
			t.Errorf("%s %s = %v, %v; want %v", c.table, c.status, v, ok, c.want)
		}
	}
	if _, ok := e.find(NameCollectorTables, "source", "scb", "table", "TAB638", "status", "failed"); ok {
		t.Error("a status that never happened is exposed")
	}
}

func TestRecordBackup(t *testing.T) {
	r := NewRegistry()
	e, _ := scrape(t, r)
	for _, c := range []struct {
		name string
		kv   []string
	}{{NameBackups, []string{"status", "ok"}}, {NameBackups, []string{"status", "failed"}}, {NameBackupLastSuccess, nil}, {NameBackupLastFailed, nil}} {
		if v, ok := e.find(c.name, c.kv...); !ok || v != 0 {
			t.Errorf("before any backup %s%v = %v, %v; want 0", c.name, c.kv, v, ok)
		}
	}
	at := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	steps := []struct {
		ok                   bool
		okCount, failedCount float64
		last, failed         float64
	}{
		{true, 1, 0, float64(at.Unix()), 0},
		{false, 1, 1, float64(at.Unix()), 1}, // a failure keeps the last success time
		{false, 1, 2, float64(at.Unix()), 1},
		{true, 2, 2, float64(at.Add(3 * time.Hour).Unix()), 0},
	}
	for i, s := range steps {
		r.RecordBackup(s.ok, at.Add(time.Duration(i)*time.Hour))
		e, _ := scrape(t, r)
		got := func(name string, kv ...string) float64 { v, _ := e.find(name, kv...); return v }
		if got(NameBackups, "status", "ok") != s.okCount || got(NameBackups, "status", "failed") != s.failedCount ||
			got(NameBackupLastSuccess) != s.last || got(NameBackupLastFailed) != s.failed {
			t.Errorf("step %d: ok %v failed %v last %v flag %v; want %+v", i, got(NameBackups, "status", "ok"),
				got(NameBackups, "status", "failed"), got(NameBackupLastSuccess), got(NameBackupLastFailed), s)
		}
	}
	var nilReg *Registry
	nilReg.RecordBackup(false, at) // must not panic
}
