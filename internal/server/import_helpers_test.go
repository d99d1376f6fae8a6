package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// testPassword is long enough for HashPassword's rule.
const testPassword = "korrekt-hast-batteri-häftklammer"

// figure is one real figure of the bundled data (internal/bundled).
type figure struct {
	Code   string
	Year   int
	Value  float64
	Source string
}

// figures reads the real population figures, keyed by code and year.
func figures(t testing.TB) map[string]map[int]figure {
	t.Helper()
	obs, err := bundled.Observations(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[int]figure{}
	for _, o := range obs {
		if o.Indicator != "population" {
			t.Fatalf("bundled figures: unexpected indicator %q", o.Indicator)
		}
		if out[o.Municipality] == nil {
			out[o.Municipality] = map[int]figure{}
		}
		out[o.Municipality][o.Year] = figure{Code: o.Municipality, Year: o.Year, Value: o.Value, Source: o.Source.Ref}
	}
	return out
}

// fig returns one real figure or fails.
func fig(t testing.TB, code string, year int) float64 {
	t.Helper()
	f, ok := figures(t)[code][year]
	if !ok {
		t.Fatalf("no figure for %s %d in the bundled data", code, year)
	}
	return f.Value
}

// sheet is one worksheet of a generated workbook.
type sheet struct {
	name string
	rows [][]any
}

// workbook writes an .xlsx with excelize, as Excel users would send it.
func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			vals := append([]any(nil), row...)
			if err := f.SetSheetRow(s.name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// longSheet is the template's layout: kommun, år, indikator, värde.
func longSheet(rows ...[]any) sheet {
	return sheet{"Data", append([][]any{{"kommun", "år", "indikator", "värde"}}, rows...)}
}

// client is a browser-like HTTP client with a cookie jar and the
// session's CSRF token. It does not follow redirects, so tests see them.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
	csrf string
	name string
}

func anonymous(t testing.TB, inst *servertest.Instance) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: inst.URL, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// addUser creates a user directly in the store.
func addUser(t testing.TB, inst *servertest.Instance, name string, role domain.Role) {
	t.Helper()
	hash, err := domain.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Store.CreateUser(context.Background(), domain.User{Name: name, Role: role, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
}

// login creates a user with the role and logs in through the login form.
func login(t testing.TB, inst *servertest.Instance, name string, role domain.Role) *client {
	t.Helper()
	addUser(t, inst, name, role)
	c := anonymous(t, inst)
	c.name = name
	st, body := c.get("/logga-in")
	m := csrfField.FindStringSubmatch(body)
	if st != http.StatusOK || m == nil {
		t.Fatalf("login page: %d, no csrf", st)
	}
	resp := c.do(http.MethodPost, "/logga-in", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"namn": {name}, "losenord": {testPassword}, "csrf": {m[1]}, "next": {"/"}}.Encode()), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", name, resp.StatusCode)
	}
	// The layout's logout form carries the session's token.
	_, body = c.get("/om-data")
	m = csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no session csrf token for %s", name)
	}
	c.csrf = html.UnescapeString(m[1])
	return c
}

func (c *client) do(method, path, ctype string, body io.Reader, header http.Header) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp := c.do(http.MethodGet, path, "", nil, nil)
	return resp.StatusCode, readBody(c.t, resp)
}

// post sends a form with the session's CSRF token unless vals has one.
func (c *client) post(path string, vals url.Values) *http.Response {
	c.t.Helper()
	if vals == nil {
		vals = url.Values{}
	}
	if _, ok := vals["csrf"]; !ok && c.csrf != "" {
		vals.Set("csrf", c.csrf)
	}
	return c.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(vals.Encode()), nil)
}

