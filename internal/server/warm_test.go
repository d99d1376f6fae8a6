package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// warmInstance starts a server with warming on. check is how often the
// warmer asks for the data version; data receives the server's
// report.Data (the scheduler's handle on it).
func warmInstance(t *testing.T, check time.Duration, o servertest.Options) (*servertest.Instance, *report.Data) {
	t.Helper()
	var data *report.Data
	deps := o.Deps
	o.Deps = func(d *server.Deps) {
		d.Warm, d.WarmCheck = true, check
		if deps != nil {
			deps(d)
		}
		data = d.Data
	}
	return servertest.Start(t, o), data
}

// waitWarmed waits until the warmer has finished a pass for the store's
// current data version. The deadline only bounds a broken warmer; no
// duration is asserted.
func waitWarmed(t *testing.T, inst *servertest.Instance) int64 {
	t.Helper()
	v, err := inst.Store.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for inst.Server.WarmedVersion() != v {
		if time.Now().After(deadline) {
			t.Fatalf("the warmer never finished a pass for data version %d (last: %d)", v, inst.Server.WarmedVersion())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return v
}

// population writes one constructed figure for code's population in
// 2024, as an upload does.
func population(t *testing.T, inst *servertest.Instance, code string, v float64) {
	t.Helper()
	obs := []domain.Observation{{Municipality: code, Indicator: "population", Year: 2024, Value: v,
		Source: domain.Source{Kind: domain.SourceUpload, Ref: "konstruerad-test"}}}
	if _, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload,
		Label: "test", Actor: "test", Observations: obs}); err != nil {
		t.Fatal(err)
	}
}

func memberPaths(inst *servertest.Instance) []string {
	out := []string{"/"}
	for _, m := range inst.Config.Network.Members {
		out = append(out, "/kommun/"+m.Code)
	}
	return out
}

// TestWarmingAfterImport: after an upload (Invalidate), the overview and
// every member's profile are in the page cache for the new data version
// before anybody asks, and /metrics says so. The warmer's own check is an
// hour apart: the upload itself must wake it.
func TestWarmingAfterImport(t *testing.T) {
	inst, _ := warmInstance(t, time.Hour, servertest.Options{})
	before := waitWarmed(t, inst)
	for _, p := range memberPaths(inst) {
		if !inst.Server.CachedPage(p) {
			t.Errorf("%s not warmed at start", p)
		}
	}
	population(t, inst, inst.Config.Network.Members[0].Code, 123457)
	inst.Server.Invalidate()
	after := waitWarmed(t, inst)
	if after <= before {
		t.Fatalf("data version %d after the upload, %d before", after, before)
	}
	for _, p := range memberPaths(inst) {
		if !inst.Server.CachedPage(p) {
			t.Errorf("%s not warmed after the upload", p)
		}
	}
	m := scrapeMetrics(t, inst.URL)
	pages := float64(len(memberPaths(inst)))
	if got := m[metrics.NamePagesWarmed+`{result="built"}`]; got < 2*pages {
		t.Errorf("%s built = %v, want at least %v (two passes)", metrics.NamePagesWarmed, got, 2*pages)
	}
	if got := m[metrics.NamePagesWarmed+`{result="failed"}`]; got != 0 {
		t.Errorf("%s failed = %v", metrics.NamePagesWarmed, got)
	}
	if got := m[metrics.NameWarmVersion]; got != float64(after) {
		t.Errorf("%s = %v, want %d", metrics.NameWarmVersion, got, after)
	}
	// The warmer's requests are no client's: neither timed nor counted
	// as cache lookups.
	if got := m[metrics.NameCacheLookups+`{result="miss"}`]; got != 0 {
		t.Errorf("cache misses %v before any page request", got)
	}
	if body := getOK(t, inst.URL+"/kommun/"+inst.Config.Network.Members[0].Code); !strings.Contains(body, `data-value="123457"`) {
		t.Error("the warmed profile does not show the uploaded figure")
	}
	if got := scrapeMetrics(t, inst.URL)[metrics.NameCacheLookups+`{result="hit"}`]; got != 1 {
		t.Errorf("the first request after warming: %v cache hits, want 1", got)
	}
}

// TestWarmingNoticesWritesElsewhere: a collector run (which only tells
// report.Data) or another instance's write is noticed by the warmer's
// own check, with no request and no Invalidate.
func TestWarmingNoticesWritesElsewhere(t *testing.T) {
	inst, data := warmInstance(t, 10*time.Millisecond, servertest.Options{})
	before := waitWarmed(t, inst)
	population(t, inst, inst.Config.Network.Members[0].Code, 234568)
	data.Invalidate() // what the scheduler does after a run
	if after := waitWarmed(t, inst); after <= before {
		t.Fatalf("data version %d after the write, %d before", after, before)
	}
	for _, p := range memberPaths(inst) {
		if !inst.Server.CachedPage(p) {
			t.Errorf("%s not warmed after the write", p)
		}
	}
}

