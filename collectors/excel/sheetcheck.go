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

// checkSheetXML reads a worksheet part to its end before excelize's row
// iterator does. That iterator drops the XML decoder's error and reports
// the end of the sheet instead, so a sheet whose XML breaks after some rows
// (an undefined entity, a truncated part, a DOCTYPE) would import those rows
// and lose the rest without a word. A part is accepted only when it is
// well-formed to its last byte, its elements nest, a worksheet closes its sheetData, and
// it has no DOCTYPE (OOXML never has one; it is how entity tricks start).
//
// On the way it notes the formula cells (formulaCells): excelize gives a
// formula's last result as Excel stored it, or nothing when none is stored.
func checkSheetXML(parts xlsxParts, part string) (formulaCells, error) {
	dec, closer, ok, err := parts.decoder(part)
	if err != nil {
		return nil, &sheetXMLError{err: err}
	}
	if !ok {
		return nil, &sheetXMLError{err: fmt.Errorf("worksheet part %q missing", part)}
	}
	defer func() { _ = closer.Close() }()
	var sc sheetScan
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
		sc.start(t)
	case xml.CharData:
		if sc.inValue && len(bytes.TrimSpace(t)) > 0 {
			sc.cell.value = true
		}
	case xml.EndElement:
		return sc.end(t)
	}
	return nil
}

func (sc *sheetScan) start(t xml.StartElement) {
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
	if errors.As(err, &se) && se.afterRow > 0 {
		return invalid(fmt.Sprintf("Bladet '%s' är skadat efter rad %d och kunde inte läsas till slut. Inget har importerats. Öppna filen i Excel och spara den igen", short(name), se.afterRow),
			fmt.Errorf("sheet %q: %w", name, err))
	}
	return invalid(fmt.Sprintf("Bladet '%s' är skadat och kunde inte läsas. Inget har importerats. Öppna filen i Excel och spara den igen", short(name)),
		fmt.Errorf("sheet %q: %w", name, err))
}
