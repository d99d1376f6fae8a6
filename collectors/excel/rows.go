package excel

import (
	"fmt"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// region resolves the row's municipality from its code and/or name column.
// When both are filled they must agree. It returns the code, or the column,
// text and reason of the reject.
func (p *sheetParser) region(cells []string) (code string, col int, text, reason string) {
	ct, nt := cellAt(cells, p.codeCol), cellAt(cells, p.nameCol)
	if ct == "" && isTotalLabel(nt) || nt == "" && isTotalLabel(ct) {
		return "", p.nameCol, nt + ct, totalRow
	}
	switch {
	case ct == "" && nt == "":
		col = p.nameCol
		if col < 0 {
			col = p.codeCol
		}
		return "", col, "", "Kommun saknas på raden"
	case ct == "":
		h := p.b.resolveRegion(nt)
		return h.code, p.nameCol, nt, h.reason
	case nt == "":
		h := p.b.resolveRegion(ct)
		return h.code, p.codeCol, ct, h.reason
	}
	hc := p.b.resolveRegion(ct)
	if hc.reason != "" {
		return "", p.codeCol, ct, hc.reason
	}
	hn := p.b.resolveRegion(nt)
	if hn.reason != "" || hn.code != hc.code {
		return "", p.nameCol, nt, fmt.Sprintf("Kommunkoden %s och namnet '%s' pekar inte på samma kommun", short(ct), short(nt))
	}
	return hc.code, p.codeCol, ct, ""
}

// totalRow is region's reason for a row that sums the others (Summa,
// Totalt, a bare Riket): skipped and counted, not rejected.
const totalRow = "\x00total"

// isTotalLabel reports whether a region cell names a sum of the rows
// rather than a place. A bare "Riket" counts: in a hand-made sheet it is
// usually the sum of the listed municipalities; SCB's own riket row comes
// with its code ("00 Riket") and is read as riket's figure.
func isTotalLabel(text string) bool {
	t := strings.ToLower(strings.TrimRight(strings.TrimSpace(text), ":"))
	switch t {
	case "summa", "totalt", "total", "totalsumma", "samtliga", "samtliga kommuner", "alla kommuner",
		"riket", "hela riket", "summa riket", "totalt riket", "summa kommuner", "summa medlemmar", "totalt medlemmar":
		return true
	}
	return strings.HasPrefix(t, "summa ") || strings.HasPrefix(t, "totalt ")
}

// rowIndicator reads the row's indicator cell; an empty cell takes the
// sheet's (or the chosen) indicator.
func (p *sheetParser) rowIndicator(text string) (string, string) {
	if text == "" {
		if p.sheetInd != "" {
			return p.sheetInd, ""
		}
		return "", "Indikator saknas; fyll i kolumnen indikator med ett id eller namn från bladet Indikatorer"
	}
	id := p.b.matchIndicator(text)
	if id == "" {
		return "", fmt.Sprintf("Indikatorn '%s' finns inte i indikatorlistan", short(text))
	}
	if p.b.forced != "" && id != p.b.forced {
		return "", fmt.Sprintf("Raden gäller indikatorn %s men importen gäller %s", id, p.b.forced)
	}
	return id, ""
}

// longRow reads one row of the long layout.
func (p *sheetParser) longRow(n int, cells []string) {
	yt := cellAt(cells, p.yearCol)
	anyValue := false
	for _, vc := range p.valCols {
		if !isMissing(cellAt(cells, vc.col)) || p.formulaWithoutResult(vc.col) {
			anyValue = true
			break
		}
	}
	if !anyValue {
		// Nothing to read: a missing figure, or a footnote below the table.
		if yt != "" && (cellAt(cells, p.codeCol) != "" || cellAt(cells, p.nameCol) != "") {
			for _, vc := range p.valCols {
				p.b.missingCell(p.idx, n, vc.col)
			}
		}
		return
	}
	code, rcol, rtext, reason := p.region(cells)
	if reason == totalRow {
		p.info().Totals = append(p.info().Totals, n)
		return
	}
	if reason != "" {
		p.b.reject(p.idx, n, rcol, p.colName(rcol), rtext, reason)
		return
	}
	year, ok := parseYear(yt)
	if !ok {
		reason := fmt.Sprintf("Året '%s' är inte ett årtal mellan %d och %d", short(yt), minYear, maxYear)
		if yt == "" {
			reason = "År saknas på raden"
		}
		p.b.reject(p.idx, n, p.yearCol, p.colName(p.yearCol), yt, reason)
		return
	}
	rowInd := ""
	if p.indCol >= 0 {
		it := cellAt(cells, p.indCol)
		id, reason := p.rowIndicator(it)
		if reason != "" && p.hasGenericValue() {
			p.b.reject(p.idx, n, p.indCol, p.colName(p.indCol), it, reason)
			if len(p.valCols) == 1 {
				return
			}
		}
		rowInd = id
	} else {
		rowInd = p.sheetInd
	}
	for _, vc := range p.valCols {
		ind := vc.ind
		if ind == "" {
			ind = rowInd
		}
		if ind == "" {
			continue // rejected above
		}
		p.value(n, vc.col, code, ind, year, cellAt(cells, vc.col))
	}
}

func (p *sheetParser) hasGenericValue() bool {
	for _, vc := range p.valCols {
		if vc.ind == "" {
			return true
		}
	}
	return false
}

// formulaWithoutResult reports a formula cell in col of the current row
// for which Excel stored no result: excelize reads it as empty, but it is
// not a missing figure.
func (p *sheetParser) formulaWithoutResult(col int) bool {
	stored, formula := p.formulas[col]
	return formula && !stored
}

// value turns one figure cell into an observation, a missing count or a
// reject; a formula's stored result is read with a warning.
func (p *sheetParser) value(n, col int, code, ind string, year int, text string) {
	stored, formula := p.formulas[col]
	if formula && !stored {
		p.b.reject(p.idx, n, col, p.colName(col), text, "Cellen är en formel utan sparat resultat. Öppna filen i Excel, låt den räkna och spara den igen, eller skriv in talet")
		return
	}
	if formula {
		// The figure is Excel's last computed result, not recomputed here.
		defer p.b.warn(p.idx, n, col, p.colName(col), text, "Cellen är en formel: Excels senast beräknade värde används")
	}
	if isMissing(text) {
		p.b.missingCell(p.idx, n, col)
		return
	}
	var (
		v      float64
		reason string
	)
	switch p.pctAt(col) {
	case pctNone:
		v, reason = parseNumber(text, p.b.percentOK(ind))
	case pctAll:
		v, reason = p.percentCell(ind, text)
	case pctMixed:
		reason = "Cellens talformat visar procent bara för en del av talen, så det går inte att avgöra vilket tal som menas; ge cellen formatet Tal eller Procent"
	}
	if reason != "" {
		p.b.reject(p.idx, n, col, p.colName(col), text, reason)
		return
	}
	p.b.add(p.idx, n, col, p.colName(col), domain.Key{Municipality: code, Indicator: ind, Year: year}, v)
}

// pctAt is the percent format of the current row's cell in column col.
func (p *sheetParser) pctAt(col int) pctClass {
	for _, c := range p.pct {
		if c.col == col {
			return c.class
		}
	}
	return pctNone
}

// percentCell reads a number cell formatted as a percentage. Excel stores
// 78,5 % as 0.785, so for an indicator measured in % the figure is the
// stored value times 100, scaled exactly (not the rounded text Excel
// shows). For any other unit the format contradicts the indicator and the
// reader does not guess which one is wrong.
func (p *sheetParser) percentCell(ind, text string) (float64, string) {
	if unit := p.b.unit(ind); unit != "%" {
		measured := "har inte enheten %"
		if unit != "" {
			measured = "mäts i " + unit
		}
		return 0, fmt.Sprintf("Cellen är formaterad som procent men indikatorn %s %s; ge cellen formatet Tal och skriv talet i indikatorns enhet", ind, measured)
	}
	return parseNumberScaled(text, false, 2)
}

// wideRow reads one row of the wide layout: a municipality and a figure per
// year column.
func (p *sheetParser) wideRow(n int, cells []string) {
	if p.regionLazy {
		p.pickRegionColumn(cells)
	}
	anyValue := false
	for _, yc := range p.years {
		t := cellAt(cells, yc.col)
		if p.b.onValueCell != nil {
			p.b.onValueCell(valueCell{Sheet: p.info().Name, Row: n, Column: p.colName(yc.col),
				Region: cellAt(cells, max(p.codeCol, p.nameCol)), Year: yc.year, Text: t})
		}
		if !isMissing(t) || p.formulaWithoutResult(yc.col) {
			anyValue = true
		}
	}
	if !anyValue {
		// All missing: count it for a municipality row; footnotes and notes
		// below SCB's tables have no figures and are passed over.
		if code, _, _, reason := p.region(cells); reason == "" && code != "" {
			for _, yc := range p.years {
				p.b.missingCell(p.idx, n, yc.col)
			}
		}
		return
	}
	code, rcol, rtext, reason := p.region(cells)
	if reason == totalRow {
		p.info().Totals = append(p.info().Totals, n)
		return
	}
	if reason != "" {
		if rcol < 0 {
			rcol = max(p.firstYear-1, 0)
		}
		p.b.reject(p.idx, n, rcol, p.colName(rcol), rtext, reason)
		return
	}
	rowInd := p.sheetInd
	if p.indCol >= 0 {
		it := cellAt(cells, p.indCol)
		id, reason := p.rowIndicator(it)
		if reason != "" {
			p.b.reject(p.idx, n, p.indCol, p.colName(p.indCol), it, reason)
			return
		}
		rowInd = id
	}
	for _, yc := range p.years {
		ind := yc.ind
		if ind == "" {
			ind = rowInd
		}
		p.value(n, yc.col, code, ind, yc.year, cellAt(cells, yc.col))
	}
}

// pickRegionColumn settles an unnamed municipality column on the first data
// row: the leftmost cell left of the years that is a known region, else the
// leftmost filled one. A column of indicator labels there becomes the
// indicator column.
func (p *sheetParser) pickRegionColumn(cells []string) {
	first := -1
	for i := 0; i < p.firstYear && i < len(cells); i++ {
		t := cellAt(cells, i)
		if t == "" || i == p.indCol {
			continue
		}
		if first < 0 {
			first = i
		}
		if p.b.resolveRegion(t).reason == "" {
			p.nameCol = i
			p.regionLazy = false
			break
		}
		if p.indCol < 0 && p.b.matchIndicator(t) != "" {
			p.indCol = i
		}
	}
	if p.regionLazy && first >= 0 && first != p.indCol {
		p.nameCol = first
		p.regionLazy = false
	}
}
