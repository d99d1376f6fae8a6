package server_test

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// TestBrowserPickerSearch types into the search boxes: /kommuner narrows
// to the matching municipalities (and their counties), the Jämför picker
// hides what does not match and Enter shows the first match, and the
// trend's checkboxes stop at twelve.
func TestBrowserPickerSearch(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.Options{})
	ctx := browser(t)
	con := watchConsole(ctx)

	navigate(t, ctx, inst.URL+"/kommuner")
	if err := chromedp.Do(ctx, chromedp.SendKeys(`[data-filter-for] input`, "ström")); err != nil {
		t.Fatal(err)
	}
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#kommunlista section:not([hidden]) li:not([hidden]) a')].map(a => a.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	// Every municipality whose name holds "ström", Olofström twice (as a
	// member and under Blekinge).
	want := []string{"Olofström", "Olofström", "Strömstad", "Strömsund"}
	slices.Sort(visible)
	if !slices.Equal(visible, want) {
		t.Errorf("search 'ström' shows %q, want %q", visible, want)
	}
	status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.filter-count').textContent`))
	if status != "4 träffar" {
		t.Errorf("status %q", status)
	}

	loadPage(t, ctx, con, inst.URL, "/jamfor?indikator=population&ar=2024")
	if err := chromedp.Do(ctx, chromedp.SendKeys(`.picker-search input`, "örnsk")); err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('select[name=kommun] option')].filter(o => !o.hidden && !o.parentElement.hidden).map(o => o.value)`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(shown, []string{"2284"}) {
		t.Errorf("the picker shows %q for 'örnsk', want Örnsköldsvik only", shown)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(`.picker-search input`, "\r")); err != nil {
		t.Fatal(err)
	}
	waitURL(t, ctx, "kommun=2284")

	loadPage(t, ctx, con, inst.URL, "/trend?indikator=population&kommun=1060")
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
  const boxes = [...document.querySelectorAll('fieldset[data-max] input[type=checkbox]')];
  for (const b of boxes) { if (!b.disabled && !b.checked) { b.click(); } }
  return boxes.filter(b => b.checked).length;
})()`))
	if err != nil {
		t.Fatal(err)
	}
	if n != 12 {
		t.Errorf("clicking every box checked %d, want the limit of 12", n)
	}
	if msgs := con.take(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
}
