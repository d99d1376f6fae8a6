package server_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// phonePages are the pages a chief opens on a phone.
var phonePages = []struct{ name, path string }{
	{"oversikt", "/"},
	{"jamfor", "/jamfor?indikator=population&ar=2024&kommun=1060"},
	{"kommun", "/kommun/1060"},
	{"trend", "/trend?indikator=population&kommun=1060,0481,0562,0882&matt=index&bas=2015"},
}

// TestBrowserPhone loads the main pages 390 px wide: nothing makes the
// page wider than the screen (tables scroll inside their own box), the
// navigation is one row, every table's value column is in view without
// scrolling, a table row is one line high, and value axes have few enough
// labels not to run together. Screenshots of the whole pages go to the
// test's artifact directory (or DASHBOARD_SCREENSHOTS).
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	for _, p := range phonePages {
		t.Run(p.name, func(t *testing.T) {
			loadPage(t, ctx, con, inst.URL, p.path)
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if width > 390 {
				t.Errorf("the page is %d px wide on a 390 px screen", width)
			}
			navHeight, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('header.top').getBoundingClientRect().height`))
			if err != nil {
				t.Fatal(err)
			}
			if navHeight > 60 {
				t.Errorf("the navigation is %.0f px high; one row is at most 60", navHeight)
			}
			// The comparison table's municipality rows: one line each
			// (reference rows may wrap their long labels).
			if p.name == "jamfor" {
				tall, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('table.data tbody tr:not(.ref)')].filter(r => r.getBoundingClientRect().height > 40).map(r => r.innerText)`))
				if err != nil {
					t.Fatal(err)
				}
				if len(tall) > 0 {
					t.Errorf("%d comparison rows are more than one line high, e.g. %q", len(tall), tall[0])
				}
				// The measure's column (the third) is in view.
				right, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.max(...[...document.querySelectorAll('table.data tbody tr td:nth-child(3)')].map(td => td.getBoundingClientRect().right))`))
				if err != nil {
					t.Fatal(err)
				}
				if right > 390 {
					t.Errorf("the value column ends at %.0f px, outside the 390 px screen", right)
				}
			}
			// Value-axis labels far enough apart to read.
			crowded, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](crowdedAxes))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range crowded {
				t.Errorf("crowded axis: %s", c)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			saveArtifact(t, "telefon-"+p.name+".png", png)
		})
	}
}

// crowdedAxes lists charts whose value axis has more labels than fit: one
// per 60 px across (numbers side by side run together), one per 24 px up
// (echarts knows the tick count after drawing).
const crowdedAxes = `[...document.querySelectorAll('.chart')].filter(el => !el.classList.contains('spark')).flatMap(el => {
  const c = echarts.getInstanceByDom(el); if (!c) { return []; }
  const out = [];
  for (const key of ['xAxis', 'yAxis']) {
    for (let i = 0; ; i++) {
      const m = c.getModel().getComponent(key, i); if (!m) { break; }
      const ax = m.axis; if (!ax || ax.type === 'category') { continue; }
      const ticks = ax.scale.getTicks().length;
      const len = Math.abs(ax.getExtent()[1] - ax.getExtent()[0]);
      const room = ax.isHorizontal() ? 60 : 24;
      if (ticks > 1 && len / (ticks - 1) < room) { out.push(el.id + ' ' + key + ': ' + ticks + ' labels on ' + Math.round(len) + ' px'); }
    }
  }
  return out;
})`

// TestBrowserPrintProfile prints /kommun/1060 to A4 the way a reader's
// browser would: navigation, forms and buttons are gone, every chart fits
// the printed width, each indicator starts a new page, and the URL and
// print date are on the page. The PDF goes to the artifact directory.
func TestBrowserPrintProfile(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)
	loadPage(t, ctx, con, inst.URL, "/kommun/1060")
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	saveArtifact(t, "utskrift-kommun-1060.pdf", pdf)
	// While printing, the charts were redrawn at the printed width (A4
	// less margins is about 690 px), not cut off or squeezed.
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.chart:not(.spark)')].map(e => e.id + '=' + (e.dataset.printWidth || 'ej ritad om'))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range widths {
		_, px, _ := strings.Cut(w, "=")
		if n, err := strconv.Atoi(px); err != nil || n > 700 || n < 500 {
			t.Errorf("chart at print: %s (want the printed width, 500–700 px)", w)
		}
	}
	// Count the pages: one per indicator section and the first.
	pages := len(pdfPage.FindAll(pdf, -1))
	sections, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main section:has(.chart)').length`))
	if err != nil {
		t.Fatal(err)
	}
	if sections == 0 || pages < sections {
		t.Errorf("the PDF has %d pages for %d sections with charts; each starts a page", pages, sections)
	}
	// The same checks on the print layout itself.
	if err := chromedp.Do(ctx, emulatePrint(true)); err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('header.top, form, .actions, main > nav, .skip')].filter(e => getComputedStyle(e).display !== 'none').map(e => e.outerHTML.slice(0, 80))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hidden {
		t.Errorf("printed though it is for the screen: %s", h)
	}
	breaks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main section:has(.chart)')].slice(1).filter(s => {
  const prev = s.previousElementSibling;
  const start = prev && prev.matches('h2.theme') ? prev : s;
  return getComputedStyle(start).breakBefore !== 'page';
}).map(s => s.id)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(breaks) > 0 {
		t.Errorf("sections that do not start a page: %v", breaks)
	}
	stamp, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.print-stamp') ? getComputedStyle(document.querySelector('.print-stamp')).display + ' ' + document.querySelector('.print-stamp').textContent : ''`))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains([]byte(stamp), []byte(inst.URL+"/kommun/1060")) || bytes.HasPrefix([]byte(stamp), []byte("none")) {
		t.Errorf("the printed page does not carry its URL: %q", stamp)
	}
	if msgs := con.take(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
}

// TestBrowserPrintCompare prints /jamfor on A4: one sheet.
func TestBrowserPrintCompare(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)
	loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2024&kommun=1060")
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	saveArtifact(t, "utskrift-jamfor.pdf", pdf)
	if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
		t.Errorf("/jamfor prints on %d sheets, want 1", n)
	}
}

// pdfPage matches a page object of a PDF (not the /Pages tree node).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// emulatePrint switches the page to print media (or back), as the print
// preview does; the page's print listeners run.
func emulatePrint(on bool) chromedp.Action[chromedp.Void] {
	media := ""
	if on {
		media = "print"
	}
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

func saveArtifact(t *testing.T, name string, b []byte) {
	t.Helper()
	dir := t.ArtifactDir()
	if d := os.Getenv("DASHBOARD_SCREENSHOTS"); d != "" {
		dir = d
		_ = os.MkdirAll(dir, 0o755)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
