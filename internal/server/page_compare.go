package server

import (
	"html/template"
	"net/url"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/gzsplice"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Jämför (/jamfor): one indicator, one year, every municipality ranked.
//
// The parts that change with the highlighted municipality (heading,
// picker, chart, links, table rows, sources) are written by hand here;
// compare.html places them with compareDyn. An anonymous page is
// assembled from precompressed pieces its view shares with every other
// highlighted municipality (compare_fast.go, #15); a logged-in user's
// page and downloads are rendered whole.

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
// which chartBars and chartRefs give.
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

// chartRefs are the reference lines drawn. County and riket totals dwarf
// a municipality's count: they are drawn only for comparable measures
// (rates, per 1,000, shares, change, index); the table always has them.
func chartRefs(v *report.CompareView) []charts.RefLine {
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

// rowKey is what makes a table row differ between pages of one view.
type rowKey struct {
	code     string
	rank     int
	selected bool
}

// writeCompareRows writes the table's rows and reference rows.
func (s *Server) writeCompareRows(w pageWriter, c *compareContent) {
	v := c.V
	switch e := c.fast; {
	case e != nil && e.sameSources(v) && len(v.Rows) <= maxRunRows:
		s.writeRowRuns(w, c)
	case e != nil && e.sameSources(v):
		e.rows.write(w, len(v.Rows), func(i int) rowKey {
			r := v.Rows[i]
			return rowKey{r.Code, r.Rank, r.Selected}
		}, func(w pageWriter, i int) { s.writeCachedRow(w, c, v.Rows[i]) })
	default:
		for _, r := range v.Rows {
			s.writeCompareRow(w, v, r)
		}
	}
	w.WriteString("\n")
	for _, r := range v.Refs {
		w.WriteString(`<tr class="ref"><td></td><th scope="row">`)
		writeEscaped(w, r.Label)
		if r.Note != "" {
			w.WriteString(` <span class="badge">`)
			writeEscaped(w, r.Note)
			w.WriteString("</span>")
		}
		w.WriteString(`</th><td class="num">`)
		writeEscaped(w, report.FormatValue(r.Value, v.Decimals, v.Unit))
		w.WriteString("</td>")
		if v.ShowRaw() {
			w.WriteString("<td></td>")
		}
		if v.RowSources {
			w.WriteString(`<td class="src"></td>`)
		}
		w.WriteString("</tr>\n")
	}
}

// maxRunRows is the largest group whose row runs a view keeps (about
// three per member): the network and most counties; larger groups, up to
// all 290 municipalities, go in fixed runs of chunkSize, where only the
// runs from an outsider or the highlighted row on are written per page.
const maxRunRows = chunkSize

// writeRowRuns writes a small group's rows as runs compressed once per
// view: an outsider splits the group's rows into the run above it (ranks
// as without it) and the run below (one rank down), both shared by every
// outsider ranked at that place; a member's page has one run with its
// row highlighted. The outsider's own row is written per page.
func (s *Server) writeRowRuns(w pageWriter, c *compareContent) {
	rows := c.V.Rows
	from := 0
	for i := 0; i <= len(rows); i++ {
		if i < len(rows) && rows[i].InGroup {
			continue
		}
		if i > from {
			w.Static(s.rowRun(c, rows[from:i]))
		}
		if i < len(rows) {
			s.writeCompareRow(w, c.V, rows[i])
		}
		from = i + 1
	}
}

// rowRun is the compressed run of the group's rows, from the view's
// runs when a page had it before.
func (s *Server) rowRun(c *compareContent, rows []report.RankRow) *gzsplice.Segment {
	key := make([]byte, 0, 12*len(rows))
	for _, r := range rows {
		key = append(key, r.Code...)
		key = strconv.AppendInt(append(key, ':'), int64(r.Rank), 10)
		if r.Selected {
			key = append(key, '*')
		}
		key = append(key, ';')
	}
	if seg, ok := c.fast.rowRuns.Load(string(key)); ok {
		return seg.(*gzsplice.Segment)
	}
	var pw plainWriter
	for _, r := range rows {
		s.writeCachedRow(&pw, c, r)
	}
	seg, _ := c.fast.rowRuns.LoadOrStore(string(key), gzsplice.Compress(pw.b))
	return seg.(*gzsplice.Segment)
}

// writeCachedRow writes a row, from the view's shared rows when it is
// one of the group's.
func (s *Server) writeCachedRow(w pageWriter, c *compareContent, r report.RankRow) {
	e := c.fast
	if e == nil || !r.InGroup || !e.sameSources(c.V) {
		s.writeCompareRow(w, c.V, r)
		return
	}
	k := rowKey{r.Code, r.Rank, r.Selected}
	if b, ok := e.rowHTML.Load(k); ok {
		_, _ = w.Write(b.([]byte))
		return
	}
	var pw plainWriter
	s.writeCompareRow(&pw, c.V, r)
	b, _ := e.rowHTML.LoadOrStore(k, pw.b)
	_, _ = w.Write(b.([]byte))
}

// writeCompareRow writes one municipality's row. The highlighted one has
// the class "selected" (and its name in the lead and the picker).
func (s *Server) writeCompareRow(w pageWriter, v *report.CompareView, r report.RankRow) {
	w.WriteString(`<tr class="`)
	if r.Selected {
		w.WriteString("selected")
	}
	w.WriteString(" ")
	if r.Member {
		w.WriteString("member")
	}
	w.WriteString(`"><td class="num">`)
	if r.Rank > 0 {
		w.WriteString(strconv.Itoa(r.Rank))
	} else {
		w.WriteString(`<span class="missing">–</span>`)
	}
	w.WriteString("</td>\n<td><a href=\"/kommun/")
	writeEscaped(w, url.PathEscape(r.Code))
	w.WriteString(`">`)
	writeEscaped(w, r.Name)
	w.WriteString("</a>")
	switch {
	case v.Group.IsNetwork() && !r.Member:
		w.WriteString(` <span class="badge">ej medlem</span>`)
	case !v.Group.IsNetwork() && !r.InGroup:
		w.WriteString(` <span class="badge">ej i gruppen</span>`)
	}
	if r.Discrepancy != "" {
		w.WriteString(`<br><small class="discrepancy">⚠ `)
		writeEscaped(w, r.Discrepancy)
		w.WriteString("</small>")
	}
	w.WriteString("</td>\n")
	cell := func(attrs string, value, raw *float64, decimals int, unit string) {
		w.WriteString(`<td class="num"` + attrs + ` data-value="`)
		w.WriteString(dataValue(raw))
		w.WriteString(`">`)
		writeEscaped(w, report.FormatValue(value, decimals, unit))
		w.WriteString("</td>")
	}
	code := ` data-code="` + template.HTMLEscapeString(r.Code) + `"`
	if v.ShowRaw() {
		cell("", r.Value, r.Value, v.Decimals, v.Unit)
		cell(code, r.Raw, r.Raw, v.Indicator.Decimals, v.Indicator.Unit)
	} else {
		cell(code, r.Value, r.Raw, v.Decimals, v.Unit)
	}
	if v.RowSources {
		w.WriteString(`<td class="src"><span class="long">`)
		writeEscaped(w, s.shortSource(r.Source))
		w.WriteString("</span>")
		if n := sourceNote(v.Sources, r.Source); n > 0 {
			ns := strconv.Itoa(n)
			w.WriteString(`<sup class="fn"><a href="#kalla-` + ns + `" aria-label="källa ` + ns + `">` + ns + "</a></sup>")
		}
		w.WriteString("</td>")
	}
	w.WriteString("</tr>\n")
}

// dataValue is a cell's exact value for scripts and tests (data-value);
// empty when missing.
func dataValue(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
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
