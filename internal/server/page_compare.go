package server

import (
	"html/template"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Jämför (/jamfor): one indicator, one year, every municipality ranked.
//
// The parts that change with the highlighted municipality (heading,
// picker, chart, links, table rows, sources) are written by hand here;
// compare.html places them with compareDyn. An anonymous page is
// assembled from precompressed pieces its view shares with every other
// highlighted municipality (compare_fast.go, #15); a logged-in user's
// page and downloads are rendered whole. The table's rows are in
// compare_rows.go.

type compareContent struct {
	V          *report.CompareView
	Frame      *charts.RankingFrame
	HasData    bool // no figure at all: a notice instead of an empty chart
	Indicators []option
	Genders    []option // nil: the indicator has no gender split
	Measures   []option
	Years      []option
	BaseYears  []option
	Kommuner   []option
	Groups     []option
	Links      links
	// fast is the shared pieces of the view when the page is assembled
	// from them (nil when rendered whole); marks makes compareDyn write
	// markers where the hand-written parts go, to cut the shared pieces.
	fast  *compareEntry
	marks bool
}

func (s *Server) comparePage(c *fiber.Ctx) error {
	q, err := s.parseView(c, true)
	if err != nil {
		return err
	}
	if q.Format == "" && s.anonymous(c) && !s.compareWhole.Load() {
		if done, err := s.compareFast(c, q); done || err != nil {
			return err
		}
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
		content, err := s.compareContent(v)
		if err != nil {
			return response{}, err
		}
		return s.htmlPage(c, "compare", s.comparePageData(content))
	})
}

// comparePageData is the layout's data for the page.
func (s *Server) comparePageData(content *compareContent) page {
	return page{Title: "Jämför: " + compareTitle(content.V), Nav: "jamfor", Content: content, HasCharts: true}
}

// compareTitle is the chart's title: the indicator and the year.
func compareTitle(v *report.CompareView) string {
	if v.HasFigures() {
		return v.Indicator.Name + " " + strconv.Itoa(v.Params.Year)
	}
	return v.Indicator.Name
}

// compareContent is everything the page shows for v but the layout.
func (s *Server) compareContent(v *report.CompareView) (*compareContent, error) {
	frame, err := charts.NewRankingFrame(compareChartInput(v))
	if err != nil {
		return nil, err
	}
	pp := v.Params
	return &compareContent{
		V: v, Frame: frame, HasData: anyRank(v.Rows), Genders: s.genderOptions(v.Indicator),
		Indicators: s.indicatorOptions(pp.Indicator, nil),
		Measures:   measureOptions(v.Measures, pp.Measure),
		Years:      yearOptions(v.Years, pp.Year),
		BaseYears:  yearOptions(v.Years, pp.Base),
		Kommuner:   s.municipalityOptions(pp.Kommun, true),
		Groups:     groupOptions(v.Group),
		Links:      compareLinks(v),
	}, nil
}

// compareLinks are the view's permalink and downloads.
func compareLinks(v *report.CompareView) links {
	pp := v.Params
	return viewParams{Indicator: pp.Indicator, Year: pp.Year, Kommun: pp.Kommun, Measure: pp.Measure,
		Base: pp.Base, Period: pp.Period, Group: v.Group.Key}.links("/jamfor")
}

// compareChartInput is the ranking chart without its bars and lines,
// which compareBar and chartRefs give.
func compareChartInput(v *report.CompareView) charts.RankingInput {
	in := charts.RankingInput{
		ID: "ranking", Title: compareTitle(v), Sub: v.Measure.Label() + " · " + v.Unit,
		Format: charts.Format{Decimals: v.Decimals, Unit: v.Unit},
	}
	if v.Measure == derive.MeasureIndex {
		// An index is read against its base: bars go right of 100 for
		// growth and left of it for decline.
		base := 100.0
		in.Baseline = &base
	}
	return in
}

func compareBar(r report.RankRow) charts.Bar {
	return charts.Bar{Label: r.Name, Value: r.Value, Member: r.InGroup, Selected: r.Selected}
}

