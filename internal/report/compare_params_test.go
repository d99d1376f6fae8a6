package report

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// TestCompareParamsDefaultsAndBounds: the change period defaults to five
// years and takes 1–50 (both ends included); an index without a base year
// takes the first year in which the compared municipalities have a figure
// (2015 in the bundled population figures).
func TestCompareParamsDefaultsAndBounds(t *testing.T) {
	env, d, _ := setup(t)
	tests := []struct {
		name       string
		p          CompareParams
		wantErr    bool
		wantPeriod int
		wantBase   int
	}{
		{name: "period defaults to 5", p: CompareParams{Measure: derive.MeasureChange}, wantPeriod: 5},
		{name: "period 1", p: CompareParams{Measure: derive.MeasureChange, Period: 1}, wantPeriod: 1},
		{name: "period 50", p: CompareParams{Measure: derive.MeasureChange, Period: 50}, wantPeriod: 50},
		{name: "period 51", p: CompareParams{Measure: derive.MeasureChange, Period: 51}, wantErr: true},
		{name: "period -1", p: CompareParams{Measure: derive.MeasureChange, Period: -1}, wantErr: true},
		{name: "index base from the figures", p: CompareParams{Measure: derive.MeasureIndex}, wantPeriod: 5, wantBase: 2015},
		{name: "index base as asked", p: CompareParams{Measure: derive.MeasureIndex, Base: 2018}, wantPeriod: 5, wantBase: 2018},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Indicator, p.Kommun = "population", "1060"
			v, err := Compare(context.Background(), env, d, p)
			if tt.wantErr {
				if domain.ErrorCode(err) != domain.CodeInvalid {
					t.Fatalf("err = %v, want CodeInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.Params.Period != tt.wantPeriod {
				t.Errorf("period = %d, want %d", v.Params.Period, tt.wantPeriod)
			}
			if tt.wantBase != 0 && v.Params.Base != tt.wantBase {
				t.Errorf("base = %d, want %d", v.Params.Base, tt.wantBase)
			}
			if p.Measure == derive.MeasureIndex && tt.wantBase == 2015 {
				// Olofström 2024 indexed to 2015: 13 000 / 13 170 × 100.
				if r := rowOf(v, "1060"); r.Value == nil || !near(*r.Value, 13000.0/13170*100) {
					t.Errorf("Olofström index = %v", r.Value)
				}
			}
		})
	}
}

// TestCompareSourcesCoverEveryYearUsed: the sources listed under a ranking
// are those of every year a figure rests on: the year itself, the index
// base, the start of a change; and no others. In the bundled figures
// 2015–2023 come from one publication and 2024 from another.
func TestCompareSourcesCoverEveryYearUsed(t *testing.T) {
	env, d, _ := setup(t)
	const older, latest = "rh_utv_alla_kommuner", "rh_beeswarm_2024"
	tests := []struct {
		name      string
		p         CompareParams
		wantOlder bool
	}{
		{"absolute 2024", CompareParams{Year: 2024}, false},
		{"index 2024, base 2015", CompareParams{Year: 2024, Measure: derive.MeasureIndex, Base: 2015}, true},
		{"change 2024 over 1 year", CompareParams{Year: 2024, Measure: derive.MeasureChange, Period: 1}, true},
		{"absolute 2023", CompareParams{Year: 2023}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Indicator, p.Kommun = "population", "1060"
			v, err := Compare(context.Background(), env, d, p)
			if err != nil {
				t.Fatal(err)
			}
			refs := map[string]bool{}
			for _, s := range v.Sources {
				refs[s.Ref] = true
			}
			if refs[older] != tt.wantOlder {
				t.Errorf("sources %v: %s listed = %v, want %v", refs, older, refs[older], tt.wantOlder)
			}
			if wantLatest := p.Year == 2024; refs[latest] != wantLatest {
				t.Errorf("sources %v: %s listed = %v, want %v", refs, latest, refs[latest], wantLatest)
			}
		})
	}
}

