package report

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report/reporttest"
)

// TestCompareBaseViewIsCompare checks that a view built from a shared
// CompareBase equals the comparison built directly for the highlighted
// municipality the way Compare did before #15 (referenceCompare, kept
// here as the oracle), for members, outsiders and none, every measure,
// default and given years and bases, and several groups; and when the
// members lack the latest and first years, so that an outsider moves the
// defaults.
func TestCompareBaseViewIsCompare(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	ds := reporttest.All5
	reporttest.Configure(cfg, ds)
	all := reporttest.Observations(cfg, ds, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))
	members := map[string]bool{}
	for _, m := range cfg.MemberCodes() {
		members[m] = true
	}
	var gappy []domain.Observation // members without the first and last years
	for _, o := range all {
		if members[o.Municipality] && (o.Year == reporttest.LastYear || o.Year == reporttest.LastYear-ds.Years+1) {
			continue
		}
		gappy = append(gappy, o)
	}
	env := &Env{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Members: cfg.MemberCodes(),
		NetworkName: cfg.Network.Name, Precedence: domain.DefaultPrecedence, Checks: cfg.CrossChecks}
	codes := reporttest.Codes(cfg, ds)
	kommuner := []string{"", cfg.Network.Members[0].Code, cfg.Network.Members[3].Code}
	for i := 0; i < len(codes); i += 23 {
		kommuner = append(kommuner, codes[i])
	}
	county, err := env.ResolveGroup(GroupCounty, codes[40])
	if err != nil {
		t.Fatal(err)
	}
	whole := Group{Key: "alla", Name: "Alla", Codes: codes, Source: "test"}
	ctx := context.Background()
	for name, obs := range map[string][]domain.Observation{"complete": all, "members lack first and last year": gappy} {
		d := NewData(reporttest.NewReader(obs), env.Catalogue, time.Hour)
		n := 0
		for _, ind := range []string{"population", "industrial_jobs"} {
			for _, m := range []derive.Measure{"", derive.MeasureAbsolute, derive.MeasurePer1000, derive.MeasureIndex, derive.MeasureChange, derive.MeasureShare} {
				for _, year := range []int{0, reporttest.LastYear - 3} {
					for _, g := range []Group{{}, county, whole} {
						p := CompareParams{Indicator: ind, Measure: m, Year: year, Group: g, Period: 3 * (year % 2)}
						if m == derive.MeasureIndex && year != 0 {
							p.Base = reporttest.LastYear - 10
						}
						base, err := NewCompareBase(ctx, env, d, p)
						if err != nil {
							t.Fatal(err)
						}
						for _, k := range append(kommuner, kommuner...) { // the second time from what the base kept
							p.Kommun = k
							got, err := base.View(k)
							if err != nil {
								t.Fatal(err)
							}
							want, err := referenceCompare(ctx, env, d, p)
							if err != nil {
								t.Fatal(err)
							}
							if !reflect.DeepEqual(got, want) {
								t.Fatalf("%s, %+v: view from the base differs:\n got %+v\nwant %+v", name, p, got, want)
							}
							n++
						}
					}
				}
			}
		}
		t.Logf("%s: %d views equal", name, n)
	}
}

// TestCompareBaseRefusesUnknownMunicipality keeps Compare's answer for a
// code that is no municipality.
func TestCompareBaseRefusesUnknownMunicipality(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Members: cfg.MemberCodes(), NetworkName: cfg.Network.Name}
	d := NewData(reporttest.NewReader(nil), env.Catalogue, time.Hour)
	base, err := NewCompareBase(context.Background(), env, d, CompareParams{Indicator: "population"})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"9999", domain.RiketCode, "01"} {
		if _, err := base.View(code); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("%q: %v", code, err)
		}
	}
}

