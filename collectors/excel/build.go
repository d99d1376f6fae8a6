package excel

import (
	"fmt"
	"sort"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// builder collects what the sheets yield: it resolves municipalities and
// indicators, keeps one observation per cell, turns conflicting duplicates
// into rejects and enforces the row and cell limits across the file.
type builder struct {
	regions *domain.Regions
	cat     *domain.Catalogue
	forced  string
	src     domain.Source
	lim     Limits

	obs     []domain.Observation
	pos     []Position // pos[i] is where obs[i] stood
	missing []Position
	// missingPer counts MissingCells kept per sheet (MaxMissingCells).
	missingPer []int
	dropped    map[int]bool
	seen       map[domain.Key]seenCell
	rejects    []rejectEntry
	// warnings are cells read with a caveat (Result.Warnings).
	warnings []Reject
	sheets   []SheetInfo
	// colNames names columns per sheet (letters, or CSV header text).
	colNames []func(int) string

	rows, cells int
	scanned     int // rows iterated, empty ones included

	regionCache map[string]regionHit
	indCache    map[string]string

	// onValueCell, when set (tests), sees every value cell of a wide row
	// before the municipality is resolved, so figures of files whose regions
	// are not in the code list can still be checked.
	onValueCell func(c valueCell)
}

// valueCell is one figure as found in a file, before resolution.
type valueCell struct {
	Sheet  string
	Row    int
	Column string
	Region string
	Year   int
	Text   string
}

// seenCell locates the first occurrence of a cell; kept small because there
// is one per observation.
type seenCell struct {
	idx      int32
	row      int32
	colIdx   int32
	sheet    int16
	rejected bool
}

type rejectEntry struct {
	Reject
	sheet, colIdx int
}

type regionHit struct {
	code   string
	reason string
}

// cacheCap bounds the lookup caches: files repeat the same few hundred names.
const cacheCap = 8192

func newBuilder(opts Options, lim Limits) *builder {
	return &builder{
		regions:     opts.Regions,
		cat:         opts.Catalogue,
		forced:      opts.Indicator,
		src:         domain.Source{Kind: domain.SourceUpload, Ref: opts.FileName, FetchedAt: opts.ImportedAt},
		lim:         lim,
		seen:        map[domain.Key]seenCell{},
		regionCache: map[string]regionHit{},
		indCache:    map[string]string{},
	}
}

// count charges one non-empty row of n cells against the file's limits.
func (b *builder) count(n int) error {
	b.rows++
	b.cells += n
	if b.rows > b.lim.MaxRows {
		return invalid(fmt.Sprintf("Filen har fler än %d rader. Dela upp den i flera filer", b.lim.MaxRows),
			fmt.Errorf("more than %d rows", b.lim.MaxRows))
	}
	if b.cells > b.lim.MaxCells {
		return invalid(fmt.Sprintf("Filen har fler än %d celler. Dela upp den i flera filer", b.lim.MaxCells),
			fmt.Errorf("more than %d cells", b.lim.MaxCells))
	}
	return nil
}

// scanBudget bounds the rows iterated in a workbook, empty ones included.
// With the default limits it exceeds two million, more than a full sheet
// (Excel's maximum is 1,048,576 rows).
func (b *builder) scanBudget() int { return 4*b.lim.MaxRows + 100_000 }

// addSheet registers a sheet and returns its index.
func (b *builder) addSheet(name string, colName func(int) string) int {
	b.sheets = append(b.sheets, SheetInfo{Name: name})
	b.colNames = append(b.colNames, colName)
	b.missingPer = append(b.missingPer, 0)
	return len(b.sheets) - 1
}

// missingCell counts a cell marked missing and keeps its position while
// the sheet's share of MaxMissingCells lasts.
func (b *builder) missingCell(sheet, row, colIdx int) {
	b.sheets[sheet].Missing++
	if b.missingPer[sheet] >= MaxMissingCells {
		return
	}
	b.missingPer[sheet]++
	b.missing = append(b.missing, Position{Sheet: sheet, Row: row, Col: colIdx, Column: b.colNames[sheet](colIdx)})
}

// warn notes a cell that was read but deserves a look (a formula's stored
// result); it is not a reject.
func (b *builder) warn(sheet, row, _ int, col, value, reason string) {
	b.warnings = append(b.warnings, Reject{Sheet: b.sheets[sheet].Name, Row: row, Column: col, Value: truncate(value, 200), Reason: reason})
}

func (b *builder) reject(sheet, row, colIdx int, col, value, reason string) {
	b.rejects = append(b.rejects, rejectEntry{
		Reject: Reject{Sheet: b.sheets[sheet].Name, Row: row, Column: col, Value: truncate(value, 200), Reason: reason},
		sheet:  sheet, colIdx: colIdx,
	})
}

// looksLikeFormula spots text that a spreadsheet would run as a formula
// (CSV injection). Such text is never a municipality; saying so helps the
// analyst see why.
func looksLikeFormula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@", rune(s[0])) && len(s) > 1
}