// refOnChart says whether a reference is drawn in a chart of measure m.
// County and riket totals dwarf a municipality's count, and on a shared
// axis its bar or line would lie flat: they are drawn only for comparable
// measures (rates, per 1,000, shares, change, index); the group's median
// and mean always; the tables always have them all.
func refOnChart(m derive.Measure, ind domain.Indicator, k domain.RefKind) bool {
	return k.Aggregate() || m != derive.MeasureAbsolute || ind.Rate
}

// chartRefs are the reference lines drawn (refOnChart).
func chartRefs(v *report.CompareView) []charts.RefLine {
	var refs []charts.RefLine
	for _, r := range v.Refs {
		if refOnChart(v.Measure, v.Indicator, r.Kind) {
			label := shortRef(r)
			if r.Partial {
				label += " (" + r.Note + ")"
			}
			refs = append(refs, charts.RefLine{Kind: r.Kind, Label: label, Value: r.Value})
		}
	}
	return refs
}

// compareDynFunc is the template function that places a hand-written
// part of the page.
func compareDynFunc(s *Server) func(name string, c *compareContent) (template.HTML, error) {
	return func(name string, c *compareContent) (template.HTML, error) {
		if c.marks {
			return template.HTML(compareMark(name)), nil
		}
		var w plainWriter
		err := s.writeCompareDyn(&w, name, c)
		return w.html(), err
	}
}

// compareMark is the marker for a hand-written part in the shared render:
// NUL bytes, which the template escapes everywhere else.
func compareMark(name string) string { return "\x00" + name + "\x00" }

// writeCompareDyn writes one hand-written part of the page.
func (s *Server) writeCompareDyn(w pageWriter, name string, c *compareContent) error {
	switch name {
	case "heading":
		writeCompareHeading(w, c.V)
	case "kommuner":
		writeKommuner(w, c)
	case "chart":
		return writeCompareChart(w, c)
	case "exports":
		writeExports(w, c.Links)
	case "rows":
		s.writeCompareRows(w, c)
	case "sources":
		s.writeSources(w, c.V.Sources)
	}
	return nil
}

func writeCompareHeading(w pageWriter, v *report.CompareView) {
	w.WriteString("<h1>Jämför: ")
	writeEscaped(w, v.Indicator.Name)
	if v.HasFigures() {
		w.WriteString(" " + strconv.Itoa(v.Params.Year))
		for _, src := range v.Sources {
			if src.Preliminary {
				w.WriteString("*")
				break
			}
		}
	}
	w.WriteString("</h1>\n<p class=\"lead\">")
	writeEscaped(w, v.Indicator.Definition+" "+v.Group.Name+" rangordnade efter "+v.Measure.Label())
	if v.Selected != nil {
		writeEscaped(w, ", "+v.Selected.Name+" markerad")
	}
	w.WriteString(".</p>")
}

// writeKommuner writes the municipality picker's options.
func writeKommuner(w pageWriter, c *compareContent) {
	if c.fast != nil {
		c.fast.picker.write(w, c.V.Params.Kommun)
		return
	}
	for i, o := range c.Kommuner {
		writeOption(w, c.Kommuner, i, o.Selected)
	}
}

// writeCompareChart writes the ranking chart.
func writeCompareChart(w pageWriter, c *compareContent) error {
	v := c.V
	bars := make([]charts.BarJSON, len(v.Rows))
	for i := range v.Rows {
		r := v.Rows[len(v.Rows)-1-i] // drawn lowest first
		var err error
		if bars[i], err = c.barJSON(r); err != nil {
			return err
		}
	}
	buf := scratch.Get().(*[]byte)
	defer scratch.Put(buf)
	option, err := c.Frame.AppendJSON((*buf)[:0], bars, chartRefs(v))
	if err != nil {
		return err
	}
	*buf = option
	writeChart(w, "ranking", "bar", "", compareTitle(v), charts.RankingHeight(len(v.Rows)), option)
	return nil
}

// scratch are buffers for a part built before it is written.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// barJSON is a row's bar, from the shared pieces when they have it.
func (c *compareContent) barJSON(r report.RankRow) (charts.BarJSON, error) {
	if c.fast != nil {
		if b, ok := c.fast.bars[barKey{r.Code, r.Selected}]; ok {
			return b, nil
		}
	}
	return c.Frame.Bar(compareBar(r))
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
