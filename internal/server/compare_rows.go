package server

import (
	"html/template"
	"net/url"
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/gzsplice"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// The comparison page's table rows: written by hand (escaped), for the
// page rendered whole and for the page assembled from its view's shared
// rows (compare_fast.go).

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
