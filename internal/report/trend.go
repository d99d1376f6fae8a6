package report

import (
	"context"
	"slices"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// MaxTrendLines bounds the Trend page: more lines than this are unreadable.
const MaxTrendLines = 12

// TrendParams is the state of the Trend page.
type TrendParams struct {
	Indicator string
	Codes     []string // empty: the members
	Measure   derive.Measure
	Base      int
	// Group gives the median line (and the lines when Codes is empty);
	// empty: the network.
	Group Group
}

// TrendSeries is one line.
type TrendSeries struct {
	Code   string
	Name   string
	Member bool
	Values []*float64 // aligned with TrendView.Years
	// Sources is each figure's provenance, aligned with Values (nil where
	// missing or where the figure is a sum of municipalities).
	Sources []*domain.Source
	// Kind is RefNone for a municipality's line, else RefMedian, RefCounty
	// or RefRiket.
	Kind domain.RefKind
	// N counts, for the median line, the members behind each point; a
	// point that counted fewer than Of is drawn hollow.
	N  []int
	Of int
	// Summed marks, for county and riket, the years that are sums of the
	// municipalities rather than SCB's own row.
	Summed []bool
}

// Partial reports per point whether a median counted fewer than all the
// group's members.
func (s TrendSeries) Partial() []bool {
	if s.Kind != domain.RefMedian {
		return nil
	}
	out := make([]bool, len(s.N))
	for i, n := range s.N {
		out[i] = n > 0 && n < s.Of
	}
	return out
}

// CountNote is, for year index i of a median line, "n av N medlemmar"
// when fewer than all counted; for a county or riket line "summa av
// kommunerna" when the figure is a sum; else "".
func (s TrendSeries) CountNote(i int) string {
	switch {
	case s.Kind == domain.RefMedian && i < len(s.N) && s.Values[i] != nil:
		return Aggregate{N: s.N[i], Of: s.Of}.CountNote()
	case i < len(s.Summed) && s.Summed[i]:
		return "summa av kommunerna"
	}
	return ""
}

// AnySummed reports whether any year of the line is a sum of municipalities.
func (s TrendSeries) AnySummed() bool {
	for _, b := range s.Summed {
		if b {
			return true
		}
	}
	return false
}

// TrendView is the Trend page.
type TrendView struct {
	Params     TrendParams
	Indicator  domain.Indicator
	Unit       string
	Decimals   int
	Years      []int
	Series     []TrendSeries
	Refs       []TrendSeries // the group's median, the county, riket
	Group      Group
	Sources    []domain.Source
	Precedence string
	// MeasureNote says which measure was asked for and does not fit the
	// indicator, and that the page shows the figures instead; "" when it fits.
	MeasureNote string
}

// Trend builds lines over the years for several regions.
func Trend(ctx context.Context, env *Env, d *Data, p TrendParams) (*TrendView, error) {
	ind, ok := env.Catalogue.Get(p.Indicator)
	if !ok {
		return nil, domain.NotFound("indikatorn %q finns inte", p.Indicator)
	}
	if p.Measure == "" {
		p.Measure = derive.MeasureAbsolute
	}
	if p.Measure != derive.MeasureAbsolute && p.Measure != derive.MeasureIndex {
		return nil, domain.Invalid("måttet %q finns inte för trender; välj absolut eller index", p.Measure)
	}
	var measureNote string
	if !p.Measure.Applies(ind) {
		// An index of a net figure (which can be 0 or change sign) means
		// nothing; the indicator's source definition says which fit. A link
		// kept while switching indicator shows the figures with a note.
		measureNote = "Måttet " + p.Measure.Label() + " passar inte " + ind.Name + "; sidan visar " + derive.MeasureAbsolute.Label() + " i stället."
		p.Measure = derive.MeasureAbsolute
	}
	g := env.orNetwork(p.Group)
	p.Group = g
	var err error
	if p.Codes, err = env.trendCodes(p.Codes, g); err != nil {
		return nil, err
	}
	t, err := d.Table(ctx, p.Indicator)
	if err != nil {
		return nil, err
	}
	if p.Measure == derive.MeasureIndex && p.Base == 0 {
		p.Base = env.trendBase(t, p.Codes)
	}
	v := &TrendView{Params: p, Indicator: ind, Unit: unitFor(ind, p.Measure), Decimals: decimalsFor(ind, p.Measure), Years: t.Years, Group: g, Precedence: env.Precedence.Describe(), MeasureNote: measureNote}
	for _, c := range p.Codes {
		s, _ := env.measured(inputs{values: t}, c, p.Measure, p.Base, 0)
		ts := TrendSeries{Code: c, Name: env.Regions.Name(c), Member: env.IsMember(c)}
		for _, y := range t.Years {
			ts.Values = append(ts.Values, ptr(s[y], hasYear(s, y)))
			ts.Sources = append(ts.Sources, sourceAt(t, c, y))
		}
		v.Series = append(v.Series, ts)
	}
	v.Refs = trendRefs(env, t, p, g)
	srcCodes := append([]string{domain.RiketCode}, p.Codes...)
	srcCodes = append(srcCodes, g.Codes...)
	for _, r := range v.Refs {
		if r.Kind == domain.RefCounty {
			srcCodes = append(srcCodes, r.Code)
		}
	}
	v.Sources = t.Sources(srcCodes, nil)
	return v, nil
}

// trendCodes are the municipalities drawn: those asked for; none asked for,
// the group's (when few enough); one asked for with a group, that one and
// the group.
func (e *Env) trendCodes(codes []string, g Group) ([]string, error) {
	switch {
	case len(codes) == 0 && len(g.Codes) <= MaxTrendLines:
		codes = append([]string(nil), g.Codes...)
	case len(codes) == 1 && !g.IsNetwork() && len(g.Codes) < MaxTrendLines:
		for _, c := range g.Codes {
			if c != codes[0] {
				codes = append(codes, c)
			}
		}
	}
	if len(codes) > MaxTrendLines {
		return nil, domain.Invalid("välj högst %d kommuner", MaxTrendLines)
	}
	for _, c := range codes {
		if _, ok := e.Regions.Get(c); !ok {
			return nil, domain.NotFound("kommunen %q finns inte", c)
		}
	}
	return codes, nil
}

// trendBase is the index base when none is asked for: the first year every
// line has, preferring one the county and riket lines have too, so they
// are drawn (an index needs its base year).
func (e *Env) trendBase(t *Table, codes []string) int {
	ss := make([]derive.Series, 0, len(codes))
	for _, c := range codes {
		s, _ := e.regionSeries(t, c)
		ss = append(ss, s)
	}
	base := firstYearAll(t.Years, ss...)
	refs := append([]derive.Series(nil), ss...)
	for _, code := range refRegions(e, codes) {
		s, _ := e.regionSeries(t, code)
		refs = append(refs, s)
	}
	for _, y := range t.Years {
		if allHave(y, refs) {
			return y
		}
	}
	return base
}

// refRegions are the county of the first municipality shown and riket,
// less any already shown as a line of its own.
func refRegions(env *Env, codes []string) []string {
	var out []string
	for _, c := range codes {
		if r, ok := env.Regions.Get(c); ok && r.Kind() == domain.KindMunicipality {
			out = append(out, r.CountyCode)
			break
		}
	}
	out = append(out, domain.RiketCode)
	return slices.DeleteFunc(out, func(c string) bool { return slices.Contains(codes, c) })
}

// trendRefs are the reference lines: the group's median (of the members'
// own figures or own indexes, year by year over the members that have
// one), the county of the first municipality shown, and riket.
func trendRefs(env *Env, t *Table, p TrendParams, g Group) []TrendSeries {
	aggs := aggregateSeries(env.groupSeries(g, inputs{values: t}, p.Measure, p.Base, 0), t.Years)
	med := TrendSeries{Code: "median", Name: g.Name + ", median", Kind: domain.RefMedian, Of: len(g.Codes)}
	for _, y := range t.Years {
		a, ok := aggs[y]
		med.Values = append(med.Values, ptr(a.Median, ok))
		med.N = append(med.N, a.N)
		med.Sources = append(med.Sources, nil)
	}
	refs := []TrendSeries{med}
	for _, code := range refRegions(env, p.Codes) {
		s, summed := env.measured(inputs{values: t}, code, p.Measure, p.Base, 0)
		kind := domain.RefCounty
		if code == domain.RiketCode {
			kind = domain.RefRiket
		}
		ts := TrendSeries{Code: code, Name: env.Regions.Name(code), Kind: kind}
		for _, y := range t.Years {
			ts.Values = append(ts.Values, ptr(s[y], hasYear(s, y)))
			ts.Summed = append(ts.Summed, summed[y])
			if summed[y] {
				ts.Sources = append(ts.Sources, nil)
			} else {
				ts.Sources = append(ts.Sources, sourceAt(t, code, y))
			}
		}
		refs = append(refs, ts)
	}
	return refs
}
