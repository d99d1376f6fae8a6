package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// The URL works offline from the shipped Kolada snapshot: Olofström
// ranked among its seven similar municipalities (G37489) by 2024
// population, with the group's median 12 474 (Vårgårda's figure, the
// middle of the seven).
func TestCompareSimilarGroupOffline(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	resp, body := get(t, inst.URL+"/jamfor?indikator=population&ar=2024&kommun=1060&grupp=liknande")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	rows := regexp.MustCompile(`<td class="num" data-code="(\d{4})"`).FindAllStringSubmatch(body, -1)
	var codes []string
	for _, r := range rows {
		codes = append(codes, r[1])
	}
	if got := strings.Join(codes, ","); got != "1861,1766,1060,1435,1442,1763,1862,2460" {
		t.Errorf("ranking %s", got)
	}
	for _, want := range []string{
		"Liknande kommuner, övergripande, Olofström, 2025, median",
		"12\u00a0474",
		"G37489",
		`<option value="liknande" selected>`,
		"ej i gruppen",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, tc := range []struct {
		url  string
		code int
	}{
		{"/jamfor?indikator=population&grupp=okand", 400},
		{"/jamfor?indikator=population&grupp=lan", 400}, // no municipality chosen
		{"/jamfor?indikator=population&grupp=G1", 404},
		{"/jamfor?indikator=population&kommun=1060&grupp=G92787", 200},
		{"/kommun/1060?grupp=lan", 200},
		{"/kommun/1060?grupp=liknande-arbetsmarknad", 200},
		{"/trend?indikator=population&kommun=1060&grupp=liknande", 200},
	} {
		if resp, body := get(t, inst.URL+tc.url); resp.StatusCode != tc.code {
			t.Errorf("%s: status %d, want %d: %.200s", tc.url, resp.StatusCode, tc.code, body)
		}
	}
	// The trend shows Olofström with its seven and the group's median.
	_, body = get(t, inst.URL+"/trend?indikator=population&kommun=1060&grupp=liknande")
	if n := strings.Count(body, `<th scope="col" class="num"><a href="/kommun/`); n != 8 {
		t.Errorf("trend has %d municipality columns, want 8", n)
	}
	if !strings.Contains(body, `data-ref="median"`) {
		t.Error("trend lacks the group's median")
	}
}

// Jämför's fixes: a measure that does not fit gives the nearest with a
// note; an indicator without figures shows no year 0 and no downloads; an
// index is drawn from 100; one value column; one shared source stated
// once.
func TestCompareFixes(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	// The same on Karta and Trend, and in their downloads.
	for _, u := range []string{"/jamfor?indikator=population&matt=per1000", "/karta?indikator=population&matt=per1000",
		"/karta?indikator=population&matt=per1000&format=csv"} {
		resp, body := get(t, inst.URL+u)
		if resp.StatusCode != 200 || !strings.Contains(body, "Måttet Per 1 000 invånare passar inte Folkmängd; sidan visar Antal i stället.") {
			t.Errorf("%s: status %d, no note", u, resp.StatusCode)
		}
	}
	resp, body := get(t, inst.URL+"/trend?indikator=net_migration&kommun=1060&matt=index")
	if resp.StatusCode != 200 || !strings.Contains(body, "Måttet Index (bas = 100) passar inte Flyttnetto; sidan visar Antal i stället.") {
		t.Errorf("index of net migration on /trend: status %d", resp.StatusCode)
	}
	_, body = get(t, inst.URL+"/jamfor?indikator=industrial_jobs")
	for _, bad := range []string{"Industrisysselsatta (SNI B+C) 0", `name="ar"`, "Ladda ned Excel"} {
		if strings.Contains(body, bad) {
			t.Errorf("indicator without figures shows %q", bad)
		}
	}
	_, body = get(t, inst.URL+"/jamfor?indikator=population&ar=2024")
	if strings.Count(body, `<th scope="col">Källa</th>`) != 0 || strings.Count(body, "<th scope=\"col\" class=\"num\">Folkmängd (personer)</th>") != 0 {
		t.Error("absolute view repeats the value or names one shared source per row")
	}
	_, body = get(t, inst.URL+"/jamfor?indikator=population&ar=2024&matt=index&bas=2015")
	if !strings.Contains(body, `\"offset\":100`) && !strings.Contains(body, `"offset":100`) {
		t.Error("index chart is not drawn from 100")
	}
}
