package export

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Column widths in Excel's character units: wide enough for the longest
// cell, within bounds so one long note does not make a sheet unreadable.
const (
	minColWidth = 8
	maxColWidth = 60
)

// WriteXLSX writes the tables as one workbook: a sheet per table (bold,
// frozen header row; numbers as numbers with the table's decimals and a
// thousands separator; missing figures as empty cells) and a last sheet,
// "Källor", listing every table's sources, retrieval dates and notes.
// Sheets are written with excelize's StreamWriter, which keeps memory flat
// for large tables.
//
// Text cells are written as typed strings, so a cell reading "=1+1" is text
// in Excel and never runs as a formula; no apostrophe is needed, unlike CSV.
// (Text beyond Excel's 32,767-character cell limit is cut by excelize.)
func WriteXLSX(w io.Writer, tables ...Table) (err error) {
	if len(tables) == 0 {
		return errors.New("export: xlsx: no tables")
	}
	for _, t := range tables {
		if err := t.check(); err != nil {
			return err
		}
		if err := t.checkXLSXSize(); err != nil {
			return err
		}
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("export: xlsx: close: %w", cerr)
		}
	}()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	names := uniqueSheetNames(tables)
	first := f.GetSheetName(0)
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(first, names[i])
		} else {
			_, err = f.NewSheet(names[i])
		}
		if err != nil {
			return fmt.Errorf("export: xlsx: sheet %q: %w", names[i], err)
		}
		if err := writeTableSheet(f, st, names[i], t); err != nil {
			return fmt.Errorf("export: xlsx: sheet %q: %w", names[i], err)
		}
	}
	if _, err := f.NewSheet(sourcesSheet); err != nil {
		return fmt.Errorf("export: xlsx: sheet %q: %w", sourcesSheet, err)
	}
	if err := writeSourcesSheet(f, st, tables); err != nil {
		return fmt.Errorf("export: xlsx: sheet %q: %w", sourcesSheet, err)
	}
	// The first table's sheet is active already: it is the new file's
	// renamed "Sheet1". Calling SetActiveSheet here would re-parse every
	// streamed sheet and double the time of an export.
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export: xlsx: write: %w", err)
	}
	return nil
}

// styles holds the workbook's style ids, made once per workbook.
type styles struct {
	f           *excelize.File
	header      int
	headerRight int
	date        int
	numbers     map[int]int // decimals -> style id
}

func newStyles(f *excelize.File) (*styles, error) {
	st := &styles{f: f, numbers: map[int]int{}}
	var err error
	bottom := []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: bottom}); err != nil {
		return nil, fmt.Errorf("export: xlsx: header style: %w", err)
	}
	if st.headerRight, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: bottom,
		Alignment: &excelize.Alignment{Horizontal: "right"}}); err != nil {
		return nil, fmt.Errorf("export: xlsx: header style: %w", err)
	}
	dateFmt := "yyyy-mm-dd"
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return nil, fmt.Errorf("export: xlsx: date style: %w", err)
	}
	return st, nil
}

// number returns the style for numbers with dec decimals: "#,##0.0" and so
// on. Number format codes are locale-neutral in the file, so Swedish Excel
// shows "12 031,0".
func (st *styles) number(dec int) (int, error) {
	if id, ok := st.numbers[dec]; ok {
		return id, nil
	}
	code := "#,##0"
	if dec > 0 {
		code += "." + strings.Repeat("0", dec)
	}
	id, err := st.f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		return 0, fmt.Errorf("number style %q: %w", code, err)
	}
	st.numbers[dec] = id
	return id, nil
}

