package excel

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cellStyleScanner reads a worksheet part a second time, in step with
// excelize's row iterator, and says row by row which number cells carry a
// percent format. It holds one row at a time, so the reader stays
// streaming. It runs only in workbooks that have a percent format.
//
// It understands sheets as Excel writes them: rows in ascending order and
// cells in ascending columns. Anything else, or a cell whose value differs
// from the one excelize read at the same place, is an error: the two
// readers would no longer agree on which cell is which.
type cellStyleScanner struct {
	dec    *xml.Decoder
	closer io.Closer
	styles []pctClass

	rowNum  int // number of the row held in cells; 0 before the first
	cells   []scannedCell
	content bool // the row has a cell with a value, inline text or formula
	done    bool
}

// scannedCell is a number cell with a value: where it is, the value as
// written (what excelize returns as the raw value) and its format.
type scannedCell struct {
	col   int // 0-based
	v     string
	class pctClass
}

// percentCol is a cell of the current row whose number format scales it.
type percentCol struct {
	col   int
	class pctClass
}

var errOutOfOrder = errors.New("rows or cells out of order")

func openCellStyleScanner(parts xlsxParts, part string, styles []pctClass) (*cellStyleScanner, error) {
	dec, closer, ok, err := parts.decoder(part)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("worksheet part %q missing", part)
	}
	return &cellStyleScanner{dec: dec, closer: closer, styles: styles}, nil
}

func (s *cellStyleScanner) close() {
	if s != nil && s.closer != nil {
		_ = s.closer.Close()
	}
}

// percentCols checks row n as excelize read it (cells) against the part
// and appends the row's scaled cells to dst.
func (s *cellStyleScanner) percentCols(n int, cells []string, dst []percentCol) ([]percentCol, error) {
	for !s.done && s.rowNum < n {
		if err := s.readRow(); err != nil {
			return dst, err
		}
	}
	here := s.rowNum == n
	if !here || !s.content {
		if len(cells) > 0 {
			return dst, fmt.Errorf("row %d: excelize read %d cells, the part has none", n, len(cells))
		}
		return dst, nil
	}
	for _, c := range s.cells {
		if c.col >= len(cells) || cells[c.col] != c.v {
			return dst, fmt.Errorf("row %d column %s: part has %q, excelize read %q", n, colLetters(c.col), short(c.v), short(cellAt(cells, c.col)))
		}
		if c.class != pctNone {
			dst = append(dst, percentCol{col: c.col, class: c.class})
		}
	}
	return dst, nil
}

// finish reads the rest of the part after excelize's iterator has ended:
// a row with content there is one excelize did not give separately (it
// merges a row numbered out of order into the row before, and stops
// silently at broken XML).
func (s *cellStyleScanner) finish() error {
	for !s.done {
		if err := s.readRow(); err != nil {
			return err
		}
		if !s.done && s.content {
			return fmt.Errorf("row %d: not read by excelize", s.rowNum)
		}
	}
	return nil
}

// readRow reads the next row element into s.cells, or sets done at the
// end of the sheet data.
func (s *cellStyleScanner) readRow() error {
	var start xml.StartElement
	for {
		tok, err := s.dec.Token()
		if err == io.EOF {
			s.done = true
			return nil
		}
		if err != nil {
			return err
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "row" {
			start = t
			break
		}
		if t, ok := tok.(xml.EndElement); ok && t.Name.Local == "sheetData" {
			s.done = true
			return nil
		}
	}
	num := s.rowNum + 1
	if v, ok := attr(start.Attr, "r"); ok {
		if r, err := strconv.Atoi(v); err == nil && r != 0 {
			num = r
		}
	}
	if num <= s.rowNum {
		return fmt.Errorf("row %d after row %d: %w", num, s.rowNum, errOutOfOrder)
	}
	s.rowNum, s.cells, s.content = num, s.cells[:0], false
	lastCol := 0 // 1-based, as in cell references
	for depth := 1; depth > 0; {
		tok, err := s.dec.Token()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				return fmt.Errorf("row inside row %d: %w", num, errOutOfOrder)
			case "c":
				col, err := s.readCell(t, lastCol)
				if err != nil {
					return fmt.Errorf("row %d: %w", num, err)
				}
				lastCol = col
			default:
				depth++
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// readCell reads one c element (start already consumed) and returns its
// 1-based column.
func (s *cellStyleScanner) readCell(start xml.StartElement, lastCol int) (int, error) {
	col := lastCol + 1
	style, typ := 0, ""
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			c, _, err := excelize.CellNameToCoordinates(a.Value)
			if err != nil {
				return 0, err
			}
			col = c
		case "s":
			v, err := strconv.Atoi(a.Value)
			if err != nil {
				return 0, fmt.Errorf("cell style %q: %w", short(a.Value), err)
			}
			style = v
		case "t":
			typ = a.Value
		}
	}
	if col <= lastCol {
		return 0, fmt.Errorf("column %s after %s: %w", colLetters(col-1), colLetters(lastCol-1), errOutOfOrder)
	}
	numeric := isNumericCellType(typ)
	var (
		v     strings.Builder
		hasV  bool
		depth = 1
	)
	for depth > 0 {
		tok, err := s.dec.Token()
		if err != nil {
			return 0, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				// As excelize: the last v counts, and only its own text.
				v.Reset()
				nonEmpty, err := s.readText(&v, numeric)
				if err != nil {
					return 0, err
				}
				hasV = nonEmpty
			case "f", "is":
				s.content = true
				if err := s.dec.Skip(); err != nil {
					return 0, unexpectedEOF(err)
				}
			default:
				depth++
			}
		case xml.EndElement:
			depth--
		}
	}
	if !hasV {
		return col, nil
	}
	s.content = true
	if !numeric {
		return col, nil
	}
	class := pctNone
	if style >= 0 && style < len(s.styles) {
		class = s.styles[style]
	}
	s.cells = append(s.cells, scannedCell{col: col - 1, v: v.String(), class: class})
	return col, nil
}

// readText reads the character data directly inside the element just
// opened, skipping nested elements, up to its end. It keeps the text only
// when asked (number cells, whose values are short) and reports whether
// there was any.
func (s *cellStyleScanner) readText(b *strings.Builder, keep bool) (bool, error) {
	nonEmpty := false
	for {
		tok, err := s.dec.Token()
		if err != nil {
			return false, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			nonEmpty = nonEmpty || len(t) > 0
			if !keep {
				continue
			}
			if b.Len()+len(t) > maxNumberText {
				return false, fmt.Errorf("number cell value longer than %d bytes", maxNumberText)
			}
			b.Write(t)
		case xml.StartElement:
			if err := s.dec.Skip(); err != nil {
				return false, unexpectedEOF(err)
			}
		case xml.EndElement:
			return nonEmpty, nil
		}
	}
}

// maxNumberText bounds the text of a number cell; Excel writes at most 17
// significant digits and an exponent.
const maxNumberText = 1 << 10

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
