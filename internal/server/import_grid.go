package server

import (
	"sort"
	"unicode/utf8"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// The preview's view of each sheet laid out like the file: the rows and
// columns that held figures, each cell marked new, changed, unchanged,
// shadowed, rejected or missing, and summing rows marked skipped. Marks are
// a symbol and a word as well as a colour.

// Bounds of the sheet view; the tables below it and the API carry all.
const (
	maxGridRows = 50
	maxGridCols = 30
)

// gridCell is one cell of the sheet view.
type gridCell struct {
	Class, Mark, Text, Title string
}

// gridRow is one file row; Total marks a skipped summing row.
type gridRow struct {
	Row   int
	Label string
	Total bool
	Cells []gridCell
}

// sheetGrid is one sheet as the file lays it out.
type sheetGrid struct {
	Name       string
	Columns    []string
	Rows       []gridRow
	HiddenRows int
	HiddenCols int
}

// gridKey is a cell by row and column name.
type gridKey struct {
	row int
	col string
}

// fileGrids builds the sheet views of an upload against the diff a confirm
// would write now.
func (s *Server) fileGrids(p *importPayload, diff domain.Diff) []sheetGrid {
	byName := map[string]int{}
	for i, sh := range p.Sheets {
		byName[sh.Name] = i
	}
	var out []sheetGrid
	for i, sh := range p.Sheets {
		rows := shownRows(p, i, byName)
		if len(rows) == 0 {
			continue
		}
		g := s.sheetGridOf(p, i, byName, rows, diff)
		g.Name = sh.Name
		g.HiddenRows = max(0, sh.Rows-len(g.Rows))
		out = append(out, g)
	}
	return out
}

// rowSet keeps the smallest rows seen, bounded so that a huge sheet costs
// little: it is pruned to maxGridRows whenever it grows past four times that.
type rowSet map[int]bool

func (r rowSet) add(row int) {
	r[row] = true
	if len(r) > 4*maxGridRows {
		keep := r.sorted()
		clear(r)
		for _, k := range keep {
			r[k] = true
		}
	}
}

// sorted is the first maxGridRows rows in order.
func (r rowSet) sorted() []int {
	out := make([]int, 0, len(r))
	for k := range r {
		out = append(out, k)
	}
	sort.Ints(out)
	if len(out) > maxGridRows {
		out = out[:maxGridRows]
	}
	return out
}

// shownRows are the first rows of sheet i that hold a figure, a missing
// marker, a reject or a skipped total.
func shownRows(p *importPayload, i int, byName map[string]int) []int {
	set := rowSet{}
	for _, ps := range p.Positions {
		if ps.Sheet == i {
			set.add(ps.Row)
		}
	}
	for _, ps := range p.MissingCells {
		if ps.Sheet == i {
			set.add(ps.Row)
		}
	}
	for _, r := range p.Rejects {
		if byName[r.Sheet] == i {
			set.add(r.Row)
		}
	}
	for _, row := range p.Sheets[i].Totals {
		set.add(row)
	}
	return set.sorted()
}

// sheetGridOf fills the view of sheet i for the given rows.
func (s *Server) sheetGridOf(p *importPayload, i int, byName map[string]int, rows []int, diff domain.Diff) sheetGrid {
	shown := make(map[int]bool, len(rows))
	for _, r := range rows {
		shown[r] = true
	}
	in := func(row int) bool { return shown[row] }
	cells := map[gridKey]gridCell{}
	order := map[string]int{}
	labels := map[int]string{}
	keys := map[domain.Key]gridKey{}
	for j, ps := range p.Positions {
		if ps.Sheet != i || !in(ps.Row) {
			continue
		}
		order[ps.Column] = ps.Col
		o := p.Observations[j]
		keys[o.Key()] = gridKey{ps.Row, ps.Column}
		cells[gridKey{ps.Row, ps.Column}] = gridCell{Class: "cell-new", Mark: "+", Text: exact(o.Value), Title: "Ny siffra"}
		if labels[ps.Row] == "" {
			labels[ps.Row] = s.deps.Env.Regions.Name(o.Municipality)
		}
	}
	for _, c := range diff.Changes {
		if k, ok := keys[c.Key]; ok {
			cells[k] = changeCell(c)
		}
	}
	for _, ps := range p.MissingCells {
		if ps.Sheet == i && in(ps.Row) {
			order[ps.Column] = ps.Col
			cells[gridKey{ps.Row, ps.Column}] = gridCell{Class: "cell-missing", Mark: "..", Text: "saknas", Title: "Saknat värde i filen; ingen siffra importeras"}
		}
	}
	for _, r := range p.Rejects {
		if byName[r.Sheet] != i || !in(r.Row) {
			continue
		}
		if _, ok := order[r.Column]; !ok {
			order[r.Column] = columnOrder(r.Column, len(order))
		}
		cells[gridKey{r.Row, r.Column}] = rejectCell(cells[gridKey{r.Row, r.Column}], r)
	}
	return layoutGrid(rows, p.Sheets[i].Totals, order, cells, labels)
}

// layoutGrid orders the columns as in the file and fills the rows.
func layoutGrid(rows, totals []int, order map[string]int, cells map[gridKey]gridCell, labels map[int]string) sheetGrid {
	var g sheetGrid
	for name := range order {
		g.Columns = append(g.Columns, name)
	}
	sort.Slice(g.Columns, func(a, b int) bool { return order[g.Columns[a]] < order[g.Columns[b]] })
	if len(g.Columns) > maxGridCols {
		g.Columns, g.HiddenCols = g.Columns[:maxGridCols], len(g.Columns)-maxGridCols
	}
	for _, row := range rows {
		r := gridRow{Row: row, Label: labels[row]}
		if i := sort.SearchInts(totals, row); i < len(totals) && totals[i] == row {
			r.Total = true
		}
		for _, col := range g.Columns {
			r.Cells = append(r.Cells, cells[gridKey{row, col}])
		}
		g.Rows = append(g.Rows, r)
	}
	for i, name := range g.Columns {
		if name == "" {
			g.Columns[i] = "hela raden"
		}
	}
	return g
}

// changeCell marks a figure by what a confirm does with it.
func changeCell(c domain.Change) gridCell {
	switch c.Kind {
	case domain.ChangeChanged:
		old := "–"
		if c.Old != nil {
			old = exact(*c.Old)
		}
		return gridCell{Class: "cell-changed", Mark: "≠", Text: old + " → " + exact(c.New), Title: "Ändras från " + old}
	case domain.ChangeUnchanged:
		return gridCell{Class: "cell-unchanged", Mark: "=", Text: exact(c.New), Title: "Oförändrad"}
	case domain.ChangeShadowed:
		return gridCell{Class: "cell-shadowed", Mark: "↓", Text: exact(c.New), Title: "Överskuggas av en källa med högre företräde"}
	}
	return gridCell{Class: "cell-new", Mark: "+", Text: exact(c.New), Title: "Ny siffra"}
}

// rejectCell marks a refused cell with its value and reason; a second
// reject of the same cell adds its reason.
func rejectCell(prev gridCell, r excel.Reject) gridCell {
	text := r.Value
	if utf8.RuneCountInString(text) > 30 {
		text = string([]rune(text)[:30]) + "…"
	}
	title := "Avvisad: " + r.Reason
	if prev.Class == "cell-rejected" {
		title = prev.Title + " " + r.Reason
	}
	return gridCell{Class: "cell-rejected", Mark: "✕", Text: text, Title: title}
}

// columnOrder places a column known only by name (a reject's): a letter
// name ("A", "AB") by its index, any other (a CSV header) after the rest
// in order of appearance.
func columnOrder(name string, seen int) int {
	n := 0
	for _, r := range name {
		if r < 'A' || r > 'Z' || n > 1<<20 {
			return 1<<30 + seen
		}
		n = n*26 + int(r-'A') + 1
	}
	if n == 0 {
		return -1 // the whole row: first
	}
	return n - 1
}
