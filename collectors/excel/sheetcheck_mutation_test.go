package excel

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// The worksheet check notes where each formula cell is, whether or not
// Excel wrote the row and cell positions, and refuses a worksheet without
// its sheetData (docs/testing.md, mutation testing, fifth run). A formula
// without a stored result must be rejected at its own cell: noted at the
// wrong place it would be read as a missing figure instead.
func TestSheetScanPositions(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	const tail = `</sheetData></worksheet>`
	is := func(s string) string { return `<is><t>` + s + `</t></is>` }
	for _, tt := range []struct {
		name, rows   string
		row          int
		col, partial string // the one reject's column, and a part of its reason
	}{
		{"no positions written",
			`<row><c t="inlineStr">` + is("Kommun") + `</c><c t="inlineStr">` + is("År") + `</c><c t="inlineStr">` + is("Folkmängd") + `</c></row>` +
				`<row><c t="inlineStr">` + is("0481") + `</c><c><v>2023</v></c><c><v>12106</v></c></row>` +
				`<row><c t="inlineStr">` + is("1060") + `</c><c><v>2023</v></c><c><f>13000+61</f></c></row>`,
			3, "C", "formel utan sparat resultat"},
		{"rows apart",
			`<row r="1"><c r="A1" t="inlineStr">` + is("Kommun") + `</c><c r="B1" t="inlineStr">` + is("År") + `</c><c r="C1" t="inlineStr">` + is("Folkmängd") + `</c></row>` +
				`<row r="5"><c r="A5" t="inlineStr">` + is("1060") + `</c><c r="B5"><v>2023</v></c><c r="C5"><f>13000+61</f></c></row>`,
			5, "C", "formel utan sparat resultat"},
		{"a column left out",
			`<row r="1"><c r="A1" t="inlineStr">` + is("Kommun") + `</c><c r="B1" t="inlineStr">` + is("År") + `</c><c r="D1" t="inlineStr">` + is("Folkmängd") + `</c></row>` +
				`<row r="2"><c r="A2" t="inlineStr">` + is("1060") + `</c><c r="B2"><v>2023</v></c><c r="D2"><f>13000+61</f></c></row>`,
			2, "D", "formel utan sparat resultat"},
		{"a stored result of blanks is none",
			`<row r="1"><c r="A1" t="inlineStr">` + is("Kommun") + `</c><c r="B1" t="inlineStr">` + is("År") + `</c><c r="C1" t="inlineStr">` + is("Folkmängd") + `</c></row>` +
				`<row r="2"><c r="A2" t="inlineStr">` + is("1060") + `</c><c r="B2"><v>2023</v></c><c r="C2"><f>13000+61</f><v> </v></c></row>`,
			2, "C", "formel utan sparat resultat"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildZip(t, workbookParts([]byte(head+tt.rows+tail), 0)...), testOptions(t))
			if len(res.Rejects) != 1 || res.Rejects[0].Row != tt.row || res.Rejects[0].Column != tt.col || !strings.Contains(res.Rejects[0].Reason, tt.partial) {
				t.Errorf("rejects %+v, want one at %s%d saying %q", res.Rejects, tt.col, tt.row, tt.partial)
			}
		})
	}
	t.Run("no sheetData", func(t *testing.T) {
		sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/></worksheet>`
		res, err := Read(bytes.NewReader(buildZip(t, workbookParts([]byte(sheet), 0)...)), testOptions(t))
		wantInvalid(t, res, err, "Bladet 'Data' är skadat och kunde inte läsas")
	})
	t.Run("broken before its first row", func(t *testing.T) {
		sheet := head + `<row r="1"><c r="A1" t="inlineStr">` + is("&bogus;") + `</c></row>` + tail
		res, err := Read(bytes.NewReader(buildZip(t, workbookParts([]byte(sheet), 0)...)), testOptions(t))
		wantInvalid(t, res, err, "Bladet 'Data' är skadat och kunde inte läsas")
	})
}

// A formula cell outside any row (not valid OOXML, but a hostile part can
// hold one) is noted by the check for the row before it, after that row has
// been handed to the row loop on its own goroutine. The loop gets a copy,
// so the check's later writes never reach a map the loop reads
// (docs/benchmarks.md §3 moved the check beside the read).
func TestFormulaCellOutsideARow(t *testing.T) {
	c := &sheetCheck{}
	c.moved = sync.NewCond(&c.mu)
	cols := map[int]bool{2: true}
	if !c.publish(2, cols) {
		t.Fatal("publish refused")
	}
	cols[3] = false // what the check does with a stray formula cell after row 2
	if got := c.row(2); len(got) != 1 || !got[2] {
		t.Errorf("row 2's formula cells changed after they were handed over: %v", got)
	}

	const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	var b strings.Builder
	b.WriteString(head + `<row r="1"><c r="A1" t="inlineStr"><is><t>Kommun</t></is></c><c r="B1" t="inlineStr"><is><t>År</t></is></c><c r="C1" t="inlineStr"><is><t>Folkmängd</t></is></c></row>`)
	b.WriteString(`<row r="2"><c r="A2" t="inlineStr"><is><t>1060</t></is></c><c r="B2"><v>2023</v></c><c r="C2"><f>1+1</f><v>2</v></c></row>`)
	for i := range 2000 {
		fmt.Fprintf(&b, `<c r="D%d"><f>1+1</f></c>`, i+3)
	}
	b.WriteString(`</sheetData></worksheet>`)
	res, err := Read(bytes.NewReader(buildZip(t, workbookParts([]byte(b.String()), 0)...)), testOptions(t))
	if err != nil || len(res.Observations) != 1 {
		t.Fatalf("observations %+v, rejects %+v, %v", res.Observations, res.Rejects, err)
	}
}