// TestCompareCountyNoteNamesSums: the county reference says it is a sum of
// its municipalities when any year the figure rests on is such a sum, and
// only then. Constructed figures: Blekinge's five municipalities for 2019
// and 2024, the county's own figure for 2024 only.
func TestCompareCountyNoteNamesSums(t *testing.T) {
	env, _, _ := setup(t)
	var obs []domain.Observation
	add := func(code string, year int, v float64) {
		obs = append(obs, domain.Observation{Municipality: code, Indicator: "population", Year: year, Value: v,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "blekinge.xlsx", BatchID: 1, FetchedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}})
	}
	for i, code := range []string{"1060", "1080", "1081", "1082", "1083"} {
		add(code, 2019, float64(1000*(i+1)))
		add(code, 2024, float64(1100*(i+1)))
	}
	add("10", 2024, 16600)
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	const sumNote = "summa av länets kommuner"
	tests := []struct {
		name     string
		p        CompareParams
		wantNote bool
		want     float64
	}{
		{"absolute 2024: own figure", CompareParams{Year: 2024}, false, 16600},
		{"absolute 2019: sum", CompareParams{Year: 2019}, true, 15000},
		{"change 2019–2024: start is a sum", CompareParams{Year: 2024, Measure: derive.MeasureChange, Period: 5}, true, (16600.0/15000 - 1) * 100},
		{"index 2024, base 2019: base is a sum", CompareParams{Year: 2024, Measure: derive.MeasureIndex, Base: 2019}, true, 16600.0 / 15000 * 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Indicator, p.Kommun = "population", "1060"
			v, err := Compare(context.Background(), env, d, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range v.Refs {
				if r.Kind != "county" {
					continue
				}
				if r.Value == nil || !near(*r.Value, tt.want) {
					t.Errorf("Blekinge = %v, want %v", r.Value, tt.want)
				}
				if (r.Note == sumNote) != tt.wantNote {
					t.Errorf("note %q, want a sum note: %v", r.Note, tt.wantNote)
				}
				return
			}
			t.Fatal("no county reference")
		})
	}
}

// TestCompareUnitAndDecimals: an absolute figure keeps the indicator's own
// unit and decimals; every derived measure has its own unit and one decimal.
func TestCompareUnitAndDecimals(t *testing.T) {
	env, d, _ := setup(t)
	tests := []struct {
		m        derive.Measure
		unit     string
		decimals int
	}{
		{derive.MeasureAbsolute, "personer", 0},
		{derive.MeasureIndex, "index", 1},
		{derive.MeasureChange, "%", 1},
	}
	for _, tt := range tests {
		v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "population", Measure: tt.m, Base: 2015})
		if err != nil {
			t.Fatal(err)
		}
		if v.Unit != tt.unit || v.Decimals != tt.decimals {
			t.Errorf("%s: unit %q decimals %d, want %q and %d", tt.m, v.Unit, v.Decimals, tt.unit, tt.decimals)
		}
	}
}

