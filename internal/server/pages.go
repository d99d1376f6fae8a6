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

// option is one choice in a select.
type option struct {
	Value, Label string
	Selected     bool
}

func (s *Server) indicatorOptions(selected string, keep func(domain.Indicator) bool) []option {
	var out []option
	for _, ind := range s.deps.Env.Catalogue.All() {
		if keep == nil || keep(ind) {
			out = append(out, option{Value: ind.ID, Label: ind.Name, Selected: ind.ID == selected})
		}
	}
	return out
}

func measureOptions(ms []derive.Measure, selected derive.Measure) []option {
	out := make([]option, 0, len(ms))
	for _, m := range ms {
		out = append(out, option{Value: string(m), Label: m.Label(), Selected: m == selected})
	}
	return out
}

func yearOptions(years []int, selected int) []option {
	out := make([]option, 0, len(years))
	for i := len(years) - 1; i >= 0; i-- {
		y := years[i]
		out = append(out, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == selected})
	}
	return out
}

// municipalityOptions lists members first, then every other municipality.
func (s *Server) municipalityOptions(selected string, withNone bool) []option {
	var out []option
	if withNone {
		out = append(out, option{Value: "", Label: "– ingen –", Selected: selected == ""})
	}
	env := s.deps.Env
	for _, c := range env.Members {
		out = append(out, option{Value: c, Label: env.Regions.Name(c) + " (medlem)", Selected: c == selected})
	}
	for _, r := range env.Regions.Municipalities() {
		if !env.IsMember(r.Code) {
			out = append(out, option{Value: r.Code, Label: r.Name, Selected: r.Code == selected})
		}
	}
	return out
}

func (s *Server) defaultIndicator() string {
	if all := s.deps.Env.Catalogue.All(); len(all) > 0 {
		return all[0].ID
	}
	return ""
}

func describe(src domain.Source) string { return describeSource(src) }

