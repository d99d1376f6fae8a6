package report

import (
	"context"

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
}

// TrendView is the Trend page.
type TrendView struct {
	Params     TrendParams
	Indicator  domain.Indicator
	Unit       string
	Decimals   int
	Years      []int
	Series     []TrendSeries
	Sources    []domain.Source
	Precedence string
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
	if len(p.Codes) == 0 {
		p.Codes = append([]string(nil), env.Members...)
	}
	if len(p.Codes) > MaxTrendLines {
		return nil, domain.Invalid("välj högst %d kommuner", MaxTrendLines)
	}
	for _, c := range p.Codes {
		if _, ok := env.Regions.Get(c); !ok {
			return nil, domain.NotFound("kommunen %q finns inte", c)
		}
	}
	t, err := d.Table(ctx, p.Indicator)
	if err != nil {
		return nil, err
	}
	if p.Measure == derive.MeasureIndex && p.Base == 0 {
		ss := make([]derive.Series, 0, len(p.Codes))
		for _, c := range p.Codes {
			s, _ := env.regionSeries(t, c)
			ss = append(ss, s)
		}
		p.Base = firstYearAll(t.Years, ss...)
	}
	v := &TrendView{Params: p, Indicator: ind, Unit: unitFor(ind, p.Measure), Decimals: decimalsFor(ind, p.Measure), Years: t.Years, Precedence: env.Precedence.Describe()}
	for _, c := range p.Codes {
		s, _ := env.measured(inputs{values: t}, c, p.Measure, p.Base, 0)
		ts := TrendSeries{Code: c, Name: env.Regions.Name(c), Member: env.IsMember(c)}
		for _, y := range t.Years {
			ts.Values = append(ts.Values, ptr(s[y], hasYear(s, y)))
			ts.Sources = append(ts.Sources, sourceAt(t, c, y))
		}
		v.Series = append(v.Series, ts)
	}
	v.Sources = t.Sources(p.Codes, nil)
	return v, nil
}
