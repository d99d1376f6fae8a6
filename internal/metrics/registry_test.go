package metrics

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func scrape(t testing.TB, r *Registry) (exposition, string) {
	t.Helper()
	var b bytes.Buffer
	if _, err := r.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	e, err := parseExposition(b.String())
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, b.String())
	}
	return e, b.String()
}

func TestEmptyRegistryExposesEveryFamily(t *testing.T) {
	e, _ := scrape(t, NewRegistry())
	want := map[string]string{
		NameRequestDuration:      "histogram",
		NameCollectorRuns:        "counter",
		NameCollectorLastSuccess: "gauge",
		NameImports:              "counter",
		NameDataVersion:          "gauge",
		NameCacheLookups:         "counter",
	}
	for name, typ := range want {
		f, ok := e[name]
		if !ok {
			t.Errorf("family %s missing", name)
			continue
		}
		if f.typ != typ || f.help == "" {
			t.Errorf("%s: type %q help %q", name, f.typ, f.help)
		}
	}
	if len(e) != len(want) {
		t.Errorf("%d families, want %d", len(e), len(want))
	}
	for _, kind := range []string{ImportConfirmed, ImportRolledBack} {
		if v, ok := e.find(NameImports, "kind", kind); !ok || v != 0 {
			t.Errorf("imports{kind=%s} = %v, %v; want 0 from the start", kind, v, ok)
		}
	}
}

func TestRequestHistogram(t *testing.T) {
	r := NewRegistry()
	// 0.3 ms, 3 ms, 3 ms and 20 s on one route; one 404 elsewhere.
	for _, d := range []time.Duration{300 * time.Microsecond, 3 * time.Millisecond, 3 * time.Millisecond, 20 * time.Second} {
		r.ObserveRequest("/jamfor", "GET", 200, d)
	}
	r.ObserveRequest("(unmatched)", "GET", 404, time.Millisecond)
	e, _ := scrape(t, r)

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
	if got, _ := e.find(NameRequestDuration+"_count", "route", "/jamfor", "method", "GET", "code", "2xx"); got != 4 {
		t.Errorf("count %v, want 4", got)
	}
	sum, _ := e.find(NameRequestDuration+"_sum", "route", "/jamfor", "method", "GET", "code", "2xx")
	if want := 20.0063; sum < want-1e-9 || sum > want+1e-9 {
		t.Errorf("sum %v, want %v", sum, want)
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
			if n := len(e[NameCollectorRuns].samples); n != len(tc.wantRuns) {
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
	var b bytes.Buffer
	if n, err := r.WriteTo(&b); n != 0 || err != nil || b.Len() != 0 {
		t.Errorf("nil registry wrote %d bytes, %v", n, err)
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

func BenchmarkWriteTo(b *testing.B) {
	r := NewRegistry()
	for _, route := range []string{"/", "/jamfor", "/kommun/:code", "/trend", "/karta", "/api/v1/observations", "/static/*"} {
		for _, st := range []int{200, 304, 400, 404, 500} {
			r.ObserveRequest(route, "GET", st, time.Millisecond)
		}
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if _, err := r.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
