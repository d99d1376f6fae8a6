package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// TestConfirmNeedsHashAndLinksToJamfor: a confirm without the preview's
// hash writes nothing and says why; a confirm with it leads to the batch
// list, which links to Jämför for the upload's indicator and latest year.
// A crafted link cannot make the list link anywhere else.
func TestConfirmNeedsHashAndLinksToJamfor(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	file := workbook(t, longSheet(
		[]any{"1060", 2023, "population", fig(t, "1060", 2023)},
		[]any{"0481", 2024, "population", fig(t, "0481", 2024) + 1},
		[]any{"0481", 2023, "employment_rate", 80.5},
	))
	path, page := an.previewOf("egen.xlsx", file, nil)
	w0 := countWrites(t, inst)
	resp := an.post(path+"/bekrafta", url.Values{})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "kontrollsumma") {
		t.Fatalf("confirm without hash: %d %q", resp.StatusCode, errorText(body))
	}
	if w := countWrites(t, inst); w.batches != w0.batches {
		t.Fatal("a confirm without hash wrote a batch")
	}
	resp = an.post(path+"/bekrafta", url.Values{"hash": {hiddenHash(t, page)}})
	readBody(t, resp)
	loc := resp.Header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d %q", resp.StatusCode, loc)
	}
	if q := u.Query(); q.Get("indikator") != "population" || q.Get("ar") != "2024" {
		t.Errorf("after confirm %q, want population and its latest year 2024", loc)
	}
	_, list := an.get(loc)
	if !strings.Contains(list, `<a href="/jamfor?indikator=population&amp;ar=2024">Visa i Jämför (Folkmängd 2024)</a>`) {
		t.Errorf("no Visa i Jämför link: %s", errorText(list))
	}
	for _, crafted := range []string{
		u.Path + "?klar=" + u.Query().Get("klar") + "&indikator=" + url.QueryEscape(`"><script>`) + "&ar=2024",
		u.Path + "?klar=" + u.Query().Get("klar") + "&indikator=population&ar=javascript:1",
		"/import?klar=999999&indikator=population&ar=2024",
	} {
		if _, list := an.get(crafted); strings.Contains(list, "Visa i Jämför") {
			t.Errorf("%s: the list offers a link", crafted)
		}
	}
}

// TestPreviewSkipsTotalsAndNamesNoSCB: a hand-made sheet with a title and
// a Summa row is previewed as a wide sheet (not an SCB export), the Summa
// and bare Riket rows are listed as skipped totals, not rejected.
func TestPreviewSkipsTotalsAndNamesNoSCB(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	a, b := fig(t, "1060", 2024), fig(t, "0481", 2024)
	file := workbook(t, sheet{"Folkmängd", [][]any{
		{"Våra medlemmar 2024"},
		{},
		{"kommun", 2024},
		{"Olofström", a},
		{"Oxelösund", b},
		{"Summa", a + b},
		{"Riket", a + b},
	}})
	_, page := an.previewOf("egen.xlsx", file, nil)
	if strings.Contains(page, "export från SCB:s statistikdatabas") {
		t.Error("a hand-made sheet is labelled as an SCB export")
	}
	if !strings.Contains(page, "bred form") {
		t.Error("the sheet is not shown as a wide sheet")
	}
	if !strings.Contains(page, "2 summarader (Summa, Totalt, Riket) hoppades över, rad 6, 7") {
		t.Errorf("no note on the skipped totals")
	}
	if c := counts(t, page); c["rejects"] != 0 || c["figures"] != 2 {
		t.Errorf("counts %v, want 2 figures and no rejects", c)
	}
}

// TestPreviewListsFiguresHiddenBySCB: the preview states the precedence
// and lists the file's figures an SCB figure will keep hidden, with the
// figure that stays and its source. Uses seedDisagreement's constructed
// SCB figures.
func TestPreviewListsFiguresHiddenBySCB(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	seedDisagreement(t, inst)
	an := login(t, inst, "anna", domain.RoleAnalyst)
	file := workbook(t, longSheet(
		[]any{"1060", 2023, "industrial_jobs", 3100},
		[]any{"1060", 2024, "industrial_jobs", 3050},
	))
	_, page := an.previewOf("egen.xlsx", file, nil)
	if !strings.Contains(page, `id="foretrade"`) || !strings.Contains(page, "går alltså före en uppladdad siffra") {
		t.Error("the preview does not state the precedence")
	}
	rows := tableRows(page, "shadowed")
	if len(rows) != 1 || !strings.HasPrefix(rows[0][0], "Olofström") || rows[0][2] != "2023" ||
		rows[0][3] != "3\u00a0000" || rows[0][4] != "3\u00a0100" || !strings.Contains(rows[0][5], "TAB3204") {
		t.Errorf("hidden figures %q, want Olofström 2023: 3 000 (SCB TAB3204) shown, the file's 3 100 hidden", rows)
	}
}
