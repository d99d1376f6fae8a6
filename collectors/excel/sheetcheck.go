package excel

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
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
func checkSheetXML(parts xlsxParts, part string) error {
	dec, closer, ok, err := parts.decoder(part)
	if err != nil {
		return &sheetXMLError{err: err}
	}
	if !ok {
		return &sheetXMLError{err: fmt.Errorf("worksheet part %q missing", part)}
	}
	defer func() { _ = closer.Close() }()
	var (
		open      []xml.Name
		lastRow   int // number of the last row closed
		rowNum    int // number of the row being read
		root      string
		sheetData bool
	)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &sheetXMLError{afterRow: lastRow, err: err}
		}
		switch t := tok.(type) {
		case xml.Directive:
			return &sheetXMLError{afterRow: lastRow, err: errors.New("DOCTYPE or other directive in a worksheet")}
		case xml.StartElement:
			if root == "" {
				root = t.Name.Local
			}
			open = append(open, t.Name)
			if t.Name.Local == "row" {
				rowNum = lastRow + 1
				if r, ok := attr(t.Attr, "r"); ok {
					if n, err := strconv.Atoi(r); err == nil {
						rowNum = n
					}
				}
			}
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				return &sheetXMLError{afterRow: lastRow, err: fmt.Errorf("element </%s> does not close the open one", t.Name.Local)}
			}
			open = open[:len(open)-1]
			switch t.Name.Local {
			case "row":
				lastRow = rowNum
			case "sheetData":
				sheetData = true
			}
		}
	}
	if len(open) > 0 {
		return &sheetXMLError{afterRow: lastRow, err: fmt.Errorf("part ends inside <%s>", open[len(open)-1].Local)}
	}
	if root == "worksheet" && !sheetData {
		return &sheetXMLError{afterRow: lastRow, err: errors.New("no sheetData element")}
	}
	return nil
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
