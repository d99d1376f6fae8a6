package server

import (
	"html/template"
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// profileYearRows writes the body of an indicator's table on a profile: a
// row per year with the municipality's figure and source, its rank, the
// group's median, the county and riket. Twenty indicators over fifty years
// are six thousand cells, and html/template's reflective calls per cell
// were most of a cold profile's cost (docs/benchmarks.md section 8);
// written here, every text escaped, the page reads the same.
func (s *Server) profileYearRows(p report.ProfileIndicator) template.HTML {
	var b plainWriter
	b.b = make([]byte, 0, len(p.Years)*400)
	ind := p.Indicator
	var lastSrc *domain.Source
	var lastTitle string
	num := func(v *float64) { writeEscaped(&b, report.FormatValue(v, ind.Decimals, ind.Unit)) }
	note := func(n string) {
		if n != "" {
			b.WriteString(` <small class="count">(`)
			writeEscaped(&b, n)
			b.WriteString(`)</small>`)
		}
	}
	for j, y := range p.Years {
		b.WriteString(`<tr><th scope="row">`)
		b.WriteString(strconv.Itoa(y))
		b.WriteString(`</th><td class="num" data-value="`)
		own := at(p.Own, j)
		if own != nil {
			writeEscaped(&b, strconv.FormatFloat(*own, 'g', -1, 64))
		}
		b.WriteString(`"`)
		if src := p.OwnSource[j]; src != nil {
			if src != lastSrc {
				lastSrc, lastTitle = src, s.shortSource(src)
			}
			b.WriteString(` title="`)
			writeEscaped(&b, lastTitle)
			b.WriteString(`"`)
		}
		b.WriteString(">")
		num(own)
		if d := p.Discrepancies[j]; d != "" {
			b.WriteString(`<br><small class="discrepancy">⚠ `)
			writeEscaped(&b, d)
			b.WriteString(`</small>`)
		}
		b.WriteString("</td>\n<td class=\"num\">")
		if r := atInt(p.Ranks, j); r != 0 {
			b.WriteString(strconv.Itoa(r))
			b.WriteString(" av ")
			b.WriteString(strconv.Itoa(atInt(p.Ranked, j)))
		} else {
			b.WriteString(`<span class="missing">–</span>`)
		}
		b.WriteString("</td>\n<td class=\"num\">")
		num(at(p.Median, j))
		note(p.MedianNote(j))
		b.WriteString(`</td><td class="num">`)
		num(at(p.County, j))
		note(p.CountyNote(j))
		b.WriteString(`</td><td class="num">`)
		num(at(p.Riket, j))
		note(p.RiketNote(j))
		b.WriteString(`</td></tr>`)
	}
	return b.html()
}

// at is vs[i], nil outside vs.
func at(vs []*float64, i int) *float64 {
	if i < 0 || i >= len(vs) {
		return nil
	}
	return vs[i]
}

// atInt is vs[i], 0 outside vs.
func atInt(vs []int, i int) int {
	if i < 0 || i >= len(vs) {
		return 0
	}
	return vs[i]
}
