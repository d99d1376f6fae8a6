package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// series are the real 2015–2023 figures of observations.csv (the
// municipalities Region Halland published a time series for).
func series(t testing.TB) []figure {
	var out []figure
	for _, ys := range figures(t) {
		for y, f := range ys {
			if y >= 2015 && y <= 2023 {
				out = append(out, f)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].Year < out[j].Year
	})
	if len(out) != 81 {
		t.Fatalf("observations.csv has %d figures for 2015–2023, want 81 (9 municipalities x 9 years)", len(out))
	}
	return out
}

// TestImportRealFiguresEndToEnd uploads real figures in two layouts (long
// with codes and names, wide with years as columns), confirms, and reads
// every figure back through the API with the upload as its source.
func TestImportRealFiguresEndToEnd(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	regions := inst.Config.RegionIndex()
	figs := series(t)
	// Long layout: the first half by code, the rest by "Namn kommun".
	var long [][]any
	byCode := map[string]map[int]float64{}
	for i, f := range figs {
		if byCode[f.Code] == nil {
			byCode[f.Code] = map[int]float64{}
		}
		byCode[f.Code][f.Year] = f.Value
		if f.Year > 2019 {
			continue // the wide sheet carries these
		}
		kommun := f.Code
		if i%2 == 1 {
			kommun = regions.Name(f.Code) + "s kommun"
			if strings.HasSuffix(regions.Name(f.Code), "s") {
				kommun = regions.Name(f.Code) + " kommun"
			}
		}
		long = append(long, []any{kommun, f.Year, "population", f.Value})
	}
	// Wide layout: one row per municipality, 2020–2023 as columns; the
	// sheet name says the indicator.
	wide := [][]any{{"Kommun", 2020, 2021, 2022, 2023}}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		wide = append(wide, []any{c + " " + regions.Name(c), byCode[c][2020], byCode[c][2021], byCode[c][2022], byCode[c][2023]})
	}
	file := workbook(t, longSheet(long...), sheet{"Folkmängd", wide})

	an := login(t, inst, "anna", domain.RoleAnalyst)
	before := countWrites(t, inst)
	path, page := an.previewOf("folkmangd_2015_2023.xlsx", file, nil)
	if got := countWrites(t, inst); got.batches != before.batches || got.pending != before.pending+1 {
		t.Fatalf("the preview wrote %+v (before %+v): only a pending preview may be stored", got, before)
	}
	c := counts(t, page)
	if c["figures"] != 81 || c["new"] != 81 || c["changed"] != 0 || c["unchanged"] != 0 || c["rejects"] != 0 {
		t.Fatalf("preview counts %v, want 81 new figures and no rejects", c)
	}
	if rows := tableRows(page, "change"); len(rows) != 81 || rows[0][3] != "ny" || rows[0][4] != "–" {
		t.Fatalf("change rows: %d, first %v", len(rows), rows[0])
	}
	id := an.confirm(path, page)

	st, list := an.get(fmt.Sprintf("/import?klar=%d", id))
	if st != http.StatusOK || !strings.Contains(list, fmt.Sprintf("Import %d (folkmangd_2015_2023.xlsx) är sparad: 81 nya", id)) {
		t.Fatalf("batch list after confirm: %d %s", st, errorText(list))
	}
	batches, err := inst.Store.Batches(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || batches[0].ID != id || batches[0].Kind != domain.BatchUpload || batches[0].Actor != "anna" ||
		batches[0].Label != "folkmangd_2015_2023.xlsx" || batches[0].Rows != 81 || batches[0].New != 81 {
		t.Fatalf("batches = %+v, want one upload batch of 81 rows by anna", batches)
	}
	if w := countWrites(t, inst); w.pending != 0 {
		t.Fatalf("%d pending previews left after confirm", w.pending)
	}
	if _, m := an.get("/metrics"); !strings.Contains(m, `dashboard_imports_total{kind="confirmed"} 1`) {
		t.Errorf("the confirmed import is not counted in /metrics")
	}
	got := observations(t, inst, codes, 2015, 2023)
	if len(got) != 81 {
		t.Fatalf("API has %d figures, want 81", len(got))
	}
	for _, f := range figs {
		a, ok := got[fmt.Sprintf("%s/%d", f.Code, f.Year)]
		if !ok || a.Value != f.Value || a.SourceKind != "upload" || a.SourceRef != "folkmangd_2015_2023.xlsx" || a.BatchID != id {
			t.Errorf("%s %d: API %+v, want %v from the upload (batch %d)", f.Code, f.Year, a, f.Value, id)
		}
	}
}