// referenceCompare is Compare as it was before CompareBase: everything
// built for the one highlighted municipality.
func referenceCompare(ctx context.Context, env *Env, d *Data, p CompareParams) (*CompareView, error) {
	ind, ok := env.Catalogue.Get(p.Indicator)
	if !ok {
		return nil, domain.NotFound("indikatorn %q finns inte", p.Indicator)
	}
	var measureNote string
	p.Measure, measureNote = fitMeasure(ind, p.Measure)
	sel, err := env.municipality(p.Kommun)
	if err != nil {
		return nil, err
	}
	disc, err := env.discrepancies(ctx, d)
	if err != nil {
		return nil, err
	}
	in, err := loadInputs(ctx, d, p.Indicator, p.Measure)
	if err != nil {
		return nil, err
	}
	if p.Period == 0 {
		p.Period = 5
	}
	if p.Period < 1 || p.Period > 50 {
		return nil, domain.Invalid("perioden måste vara 1–50 år")
	}
	g := env.orNetwork(p.Group)
	p.Group = g
	codes := append([]string(nil), g.Codes...)
	if sel != nil && !g.Has(sel.Code) {
		codes = append(codes, sel.Code)
	}
	if p.Base == 0 && len(in.values.Years) > 0 {
		p.Base = firstCommonYear(in.values, codes)
	}
	if p.Year == 0 {
		p.Year = latestYear(in.values, codes)
	}
	v := &CompareView{
		Params: p, Indicator: ind, Measure: p.Measure, Unit: unitFor(ind, p.Measure), Decimals: decimalsFor(ind, p.Measure),
		Years: in.values.Years, Selected: sel, Group: g, Precedence: env.Precedence.Describe(), Measures: applicable(ind),
		MeasureNote: measureNote,
	}
	for _, c := range codes {
		row := RankRow{Code: c, Name: env.Regions.Name(c), Member: env.IsMember(c), InGroup: g.Has(c), Selected: sel != nil && sel.Code == c}
		if s, _ := env.measured(in, c, p.Measure, p.Base, p.Period); s != nil {
			row.Value = ptr(s[p.Year], hasYear(s, p.Year))
		}
		row.Raw = ptr(in.values.Value(c, p.Year))
		if src, ok := in.values.Source(c, p.Year); ok {
			row.Source = &src
			row.Discrepancy = disc.note(ind, c, p.Year)
		}
		v.Rows = append(v.Rows, row)
	}
	rankRows(v.Rows)
	v.RowSources = len(distinctSources(v.Rows)) > 1
	v.Refs = refCompareRefs(env, in, g, sel, p)
	v.Sources = refCompareSources(in, codes, sel, p)
	return v, nil
}

// compareRefs are the reference lines: the group's median and mean of the
// members' own measured figures (own changes, own indexes), over the
// members that have one; the selected municipality's county; riket. A
// county or riket figure summed from municipalities says so.
func refCompareRefs(e *Env, in inputs, g Group, sel *domain.Region, p CompareParams) []Ref {
	agg, ok := aggregateYear(e.groupSeries(g, in, p.Measure, p.Base, p.Period), p.Year)
	refs := []Ref{
		{Kind: domain.RefMedian, Label: g.Name + ", median", Value: ptr(agg.Median, ok), Note: agg.CountNote(), Partial: ok && agg.Partial()},
		{Kind: domain.RefMean, Label: g.Name + ", medelvärde", Value: ptr(agg.Mean, ok), Note: agg.CountNote(), Partial: ok && agg.Partial()},
	}
	if sel != nil {
		county, _ := e.Regions.Get(sel.CountyCode)
		s, summed := e.measured(in, county.Code, p.Measure, p.Base, p.Period)
		r := Ref{Kind: domain.RefCounty, Label: county.Name, Value: ptr(s[p.Year], hasYear(s, p.Year))}
		if summedAt(summed, p) {
			r.Note = "summa av länets kommuner"
		}
		refs = append(refs, r)
	}
	s, summed := e.measured(in, domain.RiketCode, p.Measure, p.Base, p.Period)
	r := Ref{Kind: domain.RefRiket, Label: "Riket", Value: ptr(s[p.Year], hasYear(s, p.Year))}
	if summedAt(summed, p) {
		r.Note = "summa av landets kommuner"
	}
	return append(refs, r)
}

// compareSources lists the sources of every figure the page rests on: the
// compared municipalities', the references', and for derived measures the
// population or jobs behind them, in the years used.
func refCompareSources(in inputs, codes []string, sel *domain.Region, p CompareParams) []domain.Source {
	refCodes := append(append([]string(nil), codes...), domain.RiketCode)
	if sel != nil {
		refCodes = append(refCodes, sel.CountyCode)
	}
	years := map[int]bool{p.Year: true}
	if p.Measure == derive.MeasureIndex {
		years[p.Base] = true
	}
	if p.Measure == derive.MeasureChange {
		years[p.Year-p.Period] = true
	}
	out := mergeSources(nil, in.values.Sources(refCodes, years))
	if in.population != nil {
		out = mergeSources(out, in.population.Sources(refCodes, years))
	}
	if in.jobs != nil {
		out = mergeSources(out, in.jobs.Sources(refCodes, years))
	}
	return out
}