// TestTableSourcesListsEachOnceInOrder: the sources behind a set of
// regions and years are listed once each, ordered by kind and then
// reference, and only for the years asked (all years when none are).
func TestTableSourcesListsEachOnceInOrder(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	src := func(k domain.SourceKind, ref string) domain.Source {
		return domain.Source{Kind: k, Ref: ref, FetchedAt: at}
	}
	obs := []domain.Observation{
		{Municipality: "1060", Indicator: "population", Year: 2023, Value: 1, Source: src(domain.SourceUpload, "b.xlsx")},
		{Municipality: "1060", Indicator: "population", Year: 2024, Value: 1, Source: src(domain.SourceSCB, "TAB638")},
		{Municipality: "0481", Indicator: "population", Year: 2023, Value: 1, Source: src(domain.SourceUpload, "a.xlsx")},
		{Municipality: "0481", Indicator: "population", Year: 2024, Value: 1, Source: src(domain.SourceSCB, "TAB638")},
		{Municipality: "0562", Indicator: "population", Year: 2024, Value: 1, Source: src(domain.SourceKolada, "N01951")},
		{Municipality: "0882", Indicator: "population", Year: 2022, Value: 1, Source: src(domain.SourceBundled, "rh")},
	}
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	tbl, err := d.Table(context.Background(), "population")
	if err != nil {
		t.Fatal(err)
	}
	refs := func(ss []domain.Source) string {
		var out []string
		for _, s := range ss {
			out = append(out, string(s.Kind)+":"+s.Ref)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name  string
		codes []string
		years map[int]bool
		want  string
	}{
		{"all years", []string{"1060", "0481", "0562", "0882"}, nil, "bundled:rh kolada:N01951 scb:TAB638 upload:a.xlsx upload:b.xlsx"},
		{"one year", []string{"1060", "0481", "0562", "0882"}, map[int]bool{2023: true}, "upload:a.xlsx upload:b.xlsx"},
		{"some regions", []string{"1060"}, nil, "scb:TAB638 upload:b.xlsx"},
		{"no figure", []string{"2580"}, nil, ""},
	}
	for _, tt := range tests {
		if got := refs(tbl.Sources(tt.codes, tt.years)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDataPollsTheVersionOncePerInterval: within the poll interval the
// cached version is answered; from the moment the interval has passed
// (inclusive) the store is asked again and a new version is seen.
func TestDataPollsTheVersionOncePerInterval(t *testing.T) {
	env, _, _ := setup(t)
	r := &memReader{version: 1}
	d := NewData(r, env.Catalogue, 10*time.Second)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	d.now = func() time.Time { return now }
	ctx := context.Background()
	steps := []struct {
		after time.Duration // since the first call
		want  int64
	}{
		{0, 1},
		{10*time.Second - time.Nanosecond, 1}, // store now at 2, not asked yet
		{10 * time.Second, 2},
	}
	start := now
	for i, s := range steps {
		now = start.Add(s.after)
		v, err := d.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != s.want {
			t.Errorf("after %v: version %d, want %d", s.after, v, s.want)
		}
		if i == 0 {
			r.version = 2
		}
	}
}

// TestComparePer1000AndShare: per 1 000 inhabitants divides by the
// population table and share by all employed, each for the same
// municipality and year; a municipality missing the denominator has no
// figure. Members are marked as members, a selected non-member is not.
// Constructed figures.
func TestComparePer1000AndShare(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	o := func(code, ind string, v float64) domain.Observation {
		return domain.Observation{Municipality: code, Indicator: ind, Year: 2024, Value: v,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "konstruerad.xlsx", BatchID: 1, FetchedAt: at}}
	}
	obs := []domain.Observation{
		o("1060", "industrial_jobs", 2600), o("1060", "population", 13000), o("1060", "employed_day", 5200),
		o("0481", "industrial_jobs", 1800), o("0481", "population", 12000), o("0481", "employed_day", 4500),
		o("1080", "industrial_jobs", 3000), o("1080", "population", 60000), o("1080", "employed_day", 30000),
		o("0562", "industrial_jobs", 2000), // no population, no employed
	}
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	tests := []struct {
		m    derive.Measure
		want map[string]float64 // code → value; absent = missing
	}{
		{derive.MeasurePer1000, map[string]float64{"1060": 200, "0481": 150, "1080": 50}},
		{derive.MeasureShare, map[string]float64{"1060": 50, "0481": 40, "1080": 10}},
	}
	for _, tt := range tests {
		t.Run(string(tt.m), func(t *testing.T) {
			v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "industrial_jobs", Year: 2024, Kommun: "1080", Measure: tt.m})
			if err != nil {
				t.Fatal(err)
			}
			for _, code := range []string{"1060", "0481", "1080", "0562"} {
				r := rowOf(v, code)
				if r.Code != code {
					t.Fatalf("no row for %s", code)
				}
				w, ok := tt.want[code]
				if ok != (r.Value != nil) || (ok && !near(*r.Value, w)) {
					t.Errorf("%s = %v, want %v (present %v)", code, r.Value, w, ok)
				}
				if r.Member != env.IsMember(code) || r.Member == (code == "1080") {
					t.Errorf("%s member = %v", code, r.Member)
				}
			}
		})
	}
}

// TestRiketAndCountyAreSumsWithoutOwnFigures: without its own row, riket
// is the sum of every municipality and a county the sum of its own, when
// all of them have a figure; a rate is never summed. Constructed figures:
// every municipality has 2 (2024) or 3 (employment rate).
func TestRiketAndCountyAreSumsWithoutOwnFigures(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var obs []domain.Observation
	blekinge := 0
	for _, r := range env.Regions.Municipalities() {
		src := domain.Source{Kind: domain.SourceUpload, Ref: "alla.xlsx", BatchID: 1, FetchedAt: at}
		obs = append(obs,
			domain.Observation{Municipality: r.Code, Indicator: "population", Year: 2024, Value: 2, Source: src},
			domain.Observation{Municipality: r.Code, Indicator: "employment_rate", Year: 2024, Value: 3, Source: src})
		if r.CountyCode == "10" {
			blekinge++
		}
	}
	n := len(env.Regions.Municipalities())
	if n != 290 || blekinge != 5 {
		t.Fatalf("%d municipalities, %d in Blekinge; want 290 and 5", n, blekinge)
	}
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	tests := []struct {
		indicator     string
		county, riket *float64
	}{
		{"population", ptr(2*5, true), ptr(2*290, true)},
		{"employment_rate", nil, nil},
	}
	for _, tt := range tests {
		v, err := Compare(context.Background(), env, d, CompareParams{Indicator: tt.indicator, Year: 2024, Kommun: "1060"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[domain.RefKind]*float64{}
		for _, r := range v.Refs {
			got[r.Kind] = r.Value
		}
		for kind, want := range map[domain.RefKind]*float64{"county": tt.county, "riket": tt.riket} {
			g := got[kind]
			if (g == nil) != (want == nil) || (g != nil && *g != *want) {
				t.Errorf("%s %s = %v, want %v", tt.indicator, kind, deref(g), deref(want))
			}
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return "saknas"
	}
	return *p
}

// TestFormatChangeSign: a rise gets a plus, a fall the minus sign, no
// change no sign at all, missing a dash.
func TestFormatChangeSign(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		v    *float64
		want string
	}{
		{f(2.5), "+2,5\u00a0%"},
		{f(0), "0,0\u00a0%"},
		{f(-3.36), "−3,4\u00a0%"},
		{nil, "–"},
	}
	for _, tt := range tests {
		if got := FormatChange(tt.v); got != tt.want {
			t.Errorf("FormatChange(%v) = %q, want %q", deref(tt.v), got, tt.want)
		}
	}
}

// TestCompareDefaultYearIsTheGroupsLatest: without a year, the ranking
// shows the newest year in which the compared municipalities have a
// figure, even when another municipality has a newer one. Constructed
// figures: members for the given years, Karlskrona (not a member) up to
// 2024.
func TestCompareDefaultYearIsTheGroupsLatest(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		members []int
		want    int
	}{
		{[]int{2022, 2023}, 2023},
		{[]int{2022}, 2022}, // the table's first year
	}
	for _, tt := range tests {
		var obs []domain.Observation
		o := func(code string, y int) domain.Observation {
			return domain.Observation{Municipality: code, Indicator: "population", Year: y, Value: float64(y),
				Source: domain.Source{Kind: domain.SourceUpload, Ref: "år.xlsx", BatchID: 1, FetchedAt: at}}
		}
		for _, y := range tt.members {
			obs = append(obs, o("1060", y), o("0481", y))
		}
		for y := tt.members[len(tt.members)-1] + 1; y <= 2024; y++ {
			obs = append(obs, o("1080", y))
		}
		d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
		v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "population", Kommun: "0481"})
		if err != nil {
			t.Fatal(err)
		}
		if v.Params.Year != tt.want {
			t.Errorf("members with %v: year %d, want %d", tt.members, v.Params.Year, tt.want)
		}
	}
}

