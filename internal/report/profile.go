package report

import (
	"context"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// ProfileIndicator is one indicator on a municipality's profile.
type ProfileIndicator struct {
	Indicator domain.Indicator
	Years     []int
	Own       []*float64 // the municipality, aligned with Years
	OwnSource []*domain.Source
	Median    []*float64 // network median
	County    []*float64
	Riket     []*float64
	Ranks     []int // rank among members (1 = highest); 0 when missing
	Ranked    []int // how many members had a figure that year
	// Chart is what the chart draws: counts are indexed to ChartBase so a
	// municipality, the network and riket share one axis; rates are drawn
	// as they are.
	ChartMeasure derive.Measure
	ChartBase    int
	ChartOwn     []*float64
	ChartMedian  []*float64
	ChartCounty  []*float64
	ChartRiket   []*float64
	Latest       *float64
	LatestYear   int
	Change1      *float64
	Change5      *float64
	Sources      []domain.Source
}

// ProfileView is the Kommunprofil page.
type ProfileView struct {
	Region     domain.Region
	County     domain.Region
	Member     bool
	Indicators []ProfileIndicator
	Precedence string
}

// Profile builds every indicator's series for one municipality against the
// network median, its county and riket.
func Profile(ctx context.Context, env *Env, d *Data, code string) (*ProfileView, error) {
	r, ok := env.Regions.Get(code)
	if !ok || r.Kind() != domain.KindMunicipality {
		return nil, domain.NotFound("kommunen %q finns inte", code)
	}
	county, _ := env.Regions.Get(r.CountyCode)
	v := &ProfileView{Region: r, County: county, Member: env.IsMember(code), Precedence: env.Precedence.Describe()}
	for _, ind := range env.Catalogue.All() {
		t, err := d.Table(ctx, ind.ID)
		if err != nil {
			return nil, err
		}
		in := inputs{values: t}
		pi := ProfileIndicator{Indicator: ind, Years: t.Years}
		own := t.Series(code)
		countyS, _ := env.regionSeries(t, county.Code)
		riket, _ := env.regionSeries(t, domain.RiketCode)
		medians := derive.Series{}
		absolute := env.memberSeries(in, derive.MeasureAbsolute, 0, 0)
		for _, y := range t.Years {
			vals, list := env.yearValues(absolute, y)
			if m, ok := derive.Median(list); ok {
				medians[y] = m
			}
			rank, n := rankOf(vals, code)
			pi.Ranks = append(pi.Ranks, rank)
			pi.Ranked = append(pi.Ranked, n)
			pi.Own = append(pi.Own, ptr(own[y], hasYear(own, y)))
			pi.OwnSource = append(pi.OwnSource, sourceAt(t, code, y))
			pi.Median = append(pi.Median, ptr(medians[y], hasYear(medians, y)))
			pi.County = append(pi.County, ptr(countyS[y], hasYear(countyS, y)))
			pi.Riket = append(pi.Riket, ptr(riket[y], hasYear(riket, y)))
		}
		pi.ChartMeasure = derive.MeasureAbsolute
		chartOwn, chartMed, chartCounty, chartRiket := own, medians, countyS, riket
		if !ind.Rate {
			// Counts differ in scale by orders of magnitude: index them to
			// the first year the municipality has a figure. The network
			// line is the median of the members' own indexes, so members
			// without figures in some years cannot make it jump.
			pi.ChartMeasure = derive.MeasureIndex
			pi.ChartBase = firstYearAll(t.Years, own)
			chartOwn = derive.Index(own, pi.ChartBase)
			chartCounty = derive.Index(countyS, pi.ChartBase)
			chartRiket = derive.Index(riket, pi.ChartBase)
			chartMed = derive.Series{}
			indexed := env.memberSeries(in, derive.MeasureIndex, pi.ChartBase, 0)
			for _, y := range t.Years {
				_, list := env.yearValues(indexed, y)
				if m, ok := derive.Median(list); ok {
					chartMed[y] = m
				}
			}
		}
		for _, y := range t.Years {
			pi.ChartOwn = append(pi.ChartOwn, ptr(chartOwn[y], hasYear(chartOwn, y)))
			pi.ChartMedian = append(pi.ChartMedian, ptr(chartMed[y], hasYear(chartMed, y)))
			pi.ChartCounty = append(pi.ChartCounty, ptr(chartCounty[y], hasYear(chartCounty, y)))
			pi.ChartRiket = append(pi.ChartRiket, ptr(chartRiket[y], hasYear(chartRiket, y)))
		}
		if ys := sortedYears(own); len(ys) > 0 {
			pi.LatestYear = ys[len(ys)-1]
			pi.Latest = ptr(own[pi.LatestYear], true)
			pi.Change1 = ptr(derive.Change(own, pi.LatestYear, 1))
			pi.Change5 = ptr(derive.Change(own, pi.LatestYear, 5))
		}
		pi.Sources = t.Sources(append([]string{code, county.Code, domain.RiketCode}, env.Members...), nil)
		v.Indicators = append(v.Indicators, pi)
	}
	return v, nil
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
