package domain

import (
	"strings"
	"testing"
	"time"
)

// A few real SCB codes and names (config/regions.csv).
var regions = NewRegions([]Region{
	{Code: "00", Name: "Riket"},
	{Code: "10", Name: "Blekinge län", CountyCode: "10"},
	{Code: "1060", Name: "Olofström", CountyCode: "10"},
	{Code: "2023", Name: "Malung-Sälen", CountyCode: "20"},
	{Code: "1490", Name: "Borås", CountyCode: "14"},
	{Code: "2282", Name: "Kramfors", CountyCode: "22"},
	{Code: "1440", Name: "Ale", CountyCode: "14"},
	{Code: "0481", Name: "Oxelösund", CountyCode: "04"},
})

func TestKindOf(t *testing.T) {
	tests := map[string]RegionKind{"00": KindCountry, "10": KindCounty, "1060": KindMunicipality, "106": KindUnknown, "10600": KindUnknown, "1o60": KindUnknown, "": KindUnknown}
	for code, want := range tests {
		if got := KindOf(code); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = no match
	}{
		{"1060", "1060"},
		{"1060 Olofström", "1060"},
		{"  olofström ", "1060"},
		{"Olofströms kommun", "1060"},
		{"OLOFSTRÖM KOMMUN", "1060"},
		{"Malung-Sälen", "2023"},
		{"malung - sälen", "2023"},
		{"Malung–Sälen", "2023"},
		{"Borås kommun", "1490"},
		{"Kramfors kommun", "2282"},
		{"Ale", "1440"},
		{"Åle", ""},
		{"Oxelosund", ""},      // Swedish letters matter
		{"1060 Oxelösund", ""}, // code and name disagree
		{"10 Blekinge län", "10"},
		{"Riket", "00"},
		{"00", "00"},
		{"Olofström\u00a0", "1060"},
		{"<script>", ""},
		{"", ""},
		{"9999", ""},
	}
	for _, tt := range tests {
		r, ok := regions.Resolve(tt.in)
		got := ""
		if ok {
			got = r.Code
		}
		if got != tt.want {
			t.Errorf("Resolve(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCatalogueMatchNeverGuesses(t *testing.T) {
	c := NewCatalogue([]Indicator{
		{ID: "population", Name: "Folkmängd", Aliases: []string{"Befolkning"}},
		{ID: "state_jobs", Name: "Statligt anställda"},
	})
	tests := map[string]string{"Folkmängd": "population", " folkmängd ": "population", "BEFOLKNING": "population", "population": "population", "Statligt  anställda": "state_jobs", "Folk": "", "": ""}
	for label, want := range tests {
		ind, ok := c.Match(label)
		if got := map[bool]string{true: ind.ID, false: ""}[ok]; got != want {
			t.Errorf("Match(%q) = %q, want %q", label, got, want)
		}
	}
}

func TestPrecedence(t *testing.T) {
	p := DefaultPrecedence
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	newer := old.Add(time.Hour)
	tests := []struct {
		a, b Source
		want bool
	}{
		{Source{Kind: SourceSCB}, Source{Kind: SourceKolada}, true},
		{Source{Kind: SourceKolada}, Source{Kind: SourceSCB}, false},
		{Source{Kind: SourceUpload}, Source{Kind: SourceBundled}, true},
		{Source{Kind: SourceBundled, FetchedAt: newer}, Source{Kind: SourceUpload, FetchedAt: old}, false},
		{Source{Kind: SourceUpload, FetchedAt: newer}, Source{Kind: SourceUpload, FetchedAt: old}, true},
		{Source{Kind: "other"}, Source{Kind: SourceBundled}, false},
	}
	for _, tt := range tests {
		if got := p.Wins(tt.a, tt.b); got != tt.want {
			t.Errorf("Wins(%v, %v) = %v, want %v", tt.a.Kind, tt.b.Kind, got, tt.want)
		}
	}
	if got := p.Describe(); got != "När flera källor anger samma siffra visas den från SCB före Kolada före Uppladdad fil före Medföljande data." {
		t.Errorf("Describe = %q", got)
	}
}

func TestRoles(t *testing.T) {
	if !RoleAdmin.AtLeast(RoleAnalyst) || RoleAnalyst.AtLeast(RoleAdmin) || !RoleViewer.AtLeast(RoleViewer) || Role("x").AtLeast(RoleViewer) {
		t.Fatal("role order wrong")
	}
}

func TestErrors(t *testing.T) {
	err := Errorf(CodeNotFound, "kommunen finns inte", nil)
	if ErrorCode(err) != CodeNotFound || UserMessage(err, "x") != "kommunen finns inte" {
		t.Fatal("coded error lost its code or message")
	}
	if ErrorCode(errPlain) != CodeInternal || UserMessage(errPlain, "fallback") != "fallback" {
		t.Fatal("an uncoded error must be internal and never leak its text")
	}
}

var errPlain = &plain{}

type plain struct{}

func (*plain) Error() string { return "sql: connection refused at 10.0.0.1" }

func TestCatalogueGenderVariantsAndThemes(t *testing.T) {
	c := NewCatalogue([]Indicator{
		{ID: "population", Name: "Folkmängd", Theme: "befolkning"},
		{ID: "unemployment", Name: "Öppet arbetslösa", Theme: "arbetsmarknad", Genders: []string{"K", "M"}, Aliases: []string{"Arbetslöshet"}},
		{ID: "loose", Name: "Utan tema"},
	}, Theme{ID: "befolkning", Name: "Befolkning"}, Theme{ID: "industri", Name: "Industri"}, Theme{ID: "arbetsmarknad", Name: "Arbetsmarknad"})
	k, ok := c.Get("unemployment:K")
	if !ok || k.Gender != "K" || k.Base != "unemployment" || k.Name != "Öppet arbetslösa, kvinnor" || k.Theme != "arbetsmarknad" || k.Genders != nil {
		t.Errorf("variant K = %+v, %v", k, ok)
	}
	if v, ok := c.Variant("unemployment", "M"); !ok || v.ID != "unemployment:M" {
		t.Errorf("Variant M = %+v, %v", v, ok)
	}
	if v, ok := c.Variant("unemployment", "T"); !ok || v.ID != "unemployment" || v.Gender != "" {
		t.Errorf("Variant T = %+v, %v", v, ok)
	}
	if _, ok := c.Get("population:K"); ok {
		t.Error("population has no split, but population:K was found")
	}
	if len(c.All()) != 3 {
		t.Errorf("All lists %d, splits must not be listed", len(c.All()))
	}
	if ind, ok := c.Match("Arbetslöshet"); !ok || ind.ID != "unemployment" {
		t.Errorf("Match alias = %+v", ind)
	}
	var got []string
	for _, g := range c.Groups() {
		ids := []string{}
		for _, ind := range g.Indicators {
			ids = append(ids, ind.ID)
		}
		got = append(got, g.Theme.Name+":"+strings.Join(ids, ","))
	}
	want := []string{"Befolkning:population", "Arbetsmarknad:unemployment", "Övrigt:loose"}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("groups %v, want %v", got, want)
	}
	if th, ok := c.Theme("industri"); !ok || th.Name != "Industri" {
		t.Errorf("Theme = %+v", th)
	}
}
