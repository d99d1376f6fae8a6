package server

import (
	"html/template"
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// overviewCells writes a row's cells on the overview: the latest figure
// with its year, the 1- and 5-year changes, a discrepancy note and the
// spark; for the network median also how many members each figure
// counted. Twenty indicators for 26 members are 520 cells, and
// html/template's reflective calls per cell were most of a cold
// overview's cost once the sparks were cheap (docs/benchmarks.md section
// 8); written here, every text escaped, the page reads the same.
func overviewCells(v *report.OverviewView, row report.OverviewRow, sparks map[string]*chartEmbed) template.HTML {
	var w plainWriter
	w.b = make([]byte, 0, len(row.Cells)*1200)
	ref := row.Kind != domain.RefMember
	for i, c := range row.Cells {
		ind := v.Indicators[i]
		w.WriteString("<td>")
		if c.Latest == nil {
			w.WriteString(`<span class="missing">–</span></td>`)
			continue
		}
		w.WriteString(`<span class="num"><strong>`)
		writeEscaped(&w, report.FormatValue(c.Latest, ind.Decimals, ind.Unit))
		w.WriteString(`</strong> (`)
		w.WriteString(strconv.Itoa(c.Year))
		if c.Source != nil && c.Source.Preliminary {
			w.WriteString("*")
		}
		w.WriteString(")")
		if ref && c.Partial() {
			w.WriteString(` <small class="count">`)
			writeCount(&w, c.N, c.Of, false)
			w.WriteString(`</small>`)
		}
		w.WriteString("</span><br>\n<small>1 år ")
		writeEscaped(&w, report.FormatChangeFor(c.Change1, ind))
		if ref && c.Change1Partial() && c.Change1 != nil {
			writeCount(&w, c.Change1N, c.Of, true)
		}
		w.WriteString(" · 5 år ")
		writeEscaped(&w, report.FormatChangeFor(c.Change5, ind))
		if ref && c.Change5Partial() && c.Change5 != nil {
			writeCount(&w, c.Change5N, c.Of, true)
		}
		w.WriteString("</small><br>")
		if !ref && c.Discrepancy != "" {
			w.WriteString(`<small class="discrepancy">⚠ `)
			writeEscaped(&w, c.Discrepancy)
			w.WriteString(`</small><br>`)
		}
		if ch := sparks[row.Code+"/"+ind.ID]; ch != nil {
			writeChart(&w, ch.ID, ch.Kind, ch.GeoURL, ch.Label, ch.Height, []byte(ch.JSON))
		}
		w.WriteString("</td>")
	}
	return w.html()
}

// writeCount writes "4 av 12 medlemmar" (a level) or " (4 av 12)" (a
// change) for a median that counted fewer than all members.
func writeCount(w pageWriter, n, of int, change bool) {
	if change {
		w.WriteString(` <span class="count">(`)
	}
	w.WriteString(strconv.Itoa(n))
	w.WriteString(" av ")
	w.WriteString(strconv.Itoa(of))
	if change {
		w.WriteString(")</span>")
	} else {
		w.WriteString(" medlemmar")
	}
}
