package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

func get(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// SCB's published population of Olofström, 31 December (the bundled data,
// checked against SCB as internal/bundled/SOURCES.md says).
var olofstrom = map[int]float64{2015: 13170, 2016: 13417, 2017: 13482, 2018: 13516, 2019: 13426, 2020: 13311, 2021: 13263, 2022: 13159, 2023: 13061, 2024: 13000}

func TestAPIObservationsOlofstrom(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	resp, body := get(t, inst.URL+"/api/v1/observations?indicator=population&municipality=1060&from=2015&to=2024")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var out struct {
		Data []struct {
			Municipality, Indicator, Source, SourceKind string
			Year                                        int
			Value                                       float64
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Data) != len(olofstrom) {
		t.Fatalf("%d figures, want %d", len(out.Data), len(olofstrom))
	}
	for _, d := range out.Data {
		if d.Municipality != "1060" || d.Indicator != "population" || olofstrom[d.Year] != d.Value || d.Source == "" {
			t.Errorf("figure %+v, want %v", d, olofstrom[d.Year])
		}
	}
}

func TestAPIBadParametersNameTheParameter(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	tests := []struct {
		query, param string
	}{
		{"", "indicator"},
		{"indicator=nope", "indicator"},
		{"indicator=population&municipality=9999", "municipality"},
		{"indicator=population&from=abc", "from"},
		{"indicator=population&to=3000", "to"},
		{"indicator=population&from=2024&to=2015", "from"},
	}
	for _, tt := range tests {
		resp, body := get(t, inst.URL+"/api/v1/observations?"+tt.query)
		var e struct {
			Error struct {
				Status    int
				Message   string
				Parameter string
			}
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatalf("%s: not JSON: %s", tt.query, body)
		}
		if resp.StatusCode != 400 || e.Error.Parameter != tt.param || e.Error.Message == "" {
			t.Errorf("%q: status %d, error %+v; want 400 naming %q", tt.query, resp.StatusCode, e.Error, tt.param)
		}
	}
	resp, body := get(t, inst.URL+"/api/v1/municipalities")
	var regions struct{ Data []map[string]any }
	_ = json.Unmarshal([]byte(body), &regions)
	if resp.StatusCode != 200 || len(regions.Data) != 312 {
		t.Errorf("municipalities: %d, %d regions; want 312 (riket, 21 län, 290 kommuner)", resp.StatusCode, len(regions.Data))
	}
}

var externalRef = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`)

func TestPagesServeMembersWithoutExternalAssets(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	pages := []string{"/", "/jamfor", "/jamfor?indikator=population&ar=2024&kommun=1060&matt=absolut", "/kommun/1060", "/trend", "/karta", "/kommuner", "/om-data",
		"/jamfor?indikator=employed_day", "/kommun/0481"}
	for _, p := range pages {
		resp, body := get(t, inst.URL+p)
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", p, resp.StatusCode)
			continue
		}
		if m := externalRef.FindString(body); m != "" {
			t.Errorf("%s loads from outside the server: %s", p, m)
		}
		for _, name := range []string{"Olofström", "Oxelösund", "Finspång", "Oskarshamn"} {
			if p != "/kommun/1060" && p != "/kommun/0481" && !strings.Contains(body, name) {
				t.Errorf("%s does not name member %s", p, name)
			}
		}
		if !strings.Contains(body, `lang="sv"`) {
			t.Errorf("%s is not marked Swedish", p)
		}
	}
}

func TestUnknownThingsGetASwedish404(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	for _, p := range []string{"/kommun/9999", "/kommun/<script>", "/jamfor?indikator=nope", "/trend?indikator=population&kommun=1060,9999", "/finns-inte", "/karta?indikator=x"} {
		resp, body := get(t, inst.URL+p)
		if resp.StatusCode != 404 || !strings.Contains(body, "Finns inte") {
			t.Errorf("%s: status %d, want a Swedish 404 page", p, resp.StatusCode)
		}
		if strings.Contains(body, "<script>") {
			t.Errorf("%s: echoed unescaped input", p)
		}
	}
	for _, p := range []string{"/jamfor?ar=abc", "/jamfor?matt=kvadrat", "/jamfor?period=0", "/jamfor?format=pdf"} {
		if resp, _ := get(t, inst.URL+p); resp.StatusCode != 400 {
			t.Errorf("%s: status %d, want 400", p, resp.StatusCode)
		}
	}
}

func TestMissingIsShownAsMissingNeverZero(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	// No job figures are bundled: the page must say so, not draw zeros.
	_, body := get(t, inst.URL+"/jamfor?indikator=industrial_jobs&ar=2024")
	if !strings.Contains(body, "–") {
		t.Error("missing figures are not shown as –")
	}
	if regexp.MustCompile(`data-value="0"`).MatchString(body) {
		t.Error("a missing figure was written as 0")
	}
	if strings.Contains(body, `id="ranking-opt"`) || !strings.Contains(body, "Det finns inga siffror") {
		t.Error("with no figure at all the page must say so instead of drawing an empty chart")
	}
	// Every page of one indicator says the same, and offers no download of
	// a table that holds only dashes.
	for _, p := range []string{"/jamfor?indikator=industrial_jobs&ar=2024", "/trend?indikator=industrial_jobs&kommun=1060", "/karta?indikator=industrial_jobs"} {
		_, body := get(t, inst.URL+p)
		if !strings.Contains(body, "Det finns inga siffror") || strings.Contains(body, "Ladda ned") || strings.Contains(body, "Permalänk") {
			t.Errorf("%s: with no figure the page must say so and offer no permalink or download", p)
		}
	}
	// Nor does it show a year it does not have (as 0) or a table without rows.
	_, body = get(t, inst.URL+"/karta?indikator=industrial_jobs")
	if h1 := regexp.MustCompile(`<h1>(.*?)</h1>`).FindStringSubmatch(body); h1 == nil || strings.HasSuffix(h1[1], " 0") || strings.Contains(body, `name="ar"`) {
		t.Errorf("/karta without figures: heading %q, a year picker %v", h1, strings.Contains(body, `name="ar"`))
	}
	_, body = get(t, inst.URL+"/trend?indikator=industrial_jobs&kommun=1060")
	if strings.Contains(body, `aria-label="Trend, tabell"`) || strings.Contains(body, "tabellen nedan") {
		t.Error("/trend without figures: an empty table, or a notice pointing at one")
	}
	// With some figures missing, the chart draws gaps, not zeros: index
	// to 2015, which only four members have.
	_, body = get(t, inst.URL+"/jamfor?indikator=population&ar=2023&matt=index&bas=2015")
	opt := regexp.MustCompile(`(?s)<script type="application/json" id="ranking-opt">(.*?)</script>`).FindStringSubmatch(body)
	if opt == nil {
		t.Fatal("no chart option")
	}
	if strings.Contains(opt[1], `"value":0`) || !strings.Contains(opt[1], `"value":"-"`) {
		t.Error("chart must draw missing figures as gaps, not 0")
	}
}

func TestCacheKeysOnQueryAndRevalidates(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	r1, b1 := get(t, inst.URL+"/jamfor?indikator=population&ar=2024")
	_, b2 := get(t, inst.URL+"/jamfor?indikator=population&ar=2023")
	if b1 == b2 {
		t.Fatal("two years served the same page: the cache ignores the query")
	}
	etag := r1.Header.Get("ETag")
	if etag == "" || !strings.Contains(r1.Header.Get("Cache-Control"), "must-revalidate") {
		t.Fatalf("ETag %q, Cache-Control %q", etag, r1.Header.Get("Cache-Control"))
	}
	if r, _ := get(t, inst.URL+"/jamfor?indikator=population&ar=2024", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: status %d, want 304", r.StatusCode)
	}
	// New figures make a new page (and a new ETag).
	if _, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: "t", Actor: "t",
		Observations: []domain.Observation{{Municipality: "0481", Indicator: "population", Year: 2024, Value: 12032,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "rättelse.xlsx", FetchedAt: time.Now()}}}}); err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
	r3, b3 := get(t, inst.URL+"/jamfor?indikator=population&ar=2024", "If-None-Match", etag)
	if r3.StatusCode != 200 || r3.Header.Get("ETag") == etag || !strings.Contains(b3, "12\u00a0032") {
		t.Fatalf("after new figures: status %d, same ETag %v", r3.StatusCode, r3.Header.Get("ETag") == etag)
	}
}

func TestHostileSourceTextIsEscapedEverywhere(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	hostile := `</script><script>alert(1)</script>.xlsx`
	if _, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: hostile, Actor: "t",
		Observations: []domain.Observation{{Municipality: "1060", Indicator: "state_offices", Year: 2024, Value: 1,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: hostile, FetchedAt: time.Now()}}}}); err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
	for _, p := range []string{"/jamfor?indikator=state_offices&ar=2024", "/kommun/1060", "/trend?indikator=state_offices", "/karta?indikator=state_offices", "/"} {
		_, body := get(t, inst.URL+p)
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s: hostile text reached the page unescaped", p)
		}
		for _, m := range regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`).FindAllStringSubmatch(body, -1) {
			if strings.Contains(strings.ToLower(m[1]), "<") {
				t.Errorf("%s: a chart option contains a raw <", p)
			}
		}
	}
}

func TestExportsHoldWhatThePageShows(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	resp, body := get(t, inst.URL+"/jamfor?indikator=population&ar=2024&kommun=1060&format=xlsx")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Jämförelse")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, r := range rows {
		if len(r) > 4 && r[1] == "1060" {
			found = true
			// One value column: the absolute figure is not repeated.
			v, _ := f.GetCellValue("Jämförelse", "D"+strconv.Itoa(i+1), excelize.Options{RawCellValue: true})
			if v != "13000" {
				t.Errorf("Olofström 2024 in xlsx = %q, want 13000 (a number)", v)
			}
		}
	}
	if !found {
		t.Fatal("Olofström is not in the export")
	}
	if src, _ := f.GetRows("Källor"); len(src) < 2 {
		t.Error("the export has no sources sheet")
	}
	resp, csv := get(t, inst.URL+"/jamfor?indikator=population&ar=2024&kommun=1060&format=csv")
	if resp.StatusCode != 200 || !strings.Contains(csv, "1060;Olofström;13000;ja") || !strings.Contains(csv, "Källa:") {
		t.Fatalf("csv: %d\n%s", resp.StatusCode, csv)
	}
}