func anyRank(rows []report.RankRow) bool {
	for _, r := range rows {
		if r.Value != nil {
			return true
		}
	}
	return false
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

// shortRef is a reference line's label on the chart, short enough not to
// collide with its neighbours; the table has the long names.
func shortRef(r report.Ref) string {
	switch r.Kind {
	case "median":
		return "Median"
	case "mean":
		return "Medel"
	}
	return r.Label
}

func breakYears(ind domain.Indicator) []int {
	out := make([]int, len(ind.Breaks))
	for i, b := range ind.Breaks {
		out[i] = b.Year
	}
	return out
}

// ---- Jämför ----

type compareContent struct {
	V          *report.CompareView
	Chart      *chartEmbed
	HasData    bool // no figure at all: a notice instead of an empty chart
	Indicators []option
	Measures   []option
	Years      []option
	BaseYears  []option
	Kommuner   []option
	Links      links
}

func (s *Server) comparePage(c *fiber.Ctx) error {
	format, err := formatParam(c)
	if err != nil {
		return err
	}
	p := report.CompareParams{Indicator: query(c, pIndicator), Kommun: query(c, pKommun)}
	if p.Indicator == "" {
		p.Indicator = s.defaultIndicator()
	}
	if p.Year, err = yearParam(c, pYear); err != nil {
		return err
	}
	if p.Measure, err = measureParam(c); err != nil {
		return err
	}
	if p.Base, err = yearParam(c, pBase); err != nil {
		return err
	}
	if p.Period, err = intParam(c, pPeriod, 1, 50); err != nil {
		return err
	}
	return s.serveCached(c, func() ([]byte, string, string, error) {
		v, err := report.Compare(c.UserContext(), s.deps.Env, s.deps.Data, p)
		if err != nil {
			return nil, "", "", err
		}
		if format != "" {
			return download(v.ExportTables(describe), format, fileName("jamfor", v.Indicator.ID, strconv.Itoa(v.Params.Year), string(v.Measure)))
		}
		bars := make([]charts.Bar, len(v.Rows))
		for i, r := range v.Rows {
			bars[i] = charts.Bar{Label: r.Name, Value: r.Value, Member: r.Member, Selected: r.Selected}
		}
		// County and riket totals dwarf a municipality's count: draw them
		// only for comparable measures (rates, per 1,000, shares, change,
		// index); the table always has them.
		comparable := v.Measure != derive.MeasureAbsolute || v.Indicator.Rate
		var refs []charts.RefLine
		for _, r := range v.Refs {
			if r.Kind == "median" || r.Kind == "mean" || comparable {
				label := shortRef(r)
				if r.Partial {
					label += " (" + r.Note + ")"
				}
				refs = append(refs, charts.RefLine{Kind: r.Kind, Label: label, Value: r.Value})
			}
		}
		title := v.Indicator.Name + " " + strconv.Itoa(v.Params.Year)
		chart, err := embedChart(charts.Ranking(charts.RankingInput{
			ID: "ranking", Title: title, Sub: v.Measure.Label() + " · " + v.Unit,
			Format: charts.Format{Decimals: v.Decimals, Unit: v.Unit}, Bars: bars, Refs: refs,
		}))
		if err != nil {
			return nil, "", "", err
		}
		pp := v.Params
		kv := []string{pIndicator, pp.Indicator, pYear, itoa(pp.Year), pKommun, pp.Kommun, pMeasure, string(pp.Measure)}
		if pp.Measure == derive.MeasureIndex {
			kv = append(kv, pBase, itoa(pp.Base))
		}
		if pp.Measure == derive.MeasureChange {
			kv = append(kv, pPeriod, itoa(pp.Period))
		}
		content := compareContent{
			V: v, Chart: chart, HasData: anyRank(v.Rows),
			Indicators: s.indicatorOptions(pp.Indicator, nil),
			Measures:   measureOptions(v.Measures, pp.Measure),
			Years:      yearOptions(v.Years, pp.Year),
			BaseYears:  yearOptions(v.Years, pp.Base),
			Kommuner:   s.municipalityOptions(pp.Kommun, true),
			Links:      linksFor("/jamfor", kv...),
		}
		b, err := s.renderBytes(c, "compare", page{Title: "Jämför: " + title, Nav: "jamfor", Content: content, HasCharts: true})
		return b, fiber.MIMETextHTMLCharsetUTF8, "", err
	})
}

// ---- Kommunprofil ----

type profileContent struct {
	V      *report.ProfileView
	Charts []*chartEmbed // aligned with V.Indicators
	Links  links
}

func (s *Server) profilePage(c *fiber.Ctx) error {
	format, err := formatParam(c)
	if err != nil {
		return err
	}
	code := strings.Clone(c.Params("code"))
	return s.serveCached(c, func() ([]byte, string, string, error) {
		v, err := report.Profile(c.UserContext(), s.deps.Env, s.deps.Data, code, report.Group{})
		if err != nil {
			return nil, "", "", err
		}
		if format != "" {
			return download(v.ExportTables(describe), format, fileName("kommun", v.Region.Code, v.Region.Name))
		}
		content := profileContent{V: v, Links: linksFor("/kommun/" + v.Region.Code)}
		for i, pi := range v.Indicators {
			f := charts.Format{Decimals: pi.Indicator.Decimals, Unit: pi.Indicator.Unit}
			sub := pi.Indicator.Unit
			if pi.ChartMeasure == derive.MeasureIndex {
				f = charts.Format{Decimals: 1, Unit: "index"}
				sub = "Index, " + strconv.Itoa(pi.ChartBase) + " = 100"
			}
			lines := []charts.Line{
				{Name: v.Region.Name, Values: pi.ChartOwn, Kind: "selected"},
				{Name: v.Group.Name + ", median", Values: pi.ChartMedian, Kind: "median", Hollow: pi.ChartMedianHollow()},
				{Name: v.County.Name, Values: pi.ChartCounty, Kind: "county"},
				{Name: "Riket", Values: pi.ChartRiket, Kind: "riket"},
			}
			ch, err := embedChart(charts.Lines(charts.LinesInput{
				ID: "profil-" + strconv.Itoa(i), Title: pi.Indicator.Name, Sub: sub, Format: f, Years: pi.Years, Lines: lines, Height: 340,
				Breaks: breakYears(pi.Indicator),
			}))
			if err != nil {
				return nil, "", "", err
			}
			content.Charts = append(content.Charts, ch)
		}
		b, err := s.renderBytes(c, "profile", page{Title: v.Region.Name, Nav: "kommun", Content: content, HasCharts: true})
		return b, fiber.MIMETextHTMLCharsetUTF8, "", err
	})
}

// ---- Kommuner (index of profiles) ----

type municipalitiesContent struct {
	Members []domain.Region
	Others  []domain.Region
}

func (s *Server) municipalitiesPage(c *fiber.Ctx) error {
	return s.serveCached(c, func() ([]byte, string, string, error) {
		env := s.deps.Env
		var content municipalitiesContent
		for _, code := range env.Members {
			r, _ := env.Regions.Get(code)
			content.Members = append(content.Members, r)
		}
		for _, r := range env.Regions.Municipalities() {
			if !env.IsMember(r.Code) {
				content.Others = append(content.Others, r)
			}
		}
		b, err := s.renderBytes(c, "municipalities", page{Title: "Kommuner", Nav: "kommun", Content: content})
		return b, fiber.MIMETextHTMLCharsetUTF8, "", err
	})
}

// ---- Trend ----

type trendContent struct {
	V          *report.TrendView
	Chart      *chartEmbed
	HasData    bool
	Indicators []option
	Measures   []option
	Kommuner   []option
	Codes      string
	Links      links
	Max        int
}

func (s *Server) trendPage(c *fiber.Ctx) error {
	format, err := formatParam(c)
	if err != nil {
		return err
	}
	p := report.TrendParams{Indicator: query(c, pIndicator)}
	if p.Indicator == "" {
		p.Indicator = s.defaultIndicator()
	}
	for _, code := range strings.Split(query(c, pKommun), ",") {
		if code = strings.TrimSpace(code); code != "" {
			p.Codes = append(p.Codes, code)
		}
	}
	if p.Measure, err = measureParam(c); err != nil {
		return err
	}
	if p.Base, err = yearParam(c, pBase); err != nil {
		return err
	}
	return s.serveCached(c, func() ([]byte, string, string, error) {
		v, err := report.Trend(c.UserContext(), s.deps.Env, s.deps.Data, p)
		if err != nil {
			return nil, "", "", err
		}
		if format != "" {
			return download(v.ExportTables(describe), format, fileName("trend", v.Indicator.ID, string(v.Params.Measure)))
		}
		lines := make([]charts.Line, 0, len(v.Series)+len(v.Refs))
		for _, ts := range v.Series {
			lines = append(lines, charts.Line{Name: ts.Name, Values: ts.Values})
		}
		for _, ts := range v.Refs {
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
			return nil, "", "", err
		}
		codes := strings.Join(v.Params.Codes, ",")
		kv := []string{pIndicator, v.Params.Indicator, pKommun, codes, pMeasure, string(v.Params.Measure)}
		if v.Params.Measure == derive.MeasureIndex {
			kv = append(kv, pBase, itoa(v.Params.Base))
		}
		content := trendContent{
			V: v, Chart: chart, Codes: codes, Max: report.MaxTrendLines, HasData: anyLine(v.Series),
			Indicators: s.indicatorOptions(v.Params.Indicator, nil),
			Measures:   measureOptions([]derive.Measure{derive.MeasureAbsolute, derive.MeasureIndex}, v.Params.Measure),
			Kommuner:   s.municipalityOptions("", false),
			Links:      linksFor("/trend", kv...),
		}
		for i := range content.Kommuner {
			for _, code := range v.Params.Codes {
				if content.Kommuner[i].Value == code {
					content.Kommuner[i].Selected = true
				}
			}
		}
		b, err := s.renderBytes(c, "trend", page{Title: "Trend: " + v.Indicator.Name, Nav: "trend", Content: content, HasCharts: true})
		return b, fiber.MIMETextHTMLCharsetUTF8, "", err
	})
}

// ---- Karta ----

type mapContent struct {
	V          *report.MapView
	Chart      *chartEmbed
	HasData    bool
	Indicators []option
	Measures   []option
	Years      []option
	Links      links
}

func (s *Server) mapPage(c *fiber.Ctx) error {
	format, err := formatParam(c)
	if err != nil {
		return err
	}
	p := report.MapParams{Indicator: query(c, pIndicator)}
	if p.Indicator == "" {
		p.Indicator = s.defaultIndicator()
	}
	if p.Year, err = yearParam(c, pYear); err != nil {
		return err
	}
	if p.Measure, err = measureParam(c); err != nil {
		return err
	}
	if p.Base, err = yearParam(c, pBase); err != nil {
		return err
	}
	if p.Period, err = intParam(c, pPeriod, 1, 50); err != nil {
		return err
	}
	return s.serveCached(c, func() ([]byte, string, string, error) {
		v, err := report.Map(c.UserContext(), s.deps.Env, s.deps.Data, p)
		if err != nil {
			return nil, "", "", err
		}
		if format != "" {
			return download(v.ExportTables(describe), format, fileName("karta", v.Indicator.ID, strconv.Itoa(v.Params.Year), string(v.Params.Measure)))
		}
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
			return nil, "", "", err
		}
		pp := v.Params
		kv := []string{pIndicator, pp.Indicator, pYear, itoa(pp.Year), pMeasure, string(pp.Measure)}
		if pp.Measure == derive.MeasureIndex {
			kv = append(kv, pBase, itoa(pp.Base))
		}
		if pp.Measure == derive.MeasureChange {
			kv = append(kv, pPeriod, itoa(pp.Period))
		}
		content := mapContent{
			V: v, Chart: chart, HasData: v.Missing < len(v.Items),
			Indicators: s.indicatorOptions(pp.Indicator, nil),
			Measures:   measureOptions(v.Measures, pp.Measure),
			Years:      yearOptions(v.Years, pp.Year),
			Links:      linksFor("/karta", kv...),
		}
		b, err := s.renderBytes(c, "map", page{Title: "Karta: " + title, Nav: "karta", Content: content, HasCharts: true})
		return b, fiber.MIMETextHTMLCharsetUTF8, "", err
	})
}

