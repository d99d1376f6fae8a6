package report

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// The bundled real population figures give the network exactly the
// situation that once made the median "grow" by 41,5 %: in 2024 all 12
// members have a figure, in 2023 and 2019 only four (Oxelösund 0481,
// Finspång 0562, Oskarshamn 0882, Olofström 1060):
//
//	        2019    2023    2024
//	0481   11 983  12 106  12 031
//	0562   21 912  21 694  21 623
//	0882   27 102  26 918  26 923
//	1060   13 426  13 061  13 000
//
// Own 1-year changes 2023→2024, sorted: 0481 −0,6195 %, 1060 −0,4670 %,
// 0562 −0,3273 %, 0882 +0,0186 %; median = mean of the middle two.
// Own 5-year changes 2019→2024, sorted: 1060 −3,1730 %, 0562 −1,3189 %,
// 0882 −0,6605 %, 0481 +0,4006 %; median = mean of the middle two.
var (
	change1Median = ((13000.0/13061-1)*100 + (21623.0/21694-1)*100) / 2
	change5Median = ((21623.0/21912-1)*100 + (26923.0/27102-1)*100) / 2
	// The old, wrong figure: the 2024 median of 12 against the 2023
	// median of 4, (25 753 / ((13 061 + 21 694) / 2) − 1) × 100.
	changeOfMedians = (25753/((13061.0+21694)/2) - 1) * 100
)

