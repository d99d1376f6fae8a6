package server_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// oneFigure is a valid upload: Olofström's real 2024 population.
func oneFigure(t testing.TB) []byte {
	return workbook(t, longSheet([]any{"1060", 2024, "population", fig(t, "1060", 2024)}))
}

// TestImportRequiresAnalystAndCSRF: without a login, as a viewer, or
// without the session's CSRF token, an upload, confirm or rollback is
// refused and nothing is written.
func TestImportRequiresAnalystAndCSRF(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	file := oneFigure(t)
	anon := anonymous(t, inst)
	viewer := login(t, inst, "vera", domain.RoleViewer)
	an := login(t, inst, "anna", domain.RoleAnalyst)
	before := countWrites(t, inst)
	figs := snapshot(t, inst)

	resp := anon.do(http.MethodGet, "/import", "", nil, nil)
	if readBody(t, resp); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logga-in?next=%2Fimport") {
		t.Fatalf("anonymous GET /import: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	refusals := []struct {
		name string
		resp func() *http.Response
		want int
	}{
		{"anonymous upload", func() *http.Response { return anon.upload("a.xlsx", file, nil) }, http.StatusUnauthorized},
		{"anonymous API upload", func() *http.Response {
			ct, body := multipartBody(t, "file", "a.xlsx", file, nil)
			return anon.do(http.MethodPost, "/api/v1/imports", ct, body, nil)
		}, http.StatusUnauthorized},
		{"viewer page", func() *http.Response { return viewer.do(http.MethodGet, "/import", "", nil, nil) }, http.StatusForbidden},
		{"viewer upload", func() *http.Response { return viewer.upload("a.xlsx", file, nil) }, http.StatusForbidden},
		{"viewer template", func() *http.Response { return viewer.do(http.MethodGet, "/import/mall.xlsx", "", nil, nil) }, http.StatusForbidden},
		{"analyst upload without CSRF", func() *http.Response { return an.upload("a.xlsx", file, map[string]string{"csrf": ""}) }, http.StatusForbidden},
		{"analyst upload with a wrong CSRF", func() *http.Response {
			return an.upload("a.xlsx", file, map[string]string{"csrf": viewer.csrf})
		}, http.StatusForbidden},
		{"analyst API upload with session but no CSRF header", func() *http.Response {
			ct, body := multipartBody(t, "file", "a.xlsx", file, nil)
			return an.do(http.MethodPost, "/api/v1/imports", ct, body, nil)
		}, http.StatusForbidden},
		{"analyst users page", func() *http.Response { return an.do(http.MethodGet, "/admin/anvandare", "", nil, nil) }, http.StatusForbidden},
	}
	for _, r := range refusals {
		resp := r.resp()
		body := readBody(t, resp)
		if resp.StatusCode != r.want {
			t.Errorf("%s: status %d, want %d: %s", r.name, resp.StatusCode, r.want, errorText(body))
		}
		if got := countWrites(t, inst); got != before {
			t.Fatalf("%s wrote: %+v → %+v", r.name, before, got)
		}
	}

	// A preview exists; confirming it needs the token too, and only its
	// owner (or an admin) may see or confirm it.
	path, page := an.previewOf("olofstrom.xlsx", file, nil)
	hash := hiddenHash(t, page)
	before = countWrites(t, inst)
	for _, r := range []struct {
		name string
		c    *client
		vals url.Values
		want int
	}{
		{"confirm without CSRF", an, url.Values{"hash": {hash}, "csrf": {""}}, http.StatusForbidden},
		{"confirm with a wrong CSRF", an, url.Values{"hash": {hash}, "csrf": {"x" + an.csrf}}, http.StatusForbidden},
		{"confirm by a viewer", viewer, url.Values{"hash": {hash}}, http.StatusForbidden},
		{"confirm by another analyst", login(t, inst, "bo", domain.RoleAnalyst), url.Values{"hash": {hash}}, http.StatusForbidden},
	} {
		resp := r.c.post(path+"/bekrafta", r.vals)
		if body := readBody(t, resp); resp.StatusCode != r.want {
			t.Errorf("%s: %d, want %d: %s", r.name, resp.StatusCode, r.want, errorText(body))
		}
	}
	if got := countWrites(t, inst); got.batches != before.batches || !equalStrings(figs, snapshot(t, inst)) {
		t.Fatal("a refused confirm wrote")
	}
	id := an.confirm(path, page)

	// Rollback: another analyst may not (page and API), the admin may.
	bo := login(t, inst, "bo2", domain.RoleAnalyst)
	resp = bo.post(fmt.Sprintf("/import/batch/%d/angra", id), nil)
	if body := readBody(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(errorText(body), "bara ångra dina egna") {
		t.Fatalf("rollback by another analyst: %d %s", resp.StatusCode, errorText(body))
	}
	resp = bo.do(http.MethodPost, fmt.Sprintf("/api/v1/batches/%d/rollback", id), "", nil, http.Header{"X-CSRF-Token": {bo.csrf}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("API rollback by another analyst: %d %s", resp.StatusCode, body)
	}
	resp = an.do(http.MethodPost, fmt.Sprintf("/api/v1/batches/%d/rollback", id), "", nil, nil)
	if body := readBody(t, resp); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("API rollback without the CSRF header: %d %s", resp.StatusCode, body)
	}
	// The bundled batch is not an upload: an analyst may not undo it.
	resp = an.post("/import/batch/1/angra", nil)
	if readBody(t, resp); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("analyst rollback of the bundled batch: %d", resp.StatusCode)
	}
	admin := login(t, inst, "ada", domain.RoleAdmin)
	resp = admin.do(http.MethodPost, fmt.Sprintf("/api/v1/batches/%d/rollback", id), "", nil, http.Header{"X-CSRF-Token": {admin.csrf}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("admin rollback: %d %s", resp.StatusCode, body)
	}
	if !equalStrings(figs, snapshot(t, inst)) {
		t.Fatal("the admin's rollback did not restore the figures")
	}
}

// ---- hostile files (constructed from the documented formats, as in
// collectors/excel's tests) ----

// oleHeader is the start of an OLE2 compound file: an old .xls.
func oleHeader() []byte {
	b := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	b = append(b, make([]byte, 504)...)
	for _, r := range "Workbook" {
		b = append(b, byte(r), 0)
	}
	return b
}

// pngFile is a PNG signature and IHDR chunk.
func pngFile() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0)
}

