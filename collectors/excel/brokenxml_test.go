package excel

import (
	"bytes"
	"strings"
	"testing"
)

// longSheetXML is a long-layout sheet (Kommun, År, Folkmängd) with the given
// data rows written out as Excel does, then broken by tail instead of the
// regular end.
func longSheetXML(rows [][3]string, tail string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Kommun</t></is></c><c r="B1" t="inlineStr"><is><t>År</t></is></c><c r="C1" t="inlineStr"><is><t>Folkmängd</t></is></c></row>`)
	for i, r := range rows {
		n := i + 2
		b.WriteString(`<row r="` + itoa(n) + `"><c r="A` + itoa(n) + `" t="inlineStr"><is><t>` + r[0] + `</t></is></c><c r="B` + itoa(n) + `"><v>` + r[1] + `</v></c><c r="C` + itoa(n) + `"><v>` + r[2] + `</v></c></row>`)
	}
	b.WriteString(tail)
	return []byte(b.String())
}

// TestBrokenSheetXMLIsRefused: excelize's row iterator stops without an
// error at the first XML error, so a sheet broken after a few rows would
// import those rows and silently drop the rest. The reader must refuse the
// file and say which sheet and after which row.
func TestBrokenSheetXMLIsRefused(t *testing.T) {
	rows := [][3]string{{"0481", "2023", "12000"}, {"1060", "2023", "13000"}, {"0562", "2023", "21000"}, {"0882", "2023", "27000"}}
	const end = `</sheetData></worksheet>`
	good := longSheetXML(rows, end)
	breakAfter2 := func(broken string) []byte {
		i := bytes.Index(good, []byte(`<row r="4">`))
		return append(append(append([]byte{}, good[:i]...), broken...), good[i:]...)
	}
	tests := []struct {
		name  string
		sheet []byte
		want  string
	}{
		{"undefined entity", breakAfter2(`<row r="4"><c r="A4" t="inlineStr"><is><t>&bogus;</t></is></c></row>`), "Bladet 'Data' är skadat efter rad 3"},
		{"truncated part", good[:bytes.Index(good, []byte(`<row r="4">`))+20], "Bladet 'Data' är skadat efter rad 3"},
		{"part ends after a row", good[:bytes.Index(good, []byte(`<row r="4">`))], "Bladet 'Data' är skadat efter rad 3"},
		{"doctype", breakAfter2(`<!DOCTYPE x [<!ENTITY a "b">]>`), "Bladet 'Data' är skadat efter rad 3"},
		{"doctype at the top", append([]byte(`<?xml version="1.0"?><!DOCTYPE worksheet>`), good[bytes.Index(good, []byte("<worksheet")):]...), "Bladet 'Data' är skadat"},
		{"unclosed sheetData", longSheetXML(rows, `</worksheet>`), "Bladet 'Data' är skadat"},
		{"garbage after the rows", longSheetXML(rows, `</sheetData></worksheet><x`), "Bladet 'Data' är skadat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildZip(t, workbookParts(tt.sheet, 0)...)
			res, err := Read(bytes.NewReader(data), testOptions(t))
			wantInvalid(t, res, err, tt.want)
		})
	}
	t.Run("intact sheet reads every row", func(t *testing.T) {
		res := mustRead(t, buildZip(t, workbookParts(good, 0)...), testOptions(t))
		if len(res.Observations) != len(rows) || len(res.Rejects) != 0 {
			t.Fatalf("intact sheet: %d observations, %d rejects, want %d and 0", len(res.Observations), len(res.Rejects), len(rows))
		}
	})
}

// excelize merges a row numbered at or below the row before it into that
// row, so its figures were lost without a word (a formula without a result
// in it was not even rejected). Such a sheet is refused now, like a broken
// one: Excel and the other writers number rows in ascending order.
func TestRowsOutOfOrderAreRefused(t *testing.T) {
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Kommun</t></is></c><c r="B1" t="inlineStr"><is><t>År</t></is></c><c r="C1" t="inlineStr"><is><t>Folkmängd</t></is></c></row>`
	row := func(r, code, v string) string {
		return `<row r="` + r + `"><c r="A` + r + `" t="inlineStr"><is><t>` + code + `</t></is></c><c r="B` + r + `"><v>2023</v></c><c r="C` + r + `"><v>` + v + `</v></c></row>`
	}
	for _, tt := range []struct {
		name, rows, want string
	}{
		{"a row numbered below the one before", row("3", "1060", "13061") + row("2", "0481", "12106"), "Bladet 'Data' har rader i fel ordning efter rad 3"},
		{"a row number given twice", row("2", "1060", "13061") + row("2", "0481", "12106"), "Bladet 'Data' har rader i fel ordning efter rad 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Read(bytes.NewReader(buildZip(t, workbookParts([]byte(head+tt.rows+`</sheetData></worksheet>`), 0)...)), testOptions(t))
			wantInvalid(t, res, err, tt.want)
		})
	}
	t.Run("ascending with gaps is read", func(t *testing.T) {
		res := mustRead(t, buildZip(t, workbookParts([]byte(head+row("2", "1060", "13061")+row("7", "0481", "12106")+`</sheetData></worksheet>`), 0)...), testOptions(t))
		if len(res.Observations) != 2 || len(res.Rejects) != 0 {
			t.Errorf("observations %+v, rejects %+v", res.Observations, res.Rejects)
		}
	})
}
