package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Kandidater (/kandidater): municipalities that could join by the
// network's own criteria — not members, outside Kolada's metropolitan
// groups — ranked by the industrial share of jobs at the workplace.

// candidatesCharted is how many of the ranked municipalities the chart
// draws; the table has them all.
const candidatesCharted = 25

type candidatesContent struct {
	V     *report.CandidatesView
	Chart *chartEmbed
	Years []option
	Links links
}

func (s *Server) candidatesPage(c *fiber.Ctx) error {
	return serveYearPage(s, c, "kandidater", report.Candidates, s.candidatesHTML)
}

func (s *Server) candidatesHTML(c *fiber.Ctx, v *report.CandidatesView) (response, error) {
	var bars []charts.Bar
	for _, r := range v.Rows {
		if r.IndustrialShare == nil || len(bars) == candidatesCharted {
			break
		}
		bars = append(bars, charts.Bar{Label: r.Name, Value: r.IndustrialShare})
	}
	title := "Industrins andel av jobben " + strconv.Itoa(v.Year) + ", de " + strconv.Itoa(len(bars)) + " högsta"
	chart, err := embedChart(charts.Ranking(charts.RankingInput{
		ID: "kandidater", Title: title, Sub: "Arbetsställe i kommunen, % · kommuner utanför nätverket och storstadsregionerna",
		Format: charts.Format{Decimals: 1, Unit: "%"}, Bars: bars,
		Refs: []charts.RefLine{{Kind: domain.RefMedian, Label: "Nätverkets median", Value: v.NetworkMedian}},
	}))
	if err != nil {
		return response{}, err
	}
	content := candidatesContent{V: v, Chart: chart, Years: yearOptions(v.Years, v.Year),
		Links: linksFor("/kandidater", pYear, strconv.Itoa(v.Year))}
	return s.htmlPage(c, "candidates", page{Title: yearTitle("Kandidater", v.Year), Nav: "kandidater", Content: content, HasCharts: len(bars) > 0})
}
