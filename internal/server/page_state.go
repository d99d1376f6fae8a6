package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Statlig närvaro (/statlig-narvaro): the state's presence in the members
// on one page — Kolada's state share of the jobs ranked with riket as a
// reference line, state jobs per 1 000 inhabitants and as a share of all
// jobs, and state service offices.

type stateContent struct {
	V     *report.StateView
	Chart *chartEmbed
	Years []option
	Links links
}

func (s *Server) statePage(c *fiber.Ctx) error {
	return serveYearPage(s, c, "statlig-narvaro", report.StatePresence, s.stateHTML)
}

func (s *Server) stateHTML(c *fiber.Ctx, v *report.StateView) (response, error) {
	bars := make([]charts.Bar, len(v.Rows))
	for i, r := range v.Rows {
		bars[i] = charts.Bar{Label: r.Name, Value: r.Share, Member: true}
	}
	refs := []charts.RefLine{
		{Kind: domain.RefRiket, Label: "Riket", Value: v.Riket.Share},
		{Kind: domain.RefMedian, Label: "Median", Value: v.Median.Share},
	}
	title := "Andel sysselsatta i statlig sektor " + strconv.Itoa(v.Year)
	chart, err := embedChart(charts.Ranking(charts.RankingInput{
		ID: "statlig-andel", Title: title, Sub: "Arbetsställe i kommunen, % · Källa: Kolada N02206",
		Format: charts.Format{Decimals: 1, Unit: "%"}, Bars: bars, Refs: refs,
	}))
	if err != nil {
		return response{}, err
	}
	content := stateContent{V: v, Chart: chart, Years: yearOptions(v.Years, v.Year),
		Links: linksFor("/statlig-narvaro", pYear, strconv.Itoa(v.Year))}
	return s.htmlPage(c, "state", page{Title: yearTitle("Statlig närvaro", v.Year), Nav: "statlig", Content: content, HasCharts: true})
}
