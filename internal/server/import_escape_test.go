package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// Markup an uploaded file may carry. File names cannot carry "/" through
// an upload (multipart keeps only the base name) nor on disk, so the
// "</script>" variant reaches Source.Ref by a direct store write.
const (
	xss1     = `<script>alert(1)</script>`
	xss2     = `</script><script>alert(2)</script>`
	xssFile  = `"><img src=x onerror=alert(3)><script>alert(4)<!--.xlsx`
	xssRef   = `</script><script>alert(5)</script>.xlsx`
	rawAlert = `<script>alert`
)

// hostileUpload is a workbook with markup in municipality cells and two
// real figures (Olofström and Finspång 2024).
func hostileUpload(t testing.TB) []byte {
	return workbook(t, longSheet(
		[]any{"1060", 2024, "population", fig(t, "1060", 2024)},
		[]any{xss1, 2024, "population", fig(t, "1060", 2024)},
		[]any{xss2, 2024, "population", fig(t, "1060", 2024)},
		[]any{`=HYPERLINK("http://example.invalid","x")`, 2024, "population", fig(t, "1060", 2024)},
		[]any{"0562", 2024, "population", fig(t, "0562", 2024)},
	))
}

// applyHostileRef writes Oxelösund's real 2024 figure with a file name
// that holds "</script>", as if an upload could carry it.
func applyHostileRef(t testing.TB, inst *servertest.Instance) {
	t.Helper()
	at := time.Date(2025, 11, 2, 9, 0, 0, 0, time.UTC)
	_, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: xssRef, Actor: "anna",
		Observations: []domain.Observation{{Municipality: "0481", Indicator: "population", Year: 2024, Value: fig(t, "0481", 2024),
			Source: domain.Source{Kind: domain.SourceUpload, Ref: xssRef, FetchedAt: at}}}})
	if err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
}

var jsonBlock = regexp.MustCompile(`(?s)<script type="application/json" id="([^"]+)">(.*?)</script>`)

// checkNoRawMarkup fails when a page carries the markup unescaped, or
// when a chart option block is not whole JSON (a "</script>" in it would
// end the element early and cut the JSON).
func checkNoRawMarkup(t *testing.T, where, body string) {
	t.Helper()
	for _, bad := range []string{rawAlert, "<img src=x", "</script><script>"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: raw %q in the HTML", where, bad)
		}
	}
	for _, m := range jsonBlock.FindAllStringSubmatch(body, -1) {
		if !json.Valid([]byte(m[2])) {
			t.Errorf("%s: chart option %s is not whole JSON: %.200s", where, m[1], m[2])
		}
		if strings.Contains(strings.ToLower(m[2]), "<script") || strings.Contains(strings.ToLower(m[2]), "</script") {
			t.Errorf("%s: chart option %s holds script markup", where, m[1])
		}
	}
}

// TestUploadedMarkupIsEscaped: markup from a file's cells and name is
// text on the preview, in the batch list, on the comparison page (table,
// sources and chart options) and in the JSON API.
func TestUploadedMarkupIsEscaped(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	path, page := an.previewOf(xssFile, hostileUpload(t), nil)
	checkNoRawMarkup(t, "preview", page)
	for _, want := range []string{`&lt;script&gt;alert(1)&lt;/script&gt;`, `&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;`, `&lt;img src=x onerror=alert(3)&gt;`} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks the escaped %s", want)
		}
	}
	rejects := tableRows(page, "reject")
	if len(rejects) != 3 || rejects[0][3] != xss1 || rejects[1][3] != xss2 || rejects[0][2] != "A" || rejects[0][1] != "3" || rejects[1][1] != "4" {
		t.Fatalf("rejects %q, want the markup cells in column A, rows 3 and 4, verbatim", rejects)
	}
	// The CSV of rejects keeps the text but neutralises the formula.
	resp := an.do(http.MethodGet, path+"/avvisade.csv", "", nil, nil)
	csvBody := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(csvBody, "Data;3;A;<script>alert(1)</script>;") || !strings.Contains(csvBody, `'=HYPERLINK`) {
		t.Fatalf("rejects CSV: %d %q", resp.StatusCode, csvBody)
	}
	an.confirm(path, page)
	applyHostileRef(t, inst)

	_, list := an.get("/import")
	checkNoRawMarkup(t, "batch list", list)
	if !strings.Contains(list, "&lt;/script&gt;&lt;script&gt;alert(5)") || !strings.Contains(list, "&lt;img src=x onerror=alert(3)&gt;") {
		t.Error("the batch list does not show the file names escaped")
	}
	for _, p := range []string{"/jamfor?indikator=population&ar=2024", "/kommun/0481", "/kommun/1060", "/"} {
		st, body := anonymous(t, inst).get(p)
		if st != http.StatusOK {
			t.Fatalf("%s: %d", p, st)
		}
		checkNoRawMarkup(t, p, body)
	}
	_, cmp := anonymous(t, inst).get("/jamfor?indikator=population&ar=2024")
	if !strings.Contains(cmp, "&lt;/script&gt;&lt;script&gt;alert(5)&lt;/script&gt;.xlsx") {
		t.Error("the comparison page does not name the upload (escaped) as Oxelösund's source")
	}
	got := observations(t, inst, []string{"0481", "1060"}, 2024, 2024)
	if got["0481/2024"].SourceRef != xssRef || got["1060/2024"].SourceRef != `"><img src=x onerror=alert(3)><script>alert(4)<!--.xlsx` {
		t.Errorf("API source refs %q, %q", got["0481/2024"].SourceRef, got["1060/2024"].SourceRef)
	}
}
