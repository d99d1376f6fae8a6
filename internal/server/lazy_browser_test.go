package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// TestBrowserChartsDrawnWhenSeen: a profile draws a chart when it comes
// near the screen, and a chart far down the page not before it is
// scrolled to; printing draws every chart not drawn yet, so the sheet has
// them all.
func TestBrowserChartsDrawnWhenSeen(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	// CONSTRUCTED figures for Olofström in every indicator of the
	// catalogue, so that its profile has a chart per indicator.
	var obs []domain.Observation
	for i, ind := range inst.Config.Indicators {
		for y := 2015; y <= 2024; y++ {
			v := float64(100 + i + y - 2015)
			if ind.Rate {
				v = 40 + float64(i)
			}
			obs = append(obs, domain.Observation{Municipality: "1060", Indicator: ind.ID, Year: y, Value: v,
				Source: domain.Source{Kind: domain.SourceUpload, Ref: "konstruerad-test"}})
		}
	}
	if _, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: "test", Actor: "test", Observations: obs}); err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
	ctx := browser(t)
	con := watchConsole(ctx)
	open := func() {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(inst.URL+"/kommun/1060")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `document.readyState === 'complete'`, "the page loaded")
	}
	open()
	// The summary table comes first: the first chart is drawn once it is
	// scrolled to.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector('.chart').scrollIntoView({block: 'center'}), true)`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `(() => { const c = document.querySelector('.chart'); return c.dataset.rendered === '1' && !!c.querySelector('canvas'); })()`, "the first chart drawn")
	// The last chart lies more than two screens down: not drawn.
	last, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const els = [...document.querySelectorAll('.chart')];
  const l = els[els.length - 1];
  return [l.id, els.length, l.getBoundingClientRect().top > 2 * innerHeight, l.dataset.drawn === undefined, !l.querySelector('canvas')].join(' ');
})()`))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(last)
	if len(f) != 5 || f[2] != "true" {
		t.Fatalf("the last chart is not far below the first screen (%q); the test needs a longer page", last)
	}
	if f[3] != "true" || f[4] != "true" {
		t.Errorf("chart %s far below the screen is drawn before it is scrolled to (%q)", f[0], last)
	}
	id := f[0]
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById('`+id+`').scrollIntoView({block: 'center'}), true)`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `(() => { const c = document.getElementById('`+id+`'); return c.dataset.rendered === '1' && !!c.querySelector('canvas'); })()`, "the last chart drawn after scrolling to it")

	// Printing without scrolling first: every chart is drawn.
	open()
	if err := chromedp.Do(ctx, emulatePrint(true)); err != nil {
		t.Fatal(err)
	}
	// Drawn with a canvas and sized for the sheet (app.js marks the
	// printed width); echarts' "finished" may not come before printing.
	waitFor(t, ctx, `[...document.querySelectorAll('.chart')].every(c => c.dataset.drawn === '1' && c.querySelector('canvas') && c.dataset.printWidth)`, "every chart drawn for printing")
	if err := chromedp.Do(ctx, emulatePrint(false)); err != nil {
		t.Fatal(err)
	}
	if msgs := con.take(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
}

// waitFor polls a script until it is true; the deadline only bounds a
// page that never gets there.
func waitFor(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
