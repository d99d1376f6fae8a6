package report

import (
	"context"
	"sort"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// CompareParams is the state of the Jämför page, all from the URL.
type CompareParams struct {
	Indicator string
	Year      int // 0: the latest year with member figures
	Kommun    string
	Measure   derive.Measure
	Base      int // index base year; 0: the first year with figures
	Period    int // years for the change measure; 0: 5
	// Group is what the municipality is ranked among and the median and
	// mean are taken over; empty: the network.
	Group Group
}

// RankRow is one bar and one table row.
type RankRow struct {
	Rank     int // 1 = highest; 0 when the value is missing
	Code     string
	Name     string
	Value    *float64 // the measured value; nil = missing
	Raw      *float64 // the indicator's own figure that year
	Member   bool     // a member of the network
	InGroup  bool     // a member of the compared group
	Selected bool
	Source   *domain.Source // provenance of Raw
	// Discrepancy says where another source's figure for the same thing
	// differs (see Discrepancies); "" when none does.
	Discrepancy string
}

// Ref is a reference line: network median and mean, the county, riket.
type Ref struct {
	Kind  domain.RefKind // median, mean, county or riket
	Label string
	Value *float64
	Note  string // e.g. "summa av länets kommuner", "7 av 11 medlemmar"
	// Partial is set when a median or mean counted fewer than all the
	// group's members (Note says how many).
	Partial bool
}

// CompareView is everything the Jämför page shows.
type CompareView struct {
	Params     CompareParams
	Indicator  domain.Indicator
	Measure    derive.Measure
	Unit       string
	Decimals   int
	Years      []int
	Rows       []RankRow
	Refs       []Ref
	Selected   *domain.Region
	Group      Group
	Sources    []domain.Source
	Precedence string
	Measures   []derive.Measure // measures that apply to the indicator
	// MeasureNote says which measure was asked for and does not fit the
	// indicator, and which one is shown instead ("" when it fitted).
	MeasureNote string
	// RowSources is set when the rows' figures come from different
	// sources: only then does each row name its own; otherwise the one
	// source is stated once under the table.
	RowSources bool
}

// HasFigures reports whether the indicator has any figure at all: without
// one there is no year to show and nothing to download.
func (v *CompareView) HasFigures() bool { return len(v.Years) > 0 }

// ShowRaw reports whether the table needs the indicator's own figure
// beside the measured value: for the absolute measure they are the same
// number, shown once.
func (v *CompareView) ShowRaw() bool { return v.Measure != derive.MeasureAbsolute }

// nearestMeasure is the measure that fits ind and is closest to m: per
// 1 000 and share stand in for each other (both relate a count to a
// whole), else the first the indicator offers (the figure itself).
func nearestMeasure(ind domain.Indicator, m derive.Measure) derive.Measure {
	var try []derive.Measure
	switch m {
	case derive.MeasurePer1000:
		try = []derive.Measure{derive.MeasureShare}
	case derive.MeasureShare:
		try = []derive.Measure{derive.MeasurePer1000}
	}
	for _, t := range try {
		if t.Applies(ind) {
			return t
		}
	}
	if ms := applicable(ind); len(ms) > 0 {
		return ms[0]
	}
	return derive.MeasureAbsolute
}

// distinctSources lists the different sources behind the rows' figures.
func distinctSources(rows []RankRow) []domain.Source {
	var out []domain.Source
	seen := map[domain.Source]bool{}
	for _, r := range rows {
		if r.Source != nil && !seen[*r.Source] {
			seen[*r.Source] = true
			out = append(out, *r.Source)
		}
	}
	return out
}

// Compare builds the ranking of the members (and the selected
// municipality) for one indicator, year and measure.
func Compare(ctx context.Context, env *Env, d *Data, p CompareParams) (*CompareView, error) {
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
	v.Refs = env.compareRefs(in, g, sel, p)
	v.Sources = compareSources(in, codes, sel, p)
	return v, nil
}

// fitMeasure gives the measure to show: absolute when none is asked for,
// and for one that does not fit the indicator (per 1 000 of the population
// itself) the nearest that does, with a note, rather than an error page
// for a link that was merely stale.
func fitMeasure(ind domain.Indicator, m derive.Measure) (derive.Measure, string) {
	if m == "" {
		m = derive.MeasureAbsolute
	}
	if m.Applies(ind) {
		return m, ""
	}
	fitted := nearestMeasure(ind, m)
	return fitted, "Måttet " + m.Label() + " passar inte " + ind.Name + "; sidan visar " + fitted.Label() + " i stället."
}

// municipality looks up the selected municipality; "" is none.
func (e *Env) municipality(code string) (*domain.Region, error) {
	if code == "" {
		return nil, nil
	}
	r, ok := e.Regions.Get(code)
	if !ok || r.Kind() != domain.KindMunicipality {
		return nil, domain.NotFound("kommunen %q finns inte", code)
	}
	return &r, nil
}

// compareRefs are the reference lines: the group's median and mean of the
// members' own measured figures (own changes, own indexes), over the
// members that have one; the selected municipality's county; riket. A
// county or riket figure summed from municipalities says so.
func (e *Env) compareRefs(in inputs, g Group, sel *domain.Region, p CompareParams) []Ref {
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
func compareSources(in inputs, codes []string, sel *domain.Region, p CompareParams) []domain.Source {
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

// summedAt reports whether any year a compared figure rests on (the year,
// the index base, the start of the change) is a sum of municipalities.
func summedAt(summed map[int]bool, p CompareParams) bool {
	switch {
	case summed[p.Year]:
		return true
	case p.Measure == derive.MeasureIndex:
		return summed[p.Base]
	case p.Measure == derive.MeasureChange:
		return summed[p.Year-p.Period]
	}
	return false
}

// rankRows sorts by value, highest first, missing last (by name), and
// numbers the ranks; ties share a rank.
func rankRows(rows []RankRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].Value, rows[j].Value
		switch {
		case a == nil && b == nil:
			return rows[i].Name < rows[j].Name
		case a == nil:
			return false
		case b == nil:
			return true
		case *a != *b:
			return *a > *b
		}
		return rows[i].Name < rows[j].Name
	})
	for i := range rows {
		switch {
		case rows[i].Value == nil:
			rows[i].Rank = 0
		case i > 0 && rows[i-1].Value != nil && *rows[i-1].Value == *rows[i].Value:
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = i + 1
		}
	}
}

