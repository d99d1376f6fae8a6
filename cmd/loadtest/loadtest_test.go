package main

import (
	"bytes"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// TestRefreshAsksOncePerTable replays the recorded SCB answers and the
// constructed Kolada pages: one /config, one metadata and one data call for
// TAB638 (312 regions in one request), one request per Kolada page, and no
// waiting for rate limits.
func TestRefreshAsksOncePerTable(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-mode", "refresh", "-root", "../.."}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| SCB | 1 spec(s) of TAB638: /config, metadata, data | 3 | 3 | 8 | 0 | 0s |",
		"| 2 | 2 | 9 | 0 | 0s |", // Kolada: 2 pages, 9 figures
		"SCB calls made: [GET /api/v2/config GET /api/v2/tables/TAB638/metadata POST /api/v2/tables/TAB638/data]",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "no recorded answer") {
		t.Errorf("a request had no recorded answer:\n%s", out.String())
	}
}

func TestExpectedRequestsForShippedConfig(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	got := expectedRequests(cfg)
	// 11 table specs over 7 SCB tables in config/default.yaml; the 14
	// Kolada KPIs share one request chain (25 ids per path).
	if !strings.Contains(got, "SCB 11 specs over 7 tables → 1 + 7 + 11 = 19 requests") ||
		!strings.Contains(got, "Kolada 14 KPIs 2010–") || strings.Count(got, "one chain") != 1 {
		t.Errorf("got %q", got)
	}
}

func TestPercentile(t *testing.T) {
	r := result{}
	for i := 1; i <= 100; i++ {
		r.latencies = append(r.latencies, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{
		{0.50, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond},
	}
	for _, tc := range tests {
		if got := r.percentile(tc.p); got != tc.want {
			t.Errorf("p%v = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := (result{}).percentile(0.5); got != 0 {
		t.Errorf("empty: %v", got)
	}
}

func TestCacheLookupsReadsTheExposition(t *testing.T) {
	reg := metrics.NewRegistry()
	for range 3 {
		reg.CacheHit()
	}
	reg.CacheMiss()
	srv := httptest.NewServer(reg.Handler())
	defer srv.Close()
	if got := cacheLookups(srv.Client(), srv.URL); got != [2]float64{3, 1} {
		t.Errorf("got %v, want [3 1]", got)
	}
	if got := cacheLookups(srv.Client(), "http://127.0.0.1:1"); got != [2]float64{} {
		t.Errorf("unreachable server: %v", got)
	}
}