// multipartBody builds a form with the file field and other fields.
func multipartBody(t testing.TB, field, fileName string, data []byte, fields map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile(field, fileName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

// upload posts a file to /import with the CSRF token (unless fields set
// one) and returns the response.
func (c *client) upload(fileName string, data []byte, fields map[string]string) *http.Response {
	c.t.Helper()
	f := map[string]string{}
	for k, v := range fields {
		f[k] = v
	}
	if _, ok := f["csrf"]; !ok && c.csrf != "" {
		f["csrf"] = c.csrf
	}
	ctype, body := multipartBody(c.t, "fil", fileName, data, f)
	return c.do(http.MethodPost, "/import", ctype, body, nil)
}

// previewOf uploads and follows the redirect to the preview page,
// returning its path and HTML.
func (c *client) previewOf(fileName string, data []byte, fields map[string]string) (string, string) {
	c.t.Helper()
	resp := c.upload(fileName, data, fields)
	body := readBody(c.t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("upload %s: status %d: %s", fileName, resp.StatusCode, errorText(body))
	}
	loc := resp.Header.Get("Location")
	st, page := c.get(loc)
	if st != http.StatusOK {
		c.t.Fatalf("preview %s: status %d: %s", loc, st, errorText(page))
	}
	return loc, page
}

// confirm posts the preview's confirm form (with the hash it shows) and
// returns the new batch id.
func (c *client) confirm(previewPath, page string) int64 {
	c.t.Helper()
	resp := c.post(previewPath+"/bekrafta", url.Values{"hash": {hiddenHash(c.t, page)}})
	body := readBody(c.t, resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/import?klar=") {
		c.t.Fatalf("confirm %s: status %d, location %q: %s", previewPath, resp.StatusCode, loc, errorText(body))
	}
	u, err := url.Parse(loc)
	if err != nil {
		c.t.Fatal(err)
	}
	id, err := strconv.ParseInt(u.Query().Get("klar"), 10, 64)
	if err != nil {
		c.t.Fatal(err)
	}
	return id
}

var hashField = regexp.MustCompile(`name="hash" value="([0-9a-f]+)"`)

func hiddenHash(t testing.TB, page string) string {
	t.Helper()
	m := hashField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("preview has no confirm form")
	}
	return m[1]
}

var countField = regexp.MustCompile(`data-count="([a-z]+)">(\d+)<`)

// counts reads the preview's summary (figures, new, changed, unchanged,
// shadowed, rejects).
func counts(t testing.TB, page string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range countField.FindAllStringSubmatch(page, -1) {
		n, _ := strconv.Atoi(m[2])
		out[m[1]] = n
	}
	if len(out) != 6 {
		t.Fatalf("preview summary incomplete: %v", out)
	}
	return out
}

var (
	rowRe  = regexp.MustCompile(`(?s)<tr class="(reject|change [a-z]+|shadowed)"[^>]*>(.*?)</tr>`)
	cellRe = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
)

// tableRows returns the cells (HTML-unescaped text) of the preview's rows
// of a class: "reject" or "change".
func tableRows(page, class string) [][]string {
	var out [][]string
	for _, m := range rowRe.FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], class) {
			continue
		}
		var cells []string
		for _, c := range cellRe.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, html.UnescapeString(c[1]))
		}
		out = append(out, cells)
	}
	return out
}

var errorRe = regexp.MustCompile(`(?s)<p class="error" role="alert">(.*?)</p>`)

// errorText is the page's Swedish error message, or the body's start.
func errorText(body string) string {
	if m := errorRe.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	if len(body) > 300 {
		return body[:300]
	}
	return body
}

// apiFigure is one figure of /api/v1/observations.
type apiFigure struct {
	Municipality string  `json:"municipality"`
	Year         int     `json:"year"`
	Value        float64 `json:"value"`
	SourceKind   string  `json:"source_kind"`
	SourceRef    string  `json:"source_ref"`
	BatchID      int64   `json:"batch_id"`
}

// observations asks the JSON API for population figures, keyed code/year.
func observations(t testing.TB, inst *servertest.Instance, codes []string, from, to int) map[string]apiFigure {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/observations?indicator=population&municipality=%s&from=%d&to=%d", inst.URL, strings.Join(codes, ","), from, to))
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("observations: %d %s", resp.StatusCode, body)
	}
	var out struct {
		Data []apiFigure `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]apiFigure{}
	for _, f := range out.Data {
		m[fmt.Sprintf("%s/%d", f.Municipality, f.Year)] = f
	}
	return m
}

// snapshot is every stored figure of every source, for "nothing changed"
// and "rolled back exactly" checks.
func snapshot(t testing.TB, inst *servertest.Instance) []string {
	t.Helper()
	all, err := inst.Store.AllSources(context.Background(), domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(all))
	for i, o := range all {
		out[i] = fmt.Sprintf("%s %s %s %v %s %d %d", o.Key(), o.Source.Kind, o.Source.Ref, o.Value, o.Source.FetchedAt.UTC().Format("2006-01-02T15:04:05.000000"), o.Source.BatchID, o.Year)
	}
	sort.Strings(out)
	return out
}

// writes counts batches and pending previews: what an upload may create.
type writes struct{ batches, pending int }

func countWrites(t testing.TB, inst *servertest.Instance) writes {
	t.Helper()
	var w writes
	db := inst.Store.DB()
	if err := db.QueryRow(`SELECT COUNT(*) FROM batches`).Scan(&w.batches); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM pending_imports`).Scan(&w.pending); err != nil {
		t.Fatal(err)
	}
	return w
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
