package excel

import (
	"bytes"
	"strings"
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
