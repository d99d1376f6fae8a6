package report

import (
	"context"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// ProfileIndicator is one indicator on a municipality's profile.
type ProfileIndicator struct {
	Indicator domain.Indicator
	// ThemeStart is set on the first indicator of each theme, for the
	// theme's heading.
	ThemeStart *domain.Theme
	Years      []int
	Own        []*float64 // the municipality, aligned with Years
	OwnSource  []*domain.Source
	// Discrepancies are notes where another source's figure differs,
	// aligned with Years ("" where none does).
	Discrepancies []string
	Median        []*float64 // the group's median of the members with a figure that year
	MedianN       []int      // how many of the group's members that median counted
	County        []*float64
	Riket         []*float64
	// CountySummed and RiketSummed mark the years whose figure is the sum
	// of the municipalities, not SCB's own county or riket row.
	CountySummed []bool
	RiketSummed  []bool
	Ranks        []int // rank among the group and the municipality (1 = highest); 0 when missing
	Ranked       []int // how many of them had a figure that year
	// Chart is what the chart draws: counts are indexed to ChartBase so a
	// municipality, the network and riket share one axis (or put per 1 000
	// inhabitants when an index does not fit, as for a net figure); rates
	// are drawn as they are.
	ChartMeasure derive.Measure
	ChartBase    int
	ChartOwn     []*float64
	ChartMedian  []*float64
	ChartCounty  []*float64
	ChartRiket   []*float64
	// ChartMedianN counts the members behind each chart median point;
	// fewer than the group's size draws the point hollow.
	ChartMedianN []int
	GroupSize    int // how many members the group has
	Latest       *float64
	LatestYear   int
	// LatestPreliminary: the source publishes the latest figure as
	// preliminary (pages write "2025*").
	LatestPreliminary bool
	Change1           *float64
	Change5           *float64
	Sources           []domain.Source
}

// ProfileView is the Kommunprofil page.
type ProfileView struct {
	// Theme is the theme shown ("" = all), Themes every theme with
	// indicators, for the picker.
	Theme      string
	Themes     []domain.Theme
	Region     domain.Region
	County     domain.Region
	Member     bool
	Group      Group
	Indicators []ProfileIndicator
	// Summary is the opening block: the latest figure of every indicator
	// the municipality has, with rank, median, county and riket.
	Summary []SummaryRow
	// NoFigures are the indicators without any figure for the municipality.
	NoFigures  []domain.Indicator
	Precedence string
}

// Profile builds the series of every indicator of the theme (all themes
// when theme is "", in theme order) for one municipality against the
// group's median (the network unless g says otherwise), its county and
// riket.
func Profile(ctx context.Context, env *Env, d *Data, code string, g Group, theme string) (*ProfileView, error) {
	r, ok := env.Regions.Get(code)
	if !ok || r.Kind() != domain.KindMunicipality {
		return nil, domain.NotFound("kommunen %q finns inte", code)
	}
	groups, err := themeGroups(env, theme)
	if err != nil {
		return nil, err
	}
	county, _ := env.Regions.Get(r.CountyCode)
	g = env.orNetwork(g)
	v := &ProfileView{Theme: theme, Region: r, County: county, Member: env.IsMember(code), Group: g, Precedence: env.Precedence.Describe()}
	for _, tg := range env.Catalogue.Groups() {
		v.Themes = append(v.Themes, tg.Theme)
	}
	var list []domain.Indicator
	starts := map[string]*domain.Theme{}
	for _, tg := range groups {
		list = append(list, tg.Indicators...)
		starts[tg.Indicators[0].ID] = &tg.Theme
	}
	disc, err := env.discrepancies(ctx, d)
	if err != nil {
		return nil, err
	}
	ranked := g
	if !g.Has(code) {
		ranked.Codes = append(append([]string(nil), g.Codes...), code)
	}
	for _, ind := range list {
		t, err := d.Table(ctx, ind.ID)
		if err != nil {
			return nil, err
		}
		in := inputs{values: t}
		pi := ProfileIndicator{Indicator: ind, ThemeStart: starts[ind.ID], Years: t.Years, GroupSize: len(g.Codes)}
		own := t.Series(code)
		countyS, countySum := env.regionSeries(t, county.Code)
		riket, riketSum := env.regionSeries(t, domain.RiketCode)
		// A level's median for a year is over the members with a figure
		// that year; the table says how many that was.
		aggs := aggregateSeries(env.groupSeries(g, in, derive.MeasureAbsolute, 0, 0), t.Years)
		medians := medianSeries(aggs)
		rankSeries := env.groupSeries(ranked, in, derive.MeasureAbsolute, 0, 0)
		for _, y := range t.Years {
			rank, n := rankOf(yearValues(ranked, rankSeries, y), code)
			pi.Ranks = append(pi.Ranks, rank)
			pi.Ranked = append(pi.Ranked, n)
			pi.Own = append(pi.Own, ptr(own[y], hasYear(own, y)))
			pi.OwnSource = append(pi.OwnSource, sourceAt(t, code, y))
			pi.Discrepancies = append(pi.Discrepancies, disc.note(ind, code, y))
			pi.Median = append(pi.Median, ptr(medians[y], hasYear(medians, y)))
			pi.MedianN = append(pi.MedianN, aggs[y].N)
			pi.County = append(pi.County, ptr(countyS[y], hasYear(countyS, y)))
			pi.CountySummed = append(pi.CountySummed, countySum[y])
			pi.Riket = append(pi.Riket, ptr(riket[y], hasYear(riket, y)))
			pi.RiketSummed = append(pi.RiketSummed, riketSum[y])
		}
		pi.ChartMeasure = derive.MeasureAbsolute
		chartOwn, chartCounty, chartRiket := own, countyS, riket
		chartAggs := aggs
		switch {
		case !ind.Rate && !derive.MeasureIndex.Applies(ind) && derive.MeasurePer1000.Applies(ind):
			// A count that an index does not fit (a net figure can be 0
			// or change sign) is put per 1 000 inhabitants instead; the
			// group's line is the median of the members' own.
			if in.population, err = d.Table(ctx, domain.IndicatorPopulation); err != nil {
				return nil, err
			}
			pi.ChartMeasure = derive.MeasurePer1000
			chartOwn, _ = env.measured(in, code, derive.MeasurePer1000, 0, 0)
			chartCounty, _ = env.measured(in, county.Code, derive.MeasurePer1000, 0, 0)
			chartRiket, _ = env.measured(in, domain.RiketCode, derive.MeasurePer1000, 0, 0)
			chartAggs = aggregateSeries(env.groupSeries(g, in, derive.MeasurePer1000, 0, 0), t.Years)
		case !ind.Rate && derive.MeasureIndex.Applies(ind):
			// Counts differ in scale by orders of magnitude: index them to
			// a year the municipality, its county and riket all have (see
			// chartBase), so every line is drawn over all its years. The network
			// line is the median of the members' own indexes (members
			// without a figure in the base year do not count), so members
			// without figures in some years cannot make it jump.
			pi.ChartMeasure = derive.MeasureIndex
			pi.ChartBase = chartBase(t.Years, own, countyS, riket)
			chartOwn = derive.Index(own, pi.ChartBase)
			chartCounty = derive.Index(countyS, pi.ChartBase)
			chartRiket = derive.Index(riket, pi.ChartBase)
			chartAggs = aggregateSeries(env.groupSeries(g, in, derive.MeasureIndex, pi.ChartBase, 0), t.Years)
		}
		chartMed := medianSeries(chartAggs)
		for _, y := range t.Years {
			pi.ChartOwn = append(pi.ChartOwn, ptr(chartOwn[y], hasYear(chartOwn, y)))
			pi.ChartMedian = append(pi.ChartMedian, ptr(chartMed[y], hasYear(chartMed, y)))
			pi.ChartMedianN = append(pi.ChartMedianN, chartAggs[y].N)
			pi.ChartCounty = append(pi.ChartCounty, ptr(chartCounty[y], hasYear(chartCounty, y)))
			pi.ChartRiket = append(pi.ChartRiket, ptr(chartRiket[y], hasYear(chartRiket, y)))
		}
		if ys := sortedYears(own); len(ys) > 0 {
			pi.LatestYear = ys[len(ys)-1]
			if src, ok := t.Source(code, pi.LatestYear); ok {
				pi.LatestPreliminary = src.Preliminary
			}
			pi.Latest = ptr(own[pi.LatestYear], true)
			pi.Change1 = changeOf(ind, own, pi.LatestYear, 1)
			pi.Change5 = changeOf(ind, own, pi.LatestYear, 5)
		}
		pi.Sources = t.Sources(append([]string{code, county.Code, domain.RiketCode}, g.Codes...), nil)
		v.Indicators = append(v.Indicators, pi)
	}
	v.summarise()
	return v, nil
}

// MedianNote is "n av N medlemmar" for the table's median in year index
// j when fewer than all members counted, else "".
func (pi ProfileIndicator) MedianNote(j int) string {
	if j < 0 || j >= len(pi.MedianN) {
		return ""
	}
	return Aggregate{N: pi.MedianN[j], Of: pi.GroupSize}.CountNote()
}

// ChartMedianHollow marks the chart's median points that counted fewer
// than all members.
func (pi ProfileIndicator) ChartMedianHollow() []bool {
	out := make([]bool, len(pi.ChartMedianN))
	for i, n := range pi.ChartMedianN {
		out[i] = n > 0 && n < pi.GroupSize
	}
	return out
}

// CountyNote and RiketNote say "summa av kommunerna" for a year whose
// figure is the sum of the municipalities rather than SCB's own row.
func (pi ProfileIndicator) CountyNote(j int) string { return sumNote(pi.CountySummed, j) }

// RiketNote: see CountyNote.
func (pi ProfileIndicator) RiketNote(j int) string { return sumNote(pi.RiketSummed, j) }

func sumNote(summed []bool, j int) string {
	if j >= 0 && j < len(summed) && summed[j] {
		return "summa av kommunerna"
	}
	return ""
}

// rankOf is code's rank among the values (1 = highest; ties share) and
// how many values there are. Rank 0: code has no value.
func rankOf(vals map[string]float64, code string) (rank, n int) {
	own, ok := vals[code]
	n = len(vals)
	if !ok {
		return 0, n
	}
	rank = 1
	for _, v := range vals {
		if v > own {
			rank++
		}
	}
	return rank, n
}

// chartBase is the index base of a profile chart: the first year in
// which the municipality, its county and riket all have a figure, so that
// all three lines are drawn (an index needs its base year); failing that,
// the first with the county, then the municipality's own first year.
func chartBase(years []int, own, county, riket derive.Series) int {
	for _, ss := range [][]derive.Series{{own, county, riket}, {own, county}} {
		for _, y := range years {
			if hasYear(ss[0], y) && allHave(y, ss[1:]) {
				return y
			}
		}
	}
	return firstYearAll(years, own)
}

func allHave(y int, ss []derive.Series) bool {
	for _, s := range ss {
		if !hasYear(s, y) {
			return false
		}
	}
	return true
}

// firstYearAll is the first year in which every series has a value, so an
// index compares like with like; else the first year of the first series
// that has any.
func firstYearAll(years []int, ss ...derive.Series) int {
	for _, y := range years {
		all := true
		for _, s := range ss {
			if !hasYear(s, y) {
				all = false
				break
			}
		}
		if all {
			return y
		}
	}
	for _, s := range ss {
		if ys := sortedYears(s); len(ys) > 0 {
			return ys[0]
		}
	}
	return 0
}
