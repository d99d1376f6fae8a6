package server_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

var (
	optgroupRe = regexp.MustCompile(`(?s)<optgroup label="([^"]*)">(.*?)</optgroup>`)
	optionRe   = regexp.MustCompile(`<option value="(\d{4})"[^>]*>([^<]*)</option>`)
)

// pickerGroups reads the municipality picker of a page: each optgroup's
// label and its options' names, in order.
func pickerGroups(t *testing.T, body, selectName string) (labels []string, names map[string][]string) {
	t.Helper()
	start := strings.Index(body, `<select name="`+selectName+`"`)
	if start < 0 {
		t.Fatalf("no %s picker", selectName)
	}
	sel := body[start : start+strings.Index(body[start:], "</select>")]
	names = map[string][]string{}
	for _, g := range optgroupRe.FindAllStringSubmatch(sel, -1) {
		labels = append(labels, g[1])
		for _, o := range optionRe.FindAllStringSubmatch(g[2], -1) {
			names[g[1]] = append(names[g[1]], o[2])
		}
	}
	return labels, names
}

// TestMunicipalityPickerOrder: the picker on /jamfor lists the members
// first, then one group per county, each in Swedish alphabetical order
// (Å, Ä, Ö after Z), with every municipality exactly once.
func TestMunicipalityPickerOrder(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	_, body := get(t, inst.URL+"/jamfor?indikator=population&ar=2024")
	labels, names := pickerGroups(t, body, "kommun")
	if len(labels) != 22 || labels[0] != "Medlemmar" {
		t.Fatalf("groups %q: want Medlemmar and the 21 counties", labels)
	}
	counties := labels[1:]
	if counties[0] != "Blekinge län" || counties[len(counties)-1] != "Östergötlands län" {
		t.Errorf("counties from %q to %q; want Blekinge first and Östergötland last", counties[0], counties[len(counties)-1])
	}
	members := names["Medlemmar"]
	if len(members) != len(inst.Config.Network.Members) {
		t.Errorf("%d members in the picker, want %d", len(members), len(inst.Config.Network.Members))
	}
	// Hand-sorted: the shipped members in Swedish order.
	if i, j := slices.Index(members, "Oxelösund"), slices.Index(members, "Örnsköldsvik"); i < 0 || j < 0 || i > j || members[len(members)-1] != "Östhammar" {
		t.Errorf("members not in Swedish order: %q", members)
	}
	// Skåne's municipalities end with Åstorp, Ängelholm, Örkelljunga,
	// Östra Göinge in that order (SCB's list has them by code).
	skane := names["Skåne län"]
	if n := len(skane); n < 4 || !slices.Equal(skane[n-4:], []string{"Åstorp", "Ängelholm", "Örkelljunga", "Östra Göinge"}) {
		t.Errorf("Skåne ends %q", skane[max(0, len(skane)-4):])
	}
	seen := map[string]bool{}
	total := 0
	for _, l := range labels {
		for _, n := range names[l] {
			if seen[n] {
				t.Errorf("%s listed twice", n)
			}
			seen[n] = true
			total++
		}
	}
	if total != 290 {
		t.Errorf("%d municipalities in the picker, want 290", total)
	}
	if !strings.Contains(body, `<select name="kommun" data-search>`) {
		t.Error("the picker is not marked for the search box")
	}
}

// TestMunicipalitiesPageByCounty: /kommuner has the members, then a
// section per county in Swedish order, and the search box's markup.
func TestMunicipalitiesPageByCounty(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	_, body := get(t, inst.URL+"/kommuner")
	heads := regexp.MustCompile(`<h3 id="lan-(\d{2})">([^<]+)</h3>`).FindAllStringSubmatch(body, -1)
	if len(heads) != 21 {
		t.Fatalf("%d county sections, want 21", len(heads))
	}
	if heads[0][2] != "Blekinge län" || heads[20][2] != "Östergötlands län" {
		t.Errorf("counties from %q to %q", heads[0][2], heads[20][2])
	}
	if n := strings.Count(body, `<li data-filter-text=`); n != 290+len(inst.Config.Network.Members) {
		t.Errorf("%d list items, want all 290 and the members again at the top", n)
	}
	if !strings.Contains(body, `data-filter-for="kommunlista"`) {
		t.Error("no search box")
	}
	blekinge := body[strings.Index(body, `id="lan-10"`):]
	blekinge = blekinge[:strings.Index(blekinge, "</section>")]
	if !strings.Contains(blekinge, `Olofström</a> (1060) <span class="badge member">medlem</span>`) {
		t.Error("Olofström is not marked as a member under Blekinge län")
	}
}

