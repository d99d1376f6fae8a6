package report

import (
	"context"
	"slices"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// TestTrendMeasuresLinesAndRefs: a trend offers only absolute figures and
// indexes, even for a measure the indicator would fit elsewhere; one
// municipality asked for with a small group draws it and the group's
// others once each; the reference lines are the median, the county of the
// first municipality and riket, each of its own kind; and the sources name
// the county's own figures when it has them.
func TestTrendMeasuresLinesAndRefs(t *testing.T) {
	env, d, r := setup(t)
	ctx := context.Background()

	ind, _ := env.Catalogue.Get(domain.IndicatorEmployedDay)
	if !derive.MeasurePer1000.Applies(ind) {
		t.Fatal("test premise: per 1 000 fits employed_day outside trends")
	}
	if _, err := Trend(ctx, env, d, TrendParams{Indicator: domain.IndicatorEmployedDay, Codes: []string{"1060"}, Measure: derive.MeasurePer1000}); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("per 1 000 on a trend: %v, want invalid", err)
	}

	// Blekinge's own population figure for one year, from a source of its own.
	county := domain.Source{Kind: domain.SourceSCB, Ref: "LANSTEST"}
	r.obs = append(r.obs, domain.Observation{Municipality: "10", Indicator: domain.IndicatorPopulation, Year: 2024, Value: 157000, Source: county})
	r.version++

	g, err := env.ResolveGroup("lan", "1060")
	if err != nil {
		t.Fatal(err)
	}
	tv, err := Trend(ctx, env, d, TrendParams{Indicator: domain.IndicatorPopulation, Codes: []string{"1060"}, Group: g})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, s := range tv.Series {
		codes = append(codes, s.Code)
	}
	want := []string{"1060"}
	for _, c := range g.Codes {
		if c != "1060" {
			want = append(want, c)
		}
	}
	if len(want) < 3 || !slices.Equal(codes, want) {
		t.Errorf("lines %v, want %v", codes, want)
	}

	var refs []string
	for _, s := range tv.Refs {
		refs = append(refs, s.Code+":"+string(s.Kind))
	}
	wantRefs := []string{"median:" + string(domain.RefMedian), "10:" + string(domain.RefCounty), domain.RiketCode + ":" + string(domain.RefRiket)}
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("reference lines %v, want %v", refs, wantRefs)
	}
	if !slices.ContainsFunc(tv.Sources, func(s domain.Source) bool { return s.Ref == county.Ref }) {
		t.Errorf("sources %v do not name the county's own figures", tv.Sources)
	}
}
