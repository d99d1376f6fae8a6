package report

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func TestOverviewByTheme(t *testing.T) {
	env, d, _ := setup(t)
	ctx := context.Background()
	all, err := Overview(ctx, env, d, "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	// Every configured indicator once, grouped: the spans add up and the
	// columns follow the theme order.
	span := 0
	for _, g := range all.Groups {
		for _, ind := range all.Indicators[span : span+g.Span] {
			if ind.Theme != g.Theme.ID {
				t.Errorf("%s under %s", ind.ID, g.Theme.ID)
			}
		}
		span += g.Span
	}
	// Indicators without a single figure are named once (Empty) instead
	// of a column of "–"; the rest are columns.
	if span+len(all.Empty) != len(env.Catalogue.All()) || len(all.Indicators) != span || span == 0 {
		t.Errorf("spans %d, indicators %d, empty %d, catalogue %d", span, len(all.Indicators), len(all.Empty), len(env.Catalogue.All()))
	}
	for _, r := range append(append([]OverviewRow(nil), all.Rows...), all.Refs...) {
		if len(r.Cells) != len(all.Indicators) {
			t.Fatalf("row %s has %d cells for %d columns", r.Code, len(r.Cells), len(all.Indicators))
		}
	}
	// An empty indicator really has no figure for any member or riket.
	for _, ind := range all.Empty {
		tb, err := d.Table(ctx, ind.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range append(append([]string(nil), env.Members...), domain.RiketCode) {
			if len(tb.Series(c)) > 0 {
				t.Errorf("%s named as empty but %s has figures", ind.ID, c)
			}
		}
	}
	one, err := Overview(ctx, env, d, "", false, "statlig_narvaro")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ind := range append(append([]domain.Indicator(nil), one.Indicators...), one.Empty...) {
		ids = append(ids, ind.ID)
	}
	if len(ids) != 3 || !slices.Contains(ids, "state_jobs") || !slices.Contains(ids, "state_share") {
		t.Errorf("Statlig närvaro: groups %+v, indicators %v", one.Groups, ids)
	}
	if len(one.Indicators) > 0 && (len(one.Groups) != 1 || one.Groups[0].Theme.Name != "Statlig närvaro") {
		t.Errorf("Statlig närvaro: groups %+v", one.Groups)
	}
	if len(one.Rows) == 0 || len(one.Rows[0].Cells) != len(one.Indicators) {
		t.Errorf("cells per row must follow the theme's indicators with figures")
	}
	if _, err := Overview(ctx, env, d, "population", false, "statlig_narvaro"); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("sorting on an indicator outside the theme: %v", err)
	}
	if _, err := Overview(ctx, env, d, "", false, "<b>nope</b>"); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("unknown theme: %v", err)
	}
}

// A net figure is charted per 1 000 inhabitants on the profile (an index
// of a figure that can be 0 or change sign means nothing), and its change
// is a difference in persons, not a percentage.
func TestProfileNetFigurePer1000(t *testing.T) {
	env, d, r := setup(t)
	src := domain.Source{Kind: domain.SourceKolada, Ref: "N01800"}
	// Constructed net migration for two members; the populations are the
	// bundled real figures (Olofström 13 000, Oxelösund 12 031 in 2024).
	r.obs = append(r.obs,
		domain.Observation{Municipality: "1060", Indicator: "net_migration", Year: 2023, Value: 40, Source: src},
		domain.Observation{Municipality: "1060", Indicator: "net_migration", Year: 2024, Value: -26, Source: src},
		domain.Observation{Municipality: "0481", Indicator: "net_migration", Year: 2024, Value: 60, Source: src},
	)
	v, err := Profile(context.Background(), env, d, "1060", Group{}, "befolkning")
	if err != nil {
		t.Fatal(err)
	}
	var net *ProfileIndicator
	for i := range v.Indicators {
		if v.Indicators[i].Indicator.Theme != "befolkning" {
			t.Errorf("%s is not in the theme", v.Indicators[i].Indicator.ID)
		}
		if v.Indicators[i].Indicator.ID == "net_migration" {
			net = &v.Indicators[i]
		}
	}
	if v.Indicators[0].ThemeStart == nil || v.Indicators[0].ThemeStart.Name != "Befolkning" || v.Indicators[1].ThemeStart != nil {
		t.Errorf("theme heading on the first indicator only")
	}
	if net == nil {
		t.Fatal("net_migration missing from Befolkning")
	}
	if net.ChartMeasure != derive.MeasurePer1000 {
		t.Fatalf("chart measure %s", net.ChartMeasure)
	}
	last := len(net.Years) - 1
	if net.Years[last] != 2024 || net.ChartOwn[last] == nil || !near(*net.ChartOwn[last], -26.0/13000*1000) {
		t.Errorf("Olofström 2024 per 1 000 = %v", net.ChartOwn[last])
	}
	// Median of the members' own per-1 000 figures: -2 and 60/12 031*1000.
	if m := net.ChartMedian[last]; m == nil || !near(*m, (-26.0/13000*1000+60.0/12031*1000)/2) {
		t.Errorf("median per 1 000 = %v", m)
	}
	if net.Change1 == nil || *net.Change1 != -66 || ChangeUnit(net.Indicator) != "personer" {
		t.Errorf("change %v %s, want the difference -66 personer", net.Change1, ChangeUnit(net.Indicator))
	}
	if got := FormatChangeFor(net.Change1, net.Indicator); got != "−66" {
		t.Errorf("formatted change %q", got)
	}
}

