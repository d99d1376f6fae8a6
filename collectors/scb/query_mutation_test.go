package scb

import (
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// One request serves every spec of a shape: the time selection is the
// union of their years, "*" or "from(…)" when it runs to the table's
// newest year and every spec is open-ended, the explicit codes otherwise
// (docs/testing.md, mutation testing: several specs must not be planned
// from the first one's years).
func TestTimeUnionOfSpecs(t *testing.T) {
	d := &Dimension{ID: "Tid", Codes: []string{"2020", "2021", "2022", "2023", "2024"}}
	for _, tt := range []struct {
		name  string
		specs []config.SCBTable
		want  string
		n     int
	}{
		{"one spec", []config.SCBTable{{From: 2022}}, "from(2022)", 3},
		{"open ranges, the later first", []config.SCBTable{{From: 2023}, {From: 2022}}, "from(2022)", 3},
		{"open ranges from the first year", []config.SCBTable{{From: 2023}, {From: 2020}}, "*", 5},
		{"a bounded range and an open one", []config.SCBTable{{From: 2021, To: 2022}, {From: 2024}}, "2021,2022,2024", 3},
		{"a bounded range reaching the newest year", []config.SCBTable{{From: 2023}, {From: 2022, To: 2024}}, "2022,2023,2024", 3},
	} {
		s, n, err := timeUnion(d, tt.specs)
		if err != nil || s.VariableCode != "Tid" || strings.Join(s.ValueCodes, ",") != tt.want || n != tt.n {
			t.Errorf("%s: %+v %d %v; want %s, %d", tt.name, s, n, err, tt.want, tt.n)
		}
	}
}

// The time variable is the one the metadata's time role names, "Tid" only
// when there is no role (docs/testing.md, mutation testing).
func TestPlanFindsTheTimeVariableByRole(t *testing.T) {
	meta, err := ParseMetadata([]byte(`{"version":"2.0","class":"dataset","id":["Region","ContentsCode","Ar"],"size":[2,1,3],
	"role":{"time":["Ar"]},
	"dimension":{"Region":{"category":{"index":["0114","1060"]}},"ContentsCode":{"category":{"index":["BE0101N1"]}},
	"Ar":{"category":{"index":["2022","2023","2024"]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	regions := domain.NewRegions([]domain.Region{{Code: "1060", Name: "Olofström", CountyCode: "10"}})
	p, err := buildPlan(meta, config.SCBTable{ID: "TABX", Indicator: "population", From: 2023}, regions)
	if err != nil {
		t.Fatal(err)
	}
	bodies, err := p.queries(DefaultMaxCells)
	want := `{"selection":[{"variableCode":"Region","valueCodes":["1060"]},{"variableCode":"ContentsCode","valueCodes":["BE0101N1"]},{"variableCode":"Ar","valueCodes":["from(2023)"]}]}`
	if err != nil || len(bodies) != 1 || string(bodies[0]) != want {
		t.Errorf("bodies %q, %v; want %s", bodies, err, want)
	}
}

// Resolutions come in the table's variable order, then variables the table
// lacks in name order, each with its values in the order the spec lists
// them, whatever order the Select map gives (docs/testing.md, mutation
// testing).
func TestResolveOrder(t *testing.T) {
	meta := metaTAB638(t)
	spec := config.SCBTable{Select: map[string][]string{
		"Zeta": {"x"}, "ContentsCode": {"BE0101N2", "BE0101N1"}, "Kon": {"2"}, "Beta": {"y"}, "Alder": {"0"},
	}}
	want := "Alder=0 Kon=2 ContentsCode=BE0101N2 ContentsCode=BE0101N1 Beta=y Zeta=x"
	for range 20 { // map order varies from run to run
		var got []string
		for _, r := range Resolve(meta, spec) {
			got = append(got, r.Variable+"="+r.Want)
		}
		if g := strings.Join(got, " "); g != want {
			t.Fatalf("order %s, want %s", g, want)
		}
	}
}

// A cell limit of zero (SCB's /config did not say) takes the default
// (docs/testing.md, mutation testing).
func TestQueriesWithoutALimit(t *testing.T) {
	p, err := buildPlan(metaTAB638(t), populationSpec, regionsFromMeta(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, max := range []int{0, -1} {
		if bodies, err := p.queries(max); err != nil || len(bodies) != 1 {
			t.Errorf("limit %d: %d bodies, %v; want one request under the default limit", max, len(bodies), err)
		}
	}
}

// The nearest values offered for a value the table lacks: labels that
// contain the wanted text or are contained in it come first, the closest
// in length first, then the rest by edit distance (docs/testing.md,
// mutation testing).
func TestNearestOrder(t *testing.T) {
	d := &Dimension{ID: "X", Codes: []string{"901", "902", "903", "904", "905"}, Labels: []string{"zzzz", "abce", "ab", "abcde", "abcf"}}
	want := "904 (abcde)|903 (ab)|902 (abce)|905 (abcf)|901 (zzzz)" // equal distances in table order
	if got := strings.Join(nearest(d, "abcd", 5), "|"); got != want {
		t.Errorf("nearest = %s, want %s", got, want)
	}
}

// distance is the Levenshtein distance in runes, and gives up (a huge
// distance) only past 200 runes (docs/testing.md, mutation testing).
func TestDistance(t *testing.T) {
	long := strings.Repeat("å", 200)
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"staten", "statligt", 4},
		{"åäö", "aao", 3},
		{long, long, 0},
		{long, long[:len(long)-len("å")] + "a", 1},
		{long + "å", "a", 1 << 20},
		{"a", long + "å", 1 << 20},
		{"abc", "", 3},
		// Empty first strings last, and the first mismatch stops the test:
		// a broken outer loop spins on them instead of failing.
		{"", "abc", 3},
		{"", "", 0},
	} {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Fatalf("distance(%.10q…, %.10q…) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	for x, want := range map[int]int{-2: 2, 0: 0, 3: 3} {
		if got := abs(x); got != want {
			t.Errorf("abs(%d) = %d", x, got)
		}
	}
}