// TestImportPxWebFixtures uploads SCB's real PxWeb CSV exports. They are
// county-level (NUTS2) English exports: the reader cannot tell the
// indicator, the preview asks for it, and once chosen every region row is
// rejected because none is a municipality. Nothing can be confirmed.
func TestImportPxWebFixtures(t *testing.T) {
	tests := []struct {
		file       string
		rejects    int
		firstValue string
	}{
		// 16 NUTS2 rows, each rejected once (its region is unknown).
		{"scb_pxweb_export_latin1_0000002T_1.csv", 16, "SE11 Stockholm"},
		// 16 rows; rows 2 and 10 are ".." throughout and give nothing to
		// reject, the other 14 are rejected.
		{"scb_pxweb_export_latin1_dotdot_000000CV_1.csv", 14, "0 all sectors"},
	}
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, inst)
			w0 := countWrites(t, inst)
			path, page := an.previewOf(tt.file, data, nil)
			if c := counts(t, page); c["figures"] != 0 || c["rejects"] != 0 {
				t.Fatalf("without an indicator: %v, want nothing read and nothing rejected", c)
			}
			if !strings.Contains(page, `class="sheet needs-indicator"`) || !strings.Contains(page, `action="`+path+`/indikator"`) {
				t.Fatal("the preview does not ask for the indicator")
			}
			if strings.Contains(page, `name="hash"`) || !strings.Contains(page, "kan inte bekräftas") {
				t.Fatal("a file without valid rows offers a confirm")
			}
			resp := an.post(path+"/bekrafta", url.Values{})
			if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "inga giltiga rader") {
				t.Fatalf("confirm of an empty preview: %d %s", resp.StatusCode, errorText(body))
			}

			resp = an.post(path+"/indikator", url.Values{"indikator": {"state_jobs"}})
			readBody(t, resp)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("choose indicator: %d", resp.StatusCode)
			}
			path2 := resp.Header.Get("Location")
			if path2 != path {
				t.Errorf("re-reading moved the preview from %s to %s; the open address must stay valid", path, path2)
			}
			st, page := an.get(path2)
			if st != http.StatusOK {
				t.Fatalf("re-read preview: %d %s", st, errorText(page))
			}
			if c := counts(t, page); c["figures"] != 0 || c["rejects"] != tt.rejects || c["new"] != 0 {
				t.Fatalf("with indicator: %v, want 0 figures and %d rejects", c, tt.rejects)
			}
			rows := tableRows(page, "reject")
			if len(rows) != tt.rejects {
				t.Fatalf("%d reject rows in the HTML, want %d", len(rows), tt.rejects)
			}
			for i, r := range rows {
				row, err := strconv.Atoi(r[1])
				if len(r) != 5 || r[0] != tt.file || err != nil || row < 2 || r[2] == "" || !strings.Contains(r[4], "finns inte i kommunlistan") {
					t.Errorf("reject %d = %q, want sheet %s, a row, a column and the reason", i, r, tt.file)
				}
			}
			if rows[0][3] != tt.firstValue {
				t.Errorf("first reject value %q, want %q", rows[0][3], tt.firstValue)
			}
			resp = an.post(path2+"/bekrafta", url.Values{})
			if readBody(t, resp); resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("confirm of a file with only rejects: %d", resp.StatusCode)
			}
			if w := countWrites(t, inst); w.batches != w0.batches {
				t.Fatalf("batches %d → %d: a file without valid rows wrote a batch", w0.batches, w.batches)
			}
			if !equalStrings(before, snapshot(t, inst)) {
				t.Fatal("figures changed")
			}
		})
	}
}

// TestImportAPIPxWebWithBasicAuth runs the script steps on a private
// instance with HTTP Basic: upload with the indicator, read rejects as
// JSON, and a refused confirm.
func TestImportAPIPxWebWithBasicAuth(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{Private: true})
	addUser(t, inst, "skript", domain.RoleAnalyst)
	data, err := os.ReadFile("testdata/scb_pxweb_export_latin1_0000002T_1.csv")
	if err != nil {
		t.Fatal(err)
	}
	ctype, body := multipartBody(t, "file", "0000002T_1.csv", data, map[string]string{"indicator": "state_jobs"})
	basic := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("skript:"+testPassword))}}
	c := anonymous(t, inst)
	resp := c.do(http.MethodPost, "/api/v1/imports", ctype, body, basic)
	raw := readBody(t, resp)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/imports: %d %s", resp.StatusCode, raw)
	}
	var prev struct {
		ID      string `json:"id"`
		Figures int    `json:"figures"`
		Diff    struct {
			New int `json:"new"`
		} `json:"diff"`
		Rejects []struct {
			Sheet, Column, Value, Reason string
			Row                          int
		} `json:"rejects"`
		Sheets []struct {
			Indicator      string `json:"indicator"`
			NeedsIndicator bool   `json:"needs_indicator"`
		} `json:"sheets"`
	}
	if err := json.Unmarshal([]byte(raw), &prev); err != nil {
		t.Fatal(err)
	}
	if prev.ID == "" || prev.Figures != 0 || prev.Diff.New != 0 || len(prev.Rejects) != 16 ||
		len(prev.Sheets) != 1 || prev.Sheets[0].Indicator != "state_jobs" || prev.Sheets[0].NeedsIndicator {
		t.Fatalf("preview = %+v", prev)
	}
	if r := prev.Rejects[0]; r.Sheet != "0000002T_1.csv" || r.Row != 2 || r.Column == "" || r.Value != "SE11 Stockholm" || !strings.Contains(r.Reason, "finns inte i kommunlistan") {
		t.Fatalf("first reject = %+v", r)
	}
	resp = c.do(http.MethodPost, "/api/v1/imports/"+prev.ID+"/confirm", "", nil, basic)
	if raw := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(raw, "inga giltiga rader") {
		t.Fatalf("confirm: %d %s", resp.StatusCode, raw)
	}
	resp = c.do(http.MethodGet, "/api/v1/imports", "", nil, basic)
	raw = readBody(t, resp)
	var list struct {
		Data []domain.BatchInfo `json:"data"`
	}
	if err := json.Unmarshal([]byte(raw), &list); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/imports: %d %s", resp.StatusCode, raw)
	}
	for _, b := range list.Data {
		if b.Kind == domain.BatchUpload {
			t.Fatalf("an upload batch was written: %+v", b)
		}
	}
}