// TestFormatDateIsSwedish: retrieval dates are the date in Stockholm, so
// a fetch late on New Year's Eve UTC is already the new year; no date is
// a dash.
func TestFormatDateIsSwedish(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2024, 12, 31, 23, 30, 0, 0, time.UTC), "2025-01-01"},
		{time.Date(2024, 6, 30, 21, 59, 0, 0, time.UTC), "2024-06-30"},
		{time.Date(2024, 6, 30, 22, 0, 0, 0, time.UTC), "2024-07-01"}, // summer time, UTC+2
		{time.Time{}, "–"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.t); got != tt.want {
			t.Errorf("FormatDate(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestGroupIsNetwork(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"", true}, {GroupNetwork, true}, {GroupCounty, false}, {GroupSimilar, false}, {"G37489", false},
	}
	for _, tt := range tests {
		if got := (Group{Key: tt.key}).IsNetwork(); got != tt.want {
			t.Errorf("Group{Key: %q}.IsNetwork() = %v, want %v", tt.key, got, tt.want)
		}
	}
}

// TestMapDefaultsMissingAndRange: the map defaults to absolute figures,
// the latest year, a five-year change and the first year as index base;
// it counts the municipalities without a figure and spans the colour
// scale from the lowest to the highest figure. Constructed figures: the
// i-th municipality has i+1 in 2019 and 2(i+1) in 2024, the first ten none
// in 2024.
func TestMapDefaultsMissingAndRange(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var obs []domain.Observation
	for i, r := range env.Regions.Municipalities() {
		src := domain.Source{Kind: domain.SourceUpload, Ref: "karta.xlsx", BatchID: 1, FetchedAt: at}
		obs = append(obs, domain.Observation{Municipality: r.Code, Indicator: "population", Year: 2019, Value: float64(i + 1), Source: src})
		if i >= 10 {
			obs = append(obs, domain.Observation{Municipality: r.Code, Indicator: "population", Year: 2024, Value: float64(2 * (i + 1)), Source: src})
		}
	}
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	tests := []struct {
		name         string
		p            MapParams
		measure      derive.Measure
		period, base int
		min, max     float64
	}{
		{"absolute by default", MapParams{}, derive.MeasureAbsolute, 5, 2019, 22, 580},
		{"change over five years by default", MapParams{Measure: derive.MeasureChange}, derive.MeasureChange, 5, 2019, 100, 100},
		{"index on the first year by default", MapParams{Measure: derive.MeasureIndex}, derive.MeasureIndex, 5, 2019, 200, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Indicator = "population"
			v, err := Map(context.Background(), env, d, p)
			if err != nil {
				t.Fatal(err)
			}
			if v.Params.Measure != tt.measure || v.Params.Year != 2024 || v.Params.Period != tt.period || v.Params.Base != tt.base {
				t.Errorf("params %+v", v.Params)
			}
			if v.Missing != 10 || len(v.Items) != 290 {
				t.Errorf("%d items, %d missing; want 290 and 10", len(v.Items), v.Missing)
			}
			if v.Min == nil || v.Max == nil || !near(*v.Min, tt.min) || !near(*v.Max, tt.max) {
				t.Errorf("range %v–%v, want %v–%v", deref(v.Min), deref(v.Max), tt.min, tt.max)
			}
		})
	}
}

