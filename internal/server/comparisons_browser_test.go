package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// seriesPoints reads, from the drawn chart with the given element id, the
// named series' points as echarts holds them: value ("-" for a gap) and
// symbol.
const seriesPoints = `((id, name) => {
  const inst = echarts.getInstanceByDom(document.getElementById(id));
  const s = inst.getOption().series.find(s => s.name.includes(name));
  if (!s) return null;
  return s.data.map(d => (d && typeof d === 'object') ? [String(d.value), d.symbol || ''] : [String(d), '']);
})`

func points(t *testing.T, ctx context.Context, chartID, series string) [][]string {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](seriesPoints+`(`+jsString(chartID)+`, `+jsString(series)+`)`))
	if err != nil {
		t.Fatalf("%s/%s: %v", chartID, series, err)
	}
	return got
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// TestBrowserComparisons walks the items in Chromium with the
// bundled real figures: consistent network figures with hollow partial
// points (1), county drawn for every year with figures (2), the profile's
// summary first (3), the similar-municipalities group offline (4), the
// Jämför fixes (5) and the member admin page (6).
func TestBrowserComparisons(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)

	// (2) CONSTRUCTED 2023 figures for Blekinge's other three
	// municipalities (Ronneby, Karlshamn, Sölvesborg), so that with the
	// bundled real 2023 figures of Olofström and Karlskrona every
	// municipality of the county has one: the county is then drawn for
	// 2023 too, as their sum.
	var obs []domain.Observation
	for code, v := range map[string]float64{"1081": 28700, "1082": 31800, "1083": 17400} {
		obs = append(obs, domain.Observation{Municipality: code, Indicator: "population", Year: 2023, Value: v,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "konstruerad-test"}})
	}
	if _, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: "test", Actor: "test", Observations: obs}); err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()

	t.Run("1 network figures", func(t *testing.T) {
		loadPage(t, ctx, con, inst.URL, "/")
		med := cellTexts(t, ctx, "tr.ref")
		if len(med) == 0 || !strings.Contains(med[0], "(4 av 12)") || strings.Contains(med[0], "+41") {
			t.Errorf("the network median row = %q, want changes over 4 of 12 members", med)
		}
		loadPage(t, ctx, con, inst.URL, "/kommun/1060")
		// Olofström's population chart (index, 2024 = 100): the median of
		// the members' own indexes counts 4 of 12 members up to 2023
		// (hollow) and all 12 in 2024 (filled).
		pts := points(t, ctx, "profil-0", "median")
		if len(pts) != 10 {
			t.Fatalf("median line has %d points, want 2015–2024", len(pts))
		}
		for i, p := range pts {
			want := "emptyCircle"
			if i == len(pts)-1 {
				want = ""
			}
			if p[0] == "-" || p[1] != want {
				t.Errorf("median point %d = %v, want symbol %q", i, p, want)
			}
		}
	})

	t.Run("2 county over time", func(t *testing.T) {
		loadPage(t, ctx, con, inst.URL, "/kommun/1060")
		pts := points(t, ctx, "profil-0", "Blekinge")
		drawn := 0
		for _, p := range pts {
			if p[0] != "-" {
				drawn++
			}
		}
		if drawn != 2 {
			t.Errorf("Blekinge län drawn in %d years, want 2023 and 2024: %v", drawn, pts)
		}
		if cells := cellTexts(t, ctx, "#ind-population table.data td"); !containsText(cells, "summa av kommunerna") {
			t.Error("the county's summed years are not labelled")
		}
	})

	t.Run("3 summary first", func(t *testing.T) {
		loadPage(t, ctx, con, inst.URL, "/kommun/1060")
		first, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('sammanfattning').getBoundingClientRect().top < document.querySelector('.chart').getBoundingClientRect().top`))
		if err != nil || !first {
			t.Errorf("the summary is not above the first chart (%v)", err)
		}
		cells := cellTexts(t, ctx, "#sammanfattning td")
		for _, want := range []string{"11 av 12", "Nedersta fjärdedelen"} {
			if !containsText(cells, want) {
				t.Errorf("summary lacks %q: %q", want, cells)
			}
		}
	})

	t.Run("4 similar municipalities offline", func(t *testing.T) {
		loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2024&kommun=1060&grupp=liknande")
		bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`echarts.getInstanceByDom(document.getElementById('ranking')).getOption().series[0].data.length`))
		if err != nil || bars != 8 {
			t.Errorf("%d bars (%v), want Olofström and its seven", bars, err)
		}
		lines, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`echarts.getInstanceByDom(document.getElementById('ranking')).getOption().series[0].markLine.data.map(d => d.name)`))
		if err != nil || len(lines) == 0 || lines[0] != "Median" {
			t.Errorf("reference lines %v (%v), want the group's median first", lines, err)
		}
		shot(t, ctx, "jamfor-liknande")
	})

	t.Run("5 Jämför fixes", func(t *testing.T) {
		loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2024&matt=per1000")
		if n := cellTexts(t, ctx, ".notice"); !containsText(n, "passar inte Folkmängd") {
			t.Errorf("no note for the unfitting measure: %q", n)
		}
		// Olofström 2023 indexed to 2015: 13 061 / 13 170 × 100 = 99,17,
		// drawn as a bar 0,83 left of 100.
		loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2023&matt=index&bas=2015&kommun=1060")
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`echarts.getInstanceByDom(document.getElementById('ranking')).getOption().series[0].data.find(d => d.name === 'Olofström').value`))
		if err != nil || v > -0.82 || v < -0.84 {
			t.Errorf("Olofström's index bar = %v (%v), want about −0,83 from the 100 line", v, err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(inst.URL+"/jamfor?indikator=industrial_jobs")); err != nil {
			t.Fatal(err)
		}
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
		if strings.Contains(text, "Ladda ned") || strings.Contains(text, "SNI B+C) 0") {
			t.Error("an indicator without figures offers downloads or year 0")
		}
	})

	t.Run("6 members", func(t *testing.T) {
		admin := login(t, inst, "ada", domain.RoleAdmin)
		var session string
		for _, c := range admin.hc.Jar.Cookies(mustURL(t, inst.URL)) {
			if c.Name == "sik_session" {
				session = c.Value
			}
		}
		if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "sik_session", Value: session, URL: inst.URL})
			return err
		})); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, inst.URL+"/admin/medlemmar")
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.querySelector('form[action="/admin/medlemmar"]');
  f.querySelector('select[name=kod]').value = '1080';
  f.querySelector('input[name=belagg]').value = 'Protokoll från årsmötet';
  f.querySelector('input[name=datum]').value = '2026-04';
  f.querySelector('input[name=intradesar]').value = '2026';
  f.submit();
})()`)); err != nil {
			t.Fatal(err)
		}
		waitURL(t, ctx, "tillagd=1080")
		if ok := cellTexts(t, ctx, "p.ok"); !containsText(ok, "Karlskrona är tillagd") {
			t.Errorf("no confirmation: %q", ok)
		}
		if rows := cellTexts(t, ctx, `tr[data-code="1080"] td`); !containsText(rows, "ada") || !containsText(rows, "2026-04") {
			t.Errorf("the new member's row %q lacks who and the evidence date", rows)
		}
		// No restart: the comparison lists Karlskrona at once.
		loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2024")
		if cells := cellTexts(t, ctx, "table.data td"); !containsText(cells, "Karlskrona") {
			t.Error("/jamfor does not show the new member")
		}
		navigate(t, ctx, inst.URL+"/om-data")
		if p := cellTexts(t, ctx, "#medlemsantal"); !containsText(p, "Nätverket uppger 24 medlemmar") || !containsText(p, "här finns 13") {
			t.Errorf("/om-data member count = %q", p)
		}
	})
	time.Sleep(100 * time.Millisecond)
	if msgs := con.take(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
}

// TestBrowserDocsScreenshots takes the screenshots in docs/screenshots
// (the overview, Jämför and Olofström's profile, bundled figures only) on
// a tall viewport. With DASHBOARD_SCREENSHOTS=docs/screenshots they land
// there; otherwise in the test's artifact directory.
func TestBrowserDocsScreenshots(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1800)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, path string }{
		{"oversikt", "/"},
		{"jamfor", "/jamfor?indikator=population&ar=2024&kommun=1060"},
		{"kommun-1060", "/kommun/1060"},
	} {
		loadPage(t, ctx, con, inst.URL, p.path)
		shot(t, ctx, p.name)
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
