package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Kommunprofil (/kommun/:code): every indicator for one municipality
// against a group's median (the network unless grupp says otherwise), its
// county and riket.

type profileContent struct {
	V      *report.ProfileView
	Charts []*chartEmbed // aligned with V.Indicators
	Groups []option
	Themes []option
	Links  links
}

func (s *Server) profilePage(c *fiber.Ctx) error {
	format, err := formatParam(c)
	if err != nil {
		return err
	}
	code := strings.Clone(c.Params("code"))
	theme, err := s.themeParam(c)
	if err != nil {
		return err
	}
	gkey := groupKey(c)
	return s.serveCached(c, func() (response, error) {
		g, err := s.deps.Env.ResolveGroup(gkey, code)
		if err != nil {
			return response{}, err
		}
		v, err := report.Profile(c.UserContext(), s.deps.Env, s.deps.Data, code, g, theme)
		if err != nil {
			return response{}, err
		}
		if format != "" {
			return download(v.ExportTables(s.describeSource), format, fileName("kommun", v.Region.Code, v.Region.Name))
		}
		return s.profileHTML(c, v)
	})
}

func (s *Server) profileHTML(c *fiber.Ctx, v *report.ProfileView) (response, error) {
	kv := []string{pTheme, v.Theme}
	if !v.Group.IsNetwork() {
		kv = append(kv, pGroup, v.Group.Key)
	}
	content := profileContent{V: v, Groups: groupOptions(v.Group), Themes: s.themeOptions(v.Theme), Links: linksFor("/kommun/"+v.Region.Code, kv...)}
	for i, pi := range v.Indicators {
		f := charts.Format{Decimals: pi.Indicator.Decimals, Unit: pi.Indicator.Unit}
		sub := pi.Indicator.Unit
		switch pi.ChartMeasure {
		case derive.MeasureIndex:
			f = charts.Format{Decimals: 1, Unit: "index"}
			sub = "Index, " + strconv.Itoa(pi.ChartBase) + " = 100"
		case derive.MeasurePer1000:
			f = charts.Format{Decimals: 1, Unit: "per 1 000 invånare"}
			sub = "Per 1 000 invånare"
		}
		lines := []charts.Line{
			{Name: v.Region.Name, Values: pi.ChartOwn, Kind: domain.RefSelected},
			{Name: v.Group.Name + ", median", Values: pi.ChartMedian, Kind: domain.RefMedian, Hollow: pi.ChartMedianHollow()},
			{Name: v.County.Name, Values: pi.ChartCounty, Kind: domain.RefCounty},
			{Name: "Riket", Values: pi.ChartRiket, Kind: domain.RefRiket},
		}
		ch, err := embedChart(charts.Lines(charts.LinesInput{
			ID: "profil-" + strconv.Itoa(i), Title: pi.Indicator.Name, Sub: sub, Format: f, Years: pi.Years, Lines: lines, Height: 340,
			Breaks: breakYears(pi.Indicator),
		}))
		if err != nil {
			return response{}, err
		}
		content.Charts = append(content.Charts, ch)
	}
	return s.htmlPage(c, "profile", page{Title: v.Region.Name, Nav: "kommun", Content: content, HasCharts: true})
}
