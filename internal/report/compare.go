package report

import (
	"context"
	"slices"
	"sort"
	"sync"

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
	b, err := NewCompareBase(ctx, env, d, p)
	if err != nil {
		return nil, err
	}
	return b.View(p.Kommun)
}

// CompareBase is a comparison without its highlighted municipality: the
// group's rows ranked, its median and mean, riket and the sources of all
// of them. It is what every highlighted municipality's page shares, built
// once per view and data version (issue #15); View adds the one
// municipality. A CompareBase is read-only after NewCompareBase and safe
// for concurrent use.
type CompareBase struct {
	env         *Env
	in          inputs
	disc        discrepancyIndex
	ind         domain.Indicator
	measureNote string
	asked       CompareParams // as asked, Year and Base maybe 0
	p           CompareParams // with the defaults filled in for the group alone
	rows        []RankRow     // the group's, ranked, none selected
	index       map[string]int
	distinct    []domain.Source // the rows' different sources
	groupRefs   []Ref           // median and mean
	riket       Ref
	sources     [3][]domain.Source // figures, population, jobs: the group's and riket's sources
	years       map[int]bool       // the years the sources are taken from
	precedence  string
	sels        *sync.Map // municipality code → *selection
}

// NewCompareBase loads the indicator's tables and ranks the group. The
// highlighted municipality (p.Kommun) is not part of it, except that it
// must name a municipality when given; a group that depends on one
// (county, similar municipalities) must already be resolved in p.Group.
func NewCompareBase(ctx context.Context, env *Env, d *Data, p CompareParams) (*CompareBase, error) {
	ind, ok := env.Catalogue.Get(p.Indicator)
	if !ok {
		return nil, domain.NotFound("indikatorn %q finns inte", p.Indicator)
	}
	if _, err := env.municipality(p.Kommun); err != nil {
		return nil, err
	}
	b := &CompareBase{env: env, ind: ind, precedence: env.Precedence.Describe(), sels: &sync.Map{}}
	p.Measure, b.measureNote = fitMeasure(ind, p.Measure)
	var err error
	if b.disc, err = env.discrepancies(ctx, d); err != nil {
		return nil, err
	}
	if b.in, err = loadInputs(ctx, d, p.Indicator, p.Measure); err != nil {
		return nil, err
	}
	if p.Period == 0 {
		p.Period = 5
	}
	if p.Period < 1 || p.Period > 50 {
		return nil, domain.Invalid("perioden måste vara 1–50 år")
	}
	p.Group = env.orNetwork(p.Group)
	p.Kommun = ""
	b.asked = p
	b.rank(b.defaults(p, p.Group.Codes))
	return b, nil
}

// defaults fills in the year and the index base the view shows when the
// URL gives none: the latest year and the first year any of codes has a
// figure.
func (b *CompareBase) defaults(p CompareParams, codes []string) CompareParams {
	if p.Base == 0 && len(b.in.values.Years) > 0 {
		p.Base = firstCommonYear(b.in.values, codes)
	}
	if p.Year == 0 {
		p.Year = latestYear(b.in.values, codes)
	}
	return p
}

// rank builds the group's rows, references and sources for p.
func (b *CompareBase) rank(p CompareParams) {
	b.p = p
	g := p.Group
	b.rows = make([]RankRow, 0, len(g.Codes))
	for _, c := range g.Codes {
		b.rows = append(b.rows, b.row(c))
	}
	rankRows(b.rows)
	b.index = make(map[string]int, len(b.rows))
	for i, r := range b.rows {
		b.index[r.Code] = i
	}
	b.distinct = distinctSources(b.rows)
	agg, ok := aggregateYear(b.env.groupSeries(g, b.in, p.Measure, p.Base, p.Period), p.Year)
	b.groupRefs = []Ref{
		{Kind: domain.RefMedian, Label: g.Name + ", median", Value: ptr(agg.Median, ok), Note: agg.CountNote(), Partial: ok && agg.Partial()},
		{Kind: domain.RefMean, Label: g.Name + ", medelvärde", Value: ptr(agg.Mean, ok), Note: agg.CountNote(), Partial: ok && agg.Partial()},
	}
	s, summed := b.env.measured(b.in, domain.RiketCode, p.Measure, p.Base, p.Period)
	b.riket = Ref{Kind: domain.RefRiket, Label: "Riket", Value: ptr(s[p.Year], hasYear(s, p.Year))}
	if summedAt(summed, p) {
		b.riket.Note = "summa av landets kommuner"
	}
	b.years = map[int]bool{p.Year: true}
	if p.Measure == derive.MeasureIndex {
		b.years[p.Base] = true
	}
	if p.Measure == derive.MeasureChange {
		b.years[p.Year-p.Period] = true
	}
	refCodes := append(append([]string(nil), g.Codes...), domain.RiketCode)
	for i, t := range b.tables() {
		if t != nil {
			b.sources[i] = t.Sources(refCodes, b.years)
		}
	}
}

// tables are the figures and the population and jobs behind a derived
// measure (nil when the measure needs none).
func (b *CompareBase) tables() [3]*Table {
	return [3]*Table{b.in.values, b.in.population, b.in.jobs}
}