// TestResolveGroupEchoIsCut: an unknown group key is quoted whole up to 40
// characters and cut beyond, since it comes from the URL.
func TestResolveGroupEchoIsCut(t *testing.T) {
	env, _, _ := setup(t)
	for _, n := range []int{40, 41} {
		key := strings.Repeat("ö", n)
		_, err := env.ResolveGroup(key, "1060")
		want := strings.Repeat("ö", min(n, 40))
		if n > 40 {
			want += "…"
		}
		if msg := domain.UserMessage(err, ""); !strings.Contains(msg, fmt.Sprintf("%q", want)) || domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("%d runes: %q (%v), want it to quote %q", n, msg, err, want)
		}
	}
}

// TestOverviewCellPartial: a median figure is partial when it counted
// fewer members than the network has, not when it counted all of them;
// a cell that is not a median (Of 0) is never partial.
func TestOverviewCellPartial(t *testing.T) {
	tests := []struct {
		name string
		c    OverviewCell
		want [3]bool // Partial, Change1Partial, Change5Partial
		fill []bool  // SparkPartial
	}{
		{"all counted", OverviewCell{N: 11, Change1N: 11, Change5N: 11, Of: 11, SparkN: []int{11, 11}}, [3]bool{}, []bool{false, false}},
		{"some missing", OverviewCell{N: 10, Change1N: 9, Change5N: 4, Of: 11, SparkN: []int{4, 11}}, [3]bool{true, true, true}, []bool{true, false}},
		{"only the five-year change short", OverviewCell{N: 11, Change1N: 11, Change5N: 10, Of: 11, SparkN: []int{10}}, [3]bool{false, false, true}, []bool{true}},
		{"only the one-year change short", OverviewCell{N: 11, Change1N: 10, Change5N: 11, Of: 11}, [3]bool{false, true, false}, []bool{}},
		{"not a median", OverviewCell{N: 0, Of: 0, SparkN: []int{0}}, [3]bool{}, nil},
	}
	for _, tt := range tests {
		got := [3]bool{tt.c.Partial(), tt.c.Change1Partial(), tt.c.Change5Partial()}
		if got != tt.want {
			t.Errorf("%s: partial %v, want %v", tt.name, got, tt.want)
		}
		if sp := tt.c.SparkPartial(); fmt.Sprint(sp) != fmt.Sprint(tt.fill) || (sp == nil) != (tt.fill == nil) {
			t.Errorf("%s: spark partial %v, want %v", tt.name, sp, tt.fill)
		}
	}
}

// TestOverviewCellsNameTheirSource: each latest figure on the overview
// carries the source of that very figure (year and publication); a
// missing figure carries none.
func TestOverviewCellsNameTheirSource(t *testing.T) {
	env, d, _ := setup(t)
	v, err := Overview(context.Background(), env, d, "population", true, "")
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, ind := range v.Indicators {
		if ind.ID == "population" {
			col = i
		}
	}
	if col < 0 {
		t.Fatal("no population column")
	}
	rows := append(append([]OverviewRow(nil), v.Rows...), v.Refs...)
	want := map[string]string{"1060": "rh_beeswarm_2024", "0481": "rh_beeswarm_2024", "00": "scb_folkmangd_2024"}
	for _, r := range rows {
		c := r.Cells[col]
		if ref, ok := want[r.Code]; ok {
			if c.Source == nil || c.Source.Ref != ref || c.Year != 2024 {
				t.Errorf("%s: year %d source %+v, want 2024 from %s", r.Code, c.Year, c.Source, ref)
			}
			delete(want, r.Code)
		}
		if c.Latest == nil && c.Source != nil {
			t.Errorf("%s: no figure but a source %+v", r.Code, c.Source)
		}
	}
	if len(want) != 0 {
		t.Errorf("rows not found: %v", want)
	}
	// An indicator without figures: every cell is missing and sourceless.
	for _, r := range rows {
		for i, c := range r.Cells {
			if v.Indicators[i].ID == "industrial_jobs" && (c.Latest != nil || c.Source != nil) {
				t.Errorf("%s industrial_jobs: %+v", r.Code, c)
			}
		}
	}
}

