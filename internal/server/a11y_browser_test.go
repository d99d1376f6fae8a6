package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// axePath is axe-core as `npm ci` installs it from testdata/axe's
// package-lock.json (.ci/run does that). The test gives the file to the
// browser itself: never a CDN, and nothing the page could load.
const axePath = "testdata/axe/node_modules/axe-core/axe.min.js"

// a11yRoute is one page the accessibility check visits. Role "" is an
// anonymous visitor; otherwise the browser is logged in as a user with
// that role. Path may hold {preview}: the address of a pending upload's
// preview, made for the test.
type a11yRoute struct {
	name, path string
	role       domain.Role
	// status is the page's HTTP status when it is not 200: the browser
	// then logs the status as a console error, which is expected.
	status int
}

// a11yRoutes is every page of the product. A new page belongs here: add
// a line and the check covers it at both widths.
var a11yRoutes = []a11yRoute{
	{"oversikt", "/", "", 0},
	{"jamfor", "/jamfor?indikator=population&ar=2024&kommun=1060", "", 0},
	{"jamfor-index", "/jamfor?indikator=population&ar=2023&matt=index&bas=2015&kommun=0481", "", 0},
	{"kommun", "/kommun/1060", "", 0},
	{"kommuner", "/kommuner", "", 0},
	{"trend", "/trend?indikator=population&kommun=1060,0481,0562,0882&matt=index&bas=2015", "", 0},
	{"karta", "/karta?indikator=population&ar=2024", "", 0},
	{"oversikt-tema", "/?tema=statlig_narvaro", "", 0},
	{"kommun-tema", "/kommun/1060?tema=arbetsmarknad", "", 0},
	{"jamfor-kon", "/jamfor?indikator=unemployment&kon=K", "", 0},
	{"statlig-narvaro", "/statlig-narvaro", "", 0},
	{"kandidater", "/kandidater", "", 0},
	{"om-data", "/om-data", "", 0},
	{"logga-in", "/logga-in", "", 0},
	{"fel-404", "/kommun/9999", "", 404},
	{"import", "/import", domain.RoleAdmin, 0},
	{"import-forhandsgranskning", "{preview}", domain.RoleAdmin, 0},
	{"admin-kallor", "/admin/kallor", domain.RoleAdmin, 0},
	{"admin-anvandare", "/admin/anvandare", domain.RoleAdmin, 0},
	{"admin-medlemmar", "/admin/medlemmar", domain.RoleAdmin, 0},
	{"trend-grupp", "/trend?indikator=population&kommun=1060&grupp=liknande", "", 0},
	{"jamfor-grupp", "/jamfor?indikator=population&ar=2024&kommun=1060&grupp=liknande", "", 0},
}

// a11yWidths are a desk screen and a phone.
var a11yWidths = []struct {
	name   string
	width  int64
	height int64
}{{"1366", 1366, 900}, {"390", 390, 844}}

// axeViolation is the part of an axe-core result the failure message
// needs.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// TestBrowserAccessibility runs axe-core on every page in a11yRoutes at
// 1366 and 390 px wide and fails on any serious or critical violation
// (WCAG 2.x A and AA rules and axe's best practices).
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	axeJS, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the accessibility check: %v (.ci/run installs axe-core with npm ci)", err)
		}
		t.Skipf("axe-core is not installed (%v): npm ci --prefix internal/server/testdata/axe", err)
	}
	inst := servertest.Start(t, servertest.Options{})
	admin := login(t, inst, "ada", domain.RoleAdmin)
	// A confirmed batch fills the imports table; a second upload stays
	// pending so its preview can be checked.
	file := workbook(t, longSheet([]any{"1060", 2024, "population", 12900}, []any{"0481", 2024, "population", 11800}, []any{"Ingenstans", 2024, "population", 1}))
	p, pg := admin.previewOf("prov.xlsx", file, nil)
	admin.confirm(p, pg)
	// The pending one has every kind of cell the sheet view marks: changed,
	// unchanged, missing, a Summa row and a rejected municipality.
	preview, _ := admin.previewOf("prov2.xlsx", workbook(t, longSheet([]any{"0562", 2024, "population", 21000},
		[]any{"1060", 2024, "population", 12900}, []any{"0481", 2023, "population", ".."},
		[]any{"Summa", 2024, "population", 33900}, []any{"Ingenstans", 2024, "population", 1})), nil)

	// One browser per width, the two widths side by side: the check is the
	// longest of the browser tests and its pages are independent.
	for _, w := range a11yWidths {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			ctx := browser(t)
			con := watchConsole(ctx)
			for _, r := range a11yRoutes {
				t.Run(r.name+"-"+w.name, func(t *testing.T) {
					setSession(t, ctx, inst.URL, admin, r.role != "")
					if err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height)); err != nil {
						t.Fatal(err)
					}
					path := strings.ReplaceAll(r.path, "{preview}", preview)
					navigate(t, ctx, inst.URL+path)
					if has, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('.chart') !== null`)); has {
						checkDrawn(t, ctx, con, inst.URL, path)
					}
					for _, v := range runAxe(t, ctx, axeJS) {
						if v.Impact != "serious" && v.Impact != "critical" {
							continue
						}
						var where []string
						for _, n := range v.Nodes {
							where = append(where, fmt.Sprint(n.Target)+": "+n.Summary)
						}
						t.Errorf("%s at %s px: %s (%s): %s\n  %s", path, w.name, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
					}
					if msgs := con.take(); len(msgs) > 0 && r.status == 0 {
						t.Errorf("%s: console errors: %v", path, msgs)
					}
					if os.Getenv("DASHBOARD_SCREENSHOTS") != "" {
						shot(t, ctx, "a11y-"+r.name+"-"+w.name)
					}
				})
			}
		})
	}
}

// runAxe injects axe-core into the current page and returns its
// violations.
func runAxe(t *testing.T, ctx context.Context, axeJS []byte) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe result: %v", err)
	}
	return vs
}

// setSession logs the browser in with the client's session cookie, or
// out.
func setSession(t *testing.T, ctx context.Context, base string, c *client, in bool) {
	t.Helper()
	u, _ := url.Parse(base)
	var session string
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "sik_session" {
			session = ck.Value
		}
	}
	if session == "" {
		t.Fatal("no session cookie")
	}
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if !in {
			_, err := cdp.Call(ctx, tg, network.DeleteCookies, network.DeleteCookiesParams{Name: "sik_session", URL: base})
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "sik_session", Value: session, URL: base})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}
