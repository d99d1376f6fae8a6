package server_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// scrapeMetrics fetches /metrics and returns the samples by their full
// series text (name and labels as written), checking that every sample's
// family was announced with HELP and TYPE first.
func scrapeMetrics(t *testing.T, base string, hdr ...string) map[string]float64 {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("/metrics: status %d: %s", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	out := map[string]float64{}
	typed := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		l := sc.Text()
		if name, ok := strings.CutPrefix(l, "# TYPE "); ok {
			typed[strings.Fields(name)[0]] = true
			continue
		}
		if strings.HasPrefix(l, "#") {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		if i < 0 {
			t.Fatalf("bad line %q", l)
		}
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil && l[i+1:] != "+Inf" {
			t.Fatalf("bad value in %q", l)
		}
		series := l[:i]
		name, _, _ := strings.Cut(series, "{")
		fam := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
		if !typed[name] && !typed[fam] {
			t.Errorf("sample %q before its TYPE line", l)
		}
		out[series] = v
	}
	return out
}

// requestCount is the series of a route's request count as the exposition
// writes it (label names sorted).
func requestCount(route, code string) string {
	return metrics.NameRequestDuration + `_count{code="` + code + `",method="GET",route="` + route + `"}`
}

func TestMetricsCountRequestsByRoutePattern(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	before := scrapeMetrics(t, inst.URL)
	paths := []string{
		"/kommun/1060", "/kommun/0481", // one pattern, two paths
		"/jamfor?indikator=population&ar=2024", "/jamfor?indikator=population&ar=2024", // miss, then hit
		"/static/style.css",
		"/finns-inte-42", // 404 without a route
		"/",              // the overview shares "/" with the middleware
	}
	for _, p := range paths {
		resp, err := http.Get(inst.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	after := scrapeMetrics(t, inst.URL)
	tests := []struct {
		series string
		delta  float64
	}{
		{requestCount("/kommun/:code", "2xx"), 2},
		{requestCount("/jamfor", "2xx"), 2},
		{requestCount("/static/*", "2xx"), 1},
		{requestCount("(unmatched)", "4xx"), 1},
		{requestCount("/", "2xx"), 1},
		{requestCount("/", "4xx"), 0},
		// Two profile paths, the overview and the first /jamfor are built; the second
		// /jamfor comes from the cache. Static files never use it.
		{metrics.NameCacheLookups + `{result="miss"}`, 4},
		{metrics.NameCacheLookups + `{result="hit"}`, 1},
	}
	for _, tc := range tests {
		if got := after[tc.series] - before[tc.series]; got != tc.delta {
			t.Errorf("%s rose by %v, want %v", tc.series, got, tc.delta)
		}
	}
	for series := range after {
		if strings.Contains(series, "1060") || strings.Contains(series, "finns-inte") {
			t.Errorf("raw path in a label: %s", series)
		}
	}
	v, err := inst.Store.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := after[metrics.NameDataVersion]; got != float64(v) {
		t.Errorf("data version %v, store says %d", got, v)
	}
}

func TestMetricsRecordHooksFromOtherCode(t *testing.T) {
	reg := metrics.NewRegistry()
	inst := servertest.Start(t, servertest.Options{Deps: func(d *server.Deps) { d.Metrics = reg }})
	if inst.Server.Metrics() != reg {
		t.Fatal("server does not record into the registry it was given")
	}
	finished := time.Date(2025, 3, 2, 3, 5, 0, 0, time.UTC)
	reg.AddSources("kolada")
	reg.RecordRun("scb", string(domain.RunSucceeded), finished)
	reg.RecordRun("scb", string(domain.RunFailed), finished.Add(time.Hour))
	reg.RecordImport(metrics.ImportConfirmed)
	reg.RecordImport(metrics.ImportConfirmed)
	reg.RecordImport(metrics.ImportRolledBack)
	got := scrapeMetrics(t, inst.URL)
	want := map[string]float64{
		metrics.NameCollectorRuns + `{source="scb",status="succeeded"}`: 1,
		metrics.NameCollectorRuns + `{source="scb",status="failed"}`:    1,
		metrics.NameCollectorLastSuccess + `{source="scb"}`:             float64(finished.Unix()),
		metrics.NameCollectorLastSuccess + `{source="kolada"}`:          0,
		metrics.NameImports + `{kind="confirmed"}`:                      2,
		metrics.NameImports + `{kind="rolled_back"}`:                    1,
	}
	for series, w := range want {
		if v, ok := got[series]; !ok || v != w {
			t.Errorf("%s = %v (present %v), want %v", series, v, ok, w)
		}
	}
}

func TestMetricsAccess(t *testing.T) {
	tests := []struct {
		name      string
		adminOnly bool
		user      string // "" = no credentials
		role      domain.Role
		want      int
	}{
		{"open by default", false, "", "", http.StatusOK},
		{"admin only, anonymous", true, "", "", http.StatusUnauthorized},
		{"admin only, analyst", true, "anna", domain.RoleAnalyst, http.StatusForbidden},
		{"admin only, admin", true, "adam", domain.RoleAdmin, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst := servertest.Start(t, servertest.Options{Deps: func(d *server.Deps) { d.MetricsAdminOnly = tc.adminOnly }})
			req, err := http.NewRequest(http.MethodGet, inst.URL+"/metrics", nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.user != "" {
				const pw = "ett långt testlösenord"
				hash, err := domain.HashPassword(pw)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := inst.Store.CreateUser(context.Background(), domain.User{Name: tc.user, Role: tc.role, PasswordHash: hash}); err != nil {
					t.Fatal(err)
				}
				req.SetBasicAuth(tc.user, pw)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}

// TestMetricsFormats checks what a scraper gets through the server: the
// text format with the Go runtime and process families by default, and
// OpenMetrics when it asks for it.
func TestMetricsFormats(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	got := scrapeMetrics(t, inst.URL)
	for _, series := range []string{"go_goroutines", "process_start_time_seconds", metrics.NameDataVersion} {
		if _, ok := got[series]; !ok {
			t.Errorf("%s missing from the text exposition", series)
		}
	}
	resp, body := get(t, inst.URL+"/metrics", "Accept", "application/openmetrics-text; version=1.0.0")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") || !strings.HasSuffix(body, "# EOF\n") {
		t.Errorf("OpenMetrics asked for, got %q:\n%.300s", ct, body)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
}