// ---- Översikt ----

type overviewContent struct {
	V      *report.OverviewView
	Sparks map[string]*chartEmbed // "code/indicator"
	Sort   []sortLink
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
	return s.serveCached(c, func() ([]byte, string, string, error) {
		v, err := report.Overview(c.UserContext(), s.deps.Env, s.deps.Data, sortBy, order == "fallande")
		if err != nil {
			return nil, "", "", err
		}
		if format != "" {
			return download(v.ExportTables(describe), format, fileName("oversikt"))
		}
		content := overviewContent{V: v, Sparks: map[string]*chartEmbed{}}
		ord := ""
		if v.Desc {
			ord = "fallande"
		}
		content.Links = linksFor("/", pSort, v.SortBy, pOrder, ord)
		cols := []struct{ id, label string }{{"namn", "Kommun"}}
		for _, ind := range v.Indicators {
			cols = append(cols, struct{ id, label string }{ind.ID, ind.Name})
		}
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
			content.Sort = append(content.Sort, sortLink{Label: col.label, Href: link("/", pSort, col.id, pOrder, next), Active: active, Desc: v.Desc, Aria: aria})
		}
		for _, row := range append(append([]report.OverviewRow(nil), v.Rows...), v.Refs...) {
			for i, cell := range row.Cells {
				if cell.Latest == nil {
					continue
				}
				ind := v.Indicators[i]
				ch, err := embedChart(charts.Spark("spark-"+row.Code+"-"+ind.ID, cell.SparkYears, cell.Spark, cell.SparkPartial(), charts.Format{Decimals: ind.Decimals, Unit: ind.Unit}))
				if err != nil {
					return nil, "", "", err
				}
				ch.Label = ind.Name + ", " + row.Name + ", " + strconv.Itoa(cell.SparkYears[0]) + "–" + strconv.Itoa(cell.Year)
				content.Sparks[row.Code+"/"+ind.ID] = ch
			}
		}
		b, err := s.renderBytes(c, "overview", page{Title: "Översikt", Nav: "oversikt", Content: content, HasCharts: true})
		return b, fiber.MIMETextHTMLCharsetUTF8, "", err
	})
}

// ---- Om data ----

type aboutContent struct {
	Indicators []domain.Indicator
	Members    []memberInfo
	Precedence string
}

type memberInfo struct {
	Region   domain.Region
	Evidence string
}

func (s *Server) aboutPage(c *fiber.Ctx) error {
	return s.serveCached(c, func() ([]byte, string, string, error) {
		env := s.deps.Env
		content := aboutContent{Indicators: env.Catalogue.All(), Precedence: env.Precedence.Describe()}
		for _, code := range env.Members {
			r, _ := env.Regions.Get(code)
			content.Members = append(content.Members, memberInfo{Region: r, Evidence: s.deps.MemberEvidence[code]})
		}
		b, err := s.renderBytes(c, "about", page{Title: "Om data", Nav: "om", Content: content})
		return b, fiber.MIMETextHTMLCharsetUTF8, "", err
	})
}
