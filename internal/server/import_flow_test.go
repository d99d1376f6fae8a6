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