// resolveRegion finds a municipality, county or riket by code or name.
func (b *builder) resolveRegion(text string) regionHit {
	if h, ok := b.regionCache[text]; ok {
		return h
	}
	var h regionHit
	if r, ok := b.regions.Resolve(text); ok && r.Kind() != domain.KindUnknown {
		h.code = r.Code
	} else if r, ok := b.resolvePadded(text); ok {
		h.code = r.Code
	} else if looksLikeFormula(text) {
		h.reason = fmt.Sprintf("Texten '%s' ser ut som en formel och är ingen kommun; formler läses aldrig", short(text))
	} else {
		h.reason = fmt.Sprintf("Kommunen '%s' finns inte i kommunlistan; skriv kommunkod eller namn, t.ex. 1060 eller Olofström", short(text))
	}
	if len(b.regionCache) >= cacheCap {
		clear(b.regionCache)
	}
	b.regionCache[text] = h
	return h
}

// resolvePadded restores the leading zero Excel drops when a code column is
// formatted as numbers: "114" is 0114 Upplands Väsby, "1" is 01 Stockholms
// län. Only three- and one-digit numbers qualify; no other length can be a
// code with its zero lost.
func (b *builder) resolvePadded(text string) (domain.Region, bool) {
	if len(text) != 3 && len(text) != 1 {
		return domain.Region{}, false
	}
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			return domain.Region{}, false
		}
	}
	return b.regions.Get("0" + text)
}

// matchIndicator recognises an indicator label (id, name or alias); "" when
// the catalogue does not know it.
func (b *builder) matchIndicator(label string) string {
	if label == "" {
		return ""
	}
	if id, ok := b.indCache[label]; ok {
		return id
	}
	id := ""
	if ind, ok := b.cat.Match(label); ok {
		id = ind.ID
	}
	if len(b.indCache) >= cacheCap {
		clear(b.indCache)
	}
	b.indCache[label] = id
	return id
}

// percentOK reports whether "%" after a figure is the indicator's own unit.
func (b *builder) percentOK(id string) bool {
	return b.unit(id) == "%"
}

// unit is the indicator's unit as the catalogue writes it ("" if unknown).
func (b *builder) unit(id string) string {
	ind, ok := b.cat.Get(id)
	if !ok {
		return ""
	}
	return strings.TrimSpace(ind.Unit)
}

// add keeps one figure. The same cell twice with the same figure is one
// observation; with different figures neither is kept, and both rows are
// rejected naming each other, because the reader cannot know which is right.
//
// A figure the indicator's plausibility rules exclude (config
// indicators[].plausible) is rejected with the reason and never stored.
func (b *builder) add(sheet, row, colIdx int, col string, k domain.Key, v float64) {
	if ind, ok := b.cat.Get(k.Indicator); ok {
		if why := ind.Implausible(v); why != "" {
			b.reject(sheet, row, colIdx, col, formatNumber(v), why)
			return
		}
	}
	e, dup := b.seen[k]
	if !dup {
		b.obs = append(b.obs, domain.Observation{Municipality: k.Municipality, Indicator: k.Indicator, Year: k.Year, Value: v, Source: b.src})
		b.pos = append(b.pos, Position{Sheet: sheet, Row: row, Col: colIdx, Column: col})
		// The limits (rows, cells, sheets) keep these within their types.
		b.seen[k] = seenCell{idx: int32(len(b.obs) - 1), sheet: int16(sheet), row: int32(row), colIdx: int32(colIdx)}
		return
	}
	prev := b.obs[e.idx].Value
	if prev == v && !e.rejected {
		return
	}
	es, erow, ecol := int(e.sheet), int(e.row), int(e.colIdx)
	b.reject(sheet, row, colIdx, col, formatNumber(v), dupReason(k, erow, b.otherSheet(sheet, es), prev))
	if !e.rejected {
		b.reject(es, erow, ecol, b.colNames[es](ecol), formatNumber(prev), dupReason(k, row, b.otherSheet(es, sheet), v))
		if b.dropped == nil {
			b.dropped = map[int]bool{}
		}
		b.dropped[int(e.idx)] = true
		e.rejected = true
		b.seen[k] = e
	}
}

func (b *builder) otherSheet(here, there int) string {
	if here == there {
		return ""
	}
	return fmt.Sprintf(" i bladet '%s'", short(b.sheets[there].Name))
}

func dupReason(k domain.Key, otherRow int, otherSheet string, otherValue float64) string {
	return fmt.Sprintf("Kommun %s, indikator %s och år %d finns också på rad %d%s med värdet %s; ingen av dem används. Ta bort den felaktiga raden",
		k.Municipality, k.Indicator, k.Year, otherRow, otherSheet, formatNumber(otherValue))
}

// result assembles the answer: observations in file order without the
// dropped duplicates, rejects in sheet, row and column order.
func (b *builder) result() Result {
	obs, pos := b.obs, b.pos
	if len(b.dropped) > 0 {
		obs = make([]domain.Observation, 0, len(b.obs)-len(b.dropped))
		pos = make([]Position, 0, len(b.obs)-len(b.dropped))
		for i, o := range b.obs {
			if !b.dropped[i] {
				obs = append(obs, o)
				pos = append(pos, b.pos[i])
			}
		}
	}
	sort.SliceStable(b.rejects, func(i, j int) bool {
		a, c := b.rejects[i], b.rejects[j]
		if a.sheet != c.sheet {
			return a.sheet < c.sheet
		}
		if a.Row != c.Row {
			return a.Row < c.Row
		}
		return a.colIdx < c.colIdx
	})
	rej := make([]Reject, len(b.rejects))
	for i, r := range b.rejects {
		rej[i] = r.Reject
	}
	return Result{Observations: obs, Rejects: rej, Warnings: b.warnings, Sheets: b.sheets, Positions: pos, MissingCells: b.missing}
}
