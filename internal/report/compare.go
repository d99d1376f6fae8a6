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
	Kind  string // "median", "mean", "county", "riket"
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
	if p.Measure == "" {
		p.Measure = derive.MeasureAbsolute
	}
	// A measure that does not fit the indicator (per 1 000 of the
	// population itself) gives the nearest one that does, with a note,
	// rather than an error page for a link that was merely stale.
	measureNote := ""
	if !p.Measure.Applies(ind) {
		fitted := nearestMeasure(ind, p.Measure)
		measureNote = "Måttet " + p.Measure.Label() + " passar inte " + ind.Name + "; sidan visar " + fitted.Label() + " i stället."
		p.Measure = fitted
	}
	var sel *domain.Region
	if p.Kommun != "" {
		r, ok := env.Regions.Get(p.Kommun)
		if !ok || r.Kind() != domain.KindMunicipality {
			return nil, domain.NotFound("kommunen %q finns inte", p.Kommun)
		}
		sel = &r
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

	// The group's median and mean of the members' own measured figures
	// (own changes, own indexes), over the members that have one.
	agg, ok := aggregateYear(env.groupSeries(g, in, p.Measure, p.Base, p.Period), p.Year)
	v.Refs = append(v.Refs,
		Ref{Kind: "median", Label: g.Name + ", median", Value: ptr(agg.Median, ok), Note: agg.CountNote(), Partial: ok && agg.Partial()},
		Ref{Kind: "mean", Label: g.Name + ", medelvärde", Value: ptr(agg.Mean, ok), Note: agg.CountNote(), Partial: ok && agg.Partial()},
	)
	if sel != nil {
		county, _ := env.Regions.Get(sel.CountyCode)
		s, summed := env.measured(in, county.Code, p.Measure, p.Base, p.Period)
		r := Ref{Kind: "county", Label: county.Name, Value: ptr(s[p.Year], hasYear(s, p.Year))}
		if summedAt(summed, p) {
			r.Note = "summa av länets kommuner"
		}
		v.Refs = append(v.Refs, r)
	}
	s, summed := env.measured(in, domain.RiketCode, p.Measure, p.Base, p.Period)
	r := Ref{Kind: "riket", Label: "Riket", Value: ptr(s[p.Year], hasYear(s, p.Year))}
	if summedAt(summed, p) {
		r.Note = "summa av landets kommuner"
	}
	v.Refs = append(v.Refs, r)

	refCodes := append(codes, domain.RiketCode)
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
	v.Sources = mergeSources(v.Sources, in.values.Sources(refCodes, years))
	if in.population != nil {
		v.Sources = mergeSources(v.Sources, in.population.Sources(refCodes, years))
	}
	if in.jobs != nil {
		v.Sources = mergeSources(v.Sources, in.jobs.Sources(refCodes, years))
	}
	return v, nil
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