// zipBomb is a minimal workbook whose one sheet inflates to n bytes of
// empty cells from a few kilobytes.
func zipBomb(t testing.TB, n int) []byte {
	t.Helper()
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	var sb strings.Builder
	sb.WriteString(head)
	for sb.Len() < n {
		sb.WriteString(`<row><c t="inlineStr"><is><t></t></is></c></row>`)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sb.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		_, _ = fw.Write([]byte(p.data))
		_ = fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(p.data)),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(p.data))})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encrypted is a real figure in a password-protected workbook.
func encrypted(t testing.TB) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(oneFigure(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "hemligt"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportHostileFiles: each file gets its Swedish message on the upload
// page (and in the API), and nothing is written, not even a preview.
func TestImportHostileFiles(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{Deps: func(d *server.Deps) {
		d.Upload = excel.Limits{MaxFileBytes: 256 << 10, MaxUnzippedBytes: 4 << 20, MaxXMLBytes: 1 << 20}
	}})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	tests := []struct {
		name, file string
		data       []byte
		status     int
		msg        string
	}{
		{"larger than the limit", "stor.xlsx", bytes.Repeat([]byte("1060;2024;..\n"), 300<<10/13), http.StatusRequestEntityTooLarge, "Filen är för stor: högst 256 kB tillåts."},
		{"far larger than the limit", "stor.csv", make([]byte, 2<<20), http.StatusRequestEntityTooLarge, "Filen är för stor: högst 256 kB tillåts."},
		{"zip bomb", "bomb.xlsx", zipBomb(t, 8<<20), http.StatusBadRequest, "större än 4 MB när den packas upp"},
		{"old .xls", "gammal.xls", oleHeader(), http.StatusBadRequest, "Gamla .xls-filer stöds inte, spara som .xlsx"},
		{"PNG named .xlsx", "bild.xlsx", pngFile(), http.StatusBadRequest, "Filen är en PNG-bild"},
		{"encrypted .xlsx", "hemlig.xlsx", encrypted(t), http.StatusBadRequest, "lösenordsskyddad"},
		{"empty", "tom.xlsx", nil, http.StatusBadRequest, "Filen är tom"},
	}
	before := countWrites(t, inst)
	figs := snapshot(t, inst)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "zip bomb" && len(tt.data) > 256<<10 {
				t.Fatalf("the bomb is %d bytes compressed; it must pass the size limit to test the unzip limit", len(tt.data))
			}
			resp := an.upload(tt.file, tt.data, nil)
			body := readBody(t, resp)
			if resp.StatusCode != tt.status || !strings.Contains(errorText(body), tt.msg) {
				t.Errorf("page: %d %q, want %d with %q", resp.StatusCode, errorText(body), tt.status, tt.msg)
			}
			// A body refused by its Content-Length gets the error page, the
			// rest the upload page.
			if tt.name != "far larger than the limit" && !strings.Contains(body, `enctype="multipart/form-data"`) {
				t.Error("the refusal is not shown on the upload page")
			}
			ct, mb := multipartBody(t, "file", tt.file, tt.data, nil)
			resp = an.do(http.MethodPost, "/api/v1/imports", ct, mb, http.Header{"X-CSRF-Token": {an.csrf}})
			var apiErr struct {
				Error struct {
					Status  int    `json:"status"`
					Message string `json:"message"`
				} `json:"error"`
			}
			raw := readBody(t, resp)
			if err := json.Unmarshal([]byte(raw), &apiErr); err != nil || resp.StatusCode != tt.status || !strings.Contains(apiErr.Error.Message, tt.msg) {
				t.Errorf("API: %d %s, want %d with %q", resp.StatusCode, raw, tt.status, tt.msg)
			}
			if got := countWrites(t, inst); got != before {
				t.Fatalf("wrote %+v → %+v", before, got)
			}
		})
	}
	if !equalStrings(figs, snapshot(t, inst)) {
		t.Fatal("figures changed")
	}
}