// TestOverviewSortOrders: by name either way; by a figure either way with
// equal figures in the network's member order and missing figures last
// (by name) whichever the direction. Constructed figures: two members tie.
func TestOverviewSortOrders(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tie := []string{env.Members[0], env.Members[1]} // config order
	top := env.Members[2]
	figs := map[string]float64{tie[0]: 100, tie[1]: 100, top: 200}
	var obs []domain.Observation
	for code, v := range figs {
		obs = append(obs, domain.Observation{Municipality: code, Indicator: "population", Year: 2024, Value: v,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "sort.xlsx", BatchID: 1, FetchedAt: at}})
	}
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	codes := func(v *OverviewView) []string {
		var out []string
		for _, r := range v.Rows {
			out = append(out, r.Code)
		}
		return out
	}
	names := map[string]string{}
	for _, c := range env.Members {
		names[c] = env.Regions.Name(c)
	}
	for _, desc := range []bool{false, true} {
		v, err := Overview(context.Background(), env, d, "namn", desc, "")
		if err != nil {
			t.Fatal(err)
		}
		got := codes(v)
		for i := 1; i < len(got); i++ {
			if a, b := names[got[i-1]], names[got[i]]; (!desc && a >= b) || (desc && a <= b) {
				t.Errorf("by name, desc %v: %s before %s", desc, a, b)
			}
		}
		v, err = Overview(context.Background(), env, d, "population", desc, "")
		if err != nil {
			t.Fatal(err)
		}
		got = codes(v)
		want := []string{top, tie[0], tie[1]}
		if !desc {
			want = []string{tie[0], tie[1], top}
		}
		if len(got) != len(env.Members) || fmt.Sprint(got[:3]) != fmt.Sprint(want) {
			t.Errorf("by population, desc %v: %v, want %v first", desc, got, want)
		}
		for i := 4; i < len(got); i++ {
			if a, b := names[got[i-1]], names[got[i]]; a >= b {
				t.Errorf("missing figures, desc %v: %s before %s", desc, a, b)
			}
		}
	}
}

// TestOverviewSparkIsTheLastTenYears: the small trend holds exactly the
// SparkYears years up to the latest figure, missing years as missing.
// Constructed figures: 2008–2024 with 2020 missing (another member has it).
func TestOverviewSparkIsTheLastTenYears(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	code := env.Members[0]
	var obs []domain.Observation
	for y := 2008; y <= 2024; y++ {
		if y == 2020 {
			continue
		}
		obs = append(obs, domain.Observation{Municipality: code, Indicator: "population", Year: y, Value: float64(y),
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "spark.xlsx", BatchID: 1, FetchedAt: at}})
	}
	// Another member has 2020, so the year is in the table.
	obs = append(obs, domain.Observation{Municipality: env.Members[1], Indicator: "population", Year: 2020, Value: 1,
		Source: domain.Source{Kind: domain.SourceUpload, Ref: "spark.xlsx", BatchID: 1, FetchedAt: at}})
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	v, err := Overview(context.Background(), env, d, "population", true, "")
	if err != nil {
		t.Fatal(err)
	}
	c := v.Rows[0].Cells[0]
	if v.Rows[0].Code != code || v.Indicators[0].ID != "population" {
		t.Fatalf("first row %s, first column %s", v.Rows[0].Code, v.Indicators[0].ID)
	}
	if fmt.Sprint(c.SparkYears) != fmt.Sprint(yearsFrom(2015, 2024)) || len(c.Spark) != SparkYears {
		t.Fatalf("spark years %v (%d points), want 2015–2024", c.SparkYears, len(c.Spark))
	}
	for i, y := range c.SparkYears {
		if (y == 2020) != (c.Spark[i] == nil) || (c.Spark[i] != nil && *c.Spark[i] != float64(y)) {
			t.Errorf("spark %d = %v", y, deref(c.Spark[i]))
		}
	}
}

func yearsFrom(a, b int) []int {
	var out []int
	for y := a; y <= b; y++ {
		out = append(out, y)
	}
	return out
}

// TestFitMeasure: a measure that fits is kept without a note; one that
// does not is replaced by its neighbour (per 1 000 and share stand in for
// each other) or else by the first measure the indicator offers, which is
// not always the absolute figure, and the note says so.
func TestFitMeasure(t *testing.T) {
	jobs := domain.Indicator{ID: "industrial_jobs", Name: "Industrijobb", Jobs: true}
	rate := domain.Indicator{ID: "employment_rate", Name: "Sysselsättningsgrad", Rate: true}
	indexOnly := domain.Indicator{ID: "x", Name: "Index och förändring", Measures: []string{"index", "forandring"}}
	perOnly := domain.Indicator{ID: "y", Name: "Per invånare", Measures: []string{"per1000"}}
	tests := []struct {
		ind  domain.Indicator
		m    derive.Measure
		want derive.Measure
		note bool
	}{
		{jobs, "", derive.MeasureAbsolute, false},
		{jobs, derive.MeasureShare, derive.MeasureShare, false},
		{rate, derive.MeasurePer1000, derive.MeasureAbsolute, true},
		{perOnly, derive.MeasureShare, derive.MeasurePer1000, true},
		{indexOnly, derive.MeasurePer1000, derive.MeasureChange, true},
		{indexOnly, derive.MeasureAbsolute, derive.MeasureChange, true},
	}
	for _, tt := range tests {
		got, note := fitMeasure(tt.ind, tt.m)
		if got != tt.want || (note != "") != tt.note {
			t.Errorf("%s asked %q: %q, note %q; want %q (note %v)", tt.ind.ID, tt.m, got, note, tt.want, tt.note)
		}
	}
}

