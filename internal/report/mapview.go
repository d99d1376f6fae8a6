package report

import (
	"context"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// MapParams is the state of the Karta page.
type MapParams struct {
	Indicator string
	Year      int
	Measure   derive.Measure
	Base      int
	Period    int
}

// MapItem is one municipality on the map.
type MapItem struct {
	Code   string
	Name   string
	Value  *float64
	Member bool
}

// MapView is the Karta page: every municipality, members outlined.
type MapView struct {
	Params     MapParams
	Indicator  domain.Indicator
	Unit       string
	Decimals   int
	Years      []int
	Items      []MapItem
	Min, Max   *float64
	Missing    int
	Sources    []domain.Source
	Measures   []derive.Measure
	Precedence string
	// MeasureNote says which measure was asked for and does not fit the
	// indicator, and which one the page shows instead; "" when it fits.
	MeasureNote string
}

// Map builds the choropleth's values for all 290 municipalities.
func Map(ctx context.Context, env *Env, d *Data, p MapParams) (*MapView, error) {
	ind, ok := env.Catalogue.Get(p.Indicator)
	if !ok {
		return nil, domain.NotFound("indikatorn %q finns inte", p.Indicator)
	}
	// A measure the indicator does not offer (a link kept while switching
	// indicator) shows the nearest one with a note, as Jämför does.
	var measureNote string
	p.Measure, measureNote = fitMeasure(ind, p.Measure)
	in, err := loadInputs(ctx, d, p.Indicator, p.Measure)
	if err != nil {
		return nil, err
	}
	if p.Period == 0 {
		p.Period = 5
	}
	munis := env.Regions.Municipalities()
	codes := make([]string, len(munis))
	for i, r := range munis {
		codes[i] = r.Code
	}
	if p.Year == 0 {
		p.Year = latestYear(in.values, codes)
	}
	if p.Base == 0 {
		p.Base = firstCommonYear(in.values, codes)
	}
	v := &MapView{Params: p, Indicator: ind, Unit: unitFor(ind, p.Measure), Decimals: decimalsFor(ind, p.Measure),
		Years: in.values.Years, Measures: applicable(ind), Precedence: env.Precedence.Describe(), MeasureNote: measureNote}
	for _, r := range munis {
		it := MapItem{Code: r.Code, Name: r.Name, Member: env.IsMember(r.Code)}
		if s, _ := env.measured(in, r.Code, p.Measure, p.Base, p.Period); s != nil {
			it.Value = ptr(s[p.Year], hasYear(s, p.Year))
		}
		if it.Value == nil {
			v.Missing++
		} else {
			if v.Min == nil || *it.Value < *v.Min {
				v.Min = ptr(*it.Value, true)
			}
			if v.Max == nil || *it.Value > *v.Max {
				v.Max = ptr(*it.Value, true)
			}
		}
		v.Items = append(v.Items, it)
	}
	years := map[int]bool{p.Year: true}
	v.Sources = in.values.Sources(codes, years)
	if in.population != nil {
		v.Sources = mergeSources(v.Sources, in.population.Sources(codes, years))
	}
	if in.jobs != nil {
		v.Sources = mergeSources(v.Sources, in.jobs.Sources(codes, years))
	}
	return v, nil
}
