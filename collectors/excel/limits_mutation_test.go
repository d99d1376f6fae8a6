package excel

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// A file of exactly MaxRows non-empty rows, or exactly MaxCells cells, is
// read; one more is refused (docs/testing.md, mutation testing: the limits
// at exactly their value).
func TestRowAndCellLimitsAtTheirValue(t *testing.T) {
	// csvRows(n) is a header and n rows of three cells.
	for _, tt := range []struct {
		name    string
		rows    int
		lim     Limits
		refused string
	}{
		{"rows at the limit", 9, Limits{MaxRows: 10}, ""},
		{"a row more", 10, Limits{MaxRows: 10}, "fler än 10 rader"},
		{"cells at the limit", 9, Limits{MaxCells: 30}, ""},
		{"a cell more", 9, Limits{MaxCells: 29}, "fler än 29 celler"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t)
			opts.Limits = tt.lim
			opts.FileName = "rader.csv"
			res, err := Read(bytes.NewReader(csvRows(tt.rows)), opts)
			if tt.refused != "" {
				wantInvalid(t, res, err, tt.refused)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Sheets) != 1 || res.Sheets[0].Rows != tt.rows {
				t.Errorf("sheets %+v, want one with %d rows", res.Sheets, tt.rows)
			}
		})
	}
}

// sparseSheet is worksheet XML with a long-layout header in row 1 and one
// figure for Olofström in each of the given rows; the rows between are not
// in the file at all, but excelize's row iterator still walks them.
func sparseSheet(t *testing.T, rows map[int]int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>kommun</t></is></c><c r="B1" t="inlineStr"><is><t>år</t></is></c><c r="C1" t="inlineStr"><is><t>indikator</t></is></c><c r="D1" t="inlineStr"><is><t>värde</t></is></c></row>`)
	for _, r := range slices.Sorted(maps.Keys(rows)) {
		y := rows[r]
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Olofström</t></is></c><c r="B%d"><v>%d</v></c><c r="C%d" t="inlineStr"><is><t>population</t></is></c><c r="D%d"><v>%v</v></c></row>`,
			r, r, r, y, r, r, fig(t, "1060", y))
	}
	b.WriteString(`</sheetData></worksheet>`)
	return []byte(b.String())
}

// Rows iterated, empty ones included, are bounded by 4 × MaxRows + 100 000:
// a sheet whose last row is exactly there is read, one row further is
// refused (docs/testing.md, mutation testing: the budget's formula).
func TestScanBudgetAtItsValue(t *testing.T) {
	lim := Limits{MaxRows: 3} // budget 100 012 rows
	for _, tt := range []struct {
		last    int
		refused bool
	}{{100_012, false}, {100_013, true}} {
		opts := testOptions(t)
		opts.Limits = lim
		data := buildZip(t, workbookParts(sparseSheet(t, map[int]int{2: 2024, tt.last: 2023}), 0)...)
		res, err := Read(bytes.NewReader(data), opts)
		if tt.refused {
			wantInvalid(t, res, err, "för många rader")
			continue
		}
		if err != nil {
			t.Fatalf("last row %d: %v", tt.last, err)
		}
		if len(res.Observations) != 2 {
			t.Errorf("last row %d: %d observations, want 2; rejects %+v", tt.last, len(res.Observations), res.Rejects)
		}
	}
}
