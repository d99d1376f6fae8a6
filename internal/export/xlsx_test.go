package export

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/xuri/excelize/v2"
)

// writeAndOpen writes a workbook and opens it again with excelize.
func writeAndOpen(t *testing.T, tables ...Table) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tables...); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func cell(t *testing.T, f *excelize.File, sheet, ref string, opts ...excelize.Options) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWriteXLSXRoundTrip(t *testing.T) {
	hostile := Table{
		Title:   "Text som ser ut som formler",
		Columns: []Column{{Header: "Text"}, {Header: "Tal", Numeric: true, Decimals: 1}},
		Rows: [][]Value{
			{Text("=1+1"), Number(-1.5)},
			{Text("<script>alert(1)</script>"), Missing()},
		},
	}
	pop := populationTable(t)
	f := writeAndOpen(t, pop, hostile)

	if got, want := strings.Join(f.GetSheetList(), "|"), "Folkmängd|Text som ser ut som formler|Källor"; got != want {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want the first table", f.GetActiveSheetIndex())
	}

	// Headers as given, in Swedish, bold.
	for i, want := range []string{"Kommun", "2023", "2024", "Förändring (%)"} {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if got := cell(t, f, "Folkmängd", ref); got != want {
			t.Errorf("header %s = %q, want %q", ref, got, want)
		}
		if st := style(t, f, "Folkmängd", ref); st.Font == nil || !st.Font.Bold {
			t.Errorf("header %s is not bold", ref)
		}
	}

	// Figures are number cells holding the full value, with a display
	// format that has the column's decimals and a thousands separator.
	numbers := []struct {
		ref    string
		raw    float64
		format string
		shown  string
	}{
		{"B2", 13061, "#,##0", "13,061"},               // Olofström 2023
		{"C3", 12031, "#,##0", "12,031"},               // Oxelösund 2024
		{"C4", 58344, "#,##0", "58,344"},               // Nyköping 2024
		{"D2", *pop.Rows[0][3].Num, "#,##0.0", "-0.5"}, // (13 000 / 13 061 − 1) × 100 = −0.467, one decimal
	}
	for _, n := range numbers {
		typ, err := f.GetCellType("Folkmängd", n.ref)
		if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s type %v, %v: want a number cell", n.ref, typ, err)
		}
		raw, err := strconv.ParseFloat(cell(t, f, "Folkmängd", n.ref, excelize.Options{RawCellValue: true}), 64)
		if err != nil || raw != n.raw {
			t.Errorf("%s raw = %v, %v; want %v", n.ref, raw, err, n.raw)
		}
		if st := style(t, f, "Folkmängd", n.ref); st.CustomNumFmt == nil || *st.CustomNumFmt != n.format {
			t.Errorf("%s number format %v, want %q", n.ref, st.CustomNumFmt, n.format)
		}
		// excelize renders formats with English separators; Swedish Excel
		// shows the same format as "13 061" and "-0,5".
		if got := cell(t, f, "Folkmängd", n.ref); got != n.shown {
			t.Errorf("%s shown as %q, want %q", n.ref, got, n.shown)
		}
	}

	// Missing figures are empty cells, not 0.
	for _, ref := range []string{"B4", "D4"} {
		if got := cell(t, f, "Folkmängd", ref, excelize.Options{RawCellValue: true}); got != "" {
			t.Errorf("missing %s = %q, want empty", ref, got)
		}
	}

	// Text that looks like a formula is text: no formula, value verbatim.
	sheet2 := "Text som ser ut som formler"
	if got := cell(t, f, sheet2, "A2"); got != "=1+1" {
		t.Errorf("A2 = %q", got)
	}
	if formula, err := f.GetCellFormula(sheet2, "A2"); err != nil || formula != "" {
		t.Errorf("A2 formula = %q, %v: want none", formula, err)
	}
	if got := cell(t, f, sheet2, "A3"); got != "<script>alert(1)</script>" {
		t.Errorf("A3 = %q", got)
	}
	if got := cell(t, f, sheet2, "B2", excelize.Options{RawCellValue: true}); got != "-1.5" {
		t.Errorf("B2 raw = %q, want the number -1.5", got)
	}

	// The header row is frozen on every sheet.
	for _, sh := range f.GetSheetList() {
		p, err := f.GetPanes(sh)
		if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
			t.Errorf("%s panes = %+v, %v: want row 1 frozen", sh, p, err)
		}
	}

	// Column widths fit the header "Förändring (%)" (14 characters + padding).
	if w, err := f.GetColWidth("Folkmängd", "D"); err != nil || w < 14 {
		t.Errorf("column D width %v, %v", w, err)
	}

	// The Källor sheet lists every table: its source with date, its note,
	// and a row for the table that has neither.
	rows, err := f.GetRows("Källor")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Tabell", "Källa", "Tabell/KPI", "Hämtad", "Anmärkning"},
		{"Folkmängd 31 december", "SCB", "TAB638", "2025-02-21", "Folkmängd 31 dec"},
		{"Folkmängd 31 december", "", "", "", "Nyköping saknar siffra för 2023 i underlaget."},
		{"Text som ser ut som formler"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("Källor rows\n got %q\nwant %q", rows, want)
	}
	if typ, _ := f.GetCellType("Källor", "D2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Error("retrieval date written as text, want a date cell")
	}
}