// TestDiscrepanciesAcrossChecks: with two checks the list is ordered by
// check, then municipality and year; a count without a total is never a
// discrepancy; the figure's note names it, except for a gender split.
// Constructed figures, as in TestDiscrepancies.
func TestDiscrepanciesAcrossChecks(t *testing.T) {
	scb := domain.Source{Kind: domain.SourceSCB, Ref: "TAB3204"}
	kolada := domain.Source{Kind: domain.SourceKolada, Ref: "N02206"}
	env, d, r := setup(t)
	ch := domain.CrossCheck{ID: "a", Part: "state_jobs", Total: "employed_day", PartSource: domain.SourceSCB,
		Reference: "state_share", ReferenceSource: domain.SourceKolada, Threshold: 0.5}
	ch2 := ch
	ch2.ID = "b"
	env.Checks = []domain.CrossCheck{ch, ch2}
	add := func(c string, y int, part, total, ref float64) {
		r.obs = append(r.obs,
			domain.Observation{Municipality: c, Indicator: "state_jobs", Year: y, Value: part, Source: scb},
			domain.Observation{Municipality: c, Indicator: "employed_day", Year: y, Value: total, Source: scb},
			domain.Observation{Municipality: c, Indicator: "state_share", Year: y, Value: ref, Source: kolada})
	}
	add("0481", 2022, 600, 10000, 5.3)
	add("0481", 2023, 600, 10000, 5.3)
	add("1060", 2021, 600, 10000, 5.3)
	add("1060", 2023, 600, 10000, 5.3)
	add("2081", 2023, 600, 0, 5.3) // jobs but no total: nothing to compare
	list, err := Discrepancies(context.Background(), env, d)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range list {
		got = append(got, fmt.Sprintf("%s/%d/%s", x.Municipality, x.Year, x.Check.ID))
	}
	want := "[0481/2022/a 0481/2023/a 1060/2021/a 1060/2023/a 0481/2022/b 0481/2023/b 1060/2021/b 1060/2023/b]"
	if fmt.Sprint(got) != want {
		t.Errorf("list %v, want %s", got, want)
	}
	idx, err := env.discrepancies(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	share, _ := env.Catalogue.Get("state_share")
	if share.ID == "" {
		share = domain.Indicator{ID: "state_share"}
	}
	if n := idx.note(share, "1060", 2023); !strings.Contains(n, "Källorna avviker 2023") {
		t.Errorf("note %q", n)
	}
	share.Gender = "K"
	if n := idx.note(share, "1060", 2023); n != "" {
		t.Errorf("gender split got a note: %q", n)
	}
}

// TestMemoOncePerVersion: a derived result is built once per data version
// and again after the version changes.
func TestMemoOncePerVersion(t *testing.T) {
	env, _, _ := setup(t)
	r := &memReader{version: 1}
	d := NewData(r, env.Catalogue, 0)
	builds := 0
	build := func() (any, error) { builds++; return builds, nil }
	ctx := context.Background()
	for i, want := range []struct {
		version       int64
		value, builds int
	}{{1, 1, 1}, {1, 1, 1}, {2, 2, 2}, {2, 2, 2}} {
		r.version = want.version
		v, err := d.memo(ctx, "k", build)
		if err != nil {
			t.Fatal(err)
		}
		if v.(int) != want.value || builds != want.builds {
			t.Errorf("call %d (version %d): value %v after %d builds, want %d after %d", i+1, want.version, v, builds, want.value, want.builds)
		}
	}
}

// failingReader fails for one indicator and serves the rest.
type failingReader struct {
	memReader
	fail string
}

func (f *failingReader) Observations(ctx context.Context, flt domain.Filter) ([]domain.Observation, error) {
	if len(flt.Indicators) > 0 && flt.Indicators[0] == f.fail {
		return nil, fmt.Errorf("lost the connection reading %s", f.fail)
	}
	return f.memReader.Observations(ctx, flt)
}

// TestCompareFailsWhenTheDenominatorCannotBeRead: per 1 000 needs the
// population and share all employed; when that table cannot be read the
// page gets the error, not a ranking with every figure missing.
func TestCompareFailsWhenTheDenominatorCannotBeRead(t *testing.T) {
	env, _, _ := setup(t)
	for _, tt := range []struct {
		m    derive.Measure
		fail string
	}{{derive.MeasurePer1000, "population"}, {derive.MeasureShare, "employed_day"}} {
		d := NewData(&failingReader{memReader: memReader{version: 1}, fail: tt.fail}, env.Catalogue, 0)
		_, err := Compare(context.Background(), env, d, CompareParams{Indicator: "industrial_jobs", Measure: tt.m})
		if err == nil || !strings.Contains(err.Error(), "lost the connection reading "+tt.fail) {
			t.Errorf("%s with %s unreadable: err = %v", tt.m, tt.fail, err)
		}
	}
}

// TestChangeOfDifferenceAndTruncate: for an indicator whose change is a
// difference (a share without the change measure: percentage points),
// the change is now − then over a positive period and missing otherwise;
// an echoed value is cut only beyond its limit.
func TestChangeOfDifferenceAndTruncate(t *testing.T) {
	pe := domain.Indicator{ID: "andel", Unit: "%", Measures: []string{"absolut"}}
	if u := ChangeUnit(pe); u != "p.e." {
		t.Fatalf("change unit %q, want p.e.", u)
	}
	s := derive.Series{2019: 40.5, 2023: 41, 2024: 42.5}
	tests := []struct {
		year, period int
		want         *float64
	}{
		{2024, 1, ptr(1.5, true)},
		{2024, 5, ptr(2, true)},
		{2024, 0, nil},
		{2024, 2, nil}, // no 2022
	}
	for _, tt := range tests {
		got := changeOf(pe, s, tt.year, tt.period)
		if (got == nil) != (tt.want == nil) || (got != nil && !near(*got, *tt.want)) {
			t.Errorf("change %d over %d = %v, want %v", tt.year, tt.period, deref(got), deref(tt.want))
		}
	}
	for _, tt := range []struct {
		in   string
		want string
	}{{strings.Repeat("ä", 40), strings.Repeat("ä", 40)}, {strings.Repeat("ä", 41), strings.Repeat("ä", 40) + "…"}} {
		if got := truncateRunes(tt.in, 40); got != tt.want {
			t.Errorf("truncateRunes(%d runes) = %q", len([]rune(tt.in)), got)
		}
	}
}

// TestProfileNotesByYearIndex: the per-year notes answer for every year
// index in range, the first and last included, and nothing outside it.
func TestProfileNotesByYearIndex(t *testing.T) {
	pi := ProfileIndicator{MedianN: []int{3, 11, 10}, GroupSize: 11, CountySummed: []bool{true, false, true}, RiketSummed: []bool{true, false, true}}
	want := Aggregate{N: 3, Of: 11}.CountNote()
	if want == "" {
		t.Fatal("3 of 11 has no count note")
	}
	last := Aggregate{N: 10, Of: 11}.CountNote()
	tests := []struct {
		j                     int
		median, county, riket string
	}{
		{-1, "", "", ""},
		{0, want, "summa av kommunerna", "summa av kommunerna"},
		{1, "", "", ""},
		{2, last, "summa av kommunerna", "summa av kommunerna"},
		{3, "", "", ""},
	}
	for _, tt := range tests {
		if m, c, r := pi.MedianNote(tt.j), pi.CountyNote(tt.j), pi.RiketNote(tt.j); m != tt.median || c != tt.county || r != tt.riket {
			t.Errorf("year index %d: %q %q %q, want %q %q %q", tt.j, m, c, r, tt.median, tt.county, tt.riket)
		}
	}
}

// TestProfileSummaryWithASingleYear: a municipality whose only figure is
// in the table's first (and only) year still gets its summary row.
func TestProfileSummaryWithASingleYear(t *testing.T) {
	env, _, _ := setup(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var obs []domain.Observation
	for i, c := range env.Members {
		obs = append(obs, domain.Observation{Municipality: c, Indicator: "population", Year: 2024, Value: float64(1000 * (i + 1)),
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "ett-år.xlsx", BatchID: 1, FetchedAt: at}})
	}
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)
	v, err := Profile(context.Background(), env, d, env.Members[0], Group{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range v.Summary {
		if r.Indicator.ID == "population" {
			if r.Year != 2024 || r.Value == nil || *r.Value != 1000 || r.Rank != len(env.Members) {
				t.Errorf("summary row %+v", r)
			}
			return
		}
	}
	t.Errorf("no population row in the summary %+v", v.Summary)
}
