package excel

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// sheetXMLError says where a worksheet part stops being readable:
// afterRow is the last row whose element closed before the fault (0: the
// fault comes before any row).
type sheetXMLError struct {
	afterRow int
	err      error
}

func (e *sheetXMLError) Error() string {
	return fmt.Sprintf("worksheet XML broken after row %d: %v", e.afterRow, e.err)
}

func (e *sheetXMLError) Unwrap() error { return e.err }

// checkSheetXML reads a worksheet part to its end beside excelize's row
// iterator. That iterator drops the XML decoder's error and reports the
// end of the sheet instead, so a sheet whose XML breaks after some rows
// (an undefined entity, a truncated part, a DOCTYPE) would import those rows
// and lose the rest without a word; and it merges a row numbered below the
// one before into that one, losing it as silently. A part is accepted only
// when it is well-formed to its last byte, its elements nest, its rows come
// in ascending order, a worksheet closes its sheetData, and it has no
// DOCTYPE (OOXML never has one; it is how entity tricks start).
//
// On the way it notes the formula cells (formulaCells): excelize gives a
// formula's last result as Excel stored it, or nothing when none is stored.
// publish, when not nil, is told each row's formula cells as the row closes,
// in ascending row order (nil for a row without formulas); when it answers
// false the check stops with errCheckStopped.
func checkSheetXML(parts xlsxParts, part string, publish func(row int, cols map[int]bool) bool) (formulaCells, error) {
	dec, closer, ok, err := parts.decoder(part)
	if err != nil {
		return nil, &sheetXMLError{err: err}
	}
	if !ok {
		return nil, &sheetXMLError{err: fmt.Errorf("worksheet part %q missing", part)}
	}
	defer func() { _ = closer.Close() }()
	sc := sheetScan{publish: publish}
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, sc.fault(err)
		}
		if err := sc.token(tok); err != nil {
			return nil, sc.fault(err)
		}
	}
	if err := sc.finish(); err != nil {
		return nil, sc.fault(err)
	}
	return sc.formulas, nil
}

var (
	// errRowOrder is a row numbered at or below the row before it.
	errRowOrder = errors.New("row out of order")
	// errCheckStopped ends a check whose sheet has failed anyway.
	errCheckStopped = errors.New("check stopped")
)

// sheetScan is checkSheetXML's state while it walks a worksheet's tokens.
type sheetScan struct {
	open      []xml.Name
	lastRow   int // number of the last row closed
	rowNum    int // number of the row being read
	root      string
	sheetData bool
	formulas  formulaCells
	cell      formulaCell // the cell being read
	cellCol   int         // its column, 0-based
	inValue   bool
	publish   func(row int, cols map[int]bool) bool
}

// fault places err after the last row that closed.
func (sc *sheetScan) fault(err error) error {
	return &sheetXMLError{afterRow: sc.lastRow, err: err}
}

func (sc *sheetScan) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.Directive:
		return errors.New("DOCTYPE or other directive in a worksheet")
	case xml.StartElement:
		return sc.start(t)
	case xml.CharData:
		if sc.inValue && len(bytes.TrimSpace(t)) > 0 {
			sc.cell.value = true
		}
	case xml.EndElement:
		return sc.end(t)
	}
	return nil
}

func (sc *sheetScan) start(t xml.StartElement) error {
	if sc.root == "" {
		sc.root = t.Name.Local
	}
	sc.open = append(sc.open, t.Name)
	switch t.Name.Local {
	case "row":
		sc.rowNum = sc.lastRow + 1
		if r, ok := attr(t.Attr, "r"); ok {
			if n, err := strconv.Atoi(r); err == nil {
				sc.rowNum = n
			}
		}
		if sc.rowNum <= sc.lastRow {
			return fmt.Errorf("row %d after row %d: %w", sc.rowNum, sc.lastRow, errRowOrder)
		}
		sc.cellCol = -1
	case "c":
		sc.cellCol++
		if r, ok := attr(t.Attr, "r"); ok {
			if c, _, err := excelize.CellNameToCoordinates(r); err == nil {
				sc.cellCol = c - 1
			}
		}
		sc.cell = formulaCell{}
	case "f":
		sc.cell.formula = true
	case "v":
		sc.inValue = true
	}
	return nil
}

func (sc *sheetScan) end(t xml.EndElement) error {
	if len(sc.open) == 0 || sc.open[len(sc.open)-1] != t.Name {
		return fmt.Errorf("element </%s> does not close the open one", t.Name.Local)
	}
	sc.open = sc.open[:len(sc.open)-1]
	switch t.Name.Local {
	case "v":
		sc.inValue = false
	case "c":
		if sc.cell.formula {
			sc.formulas = sc.formulas.add(sc.rowNum, sc.cellCol, sc.cell.value)
		}
	case "row":
		sc.lastRow = sc.rowNum
		if sc.publish != nil && !sc.publish(sc.rowNum, sc.formulas[sc.rowNum]) {
			return errCheckStopped
		}
	case "sheetData":
		sc.sheetData = true
	}
	return nil
}

// finish checks what can only be known at the end of the part.
func (sc *sheetScan) finish() error {
	if len(sc.open) > 0 {
		return fmt.Errorf("part ends inside <%s>", sc.open[len(sc.open)-1].Local)
	}
	if sc.root == "worksheet" && !sc.sheetData {
		return errors.New("no sheetData element")
	}
	return nil
}

// formulaCell is what the reader needs of a formula cell: that it is one,
// and whether Excel stored its last result.
type formulaCell struct {
	formula, value bool
}

// formulaCells maps row → column (0-based) → whether the formula there has
// a stored result; nil when the sheet has no formulas, the common case.
type formulaCells map[int]map[int]bool

func (f formulaCells) add(row, col int, value bool) formulaCells {
	if f == nil {
		f = formulaCells{}
	}
	if f[row] == nil {
		f[row] = map[int]bool{}
	}
	f[row][col] = value
	return f
}

// brokenSheet is the refusal for a sheet that could not be read to its end.
func brokenSheet(name string, err error) error {
	var se *sheetXMLError
	if errors.As(err, &se) && errors.Is(err, errRowOrder) {
		return invalid(fmt.Sprintf("Bladet '%s' har rader i fel ordning efter rad %d (radnumren i filen går bakåt) och kunde inte läsas säkert. Inget har importerats. Öppna filen i Excel och spara den igen", short(name), se.afterRow),
			fmt.Errorf("sheet %q: %w", name, err))
	}
	if errors.As(err, &se) && se.afterRow > 0 {
		return invalid(fmt.Sprintf("Bladet '%s' är skadat efter rad %d och kunde inte läsas till slut. Inget har importerats. Öppna filen i Excel och spara den igen", short(name), se.afterRow),
			fmt.Errorf("sheet %q: %w", name, err))
	}
	return invalid(fmt.Sprintf("Bladet '%s' är skadat och kunde inte läsas. Inget har importerats. Öppna filen i Excel och spara den igen", short(name)),
		fmt.Errorf("sheet %q: %w", name, err))
}