// TestNoStalePageAcrossVersions changes a member's figure again and again,
// through an upload (Invalidate), a collector run (report.Data only) and
// a write another instance made (noticed by polling), while the warmer
// works: every request after a change shows the new figure, never the
// one before.
func TestNoStalePageAcrossVersions(t *testing.T) {
	inst, data := warmInstance(t, 5*time.Millisecond, servertest.Options{NoBundled: true})
	code := inst.Config.Network.Members[0].Code
	steps := []struct {
		value float64
		how   string
	}{
		{101, "upload"}, {202, "collector"}, {303, "other instance"}, {404, "upload"}, {505, "collector"},
		{606, "upload"}, {707, "other instance"},
	}
	prev := 0.0
	for _, st := range steps {
		population(t, inst, code, st.value)
		switch st.how {
		case "upload":
			inst.Server.Invalidate()
		case "collector":
			data.Invalidate()
		}
		// servertest polls the version on every request (Poll 0), as an
		// instance does once its poll interval has passed.
		for _, path := range []string{"/kommun/" + code, "/"} {
			body := getOK(t, inst.URL+path)
			shown := profileValue
			if path == "/" {
				shown = overviewValue
			}
			if !strings.Contains(body, shown(st.value)) {
				t.Errorf("%s after the %s of %v: the new figure is not shown", path, st.how, st.value)
			}
			if prev != 0 && strings.Contains(body, shown(prev)) {
				t.Errorf("%s after the %s of %v: the figure before (%v) is shown", path, st.how, st.value, prev)
			}
		}
		prev = st.value
	}
}

// profileValue is how the profile's table carries a figure.
func profileValue(v float64) string {
	return `data-value="` + strconv.FormatFloat(v, 'g', -1, 64) + `"`
}

// overviewValue is how the overview shows a member's population.
func overviewValue(v float64) string {
	return "<strong>" + report.FormatValue(&v, 0, "personer") + "</strong>"
}

func getOK(t *testing.T, url string) string {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", url, resp.StatusCode)
	}
	return body
}

// TestWarmingStopsOnShutdown: the app's shutdown stops the warmer's
// goroutine.
func TestWarmingStopsOnShutdown(t *testing.T) {
	inst, _ := warmInstance(t, time.Millisecond, servertest.Options{})
	waitWarmed(t, inst)
	if err := inst.App.ShutdownWithTimeout(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case <-inst.Server.WarmStopped():
	case <-time.After(time.Minute):
		t.Fatal("the warmer still runs after shutdown")
	}
}

// syncBuffer is a log sink tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWarmingErrorIsLoggedNotFatal: a member whose profile cannot be
// built (here a code no region has) is logged and counted as failed; the
// other pages are warmed and the server keeps serving.
func TestWarmingErrorIsLoggedNotFatal(t *testing.T) {
	var logs syncBuffer
	inst, _ := warmInstance(t, time.Hour, servertest.Options{
		Configure: func(cfg *config.Config) {
			cfg.Network.Members = append(cfg.Network.Members, config.Member{Code: "9999", Evidence: "test: ingen sådan kommun"})
		},
		Deps: func(d *server.Deps) { d.Log = slog.New(slog.NewTextHandler(&logs, nil)) },
	})
	waitWarmed(t, inst)
	if !strings.Contains(logs.String(), "page warming: page not built") || !strings.Contains(logs.String(), "/kommun/9999") {
		t.Errorf("the failed page is not logged: %s", logs.String())
	}
	if !inst.Server.CachedPage("/") || !inst.Server.CachedPage("/kommun/"+inst.Config.Network.Members[0].Code) {
		t.Error("the other pages were not warmed")
	}
	m := scrapeMetrics(t, inst.URL)
	if got := m[metrics.NamePagesWarmed+`{result="failed"}`]; got != 1 {
		t.Errorf("failed pages %v, want 1", got)
	}
	_ = getOK(t, inst.URL+"/")
}

// TestNoWarmingForPrivatePages: a logged-in user's pages are never
// cached, so there is nothing to warm.
func TestNoWarmingForPrivatePages(t *testing.T) {
	inst, _ := warmInstance(t, time.Millisecond, servertest.Options{Private: true})
	if inst.Server.WarmedVersion() != 0 || inst.Server.CachedPage("/") {
		t.Error("warmed pages nobody anonymous may read")
	}
}
