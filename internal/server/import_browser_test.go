package server_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// dialogs records every JavaScript dialog a page opens and dismisses it,
// so an injected alert() shows up as a recorded message.
type dialogs struct {
	mu   sync.Mutex
	msgs []string
}

func watchDialogs(t *testing.T, ctx context.Context) *dialogs {
	d := &dialogs{}
	opening := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for e, err := range opening {
			if err != nil {
				return
			}
			d.mu.Lock()
			d.msgs = append(d.msgs, e.Message)
			d.mu.Unlock()
			// Answer from another goroutine than the one receiving events.
			go func() {
				_ = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
					return err
				}))
			}()
		}
	}()
	return d
}

func (d *dialogs) take() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.msgs
	d.msgs = nil
	return out
}

// navigate opens a page without charts and waits until it has loaded.
func navigate(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("%s: not loaded: %v", u, err)
	}
}

func cellTexts(t *testing.T, ctx context.Context, selector string) []string {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(`+"`"+selector+"`"+`)].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func containsText(list []string, want string) bool {
	for _, s := range list {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

// TestBrowserUploadedMarkupRunsNothing loads the pages that show an
// upload's file name and cells in Chromium: no dialog opens, the console
// stays clean (an inline script blocked by the CSP would be an error
// there), the charts draw, and the markup is shown as text.
func TestBrowserUploadedMarkupRunsNothing(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	path, pg := an.previewOf(xssFile, hostileUpload(t), nil)
	an.confirm(path, pg)
	applyHostileRef(t, inst)
	pendingPath, _ := an.previewOf(xssFile, hostileUpload(t), nil)

	ctx := browser(t)
	dl := watchDialogs(t, ctx)
	con := watchConsole(ctx)

	// The detector itself: a page that does call alert() is seen.
	navigate(t, ctx, "data:text/html,<script>alert('prov')</script>")
	deadline := time.Now().Add(10 * time.Second)
	var seen []string
	for len(seen) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		seen = dl.take()
	}
	if len(seen) != 1 || seen[0] != "prov" {
		t.Fatalf("the dialog watcher saw %q, want the probe's alert", seen)
	}
	con.take()

	// Public pages with charts.
	loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2024&kommun=0481")
	if cells := cellTexts(t, ctx, "table.data td"); !containsText(cells, xssRef) {
		t.Error("the comparison table does not show the file name as text")
	}
	loadPage(t, ctx, con, inst.URL, "/kommun/0481")

	// The analyst's pages: log the browser in with the session cookie.
	base, _ := url.Parse(inst.URL)
	var session string
	for _, c := range an.hc.Jar.Cookies(base) {
		if c.Name == "sik_session" {
			session = c.Value
		}
	}
	if session == "" {
		t.Fatal("no session cookie")
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "sik_session", Value: session, URL: inst.URL})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, inst.URL+pendingPath)
	rejects := cellTexts(t, ctx, "tr.reject td")
	if !containsText(rejects, xss1) || !containsText(rejects, xss2) {
		t.Errorf("the preview's rejects do not show the markup as text: %q", rejects)
	}
	shot(t, ctx, "import-forhandsgranskning")
	if h1 := cellTexts(t, ctx, "h1"); len(h1) != 1 || !strings.Contains(h1[0], xssFile) {
		t.Errorf("the preview heading %q does not show the file name as text", h1)
	}
	navigate(t, ctx, inst.URL+"/import")
	shot(t, ctx, "import-lista")
	if cells := cellTexts(t, ctx, "#importer td"); !containsText(cells, xssRef) || !containsText(cells, xssFile) {
		t.Error("the batch list does not show the file names as text")
	}
	// Give any injected script time to run before the verdict.
	time.Sleep(300 * time.Millisecond)
	if msgs := con.take(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
	if d := dl.take(); len(d) > 0 {
		t.Fatalf("uploaded markup opened dialogs: %q", d)
	}
}
