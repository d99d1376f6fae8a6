package excel

import (
	"fmt"
	"slices"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// maxPreamble is how many non-empty rows may stand above the header (titles,
// SCB's multi-row headers) before a sheet is given up as not a data sheet.
const maxPreamble = 50

type parseState int

const (
	stSearch parseState = iota // looking for the header row
	stData                     // reading rows below the header
	stSkip                     // not read (reason in the sheet's Note)
)

type valCol struct {
	col int
	ind string // "" = from the indicator column or the sheet
}

type yearCol struct {
	col  int
	year int
	ind  string // per-column indicator (SCB multi-content exports); "" = row or sheet
}

type preRow struct {
	row   int
	cells []string
}

// sheetParser reads one sheet row by row: it finds the header, decides the
// layout and the indicator, then turns each data row into figures or
// rejects through the builder. It never holds more than the preamble.
type sheetParser struct {
	b       *builder
	idx     int
	colName func(i int) string
	isCSV   bool

	state     parseState
	preamble  []preRow
	header    []string
	headerRow int

	long       bool
	codeCol    int
	nameCol    int
	yearCol    int
	indCol     int
	valCols    []valCol // long layout
	years      []yearCol
	firstYear  int
	regionLazy bool // wide layout without a named region column
	sheetInd   string
	skipData   bool // rows are counted, not read (indicator needed or in conflict)

	// pct lists the current row's number cells formatted as percentages
	// (.xlsx only; set by the sheet reader before each row).
	pct []percentCol
	// formulas are the current row's formula cells, column → whether a
	// result is stored (.xlsx only; nil for most rows).
	formulas map[int]bool
}

func newSheetParser(b *builder, name string, isCSV bool) *sheetParser {
	p := &sheetParser{b: b, isCSV: isCSV, codeCol: -1, nameCol: -1, yearCol: -1, indCol: -1}
	p.colName = p.columnName
	p.idx = b.addSheet(name, p.colName)
	return p
}

func (p *sheetParser) info() *SheetInfo { return &p.b.sheets[p.idx] }

// columnName names a column for a reject: letters for .xlsx, the header
// text for CSV (letters when the header cell is empty).
func (p *sheetParser) columnName(i int) string {
	if i < 0 {
		return ""
	}
	if p.isCSV && i < len(p.header) && p.header[i] != "" {
		return p.header[i]
	}
	return colLetters(i)
}

// colLetters turns a 0-based column index into Excel's letters: 0 is "A",
// 26 is "AA".
func colLetters(i int) string {
	var buf [8]byte
	n := len(buf)
	for i++; i > 0 && n > 0; i = (i - 1) / 26 {
		n--
		buf[n] = byte('A' + (i-1)%26)
	}
	return string(buf[n:])
}

func cellAt(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

func rowEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// row consumes one row (1-based number n). Only limit breaches are errors;
// everything else about a row becomes a reject or a note.
func (p *sheetParser) row(n int, cells []string) error {
	if rowEmpty(cells) {
		return nil
	}
	if err := p.b.count(len(cells)); err != nil {
		return err
	}
	switch p.state {
	case stSearch:
		p.search(n, cells)
	case stData:
		p.info().Rows++
		if p.skipData {
			return nil
		}
		if p.long {
			p.longRow(n, cells)
		} else {
			p.wideRow(n, cells)
		}
	}
	return nil
}

// finish explains a sheet that never found its header.
func (p *sheetParser) finish() {
	if p.state != stSearch {
		return
	}
	if len(p.preamble) == 0 {
		p.info().Note = "Bladet är tomt"
		return
	}
	p.info().Note = "Hittar ingen rubrikrad med kommun, år och värde (lång form) eller med årtal som kolumnrubriker (bred form); bladet lästes inte"
}

func (p *sheetParser) search(n int, cells []string) {
	if p.tryLong(n, cells) || p.tryWide(n, cells) {
		return
	}
	if len(p.preamble) < maxPreamble {
		p.preamble = append(p.preamble, preRow{row: n, cells: append([]string(nil), cells...)})
		return
	}
	p.state = stSkip
	p.info().Note = fmt.Sprintf("Hittar ingen rubrikrad bland de första %d raderna; bladet lästes inte", maxPreamble)
}

// skipSheet gives up a sheet whose header is unusable, with a reject on the
// header row so the reason shows wherever rejects are listed.
func (p *sheetParser) skipSheet(n, col int, value, reason string) {
	p.state = stSkip
	p.info().Note = reason
	p.b.reject(p.idx, n, col, p.colName(col), value, reason)
}

func (p *sheetParser) startData(n int, cells []string, layout string) {
	p.state = stData
	p.headerRow = n
	p.header = make([]string, len(cells))
	for i, c := range cells {
		p.header[i] = strings.TrimSpace(c)
	}
	p.info().Layout = layout
}

// tryLong recognises the long layout: one figure per row, with columns for
// the municipality, the year and the value (or one column per indicator,
// named as the catalogue names it, as PxWeb writes time-in-rows tables).
func (p *sheetParser) tryLong(n int, cells []string) bool {
	cols := map[role]int{}
	var named []valCol
	dupRole, dupCol := "", -1
	namedSeen := map[string]bool{}
	for i, c := range cells {
		t := strings.TrimSpace(c)
		if t == "" {
			continue
		}
		r := roleOf(t)
		if r == roleNone {
			if id := p.b.matchIndicator(t); id != "" {
				if namedSeen[id] && dupRole == "" {
					dupRole, dupCol = t, i
				}
				namedSeen[id] = true
				named = append(named, valCol{col: i, ind: id})
			}
			continue
		}
		if _, dup := cols[r]; dup && dupRole == "" {
			dupRole, dupCol = roleNames[r], i
		}
		if _, dup := cols[r]; !dup {
			cols[r] = i
		}
	}
	_, hasCode := cols[roleRegionCode]
	_, hasName := cols[roleRegionName]
	_, hasYear := cols[roleYear]
	_, hasValue := cols[roleValue]
	if !(hasCode || hasName) || !hasYear || !(hasValue || len(named) > 0) {
		return false
	}
	p.startData(n, cells, LayoutLong)
	p.long = true
	if dupRole != "" {
		p.skipSheet(n, dupCol, dupRole, fmt.Sprintf("Rubrikraden har flera kolumner för '%s'; bladet lästes inte. Behåll en kolumn per uppgift", short(dupRole)))
		return true
	}
	get := func(r role) int {
		if i, ok := cols[r]; ok {
			return i
		}
		return -1
	}
	p.codeCol, p.nameCol, p.yearCol, p.indCol = get(roleRegionCode), get(roleRegionName), get(roleYear), get(roleIndicator)
	if hasValue {
		p.valCols = append(p.valCols, valCol{col: cols[roleValue]})
	}
	for _, vc := range named {
		if p.b.forced != "" && vc.ind != p.b.forced {
			p.b.reject(p.idx, n, vc.col, p.colName(vc.col), p.header[vc.col],
				fmt.Sprintf("Kolumnen gäller indikatorn %s men importen gäller %s; kolumnen lästes inte", vc.ind, p.b.forced))
			continue
		}
		p.valCols = append(p.valCols, vc)
	}
	if len(p.valCols) == 0 {
		p.skipData = true
		p.info().Note = "Inga kolumner gäller den valda indikatorn; bladet lästes inte"
		return true
	}
	// Generic value column without an indicator column: the sheet must say.
	required := hasValue && p.indCol < 0
	p.decideIndicator(n, p.candidates(nil), required)
	return true
}

// tryWide recognises the wide layout and SCB's exports: a header row with
// years as column titles, the municipality in a column to the left.
func (p *sheetParser) tryWide(n int, cells []string) bool {
	first, years := yearColumns(cells)
	if first <= 0 {
		return false // no years, a figure among them, or no column left of them for the municipality
	}
	code, name, ind, extra, ok := p.wideHeaderLeft(cells, first)
	if !ok {
		return false
	}
	distinct := map[int]bool{}
	for _, y := range years {
		distinct[y.year] = true
	}
	lazy := false
	if code < 0 && name < 0 {
		if name, ok = unnamedRegionCol(cells, first, ind, len(distinct)); !ok {
			return false
		}
		lazy = name < 0
	}
	for i := first; i < len(cells); i++ {
		if t := strings.TrimSpace(cells[i]); t != "" {
			if _, isYear := parseYear(t); !isYear {
				extra = append(extra, t)
			}
		}
	}

	layout := LayoutWide
	if p.looksLikeSCBExport() {
		layout = LayoutSCBExport
	}
	p.startData(n, cells, layout)
	p.codeCol, p.nameCol, p.indCol, p.firstYear, p.regionLazy = code, name, ind, first, lazy
	p.years = years

	perCol := p.columnIndicators(n, years, first)
	if perCol == nil && len(distinct) < len(years) {
		p.skipSheet(n, first, "", "Samma år står i flera kolumner och bladet säger inte vilken indikator varje kolumn gäller; bladet lästes inte")
		return true
	}
	if perCol != nil && (slices.ContainsFunc(perCol, func(id string) bool { return id != perCol[0] }) || len(distinct) < len(years)) {
		p.keepColumnIndicators(n, first, perCol)
		return true
	}
	p.decideIndicator(n, p.candidates(extra), p.indCol < 0)
	return true
}

// yearColumns finds the year titles of a wide header row: the first year's
// column (-1 when none, or when a figure stands among the years, which
// makes the row data, not a header) and every year column.
func yearColumns(cells []string) (int, []yearCol) {
	first := -1
	var years []yearCol
	for i, c := range cells {
		t := strings.TrimSpace(c)
		if t == "" {
			continue
		}
		if y, ok := parseYear(t); ok {
			if first < 0 {
				first = i
			}
			years = append(years, yearCol{col: i, year: y})
			continue
		}
		if first >= 0 {
			if _, reason := parseNumber(t, false); reason == "" {
				return -1, nil
			}
		}
	}
	return first, years
}

// wideHeaderLeft reads the titles left of the years: which column holds
// the code, the name and the indicator (-1: none), and the other titles.
// It refuses (ok false) a row with a municipality where a title is
// expected: that is data.
func (p *sheetParser) wideHeaderLeft(cells []string, first int) (code, name, ind int, extra []string, ok bool) {
	code, name, ind = -1, -1, -1
	for i := 0; i < first; i++ {
		t := strings.TrimSpace(cells[i])
		if t == "" {
			continue
		}
		if _, ok := p.b.regions.Resolve(t); ok {
			return 0, 0, 0, nil, false
		}
		switch roleOf(t) {
		case roleRegionCode:
			if code < 0 {
				code = i
			}
		case roleRegionName:
			if name < 0 {
				name = i
			}
		case roleIndicator:
			if ind < 0 {
				ind = i
			}
		default:
			extra = append(extra, t)
		}
	}
	return code, name, ind, extra, true
}

// unnamedRegionCol finds the municipality column when no title names it:
// the first non-blank title left of the years other than the indicator's,
// or -1 when all are blank (the column is found from the data). With a
// single year the row could be anything ("Borlänge | 2081" in a list of
// codes), so then the columns left of it must be blank as in SCB's
// exports (ok false otherwise).
func unnamedRegionCol(cells []string, first, ind, distinctYears int) (int, bool) {
	for i := 0; i < first; i++ {
		if i != ind && strings.TrimSpace(cells[i]) != "" {
			return i, distinctYears >= 2
		}
	}
	return -1, true
}

// keepColumnIndicators gives each year column the indicator its content
// label names, keeping only the forced indicator's columns when one was
// chosen; an indicator and year in two columns skips the sheet.
func (p *sheetParser) keepColumnIndicators(n, first int, perCol []string) {
	seen := map[domain.Key]bool{}
	kept := p.years[:0]
	for i, yc := range p.years {
		k := domain.Key{Indicator: perCol[i], Year: yc.year}
		if seen[k] {
			p.skipSheet(n, yc.col, p.header[yc.col], fmt.Sprintf("Indikatorn %s och året %d står i flera kolumner; bladet lästes inte", perCol[i], yc.year))
			return
		}
		seen[k] = true
		if p.b.forced != "" && perCol[i] != p.b.forced {
			continue
		}
		yc.ind = perCol[i]
		kept = append(kept, yc)
	}
	p.years = kept
	if len(p.years) == 0 {
		p.skipSheet(n, first, "", fmt.Sprintf("Inga kolumner gäller den valda indikatorn %s; bladet lästes inte", p.b.forced))
	}
}

// columnIndicators reads SCB's content row, the row directly above the
// years, where each content label ("Folkmängd") stands over its columns
// (merged cells keep the label in their leftmost cell). It returns nil
// unless every year column gets a label the catalogue knows.
func (p *sheetParser) columnIndicators(n int, years []yearCol, first int) []string {
	if len(p.preamble) == 0 || p.preamble[len(p.preamble)-1].row != n-1 {
		return nil
	}
	above := p.preamble[len(p.preamble)-1].cells
	out := make([]string, len(years))
	for i, yc := range years {
		label := ""
		for j := yc.col; j >= first; j-- {
			if t := cellAt(above, j); t != "" {
				label = t
				break
			}
		}
		id := p.matchLabel(label)
		if id == "" {
			return nil
		}
		out[i] = id
	}
	return out
}

// matchLabel recognises an indicator in a title or label cell: the whole
// text, or SCB's title grammar "<content> efter <variables>" (English
// "<content> by <variables>"), or the text before a parenthesised unit.
func (p *sheetParser) matchLabel(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	if id := p.b.matchIndicator(text); id != "" {
		return id
	}
	lower := strings.ToLower(text)
	for _, sep := range []string{" efter ", " by ", " (", ", "} {
		if i := strings.Index(lower, sep); i > 0 {
			if id := p.b.matchIndicator(text[:i]); id != "" {
				return id
			}
		}
	}
	return ""
}

// candidates lists the distinct indicators the sheet names: its name (for
// CSV the file name), the rows above the header and extra header cells.
func (p *sheetParser) candidates(extra []string) []string {
	var out []string
	add := func(text string) {
		id := p.matchLabel(text)
		if id == "" {
			return
		}
		for _, x := range out {
			if x == id {
				return
			}
		}
		out = append(out, id)
	}
	name := p.info().Name
	if p.isCSV {
		name = fileStem(name)
	}
	add(name)
	for _, r := range p.preamble {
		for _, c := range r.cells {
			add(c)
		}
	}
	for _, c := range extra {
		add(c)
	}
	return out
}

// fileStem is the file name without directories and extension.
func fileStem(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	return name
}

// decideIndicator sets the sheet's indicator. When required (no indicator
// column), the file must name exactly one, or the user must have chosen one;
// otherwise the sheet waits for a choice. A choice that contradicts what the
// sheet says is a conflict, not an override.
func (p *sheetParser) decideIndicator(n int, cands []string, required bool) {
	forced := p.b.forced
	info := p.info()
	if !required {
		switch {
		case forced != "":
			p.sheetInd = forced
		case len(cands) == 1:
			p.sheetInd = cands[0]
		}
		return
	}
	switch {
	case forced != "" && (len(cands) == 0 || contains(cands, forced)):
		p.sheetInd = forced
	case forced != "":
		p.skipData = true
		reason := fmt.Sprintf("Bladet gäller indikatorn %s men importen gäller %s; bladet lästes inte", strings.Join(cands, ", "), forced)
		info.Note = reason
		p.b.reject(p.idx, n, -1, "", strings.Join(cands, ", "), reason)
	case len(cands) == 1:
		p.sheetInd = cands[0]
	case len(cands) > 1:
		p.skipData = true
		info.NeedsIndicator = true
		info.Note = fmt.Sprintf("Bladet nämner flera indikatorer (%s); välj vilken siffrorna gäller", strings.Join(cands, ", "))
	default:
		p.skipData = true
		info.NeedsIndicator = true
		info.Note = "Filen säger inte vilken indikator siffrorna gäller; välj indikator"
	}
	info.Indicator = p.sheetInd
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// looksLikeSCBExport tells SCB Statistikdatabasen's export from a
// hand-made sheet with a title: SCB's title names the table the PxWeb way
// ("Folkmängden efter region och år") or the sheet names SCB above the
// table. A sheet that only has a title of its own is a wide sheet, and the
// preview must not say it came from SCB.
func (p *sheetParser) looksLikeSCBExport() bool {
	for _, r := range p.preamble {
		for _, c := range r.cells {
			t := strings.ToLower(c)
			if strings.Contains(t, " efter ") || strings.Contains(t, "scb") || strings.Contains(t, "statistiska centralbyrån") || strings.Contains(t, "statistikdatabas") {
				return true
			}
		}
	}
	return false
}