// row is one municipality's row, not yet ranked or selected.
func (b *CompareBase) row(c string) RankRow {
	env, in, p := b.env, b.in, b.p
	row := RankRow{Code: c, Name: env.Regions.Name(c), Member: env.IsMember(c), InGroup: p.Group.Has(c)}
	if s, _ := env.measured(in, c, p.Measure, p.Base, p.Period); s != nil {
		row.Value = ptr(s[p.Year], hasYear(s, p.Year))
	}
	row.Raw = ptr(in.values.Value(c, p.Year))
	if src, ok := in.values.Source(c, p.Year); ok {
		row.Source = &src
		row.Discrepancy = b.disc.note(b.ind, c, p.Year)
	}
	return row
}

// Params are the view's parameters with the defaults filled in for the
// group alone: what pages sharing this base have in common.
func (b *CompareBase) Params() CompareParams { return b.p }

// View is the comparison with code highlighted ("" for none), as Compare
// builds it. A municipality outside the group joins the ranking; when it
// moves the default year or index base (it has figures the group lacks),
// the view is ranked again for those.
func (b *CompareBase) View(code string) (*CompareView, error) {
	sel, err := b.env.municipality(code)
	if err != nil {
		return nil, err
	}
	x := b.selection(sel)
	if x.moved {
		q := b.defaults(b.asked, append(append([]string(nil), b.p.Group.Codes...), sel.Code))
		other := *b
		other.sels = &sync.Map{}
		other.rank(q)
		return other.View(code)
	}
	p := b.p
	rows := make([]RankRow, len(b.rows), len(b.rows)+1)
	copy(rows, b.rows)
	distinct := len(b.distinct)
	if sel != nil {
		if i, in := b.index[sel.Code]; in {
			rows[i].Selected = true
		} else {
			if x.newSource {
				distinct++
			}
			rows = append(rows, x.row)
			rankRows(rows)
		}
		p.Kommun = sel.Code
	}
	v := &CompareView{
		Params: p, Indicator: b.ind, Measure: p.Measure, Unit: unitFor(b.ind, p.Measure), Decimals: decimalsFor(b.ind, p.Measure),
		Years: b.in.values.Years, Selected: sel, Group: p.Group, Precedence: b.precedence, Measures: applicable(b.ind),
		MeasureNote: b.measureNote, Rows: rows, RowSources: distinct > 1,
	}
	v.Refs = append(append(make([]Ref, 0, 4), b.groupRefs...), x.county...)
	v.Refs = append(v.Refs, b.riket)
	v.Sources = x.sources
	return v, nil
}

// selection is what a highlighted municipality adds to the base: kept
// per municipality, since the base is shared by the pages of all 290.
type selection struct {
	moved     bool    // an outsider that moves the default year or base
	row       RankRow // an outsider's row, highlighted
	newSource bool    // the outsider's figure has a source the group's lack
	county    []Ref
	sources   []domain.Source
}

// selection returns sel's additions (nil sel: none highlighted).
func (b *CompareBase) selection(sel *domain.Region) *selection {
	code := ""
	if sel != nil {
		code = sel.Code
	}
	if x, ok := b.sels.Load(code); ok {
		return x.(*selection)
	}
	x := &selection{county: b.countyRef(sel)}
	outsider := false
	if sel != nil {
		if _, in := b.index[sel.Code]; !in {
			outsider = true
			q := b.defaults(b.asked, append(append([]string(nil), b.p.Group.Codes...), sel.Code))
			x.moved = q.Year != b.p.Year || q.Base != b.p.Base
			x.row = b.row(sel.Code)
			x.row.Selected = true
			x.newSource = x.row.Source != nil && !slices.Contains(b.distinct, *x.row.Source)
		}
	}
	x.sources = b.viewSources(sel, outsider)
	got, _ := b.sels.LoadOrStore(code, x)
	return got.(*selection)
}

// countyRef is the highlighted municipality's county as a reference line
// (none without one).
func (b *CompareBase) countyRef(sel *domain.Region) []Ref {
	if sel == nil {
		return nil
	}
	p := b.p
	county, _ := b.env.Regions.Get(sel.CountyCode)
	s, summed := b.env.measured(b.in, county.Code, p.Measure, p.Base, p.Period)
	r := Ref{Kind: domain.RefCounty, Label: county.Name, Value: ptr(s[p.Year], hasYear(s, p.Year))}
	if summedAt(summed, p) {
		r.Note = "summa av länets kommuner"
	}
	return []Ref{r}
}

// viewSources lists the sources of every figure the page rests on: the
// compared municipalities', the references', and for derived measures the
// population or jobs behind them, in the years used. The group's are
// known; the highlighted municipality and its county add theirs.
func (b *CompareBase) viewSources(sel *domain.Region, outsider bool) []domain.Source {
	var extra []string
	if sel != nil {
		if outsider {
			extra = append(extra, sel.Code)
		}
		extra = append(extra, sel.CountyCode)
	}
	var out []domain.Source
	for i, t := range b.tables() {
		if t == nil {
			continue
		}
		own := b.sources[i]
		if len(extra) > 0 {
			own = sortedUnion(own, t.Sources(extra, b.years))
		}
		out = mergeSources(out, own)
	}
	return out
}

// sortedUnion merges two source lists sorted as Table.Sources sorts them
// into one, without repeats.
func sortedUnion(a, b []domain.Source) []domain.Source {
	out := append([]domain.Source(nil), a...)
	for _, s := range b {
		if !slices.Contains(a, s) {
			out = append(out, s)
		}
	}
	if len(out) > len(a) {
		sortSources(out)
	}
	return out
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
