package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Översikt (/): every member's latest figure per indicator, sortable, with
// sparklines.

type overviewContent struct {
	V      *report.OverviewView
	Sparks map[string]*chartEmbed // "code/indicator"
	Sort   []sortLink
	Themes []option
	Links  links
}

type sortLink struct {
	Label, Href string
	Active      bool
	Desc        bool
	Aria        string
}

func (s *Server) overviewPage(c *fiber.Ctx) error {
	format, err := formatParam(c)
	if err != nil {
		return err
	}
	sortBy := query(c, pSort)
	order := query(c, pOrder)
	if order != "" && order != "stigande" && order != "fallande" {
		return badParam(pOrder, "ordning måste vara stigande eller fallande")
	}
	theme, err := s.themeParam(c)
	if err != nil {
		return err
	}
	return s.serveCached(c, func() (response, error) {
		v, err := report.Overview(c.UserContext(), s.deps.Env, s.deps.Data, sortBy, order == "fallande", theme)
		if err != nil {
			return response{}, err
		}
		if format != "" {
			return download(v.ExportTables(s.describeSource), format, fileName("oversikt"))
		}
		return s.overviewHTML(c, v)
	})
}

func (s *Server) overviewHTML(c *fiber.Ctx, v *report.OverviewView) (response, error) {
	content := overviewContent{V: v, Sparks: map[string]*chartEmbed{}, Sort: sortLinks(v), Themes: s.themeOptions(v.Theme)}
	ord := ""
	if v.Desc {
		ord = "fallande"
	}
	content.Links = linksFor("/", pTheme, v.Theme, pSort, v.SortBy, pOrder, ord)
	for _, row := range append(append([]report.OverviewRow(nil), v.Rows...), v.Refs...) {
		for i, cell := range row.Cells {
			if cell.Latest == nil {
				continue
			}
			ind := v.Indicators[i]
			ch, err := embedChart(charts.Spark("spark-"+row.Code+"-"+ind.ID, cell.SparkYears, cell.Spark, cell.SparkPartial(), charts.Format{Decimals: ind.Decimals, Unit: ind.Unit}))
			if err != nil {
				return response{}, err
			}
			ch.Label = ind.Name + ", " + row.Name + ", " + strconv.Itoa(cell.SparkYears[0]) + "–" + strconv.Itoa(cell.Year)
			content.Sparks[row.Code+"/"+ind.ID] = ch
		}
	}
	return s.htmlPage(c, "overview", page{Title: "Översikt", Nav: "oversikt", Content: content, HasCharts: true})
}

// sortLinks are the column headers: a click sorts by the column, a second
// click reverses it.
func sortLinks(v *report.OverviewView) []sortLink {
	cols := []struct{ id, label string }{{"namn", "Kommun"}}
	for _, ind := range v.Indicators {
		cols = append(cols, struct{ id, label string }{ind.ID, ind.Name})
	}
	var out []sortLink
	for _, col := range cols {
		active := col.id == v.SortBy
		next := "stigande"
		if active && !v.Desc {
			next = "fallande"
		}
		if !active && col.id != "namn" {
			next = "fallande" // figures: highest first on the first click
		}
		aria := "none"
		if active {
			aria = "ascending"
			if v.Desc {
				aria = "descending"
			}
		}
		out = append(out, sortLink{Label: col.label, Href: link("/", pTheme, v.Theme, pSort, col.id, pOrder, next), Active: active, Desc: v.Desc, Aria: aria})
	}
	return out
}
