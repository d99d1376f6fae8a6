package server

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Trend (/trend): one indicator over the years for chosen municipalities.

type trendContent struct {
	V       *report.TrendView
	Chart   *chartEmbed
	HasData bool
	// RefsInTableOnly: county and riket are left out of the chart (their
	// totals would flatten the municipalities' lines), not of the table.
	RefsInTableOnly bool
	Indicators      []option
	Genders         []option // nil: the indicator has no gender split
	Measures        []option
	Kommuner        []optionGroup // members, then each county: checkboxes
	Highlight       []option      // the chosen municipalities, one to emphasise
	Codes           string
	Groups          []option
	Links           links
	Max             int
}

func (s *Server) trendPage(c *fiber.Ctx) error {
	q, err := s.parseView(c, false)
	if err != nil {
		return err
	}
	p := report.TrendParams{Indicator: q.Indicator, Codes: q.codes(), Measure: q.Measure, Base: q.Base}
	return s.serveCached(c, func() (response, error) {
		first := ""
		if len(p.Codes) > 0 {
			first = p.Codes[0]
		}
		g, err := s.deps.Env.ResolveGroup(q.Group, first)
		if err != nil {
			return response{}, err
		}
		p.Group = g
		v, err := report.Trend(c.UserContext(), s.deps.Env, s.deps.Data, p)
		if err != nil {
			return response{}, err
		}
		if q.Format != "" {
			return download(v.ExportTables(s.describeSource), q.Format, fileName("trend", v.Indicator.ID, string(v.Params.Measure)))
		}
		return s.trendHTML(c, v, q.Highlight)
	})
}

// trendHTML draws the lines; highlight (a chosen code, "" or unknown: the
// first) is the municipality the reader follows, drawn thick and on top.
func (s *Server) trendHTML(c *fiber.Ctx, v *report.TrendView, highlight string) (response, error) {
	if !slices.ContainsFunc(v.Series, func(ts report.TrendSeries) bool { return ts.Code == highlight }) {
		highlight = ""
		if len(v.Series) > 0 {
			highlight = v.Series[0].Code
		}
	}
	lines := make([]charts.Line, 0, len(v.Series)+len(v.Refs))
	for _, ts := range v.Series {
		lines = append(lines, charts.Line{Name: ts.Name, Values: ts.Values, Emphasis: ts.Code == highlight && len(v.Series) > 1})
	}
	refsLeftOut := false
	for _, ts := range v.Refs {
		if !refOnChart(v.Params.Measure, v.Indicator, ts.Kind) {
			refsLeftOut = true
			continue
		}
		lines = append(lines, charts.Line{Name: ts.Name, Values: ts.Values, Kind: ts.Kind, Hollow: ts.Partial()})
	}
	sub := v.Unit
	if v.Params.Measure == derive.MeasureIndex {
		sub = "Index, " + strconv.Itoa(v.Params.Base) + " = 100"
	}
	chart, err := embedChart(charts.Lines(charts.LinesInput{
		ID: "trend", Title: v.Indicator.Name, Sub: sub, Format: charts.Format{Decimals: v.Decimals, Unit: v.Unit}, Years: v.Years, Lines: lines,
		Breaks: breakYears(v.Indicator),
	}))
	if err != nil {
		return response{}, err
	}
	codes := strings.Join(v.Params.Codes, ",")
	content := trendContent{
		V: v, Chart: chart, Codes: codes, Max: report.MaxTrendLines, HasData: anyLine(v.Series), Genders: s.genderOptions(v.Indicator),
		RefsInTableOnly: refsLeftOut,
		Indicators:      s.indicatorOptions(v.Params.Indicator, nil),
		Measures:        measureOptions(trendMeasures(v.Indicator), v.Params.Measure),
		Groups:          groupOptions(v.Group),
		Links:           viewParams{Indicator: v.Params.Indicator, Kommun: codes, Measure: v.Params.Measure, Base: v.Params.Base, Group: v.Group.Key, Highlight: nonFirst(highlight, v.Params.Codes)}.links("/trend"),
	}
	kommuner := s.municipalityOptions("", false)
	for i := range kommuner {
		kommuner[i].Selected = slices.Contains(v.Params.Codes, kommuner[i].Value)
	}
	content.Kommuner = groupedOptions(kommuner)
	for _, ts := range v.Series {
		content.Highlight = append(content.Highlight, option{Value: ts.Code, Label: ts.Name, Selected: ts.Code == highlight})
	}
	return s.htmlPage(c, "trend", page{Title: "Trend: " + v.Indicator.Name, Nav: "trend", Content: content, HasCharts: true})
}

// nonFirst is the highlighted code for the permalink: empty when it is the
// first code, which is emphasised anyway, so equal views share one URL.
func nonFirst(code string, codes []string) string {
	if len(codes) > 0 && codes[0] == code {
		return ""
	}
	return code
}

func anyLine(series []report.TrendSeries) bool {
	for _, s := range series {
		for _, v := range s.Values {
			if v != nil {
				return true
			}
		}
	}
	return false
}

// trendMeasures are the trend page's measures (the figure and an index)
// that fit the indicator.
func trendMeasures(ind domain.Indicator) []derive.Measure {
	var out []derive.Measure
	for _, m := range []derive.Measure{derive.MeasureAbsolute, derive.MeasureIndex} {
		if m.Applies(ind) {
			out = append(out, m)
		}
	}
	return out
}
