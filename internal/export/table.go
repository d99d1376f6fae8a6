package export

import (
	"fmt"
	"math"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Column describes one column of a table as the page shows it. Decimals is
// how many decimals the page shows, so the export shows the same.
type Column struct {
	Header   string
	Numeric  bool
	Decimals int
}

// Value is one cell. Num != nil is a number (written as a number, never as
// text, so Excel can compute with it); otherwise Text is written as text.
// Num == nil && Text == "" is a missing figure: an empty cell.
type Value struct {
	Text string
	Num  *float64
}

// Number is a numeric cell. A non-finite v (NaN, ±Inf) is no figure and is
// written as an empty cell.
func Number(v float64) Value { return Value{Num: &v} }

// Text is a text cell.
func Text(s string) Value { return Value{Text: s} }

// Missing is an empty cell: a figure that does not exist.
func Missing() Value { return Value{} }

// number reports the cell's numeric value, if it has a usable one.
func (v Value) number() (float64, bool) {
	if v.Num == nil || math.IsNaN(*v.Num) || math.IsInf(*v.Num, 0) {
		return 0, false
	}
	return *v.Num, true
}

// SourceNote is the provenance of a table's figures, e.g. {"SCB", "TAB638",
// fetched, "Folkmängd 31 dec"}: pages must say where figures come from, and
// so must files sent on from them.
type SourceNote struct {
	Source    string
	Ref       string // table or KPI id, or a file name
	FetchedAt time.Time
	Note      string
}

// Table is one exported view. Sheet names the xlsx sheet (made safe; the
// Title is used when empty); Notes are free-text remarks such as a series
// break between RAMS and BAS.
type Table struct {
	Title   string
	Sheet   string
	Columns []Column
	Rows    [][]Value
	Sources []SourceNote
	Notes   []string
}

// Excel's sheet limits; a table beyond them cannot be opened as a whole.
const (
	maxXLSXRows = 1048576 - 1 // one row is the header
	maxXLSXCols = 16384
	maxDecimals = 10
)

// check rejects tables that cannot be written faithfully: no columns, or a
// row with more cells than there are columns (a cell would have no header).
// Rows with fewer cells are padded with missing cells.
func (t Table) check() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("export: table %q has no columns", t.Title)
	}
	for i, r := range t.Rows {
		if len(r) > len(t.Columns) {
			return fmt.Errorf("export: table %q row %d has %d cells for %d columns", t.Title, i+1, len(r), len(t.Columns))
		}
	}
	return nil
}

// checkXLSXSize rejects tables larger than an Excel sheet, with a message a
// user can act on.
func (t Table) checkXLSXSize() error {
	if len(t.Rows) > maxXLSXRows || len(t.Columns) > maxXLSXCols {
		return domain.Errorf(domain.CodeInvalid,
			"Tabellen är för stor för Excel. Välj färre år eller kommuner, eller ladda ner CSV.",
			fmt.Errorf("export: table %q has %d rows and %d columns", t.Title, len(t.Rows), len(t.Columns)))
	}
	return nil
}

// decimals clamps a column's decimals to what a number format can show.
func (c Column) decimals() int {
	return min(max(c.Decimals, 0), maxDecimals)
}

// fetchedDate is the retrieval date as written in both formats: the date
// of the time's own wall clock (the caller chooses the zone, normally
// Europe/Stockholm), or "" when unknown.
func fetchedDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
