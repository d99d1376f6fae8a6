package excel

import (
	"bytes"
	"strings"
	"testing"
)

// openPercentScan opens the style scanner over percentWorkbook(rowsXML).
func openPercentScan(t *testing.T, rowsXML string) *cellStyleScanner {
	t.Helper()
	zr, err := checkZip(percentWorkbook(t, rowsXML), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	parts := indexParts(zr)
	styles, err := percentStyles(parts)
	if err != nil {
		t.Fatal(err)
	}
	scan, err := openCellStyleScanner(parts, "xl/worksheets/sheet1.xml", styles)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(scan.close)
	return scan
}

// The style scanner follows Excel's own shortcuts (rows and cells without
// positions), refuses what would make it pair formats with the wrong
// figures (a row or cell number given twice), and finds the rows excelize
// did not give (docs/testing.md, mutation testing, fifth run).
func TestStyleScannerPositions(t *testing.T) {
	header := []string{"kommun", "år", "värde"}
	olof := `<c t="inlineStr"><is><t>Olofström</t></is></c>`
	for _, tt := range []struct {
		name, rowsXML string
		row2          []string
		want          []percentCol
		err           string // in the error of row 2, "" for none
	}{
		{"no positions written", `<row>` + olof + `<c><v>2024</v></c><c s="1"><v>0.785</v></c></row>`,
			[]string{"Olofström", "2024", "0.785"}, []percentCol{{col: 2, class: pctAll}}, ""},
		{"a style the workbook does not have", `<row r="2">` + olof + `<c><v>2024</v></c><c s="2"><v>0.785</v></c></row>`,
			[]string{"Olofström", "2024", "0.785"}, nil, ""},
		{"a figure of exactly the longest text", `<row r="2">` + olof + `<c><v>2024</v></c><c s="1"><v>` + strings.Repeat("1", maxNumberText) + `</v></c></row>`,
			[]string{"Olofström", "2024", strings.Repeat("1", maxNumberText)}, []percentCol{{col: 2, class: pctAll}}, ""},
		{"a figure one byte longer", `<row r="2">` + olof + `<c><v>2024</v></c><c s="1"><v>` + strings.Repeat("1", maxNumberText+1) + `</v></c></row>`,
			[]string{"Olofström", "2024", strings.Repeat("1", maxNumberText+1)}, nil, "longer than 1024 bytes"},
		{"an empty CDATA value is no value", `<row r="2"><c r="A2" s="1"><v><![CDATA[]]></v></c></row>`,
			nil, nil, ""},
		{"a column given twice", `<row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="C2"><v>2024</v></c><c r="C2" s="1"><v>0.785</v></c></row>`,
			[]string{"Olofström", "", "0.785"}, nil, "column C after C"},
		{"a column going back", `<row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="C2" s="1"><v>0.785</v></c><c r="B2"><v>2024</v></c></row>`,
			[]string{"Olofström", "2024", "0.785"}, nil, "column B after C"},
		{"a row number given twice", `<row r="2">` + olof + `<c><v>2024</v></c></row><row r="2">` + olof + `<c><v>2023</v></c></row>`,
			[]string{"Olofström", "2024"}, nil, "row 2 after row 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			scan := openPercentScan(t, tt.rowsXML)
			if got, err := scan.percentCols(1, header, nil); err != nil || len(got) != 0 {
				t.Fatalf("row 1: %v, %v", got, err)
			}
			got, err := scan.percentCols(2, tt.row2, nil)
			if tt.err == "" {
				if err == nil {
					err = scan.finish()
				}
				if err != nil || len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
					t.Errorf("row 2: %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			if err == nil {
				err = scan.finish()
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("row 2: %v, %v; want an error with %q", got, err, tt.err)
			}
		})
	}
	t.Run("a row excelize did not give", func(t *testing.T) {
		scan := openPercentScan(t, `<row r="2">`+olof+`<c><v>2024</v></c><c s="1"><v>0.785</v></c></row>`)
		if _, err := scan.percentCols(1, header, nil); err != nil {
			t.Fatal(err)
		}
		if err := scan.finish(); err == nil || !strings.Contains(err.Error(), "row 2: not read by excelize") {
			t.Errorf("finish = %v, want row 2 not read by excelize", err)
		}
	})
	t.Run("through Read", func(t *testing.T) {
		opts := testOptions(t)
		opts.Indicator = "employment_rate"
		res := mustRead(t, percentWorkbook(t, `<row>`+olof+`<c><v>2024</v></c><c s="1"><v>0.785</v></c></row>`), opts)
		if len(res.Observations) != 1 || res.Observations[0].Value != 78.5 {
			t.Errorf("a row without positions: %+v, rejects %+v", res.Observations, res.Rejects)
		}
		_, err := Read(bytes.NewReader(percentWorkbook(t, `<row r="2">`+olof+`<c><v>2024</v></c></row><row r="2">`+olof+`<c><v>2023</v></c><c s="1"><v>0.785</v></c></row>`)), opts)
		if err == nil || !strings.Contains(err.Error(), "kunde inte läsas säkert") {
			t.Errorf("a row number given twice: %v, want the file refused", err)
		}
	})
}

// countCloser counts its Close calls.
type countCloser struct{ n int }

func (c *countCloser) Close() error { c.n++; return nil }

// close closes the part once, and is safe on a scanner that never opened.
func TestStyleScannerClose(t *testing.T) {
	var c countCloser
	(&cellStyleScanner{closer: &c}).close()
	if c.n != 1 {
		t.Errorf("closed %d times, want 1", c.n)
	}
	var none *cellStyleScanner
	none.close()
	(&cellStyleScanner{}).close()
}

// A cell without a style attribute has cell format 0, which a workbook may
// make a percentage like any other (docs/testing.md, mutation testing,
// fifth run).
func TestStyleScannerDefaultFormat(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1"><v>0.785</v></c></row></sheetData></worksheet>`
	parts := append(workbookParts([]byte(sheet), 0), zipPart{name: "xl/styles.xml", data: []byte(
		`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs><xf numFmtId="9"/></cellXfs></styleSheet>`)})
	z := buildZip(t, parts...)
	zr, err := checkZip(z, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	idx := indexParts(zr)
	styles, err := percentStyles(idx)
	if err != nil || len(styles) != 1 || styles[0] != pctAll {
		t.Fatalf("styles %v, %v", styles, err)
	}
	scan, err := openCellStyleScanner(idx, "xl/worksheets/sheet1.xml", styles)
	if err != nil {
		t.Fatal(err)
	}
	defer scan.close()
	if got, err := scan.percentCols(1, []string{"0.785"}, nil); err != nil || len(got) != 1 || got[0] != (percentCol{col: 0, class: pctAll}) {
		t.Errorf("row 1: %v, %v; want A1 a percent", got, err)
	}
}