// TestTrendCheckboxes: the trend's municipalities are checkboxes (one
// kommun= per box); the chosen ones are checked, their groups open, and
// markera picks the emphasised line, which the permalink keeps.
func TestTrendCheckboxes(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	_, body := get(t, inst.URL+"/trend?indikator=population&kommun=1060&kommun=0481,0562&markera=0481")
	for _, code := range []string{"1060", "0481", "0562"} {
		if !strings.Contains(body, `<input type="checkbox" name="kommun" value="`+code+`" checked>`) {
			t.Errorf("%s is not checked", code)
		}
	}
	if n := strings.Count(body, `type="checkbox" name="kommun"`); n != 290 {
		t.Errorf("%d checkboxes, want 290", n)
	}
	if strings.Contains(body, "<select name=\"kommun\"") {
		t.Error("the multi-select is still there")
	}
	if !strings.Contains(body, `<summary>Medlemmar (3 valda)</summary>`) {
		t.Error("the members' group does not count the chosen")
	}
	if !strings.Contains(body, `<option value="0481" selected>Oxelösund</option>`) {
		t.Error("Framhäv does not show Oxelösund")
	}
	if !strings.Contains(body, `kommun=1060%2C0481%2C0562`) && !strings.Contains(body, `kommun=1060,0481,0562`) {
		t.Error("the permalink does not list the three municipalities")
	}
	if !strings.Contains(body, "markera=0481") {
		t.Error("the permalink does not keep the emphasised municipality")
	}
	// The emphasised line is Oxelösund's: thickest, on top.
	opt := body[strings.Index(body, `id="trend-opt">`)+len(`id="trend-opt">`):]
	opt = opt[:strings.Index(opt, "</script>")]
	var option struct {
		Series []struct {
			Name      string         `json:"name"`
			Z         int            `json:"z"`
			LineStyle map[string]any `json:"lineStyle"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(opt), &option); err != nil {
		t.Fatal(err)
	}
	var emphasised []string
	for _, s := range option.Series {
		if s.Z == 4 && s.LineStyle["width"] == float64(4) {
			emphasised = append(emphasised, s.Name)
		}
	}
	if !slices.Equal(emphasised, []string{"Oxelösund"}) {
		t.Errorf("emphasised lines %q, want Oxelösund's", emphasised)
	}
	// The first is emphasised by default; the permalink then has no markera.
	_, body = get(t, inst.URL+"/trend?indikator=population&kommun=1060,0481")
	if strings.Contains(body, "markera=") {
		t.Error("the default emphasis put markera in the permalink")
	}
}

// County and riket totals would flatten the municipalities' lines of a
// count: in antal they are in the table only (as on Jämför), with a note;
// in index they are drawn too.
func TestTrendChartLeavesOutTotalsOfCounts(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	for _, tt := range []struct {
		query     string
		wantRiket bool
	}{
		{"indikator=population&kommun=1060&matt=absolut", false},
		{"indikator=population&kommun=1060&matt=index&bas=2020", true},
	} {
		_, body := get(t, inst.URL+"/trend?"+tt.query)
		opt := body[strings.Index(body, `id="trend-opt">`)+len(`id="trend-opt">`):]
		opt = opt[:strings.Index(opt, "</script>")]
		var option struct {
			Series []struct {
				Name string `json:"name"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(opt), &option); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range option.Series {
			names = append(names, s.Name)
		}
		drawn := slices.Contains(names, "Riket")
		if drawn != tt.wantRiket || !slices.Contains(names, "Olofström") || !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, "median") }) {
			t.Errorf("%s: chart lines %q, Riket drawn %v, want %v (and Olofström and the median always)", tt.query, names, drawn, tt.wantRiket)
		}
		if !strings.Contains(body, `<th scope="col" class="num ref">Riket</th>`) {
			t.Errorf("%s: the table lacks Riket", tt.query)
		}
		if note := strings.Contains(body, "visas län och riket bara i tabellen"); note == tt.wantRiket {
			t.Errorf("%s: note shown %v", tt.query, note)
		}
	}
}