func TestOverviewMedianIsMedianOfOwnChanges(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Overview(context.Background(), env, d, "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	med := v.Refs[0]
	if med.Kind != "median" {
		t.Fatalf("first reference is %q", med.Kind)
	}
	c := med.Cells[0] // population
	tests := []struct {
		name    string
		got     *float64
		want    float64
		n       int
		gotN    int
		partial bool
		gotP    bool
	}{
		{"level 2024", c.Latest, 25753, 12, c.N, false, c.Partial()},
		{"change 1 year", c.Change1, change1Median, 4, c.Change1N, true, c.Change1Partial()},
		{"change 5 years", c.Change5, change5Median, 4, c.Change5N, true, c.Change5Partial()},
	}
	for _, tt := range tests {
		if tt.got == nil || !near(*tt.got, tt.want) {
			t.Errorf("%s = %v, want %.10g", tt.name, tt.got, tt.want)
		}
		if tt.gotN != tt.n || c.Of != 12 || tt.gotP != tt.partial {
			t.Errorf("%s counted %d of %d (partial %v), want %d of 12 (partial %v)", tt.name, tt.gotN, c.Of, tt.gotP, tt.n, tt.partial)
		}
	}
	if c.Change1 != nil && near(*c.Change1, changeOfMedians) {
		t.Errorf("1-year change is the change of the medians (%.1f %%)", changeOfMedians)
	}
	// Spark: 2015–2023 count four members (hollow), 2024 all twelve.
	partial := c.SparkPartial()
	if len(partial) != SparkYears || !partial[0] || partial[len(partial)-1] {
		t.Errorf("spark partial flags = %v", partial)
	}
	// A member's own cell carries no counts.
	if mc := v.Rows[0].Cells[0]; mc.Of != 0 || mc.Partial() || mc.SparkPartial() != nil {
		t.Errorf("member cell has counts: %+v", mc)
	}
}

func TestCompareChangeMedianCountsMembersWithBothYears(t *testing.T) {
	env, d, _ := setup(t)
	tests := []struct {
		name    string
		p       CompareParams
		median  float64
		note    string
		partial bool
	}{
		{"1 year", CompareParams{Indicator: "population", Year: 2024, Measure: derive.MeasureChange, Period: 1}, change1Median, "4 av 12 medlemmar", true},
		{"5 years", CompareParams{Indicator: "population", Year: 2024, Measure: derive.MeasureChange, Period: 5}, change5Median, "4 av 12 medlemmar", true},
		// Index 2019 = 100 in 2024: the own indexes are 100 + the own
		// 5-year changes, so the median is 100 + the median change.
		{"index", CompareParams{Indicator: "population", Year: 2024, Measure: derive.MeasureIndex, Base: 2019}, 100 + change5Median, "4 av 12 medlemmar", true},
		// 2023 levels: four members, median (13 061 + 21 694) / 2.
		{"level 2023", CompareParams{Indicator: "population", Year: 2023}, (13061 + 21694) / 2.0, "4 av 12 medlemmar", true},
		{"level 2024", CompareParams{Indicator: "population", Year: 2024}, 25753, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Compare(context.Background(), env, d, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			m := v.Refs[0]
			if m.Kind != "median" || m.Value == nil || !near(*m.Value, tt.median) {
				t.Errorf("median = %v, want %.10g", m.Value, tt.median)
			}
			if m.Note != tt.note || m.Partial != tt.partial || v.Refs[1].Note != tt.note {
				t.Errorf("median note %q partial %v, mean note %q; want %q %v", m.Note, m.Partial, v.Refs[1].Note, tt.note, tt.partial)
			}
		})
	}
}

func TestProfileMedianCounts(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Profile(context.Background(), env, d, "1060", Group{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Group.IsNetwork() || len(v.Group.Codes) != 12 {
		t.Fatalf("default group = %+v", v.Group)
	}
	pop := v.Indicators[0]
	at := func(y int) int { return sort.SearchInts(pop.Years, y) }
	tests := []struct {
		year   int
		median float64
		n      int
		chartN int // members behind the median of own indexes, 2024 = 100
	}{
		// 2023: four members, and their own indexes to 2024 (the chart's
		// base, see chartBase) count the same four; 2024 all twelve.
		{2023, (13061 + 21694) / 2.0, 4, 4},
		{2024, 25753, 12, 12},
	}
	for _, tt := range tests {
		i := at(tt.year)
		if pop.Median[i] == nil || !near(*pop.Median[i], tt.median) || pop.MedianN[i] != tt.n {
			t.Errorf("%d: median %v of %d, want %v of %d", tt.year, pop.Median[i], pop.MedianN[i], tt.median, tt.n)
		}
		// Before 2024 only four members have an index: the median counts
		// them alone (hollow), never a mix.
		if pop.ChartMedianN[i] != tt.chartN {
			t.Errorf("%d: chart median counted %d, want %d", tt.year, pop.ChartMedianN[i], tt.chartN)
		}
	}
}

// TestRegionSeriesOwnOrSum: a county takes SCB's own row where it has one
// and the sum of its municipalities where all have a figure, year by year.
// Blekinge (10) has five municipalities. The 2024 municipality figures are
// real (bundled); the 2022 county row and the 2023 figures are
// CONSTRUCTED to exercise the rule.
func TestRegionSeriesOwnOrSum(t *testing.T) {
	env, _, _ := setup(t)
	ind := domain.Indicator{ID: "population"}
	real2024 := map[string]float64{"1060": 13000, "1080": 66301, "1081": 28741, "1082": 31751, "1083": 17430}
	var obs []domain.Observation
	add := func(code string, year int, v float64) {
		obs = append(obs, domain.Observation{Municipality: code, Indicator: "population", Year: year, Value: v,
			Source: domain.Source{Kind: domain.SourceBundled, Ref: "test"}})
	}
	for c, v := range real2024 {
		add(c, 2024, v)
	}
	add("10", 2022, 150000)  // constructed: SCB's own county row, 2022 only
	add("1060", 2023, 13061) // constructed: only two of five have 2023
	add("1080", 2023, 66420)
	tests := []struct {
		name   string
		extra  func()
		want   derive.Series
		summed map[int]bool
	}{
		// 2022 own row; 2023 incomplete: missing, not a smaller sum; 2024
		// the sum 157 223.
		{"own and sum", func() {}, derive.Series{2022: 150000, 2024: 157223}, map[int]bool{2024: true}},
		// With an own row for 2024 too (constructed 157 224) the own row wins.
		{"own wins", func() { add("10", 2024, 157224) }, derive.Series{2022: 150000, 2024: 157224}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.extra()
			tab := newTable(ind, obs)
			got, summed := env.regionSeries(tab, "10")
			if len(got) != len(tt.want) {
				t.Fatalf("series = %v, want %v", got, tt.want)
			}
			for y, w := range tt.want {
				if got[y] != w || summed[y] != tt.summed[y] {
					t.Errorf("%d = %v (summed %v), want %v (summed %v)", y, got[y], summed[y], w, tt.summed[y])
				}
			}
		})
	}
	// A rate is never summed.
	rate := newTable(domain.Indicator{ID: "employment_rate", Rate: true}, obs)
	if got, summed := env.regionSeries(rate, "10"); len(got) != 2 || summed != nil {
		t.Errorf("rate county series = %v (summed %v), want only the own rows", got, summed)
	}
}

func TestAggregateYear(t *testing.T) {
	tests := []struct {
		name   string
		series []derive.Series
		year   int
		want   Aggregate
		ok     bool
		note   string
	}{
		// Three members, one without a figure: median (12 031 + 21 623) / 2,
		// mean the same; 2 of 3.
		{"one missing", []derive.Series{{2024: 12031}, {2023: 1}, {2024: 21623}}, 2024,
			Aggregate{Median: 16827, Mean: 16827, N: 2, Of: 3}, true, "2 av 3 medlemmar"},
		{"all", []derive.Series{{2024: 12031}, {2024: 13000}, {2024: 21623}}, 2024,
			Aggregate{Median: 13000, Mean: 46654.0 / 3, N: 3, Of: 3}, true, ""},
		{"none", []derive.Series{{2023: 1}, nil}, 2024, Aggregate{Of: 2}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := aggregateYear(tt.series, tt.year)
			if ok != tt.ok || got.N != tt.want.N || got.Of != tt.want.Of || !near(got.Median, tt.want.Median) || !near(got.Mean, tt.want.Mean) {
				t.Errorf("aggregateYear = %+v %v, want %+v %v", got, ok, tt.want, tt.ok)
			}
			if got.CountNote() != tt.note {
				t.Errorf("note %q, want %q", got.CountNote(), tt.note)
			}
		})
	}
}

// Olofström's summary (bundled real population figures, network of 12):
// 2024, 13 000, rank 11 of 12 (only Oxelösund's 12 031 is lower), network
// median 25 753, difference 13 000 − 25 753 = −12 753, Blekinge 157 223
// (sum of its five municipalities), riket 10 587 710 (SCB's own row),
// bottom quarter ((11 − 1) × 4 / 12 + 1 = 4).
func TestProfileSummary(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Profile(context.Background(), env, d, "1060", Group{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Summary) != 1 || v.Summary[0].Indicator.ID != "population" {
		t.Fatalf("summary = %+v", v.Summary)
	}
	r := v.Summary[0]
	checks := []struct {
		name string
		got  *float64
		want float64
	}{{"value", r.Value, 13000}, {"median", r.Median, 25753}, {"diff", r.Diff, -12753}, {"county", r.County, 157223}, {"riket", r.Riket, 10587710}}
	for _, c := range checks {
		if c.got == nil || *c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if r.Year != 2024 || r.Rank != 11 || r.Ranked != 12 || r.Quartile != 4 || r.QuartileText() != "Nedersta fjärdedelen" {
		t.Errorf("year %d rank %d of %d quartile %d", r.Year, r.Rank, r.Ranked, r.Quartile)
	}
	if r.CountyNote != "summa av kommunerna" || r.RiketNote != "" || r.MedianNote != "" {
		t.Errorf("notes %q %q %q", r.CountyNote, r.RiketNote, r.MedianNote)
	}
	// Every other indicator has no figure for Olofström and is named.
	if len(v.NoFigures) != len(v.Indicators)-1 {
		t.Errorf("no figures: %d of %d", len(v.NoFigures), len(v.Indicators))
	}
}

func TestQuartileOf(t *testing.T) {
	tests := []struct{ rank, n, want int }{
		{1, 12, 1}, {3, 12, 1}, {4, 12, 2}, {6, 12, 2}, {7, 12, 3}, {10, 12, 4}, {12, 12, 4},
		{1, 4, 1}, {4, 4, 4}, {3, 8, 2}, {1, 3, 0}, {0, 12, 0},
	}
	for _, tt := range tests {
		if got := quartileOf(tt.rank, tt.n); got != tt.want {
			t.Errorf("quartileOf(%d, %d) = %d, want %d", tt.rank, tt.n, got, tt.want)
		}
	}
}

// A series break matters only where the municipality's figures straddle it.
func TestStraddledBreaks(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	ind := domain.Indicator{Breaks: []domain.SeriesBreak{{Year: 2020, Note: "BAS"}}}
	tests := []struct {
		name string
		own  []*float64
		want int
	}{
		{"both sides", []*float64{f(1), nil, f(2)}, 1},
		{"after only", []*float64{nil, f(1), f(2)}, 0},
		{"before only", []*float64{f(1), nil, nil}, 0},
	}
	for _, tt := range tests {
		pi := ProfileIndicator{Indicator: ind, Years: []int{2019, 2020, 2021}, Own: tt.own}
		if got := len(pi.StraddledBreaks()); got != tt.want {
			t.Errorf("%s: %d breaks, want %d", tt.name, got, tt.want)
		}
	}
}

func TestOverviewExportSaysMedianCounts(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Overview(context.Background(), env, d, "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(v.ExportTables(nil)[0].Notes, "\n")
	if !strings.Contains(notes, "Folkmängd, nätverkets median: förändring 1 år: 4 av 12; förändring 5 år: 4 av 12.") {
		t.Errorf("export notes lack the median's counts:\n%s", notes)
	}
}
