package report

import (
	"context"
	"sort"
	"sync/atomic"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
)

// Env is the configuration every view needs: who the regions and members
// are, what the indicators mean, and the precedence rule to print.
type Env struct {
	Regions     *domain.Regions
	Catalogue   *domain.Catalogue
	Members     []string // member codes in config order
	NetworkName string
	Precedence  domain.Precedence
	// Groups holds Kolada's municipality groups for the grupp parameter;
	// nil offers only the network and the county.
	Groups *groups.Registry
	// Checks compare what two sources say of the same share (see
	// Discrepancies).
	Checks []domain.CrossCheck

	// live is the member list an admin saved, replacing Members.
	live atomic.Pointer[[]string]
}

// MemberCodes is the network's member list in use: the one an admin last
// saved (SetMembers), else Members from the configuration. Callers must
// not modify it.
func (e *Env) MemberCodes() []string {
	if p := e.live.Load(); p != nil {
		return *p
	}
	return e.Members
}

// SetMembers puts a new member list in use at once, for every page; the
// member admin page calls it after a change.
func (e *Env) SetMembers(codes []string) {
	cp := append([]string(nil), codes...)
	e.live.Store(&cp)
}

// IsMember reports whether code is a member of the network.
func (e *Env) IsMember(code string) bool {
	for _, m := range e.MemberCodes() {
		if m == code {
			return true
		}
	}
	return false
}

// inputs gathers the tables a measure needs: the indicator itself, and
// population and all jobs for per-1,000 and share views.
type inputs struct {
	values, population, jobs *Table
}

func loadInputs(ctx context.Context, d *Data, indicator string, m derive.Measure) (inputs, error) {
	var in inputs
	var err error
	if in.values, err = d.Table(ctx, indicator); err != nil {
		return in, err
	}
	if m == derive.MeasurePer1000 {
		if in.population, err = d.Table(ctx, domain.IndicatorPopulation); err != nil {
			return in, err
		}
	}
	if m == derive.MeasureShare {
		if in.jobs, err = d.Table(ctx, domain.IndicatorEmployedDay); err != nil {
			return in, err
		}
	}
	return in, nil
}

// regionSeries is a region's series for the table. A county or riket
// takes its own figures (SCB's county and riket rows) where it has them,
// and for every other year the sum of its municipalities where all of
// them have a figure (counts only; a rate cannot be summed), so a county
// is drawn for every year that has figures, not only the years its own
// row was fetched. The second result holds the years that are sums, for
// the "summa av länets kommuner" label.
func (e *Env) regionSeries(t *Table, code string) (derive.Series, map[int]bool) {
	if t == nil {
		return nil, nil
	}
	own := t.Series(code)
	kind := domain.KindOf(code)
	if t.Indicator.Rate || (kind != domain.KindCounty && kind != domain.KindCountry) {
		return own, nil
	}
	t.sumMu.Lock()
	defer t.sumMu.Unlock()
	if r, ok := t.sums[code]; ok {
		return r.series, r.years
	}
	sums := e.sumOfMunicipalities(t, code, kind)
	out := derive.Series{}
	var years map[int]bool
	for y, v := range own {
		out[y] = v
	}
	for y, v := range sums {
		if _, ok := own[y]; !ok {
			out[y] = v
			if years == nil {
				years = map[int]bool{}
			}
			years[y] = true
		}
	}
	if len(out) == 0 {
		out = nil
	}
	if t.sums == nil {
		t.sums = map[string]summed{}
	}
	t.sums[code] = summed{series: out, years: years}
	return out, years
}

// sumOfMunicipalities adds up a county's (or the country's)
// municipalities, year by year, only where every one has a figure.
func (e *Env) sumOfMunicipalities(t *Table, code string, kind domain.RegionKind) derive.Series {
	var codes []string
	for _, r := range e.Regions.Municipalities() {
		if kind == domain.KindCountry || r.CountyCode == code {
			codes = append(codes, r.Code)
		}
	}
	out := derive.Series{}
	vals := make(map[string]float64, len(codes))
	for _, y := range t.Years {
		clear(vals)
		for _, c := range codes {
			if v, ok := t.Value(c, y); ok {
				vals[c] = v
			}
		}
		if sum, ok := derive.SumComplete(vals, codes); ok {
			out[y] = sum
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// measured applies the measure to one region's series. The second result
// holds the years of the region's own series that are sums of its
// municipalities (see regionSeries).
func (e *Env) measured(in inputs, code string, m derive.Measure, base, period int) (derive.Series, map[int]bool) {
	vals, summed := e.regionSeries(in.values, code)
	if vals == nil {
		return nil, summed
	}
	var pop, jobs derive.Series
	if in.population != nil {
		pop, _ = e.regionSeries(in.population, code)
	}
	if in.jobs != nil {
		jobs, _ = e.regionSeries(in.jobs, code)
	}
	return derive.Apply(m, derive.Inputs{Values: vals, Population: pop, TotalJobs: jobs, Base: base, Period: period}), summed
}

// latestYear is the newest year in which at least one of codes has a
// figure, or the table's newest year, or 0.
func latestYear(t *Table, codes []string) int {
	for i := len(t.Years) - 1; i >= 0; i-- {
		y := t.Years[i]
		for _, c := range codes {
			if _, ok := t.Value(c, y); ok {
				return y
			}
		}
	}
	if n := len(t.Years); n > 0 {
		return t.Years[n-1]
	}
	return 0
}

// groupSeries measures every group member's series once, in the group's
// order. Views then read year after year from these instead of measuring
// again per year, which made the overview quadratic in the number of years.
func (e *Env) groupSeries(g Group, in inputs, m derive.Measure, base, period int) []derive.Series {
	out := make([]derive.Series, len(g.Codes))
	for i, c := range g.Codes {
		out[i], _ = e.measured(in, c, m, base, period)
	}
	return out
}

// yearValues returns the group members' values in one year by code.
func yearValues(g Group, series []derive.Series, year int) map[string]float64 {
	out := map[string]float64{}
	for i, s := range series {
		if v, ok := s[year]; ok {
			out[g.Codes[i]] = v
		}
	}
	return out
}

func sortedYears(s derive.Series) []int {
	ys := make([]int, 0, len(s))
	for y := range s {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

func ptr(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

// sourceAt is the provenance of one stored figure, or nil.
func sourceAt(t *Table, code string, year int) *domain.Source {
	if src, ok := t.Source(code, year); ok {
		return &src
	}
	return nil
}