func style(t *testing.T, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWriteXLSXSheetNamesUnique(t *testing.T) {
	base := Table{Columns: []Column{{Header: "a"}}}
	mk := func(title, sheet string) Table { tb := base; tb.Title, tb.Sheet = title, sheet; return tb }
	f := writeAndOpen(t,
		mk("Folkmängd", ""),
		mk("Folkmängd igen", "folkmängd"), // clashes case-insensitively
		mk("Källor", ""),                  // clashes with the sources sheet
		mk("", ""),                        // no name at all
		mk(strings.Repeat("Industrijobb per 1 000 invånare ", 2), ""),
		mk(strings.Repeat("Industrijobb per 1 000 invånare ", 2), ""),
	)
	want := []string{"Folkmängd", "folkmängd (2)", "Källor (2)", "Blad",
		"Industrijobb per 1 000 invånare", "Industrijobb per 1 000 invå (2)", "Källor"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets\n got %q\nwant %q", got, want)
	}
}

func TestSafeSheetName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Folkmängd", "Folkmängd"},
		{"Jobb [SNI B+C]", "Jobb (SNI B+C)"},
		{"2015/2024: förändring", "2015-2024- förändring"},
		{`a\b*c?d`, "a-b_c_d"},
		{"'citat'", "citat"},
		{"  mellan\tslag \n ", "mellan slag"},
		{"", "Blad"},
		{"   ", "Blad"},
		{"''", "Blad"},
		{"history", "History_"},
		{"Industrijobb per 1 000 invånare i riket", "Industrijobb per 1 000 invånare"},
		{strings.Repeat("ö", 40), strings.Repeat("ö", 31)},
		// An emoji is two UTF-16 units: 15 of them fill 30 units, a 16th would not fit.
		{strings.Repeat("📈", 20), strings.Repeat("📈", 15)},
		{"<script>", "<script>"},
		{"a\x00b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := SafeSheetName(tt.in); got != tt.want {
				t.Errorf("SafeSheetName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzSafeSheetName: every result is a name excelize (and so Excel) accepts.
func FuzzSafeSheetName(f *testing.F) {
	for _, s := range []string{"Folkmängd", "Jobb [SNI B+C]", "'", "history", strings.Repeat("📈", 20), "a\x00b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name := SafeSheetName(s)
		if n := len(utf16.Encode([]rune(name))); n == 0 || n > 31 {
			t.Fatalf("%q -> %q: %d UTF-16 units", s, name, n)
		}
		x := excelize.NewFile()
		defer x.Close()
		if _, err := x.NewSheet(name); err != nil {
			t.Fatalf("%q -> %q rejected: %v", s, name, err)
		}
	})
}

func TestWriteXLSXErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf); err == nil {
		t.Error("no tables: want error")
	}
	if err := WriteXLSX(&buf, Table{Title: "tom"}); err == nil {
		t.Error("no columns: want error")
	}
	if err := WriteXLSX(&buf, Table{Columns: []Column{{Header: "a"}}, Rows: [][]Value{{Text("x"), Text("y")}}}); err == nil {
		t.Error("row longer than the header: want error")
	}
	huge := Table{Title: "stor", Columns: []Column{{Header: "a"}}, Rows: make([][]Value, maxXLSXRows+1)}
	err := WriteXLSX(&buf, huge)
	if domain.ErrorCode(err) != domain.CodeInvalid || !strings.Contains(domain.UserMessage(err, ""), "för stor") {
		t.Errorf("too many rows: %v, want CodeInvalid with a Swedish message", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written before an error", buf.Len())
	}
}

// benchTable is a ranking page's table for all 290 kommuner over 50 years:
// a name column and 50 numeric columns. The figures are synthetic load.
func benchTable() Table {
	tab := Table{Title: "Benchmark", Columns: []Column{{Header: "Kommun"}},
		Sources: []SourceNote{{Source: "SCB", Ref: "TAB638", FetchedAt: fetched}}}
	for y := 1975; y < 2025; y++ {
		tab.Columns = append(tab.Columns, Column{Header: strconv.Itoa(y), Numeric: true, Decimals: 1})
	}
	for k := 0; k < 290; k++ {
		row := []Value{Text("Kommun " + strconv.Itoa(k))}
		for y := 0; y < 50; y++ {
			row = append(row, Number(float64(k*1000+y)/7))
		}
		tab.Rows = append(tab.Rows, row)
	}
	return tab
}

func BenchmarkWriteXLSX(b *testing.B) {
	tab := benchTable()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteXLSX(&buf, tab); err != nil {
			b.Fatal(err)
		}
	}
}
