package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Karta (/karta): one indicator, one year, on the municipality map.

type mapContent struct {
	V          *report.MapView
	Chart      *chartEmbed
	HasData    bool
	Indicators []option
	Genders    []option // nil: the indicator has no gender split
	Measures   []option
	Years      []option
	Links      links
}

func (s *Server) mapPage(c *fiber.Ctx) error {
	q, err := s.parseView(c, true)
	if err != nil {
		return err
	}
	p := report.MapParams{Indicator: q.Indicator, Year: q.Year, Measure: q.Measure, Base: q.Base, Period: q.Period}
	return s.serveCached(c, func() (response, error) {
		v, err := report.Map(c.UserContext(), s.deps.Env, s.deps.Data, p)
		if err != nil {
			return response{}, err
		}
		if q.Format != "" {
			return download(v.ExportTables(s.describeSource), q.Format, fileName("karta", v.Indicator.ID, strconv.Itoa(v.Params.Year), string(v.Params.Measure)))
		}
		return s.mapHTML(c, v)
	})
}

func (s *Server) mapHTML(c *fiber.Ctx, v *report.MapView) (response, error) {
	areas := make([]charts.Area, len(v.Items))
	for i, it := range v.Items {
		areas[i] = charts.Area{Code: it.Code, Name: it.Name, Value: it.Value, Member: it.Member}
	}
	title := v.Indicator.Name + " " + strconv.Itoa(v.Params.Year)
	chart, err := embedChart(charts.Choropleth(charts.MapInput{
		ID: "karta", Title: title, Sub: v.Params.Measure.Label() + " · medlemmar har svart kant",
		Format: charts.Format{Decimals: v.Decimals, Unit: v.Unit}, GeoURL: "/static/geo/kommuner.geojson?v=" + assetVersion,
		Areas: areas,
	}))
	if err != nil {
		return response{}, err
	}
	pp := v.Params
	content := mapContent{
		V: v, Chart: chart, HasData: v.Missing < len(v.Items), Genders: s.genderOptions(v.Indicator),
		Indicators: s.indicatorOptions(pp.Indicator, nil),
		Measures:   measureOptions(v.Measures, pp.Measure),
		Years:      yearOptions(v.Years, pp.Year),
		Links:      viewParams{Indicator: pp.Indicator, Year: pp.Year, Measure: pp.Measure, Base: pp.Base, Period: pp.Period}.links("/karta"),
	}
	return s.htmlPage(c, "map", page{Title: "Karta: " + title, Nav: "karta", Content: content, HasCharts: true})
}