// writeTableSheet streams one table: widths and panes first (StreamWriter
// requires them before any row), then the header, then the rows.
func writeTableSheet(f *excelize.File, st *styles, sheet string, t Table) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	numStyle := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		if numStyle[i], err = st.number(c.decimals()); err != nil {
			return err
		}
	}
	for i, width := range columnWidths(t) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := freezeHeader(sw); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		s := st.header
		if c.Numeric {
			s = st.headerRight
		}
		header[i] = excelize.Cell{StyleID: s, Value: c.Header}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	cells := make([]any, len(t.Columns))
	for r, row := range t.Rows {
		for i := range cells {
			cells[i] = nil // nil: no cell at all, an empty cell in Excel
			if i >= len(row) {
				continue
			}
			if v, ok := row[i].number(); ok {
				cells[i] = excelize.Cell{StyleID: numStyle[i], Value: v}
			} else if row[i].Num == nil && row[i].Text != "" {
				cells[i] = row[i].Text
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(r+2), cells); err != nil {
			return fmt.Errorf("row %d: %w", r+2, err)
		}
	}
	return sw.Flush()
}

// freezeHeader keeps row 1 visible while scrolling.
func freezeHeader(sw *excelize.StreamWriter) error {
	return sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
}

// sourcesHeader is the Källor sheet's header row.
var sourcesHeader = []string{"Tabell", "Källa", "Tabell/KPI", "Hämtad", "Anmärkning"}

// writeSourcesSheet lists, for every table, one row per source and one per
// note; a table with neither still gets a row, so every exported table is
// accounted for.
func writeSourcesSheet(f *excelize.File, st *styles, tables []Table) error {
	sw, err := f.NewStreamWriter(sourcesSheet)
	if err != nil {
		return err
	}
	type line struct {
		title, source, ref string
		fetched            time.Time
		note               string
	}
	var lines []line
	for _, t := range tables {
		n := len(lines)
		for _, s := range t.Sources {
			lines = append(lines, line{t.Title, s.Source, s.Ref, s.FetchedAt, s.Note})
		}
		for _, note := range t.Notes {
			if strings.TrimSpace(note) != "" {
				lines = append(lines, line{title: t.Title, note: note})
			}
		}
		if len(lines) == n {
			lines = append(lines, line{title: t.Title})
		}
	}
	widths := make([]int, len(sourcesHeader))
	for i, h := range sourcesHeader {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, l := range lines {
		for i, s := range []string{l.title, l.source, l.ref, fetchedDate(l.fetched), l.note} {
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, clampWidth(w)); err != nil {
			return err
		}
	}
	if err := freezeHeader(sw); err != nil {
		return err
	}
	header := make([]any, len(sourcesHeader))
	for i, h := range sourcesHeader {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for r, l := range lines {
		row := []any{textOrNil(l.title), textOrNil(l.source), textOrNil(l.ref), nil, textOrNil(l.note)}
		if !l.fetched.IsZero() {
			// The date as on the retrieval wall clock, as a real Excel date.
			y, m, d := l.fetched.Date()
			row[3] = excelize.Cell{StyleID: st.date, Value: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
		}
		if err := sw.SetRow("A"+strconv.Itoa(r+2), row); err != nil {
			return fmt.Errorf("row %d: %w", r+2, err)
		}
	}
	return sw.Flush()
}

// textOrNil leaves empty strings out, so they are empty cells.
func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// columnWidths sizes each column to its header and its longest cell as
// displayed (numbers with decimals and thousands separators).
func columnWidths(t Table) []float64 {
	out := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		w := utf8.RuneCountInString(c.Header)
		for _, row := range t.Rows {
			if i >= len(row) {
				continue
			}
			if v, ok := row[i].number(); ok {
				w = max(w, displayedNumberWidth(v, c.decimals()))
			} else if row[i].Num == nil {
				w = max(w, utf8.RuneCountInString(row[i].Text))
			}
			if w >= maxColWidth {
				break
			}
		}
		out[i] = clampWidth(w)
	}
	return out
}

// displayedNumberWidth is the length of v as "#,##0.00" shows it.
func displayedNumberWidth(v float64, dec int) int {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	intPart, _, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	return len(s) + (len(intPart)-1)/3
}

// clampWidth adds padding and keeps the width within bounds.
func clampWidth(chars int) float64 {
	return float64(min(max(chars+2, minColWidth), maxColWidth))
}
