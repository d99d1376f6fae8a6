package report

import (
	"context"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// memReader serves fixed observations (the bundled real figures).
type memReader struct {
	obs     []domain.Observation
	version int64
	calls   int
}

func (m *memReader) Observations(_ context.Context, f domain.Filter) ([]domain.Observation, error) {
	m.calls++
	var out []domain.Observation
	for _, o := range m.obs {
		if len(f.Indicators) > 0 && o.Indicator != f.Indicators[0] {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

func (m *memReader) DataVersion(context.Context) (int64, error) { return m.version, nil }

func setup(t *testing.T) (*Env, *Data, *memReader) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	obs, err := bundled.Observations(time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	r := &memReader{obs: obs, version: 1}
	env := &Env{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Members: cfg.MemberCodes(), NetworkName: "Nätverket", Precedence: domain.DefaultPrecedence}
	return env, NewData(r, env.Catalogue, 0), r
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCompareAbsolute(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "population", Kommun: "1060"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Params.Year != 2024 {
		t.Errorf("default year = %d, want the latest, 2024", v.Params.Year)
	}
	// Members' populations 31 Dec 2024, highest first.
	want := []string{"2580", "2482", "1488", "2284", "2081", "0882", "1493", "2584", "0382", "0562", "1060", "0481"}
	for i, r := range v.Rows {
		if r.Code != want[i] || r.Rank != i+1 {
			t.Errorf("row %d = %s rank %d, want %s rank %d", i, r.Code, r.Rank, want[i], i+1)
		}
	}
	refs := map[domain.RefKind]*float64{}
	for _, r := range v.Refs {
		refs[r.Kind] = r.Value
	}
	// Median of the 12 members = the mean of the 6th and 7th values,
	// Oskarshamn's 26 923 and Mariestad's 24 583: 25 753. Mean = 466 390
	// / 12. Blekinge län = sum of its five municipalities (13 000 +
	// 66 301 + 28 741 + 31 751 + 17 430). Riket from SCB.
	checks := map[domain.RefKind]float64{"median": 25753, "mean": 466390.0 / 12, "county": 157223, "riket": 10587710}
	for k, w := range checks {
		if refs[k] == nil || !near(*refs[k], w) {
			t.Errorf("%s = %v, want %v", k, refs[k], w)
		}
	}
	// Every 2024 figure is from one bundled source: stated once, not per row.
	if v.RowSources || v.ShowRaw() {
		t.Errorf("RowSources %v ShowRaw %v, want one source and one value column", v.RowSources, v.ShowRaw())
	}
	if !v.Rows[10].Selected || v.Rows[10].Source == nil || v.Rows[10].Source.Ref != "rh_beeswarm_2024" {
		t.Errorf("Olofström row = %+v", v.Rows[10])
	}
	for _, r := range v.Refs {
		if r.Partial || (r.Kind == "median" && r.Note != "") {
			t.Errorf("all 12 members have a 2024 figure, yet %s says %q", r.Kind, r.Note)
		}
	}
}

func TestCompareDerivedMeasures(t *testing.T) {
	env, d, _ := setup(t)
	ctx := context.Background()
	// Olofström 2023 index to 2015: 13 061 / 13 170 × 100.
	v, err := Compare(ctx, env, d, CompareParams{Indicator: "population", Year: 2023, Kommun: "1060", Measure: derive.MeasureIndex, Base: 2015})
	if err != nil {
		t.Fatal(err)
	}
	got := rowOf(v, "1060")
	if got.Value == nil || !near(*got.Value, 13061.0/13170*100) {
		t.Errorf("index = %v", got.Value)
	}
	// Members without 2015 figures have no index: missing, ranked last.
	if r := rowOf(v, "2580"); r.Value != nil || r.Rank != 0 {
		t.Errorf("Luleå has no 2015 figure, got %+v", r)
	}
	// Change over 5 years, 2018 → 2023: 13 061 / 13 516 − 1.
	v, err = Compare(ctx, env, d, CompareParams{Indicator: "population", Year: 2023, Kommun: "1060", Measure: derive.MeasureChange, Period: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := rowOf(v, "1060"); got.Value == nil || !near(*got.Value, (13061.0/13516-1)*100) {
		t.Errorf("change = %v", got.Value)
	}
	// A measure that does not fit the indicator gives the nearest that
	// does, and says so.
	for _, tc := range []struct {
		ind  string
		m    derive.Measure
		want derive.Measure
	}{
		{"employment_rate", derive.MeasurePer1000, derive.MeasureAbsolute},
		{"population", derive.MeasurePer1000, derive.MeasureAbsolute},
		{"state_offices", derive.MeasureShare, derive.MeasurePer1000},
		{"employed_day", derive.MeasureShare, derive.MeasurePer1000},
	} {
		v, err := Compare(ctx, env, d, CompareParams{Indicator: tc.ind, Measure: tc.m})
		if err != nil || v.Measure != tc.want || v.MeasureNote == "" || !strings.Contains(v.MeasureNote, tc.want.Label()) {
			t.Errorf("%s %s: measure %v, note %q, err %v; want %s", tc.ind, tc.m, v.Measure, v.MeasureNote, err, tc.want)
		}
	}
	if _, err := Compare(ctx, env, d, CompareParams{Indicator: "population", Kommun: "9999"}); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("unknown municipality: %v", err)
	}
}

func TestCompareWithoutFiguresIsAllMissing(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "industrial_jobs"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range v.Rows {
		if r.Value != nil || r.Raw != nil || r.Rank != 0 {
			t.Errorf("%s has a figure out of nothing: %+v", r.Code, r)
		}
	}
	for _, r := range v.Refs {
		if r.Value != nil {
			t.Errorf("reference %s = %v out of nothing", r.Kind, *r.Value)
		}
	}
	if v.HasFigures() || v.Params.Year != 0 || len(v.Years) != 0 || v.RowSources {
		t.Errorf("no figures: HasFigures %v, year %d, years %v", v.HasFigures(), v.Params.Year, v.Years)
	}
}

func TestProfileRanksAndCounty(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Profile(context.Background(), env, d, "1060", Group{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.County.Code != "10" || !v.Member {
		t.Fatalf("county %s member %v", v.County.Code, v.Member)
	}
	pop := v.Indicators[0]
	i := sort.SearchInts(pop.Years, 2024)
	if pop.Ranks[i] != 11 || pop.Ranked[i] != 12 {
		t.Errorf("2024 rank %d of %d, want 11 of 12", pop.Ranks[i], pop.Ranked[i])
	}
	if pop.County[i] == nil || *pop.County[i] != 157223 {
		t.Errorf("Blekinge 2024 = %v", pop.County[i])
	}
	// 2023: four members have figures (Oxelösund 12 106, Olofström
	// 13 061, Finspång 21 694, Oskarshamn 26 918): rank 3 of 4, median
	// (13 061 + 21 694) / 2.
	j := sort.SearchInts(pop.Years, 2023)
	if pop.Ranks[j] != 3 || pop.Ranked[j] != 4 || pop.Median[j] == nil || *pop.Median[j] != (13061+21694)/2.0 {
		t.Errorf("2023 rank %d of %d, median %v", pop.Ranks[j], pop.Ranked[j], pop.Median[j])
	}
	if pop.Riket[j] != nil {
		t.Error("riket 2023 is not bundled and not all municipalities have 2023: it must be missing")
	}
	// The chart's index base is the first year Olofström, Blekinge (the
	// sum of its municipalities) and riket (SCB's row) all have: 2024. So
	// all three lines are drawn; 2015 is 13 170 / 13 000 × 100.
	last := len(pop.Years) - 1
	if pop.ChartBase != 2024 || pop.ChartOwn[0] == nil || !near(*pop.ChartOwn[0], 13170.0/13000*100) ||
		pop.ChartCounty[last] == nil || *pop.ChartCounty[last] != 100 || pop.ChartRiket[last] == nil || *pop.ChartRiket[last] != 100 {
		t.Errorf("chart index base %d, first %v", pop.ChartBase, pop.ChartOwn[0])
	}
}

func TestOverviewSortsMissingLast(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Overview(context.Background(), env, d, "population", true, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Rows[0].Code != "2580" || v.Rows[len(v.Rows)-1].Code != "0481" {
		t.Errorf("descending population: first %s last %s", v.Rows[0].Code, v.Rows[len(v.Rows)-1].Code)
	}
	if v.Refs[1].Cells[0].Latest == nil || *v.Refs[1].Cells[0].Latest != 10587710 {
		t.Errorf("riket = %v", v.Refs[1].Cells[0].Latest)
	}
	// Olofström 1-year change 2023 → 2024: 13 000 / 13 061 − 1.
	for _, r := range v.Rows {
		if r.Code == "1060" {
			c := r.Cells[0]
			if c.Change1 == nil || !near(*c.Change1, (13000.0/13061-1)*100) || len(c.Spark) != SparkYears {
				t.Errorf("Olofström cell = %+v", c)
			}
		}
	}
	if _, err := Overview(context.Background(), env, d, "nope", false, ""); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("unknown sort key: %v", err)
	}
}

func TestTrendAndMap(t *testing.T) {
	env, d, _ := setup(t)
	ctx := context.Background()
	tv, err := Trend(ctx, env, d, TrendParams{Indicator: "population", Codes: []string{"1060", "0481"}, Measure: derive.MeasureIndex})
	if err != nil {
		t.Fatal(err)
	}
	// The default base is the first year the lines, Blekinge (Olofström's
	// county, summed) and riket all have: 2024, so every line is drawn.
	last := len(tv.Years) - 1
	if tv.Params.Base != 2024 || *tv.Series[0].Values[last] != 100 || !near(*tv.Series[0].Values[0], 13170.0/13000*100) || tv.Series[0].Sources[0] == nil {
		t.Errorf("trend base %d, first %v", tv.Params.Base, tv.Series[0].Values[0])
	}
	for _, r := range tv.Refs {
		if r.Values[last] == nil || (r.Kind != "median" && *r.Values[last] != 100) {
			t.Errorf("%s not drawn at the base year", r.Name)
		}
	}
	// An explicit base is kept.
	tv, err = Trend(ctx, env, d, TrendParams{Indicator: "population", Codes: []string{"1060", "0481"}, Measure: derive.MeasureIndex, Base: 2015})
	if err != nil || tv.Params.Base != 2015 || *tv.Series[0].Values[0] != 100 {
		t.Errorf("explicit base: %v %v", tv.Params.Base, err)
	}
	if _, err := Trend(ctx, env, d, TrendParams{Indicator: "population", Measure: derive.MeasurePer1000}); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("per 1000 on trend: %v", err)
	}
	// A measure the indicator does not offer (a link kept while switching
	// indicator) falls back to the figure with a note, on both pages.
	for _, p := range []struct {
		name string
		view func() (string, derive.Measure, error)
	}{
		{"trend index of a net figure", func() (string, derive.Measure, error) {
			v, err := Trend(ctx, env, d, TrendParams{Indicator: "net_migration", Codes: []string{"1060"}, Measure: derive.MeasureIndex})
			if err != nil {
				return "", "", err
			}
			return v.MeasureNote, v.Params.Measure, nil
		}},
		{"map per 1000 of the population", func() (string, derive.Measure, error) {
			v, err := Map(ctx, env, d, MapParams{Indicator: "population", Measure: derive.MeasurePer1000})
			if err != nil {
				return "", "", err
			}
			return v.MeasureNote, v.Params.Measure, nil
		}},
	} {
		note, m, err := p.view()
		if err != nil || m != derive.MeasureAbsolute || !strings.Contains(note, "passar inte") || !strings.Contains(note, "i stället") {
			t.Errorf("%s: measure %q, note %q, err %v", p.name, m, note, err)
		}
	}
	if tv, err := Trend(ctx, env, d, TrendParams{Indicator: "population", Codes: []string{"1060"}, Measure: derive.MeasureIndex}); err != nil || tv.MeasureNote != "" {
		t.Errorf("a fitting measure has a note: %q %v", tv.MeasureNote, err)
	}
	mv, err := Map(ctx, env, d, MapParams{Indicator: "population", Measure: derive.MeasureAbsolute})
	if err != nil {
		t.Fatal(err)
	}
	if len(mv.Items) != 290 || mv.Missing != 0 || mv.Params.Year != 2024 || mv.MeasureNote != "" {
		t.Errorf("map: %d items, %d missing, year %d", len(mv.Items), mv.Missing, mv.Params.Year)
	}
}

func TestDataCachesPerVersion(t *testing.T) {
	_, d, r := setup(t)
	ctx := context.Background()
	for range 3 {
		if _, err := d.Table(ctx, "population"); err != nil {
			t.Fatal(err)
		}
	}
	if r.calls != 1 {
		t.Fatalf("%d loads for one version, want 1", r.calls)
	}
	r.version++
	if _, err := d.Table(ctx, "population"); err != nil {
		t.Fatal(err)
	}
	if r.calls != 2 {
		t.Fatalf("a new data version must reload: %d loads", r.calls)
	}
	if _, err := d.Table(ctx, "nope"); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("unknown indicator: %v", err)
	}
}

func rowOf(v *CompareView, code string) RankRow {
	for _, r := range v.Rows {
		if r.Code == code {
			return r
		}
	}
	return RankRow{}
}

func TestFormat(t *testing.T) {
	v := 12.345
	if got := FormatValue(&v, 1, "%"); got != "12,3\u00a0%" {
		t.Errorf("FormatValue = %q", got)
	}
	if got := FormatValue(nil, 1, "%"); got != "–" {
		t.Errorf("missing = %q", got)
	}
	c := -3.36
	if got := FormatChange(&c); got != "−3,4\u00a0%" {
		t.Errorf("FormatChange = %q", got)
	}
}