// firstCommonYear is the first year in which any of codes has a figure.
func firstCommonYear(t *Table, codes []string) int {
	for _, y := range t.Years {
		for _, c := range codes {
			if _, ok := t.Value(c, y); ok {
				return y
			}
		}
	}
	return 0
}

func hasYear(s derive.Series, y int) bool {
	_, ok := s[y]
	return ok
}

// applicable lists the measures that make sense for the indicator, in the
// order the page offers them.
func applicable(ind domain.Indicator) []derive.Measure {
	var out []derive.Measure
	for _, m := range derive.Measures() {
		if m.Applies(ind) {
			out = append(out, m)
		}
	}
	return out
}

// unitFor is the unit of a measured value.
func unitFor(ind domain.Indicator, m derive.Measure) string {
	switch m {
	case derive.MeasurePer1000:
		return "per 1 000 invånare"
	case derive.MeasureShare, derive.MeasureChange:
		return "%"
	case derive.MeasureIndex:
		return "index"
	}
	return ind.Unit
}

func decimalsFor(ind domain.Indicator, m derive.Measure) int {
	if m == derive.MeasureAbsolute {
		return ind.Decimals
	}
	return 1
}

func mergeSources(a, b []domain.Source) []domain.Source {
	seen := map[domain.Source]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			a = append(a, s)
			seen[s] = true
		}
	}
	return a
}