func TestChangeUnits(t *testing.T) {
	env, _, _ := setup(t)
	tests := []struct {
		id, unit string
		v        float64
		want     string
	}{
		{"population", "%", 1.26, "+1,3\u00a0%"},
		{"unemployment", "p.e.", -0.44, "−0,4\u00a0p.e."},
		{"median_income", "%", 3, "+3,0\u00a0%"},
		{"net_migration", "personer", 12, "+12"},
	}
	for _, tt := range tests {
		ind, _ := env.Catalogue.Get(tt.id)
		if got := ChangeUnit(ind); got != tt.unit {
			t.Errorf("%s: unit %q, want %q", tt.id, got, tt.unit)
		}
		if got := FormatChangeFor(&tt.v, ind); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.id, got, tt.want)
		}
	}
	s := derive.Series{2020: 5.5, 2021: 5.0}
	ind, _ := env.Catalogue.Get("unemployment")
	if c := changeOf(ind, s, 2021, 1); c == nil || !near(*c, -0.5) {
		t.Errorf("unemployment change = %v, want -0.5 p.e.", c)
	}
	if c := changeOf(ind, s, 2021, 5); c != nil {
		t.Errorf("change without the earlier year = %v", *c)
	}
}

// A gender split is its own table: the comparison of women's unemployment
// reads only the K figures.
func TestCompareGenderSplit(t *testing.T) {
	env, d, r := setup(t)
	src := domain.Source{Kind: domain.SourceKolada, Ref: "N03937"}
	r.obs = append(r.obs,
		domain.Observation{Municipality: "1060", Indicator: "unemployment", Year: 2024, Value: 5.1, Source: src},
		domain.Observation{Municipality: "1060", Indicator: "unemployment:K", Year: 2024, Value: 4.4, Source: src},
		domain.Observation{Municipality: "1060", Indicator: "unemployment:M", Year: 2024, Value: 5.8, Source: src},
	)
	v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "unemployment:K", Kommun: "1060"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Indicator.Name != "Öppet arbetslösa 18–65 år, andel, kvinnor" || v.Indicator.Base != "unemployment" {
		t.Errorf("indicator %+v", v.Indicator)
	}
	for _, row := range v.Rows {
		if row.Code == "1060" && (row.Value == nil || *row.Value != 4.4) {
			t.Errorf("Olofström women = %v", row.Value)
		}
	}
	// A measure the indicator does not list gives the nearest it does, with
	// a note (issue #11: a stale link is not an error page).
	if v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "unemployment:K", Measure: derive.MeasureChange}); err != nil || v.Measure == derive.MeasureChange || v.MeasureNote == "" {
		t.Errorf("a measure the indicator does not list: %v %q %v", v.Measure, v.MeasureNote, err)
	}
}

// The network's median change of a share is the median of the members'
// own differences in percentage points, not of percent changes.
func TestOverviewMedianChangeInPoints(t *testing.T) {
	env, d, r := setup(t)
	src := domain.Source{Kind: domain.SourceKolada, Ref: "N03937"}
	for _, o := range []struct {
		code string
		y    int
		v    float64
	}{{"1060", 2023, 4.0}, {"1060", 2024, 5.0}, {"0481", 2023, 8.0}, {"0481", 2024, 7.0}, {"0562", 2023, 3.0}, {"0562", 2024, 3.5}} {
		r.obs = append(r.obs, domain.Observation{Municipality: o.code, Indicator: "unemployment", Year: o.y, Value: o.v, Source: src})
	}
	v, err := Overview(context.Background(), env, d, "", false, "arbetsmarknad")
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, ind := range v.Indicators {
		if ind.ID == "unemployment" {
			col = i
		}
	}
	med := v.Refs[0].Cells[col]
	// Differences +1, −1, +0.5: median +0.5 p.e. (percent changes would
	// give +16.7 %).
	if med.Change1 == nil || !near(*med.Change1, 0.5) || med.Change1N != 3 {
		t.Errorf("median change %v over %d", med.Change1, med.Change1N)
	}
}

// A net figure has no index on the trend page either: asked for one, the
// page draws the figures themselves and says so.
func TestTrendRefusesAnIndexOfANetFigure(t *testing.T) {
	env, d, _ := setup(t)
	idx, err := Trend(context.Background(), env, d, TrendParams{Indicator: "net_migration", Codes: []string{"1060"}, Measure: derive.MeasureIndex})
	if err != nil || idx.Params.Measure != derive.MeasureAbsolute || idx.MeasureNote == "" {
		t.Fatalf("index of net_migration: measure %q, note %q, err %v", idx.Params.Measure, idx.MeasureNote, err)
	}
	abs, err := Trend(context.Background(), env, d, TrendParams{Indicator: "net_migration", Codes: []string{"1060"}})
	if err != nil {
		t.Fatalf("absolute: %v", err)
	}
	if abs.MeasureNote != "" || !reflect.DeepEqual(idx.Series, abs.Series) || idx.Unit != abs.Unit {
		t.Errorf("the fallback differs from the figures: %+v vs %+v", idx.Series, abs.Series)
	}
}
