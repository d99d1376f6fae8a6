package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Jämför (/jamfor): one indicator, one year, every municipality ranked.

type compareContent struct {
	V          *report.CompareView
	Chart      *chartEmbed
	HasData    bool // no figure at all: a notice instead of an empty chart
	Indicators []option
	Genders    []option // nil: the indicator has no gender split
	Measures   []option
	Years      []option
	BaseYears  []option
	Kommuner   []option
	Groups     []option
	Links      links
}

func (s *Server) comparePage(c *fiber.Ctx) error {
	q, err := s.parseView(c, true)
	if err != nil {
		return err
	}
	p := report.CompareParams{Indicator: q.Indicator, Kommun: q.Kommun, Year: q.Year, Measure: q.Measure, Base: q.Base, Period: q.Period}
	return s.serveCached(c, func() (response, error) {
		g, err := s.deps.Env.ResolveGroup(q.Group, p.Kommun)
		if err != nil {
			return response{}, err
		}
		p.Group = g
		v, err := report.Compare(c.UserContext(), s.deps.Env, s.deps.Data, p)
		if err != nil {
			return response{}, err
		}
		if q.Format != "" {
			return download(v.ExportTables(s.describeSource), q.Format, fileName("jamfor", v.Indicator.ID, strconv.Itoa(v.Params.Year), string(v.Measure)))
		}
		return s.compareHTML(c, v)
	})
}

func (s *Server) compareHTML(c *fiber.Ctx, v *report.CompareView) (response, error) {
	bars := make([]charts.Bar, len(v.Rows))
	for i, r := range v.Rows {
		bars[i] = charts.Bar{Label: r.Name, Value: r.Value, Member: r.InGroup, Selected: r.Selected}
	}
	// County and riket totals dwarf a municipality's count: draw them only
	// for comparable measures (rates, per 1,000, shares, change, index);
	// the table always has them.
	comparable := v.Measure != derive.MeasureAbsolute || v.Indicator.Rate
	var refs []charts.RefLine
	for _, r := range v.Refs {
		if r.Kind.Aggregate() || comparable {
			label := shortRef(r)
			if r.Partial {
				label += " (" + r.Note + ")"
			}
			refs = append(refs, charts.RefLine{Kind: r.Kind, Label: label, Value: r.Value})
		}
	}
	title := v.Indicator.Name
	if v.HasFigures() {
		title += " " + strconv.Itoa(v.Params.Year)
	}
	in := charts.RankingInput{
		ID: "ranking", Title: title, Sub: v.Measure.Label() + " · " + v.Unit,
		Format: charts.Format{Decimals: v.Decimals, Unit: v.Unit}, Bars: bars, Refs: refs,
	}
	if v.Measure == derive.MeasureIndex {
		// An index is read against its base: bars go right of 100 for
		// growth and left of it for decline.
		base := 100.0
		in.Baseline = &base
	}
	chart, err := embedChart(charts.Ranking(in))
	if err != nil {
		return response{}, err
	}
	pp := v.Params
	content := compareContent{
		V: v, Chart: chart, HasData: anyRank(v.Rows), Genders: s.genderOptions(v.Indicator),
		Indicators: s.indicatorOptions(pp.Indicator, nil),
		Measures:   measureOptions(v.Measures, pp.Measure),
		Years:      yearOptions(v.Years, pp.Year),
		BaseYears:  yearOptions(v.Years, pp.Base),
		Kommuner:   s.municipalityOptions(pp.Kommun, true),
		Groups:     groupOptions(v.Group),
		Links: viewParams{Indicator: pp.Indicator, Year: pp.Year, Kommun: pp.Kommun, Measure: pp.Measure,
			Base: pp.Base, Period: pp.Period, Group: v.Group.Key}.links("/jamfor"),
	}
	return s.htmlPage(c, "compare", page{Title: "Jämför: " + title, Nav: "jamfor", Content: content, HasCharts: true})
}

func anyRank(rows []report.RankRow) bool {
	for _, r := range rows {
		if r.Value != nil {
			return true
		}
	}
	return false
}

// shortRef is a reference line's label on the chart, short enough not to
// collide with its neighbours; the table has the long names.
func shortRef(r report.Ref) string {
	switch r.Kind {
	case domain.RefMedian:
		return "Median"
	case domain.RefMean:
		return "Medel"
	}
	return r.Label
}
