package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// chromiumPath is Debian's Chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// browser starts headless Chromium for one test, with the flags that keep
// it off the network (this machine has none).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the browser tests: Chromium is missing at %s: %v", chromiumPath, err)
		}
		t.Skipf("Chromium is not installed at %s (apt-get install chromium); .ci/run installs it and runs this test", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		// A page restored from the back/forward cache keeps its old
		// execution context, which chromedp cannot evaluate in; a real
		// reload on back/forward is what the state-in-URL test checks.
		chromedp.Flag("disable-features", "BackForwardCache"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// console collects the page's console errors and exceptions.
type console struct {
	mu   sync.Mutex
	msgs []string
}

func watchConsole(ctx context.Context) *console {
	c := &console{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || m.Type == chromedp.ConsoleWarning {
				c.mu.Lock()
				c.msgs = append(c.msgs, m.String()+" at "+m.URL)
				c.mu.Unlock()
			}
		}
	}()
	return c
}

func (c *console) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.msgs
	c.msgs = nil
	return out
}

// chartsDrawn waits until every chart on the page has a canvas and echarts
// has finished drawing it (app.js sets data-rendered on "finished"). A
// chart is drawn when it comes near the screen, so each poll scrolls to
// the first chart not drawn yet; once all are, the page is scrolled back
// to the top.
const chartsDrawn = `(() => {
  const els = [...document.querySelectorAll('.chart')];
  const next = els.find(e => !(e.dataset.rendered === '1' && e.querySelector('canvas')));
  if (next) {
    if (!next.dataset.drawn) { next.scrollIntoView({block: 'center'}); }
    return false;
  }
  window.scrollTo(0, 0);
  return els.length > 0;
})()`

// resourceHosts lists the hosts of every resource the page loaded.
const resourceHosts = `[...new Set([location.href, ...performance.getEntriesByType('resource').map(e => e.name)].map(u => new URL(u).host))]`

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := t.ArtifactDir()
	if d := os.Getenv("DASHBOARD_SCREENSHOTS"); d != "" {
		dir = d
		_ = os.MkdirAll(dir, 0o755)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// loadPage opens a URL, waits for its charts, and checks the page: no
// console errors, a data table, nothing loaded from another host.
func loadPage(t *testing.T, ctx context.Context, con *console, base, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
		t.Fatalf("%s: navigate: %v", path, err)
	}
	checkDrawn(t, ctx, con, base, path)
}

func checkDrawn(t *testing.T, ctx context.Context, con *console, base, path string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var err error
	for {
		// Poll in attempts: a poll begun while the page is still being
		// replaced (back, forward, a form) can lose its execution context.
		actx, cancelAttempt := context.WithTimeout(wctx, 5*time.Second)
		_, err = chromedp.Run(actx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingInterval(100*time.Millisecond)))
		cancelAttempt()
		if err == nil || wctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 500)`))
		t.Fatalf("%s: charts not drawn: %v; console: %v; page: %s", path, err, con.take(), html)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.data tbody tr').length`))
	if err != nil || rows == 0 {
		t.Errorf("%s: no data table rows (%d, %v)", path, rows, err)
	}
	hosts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](resourceHosts))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	for _, h := range hosts {
		if h != u.Host {
			t.Errorf("%s: loaded a resource from %q; every asset must come from the server", path, h)
		}
	}
	if msgs := con.take(); len(msgs) > 0 {
		t.Errorf("%s: console errors: %v", path, msgs)
	}
}

func TestBrowserPagesDraw(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)
	pages := []struct{ name, path string }{
		{"oversikt", "/"},
		{"jamfor", "/jamfor?indikator=population&ar=2024&kommun=1060"},
		{"jamfor-index", "/jamfor?indikator=population&ar=2023&matt=index&bas=2015&kommun=0481"},
		{"jamfor-forandring", "/jamfor?indikator=population&ar=2023&matt=forandring&period=5"},
		{"kommun", "/kommun/1060"},
		{"trend", "/trend?indikator=population&kommun=1060,0481,0562,0882&matt=index&bas=2015"},
		{"karta", "/karta?indikator=population&ar=2024"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			loadPage(t, ctx, con, inst.URL, p.path)
			shot(t, ctx, p.name)
		})
	}
}

// TestBrowserStateInURL switches the measure on the comparison page: the
// URL changes, the chart changes, a fresh load of the permalink shows the
// same chart options, and back/forward return to the earlier view.
func TestBrowserStateInURL(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)
	start := "/jamfor?indikator=population&ar=2023&kommun=1060"
	loadPage(t, ctx, con, inst.URL, start)
	before := chartOption(t, ctx)

	// Choose "index" in the measure select: the form submits itself.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('select[name=matt]'); s.value = 'index'; s.dispatchEvent(new Event('change')); })()`)); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, "matt=index")
	checkDrawn(t, ctx, con, inst.URL, "after switching measure")
	after := chartOption(t, ctx)
	if before == after {
		t.Fatal("switching the measure did not change the chart")
	}
	permalink, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a[rel=bookmark]').href`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(permalink, "matt=index") || !strings.Contains(permalink, "ar=2023") {
		t.Fatalf("permalink %q does not hold the view's state", permalink)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(permalink)); err != nil {
		t.Fatal(err)
	}
	checkDrawn(t, ctx, con, inst.URL, permalink)
	if fresh := chartOption(t, ctx); fresh != after {
		t.Fatalf("the permalink shows other chart options:\n%s\n%s", fresh, after)
	}
	// history.go rather than chromedp.NavigateBack: a page restored from
	// the back/forward cache fires no load event to wait for. The call is
	// deferred with setTimeout so that the evaluation has answered before
	// the page goes away (else chromedp may see "target navigated").
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`setTimeout(() => history.go(-2), 0)`)); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, start)
	checkDrawn(t, ctx, con, inst.URL, "after back")
	if back := chartOption(t, ctx); back != before {
		t.Fatal("back did not return to the first view")
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`setTimeout(() => history.forward(), 0)`)); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, "matt=index")
}

// TestBrowserTableMatchesAPI reads the comparison table's figures in the
// browser and compares them with the JSON API's.
func TestBrowserTableMatchesAPI(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)
	loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2024")
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll('td[data-code]')].map(td => [td.dataset.code, td.dataset.value]))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != len(inst.Config.Network.Members) {
		t.Fatalf("table has %d municipalities, want the %d members", len(cells), len(inst.Config.Network.Members))
	}
	resp, err := http.Get(inst.URL + "/api/v1/observations?indicator=population&from=2024&to=2024&municipality=" + strings.Join(inst.Config.MemberCodes(), ","))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var api struct {
		Data []struct {
			Municipality string  `json:"municipality"`
			Value        float64 `json:"value"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Data) != len(cells) {
		t.Fatalf("API has %d figures, table %d", len(api.Data), len(cells))
	}
	for _, d := range api.Data {
		if got := cells[d.Municipality]; got != fmt.Sprint(d.Value) {
			t.Errorf("%s: table %q, API %v", d.Municipality, got, d.Value)
		}
	}
}

func chartOption(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('script[type="application/json"]').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func waitURL(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	expr := fmt.Sprintf(`location.href.includes(%q) && document.readyState === 'complete'`, part)
	for {
		// A poll started before a navigation can end with it or hang in
		// the old document: poll in short attempts.
		actx, cancel := context.WithTimeout(wctx, 2*time.Second)
		_, err := chromedp.Run(actx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(100*time.Millisecond)))
		cancel()
		if err == nil {
			return
		}
		if wctx.Err() != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			t.Fatalf("URL never contained %q (at %s): %v", part, loc, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
