package excel

import (
	"bytes"
	"strings"
	"testing"
)

// The percentages below (0.785, 0.7925, 0.145, 78.5) are constructed, not
// real employment rates: these tests are about cell formats, and any
// fraction shows what the reader does with one. 0.145 is chosen because
// 0.145*100 in floating point is 14.499999999999998, so only exact decimal
// scaling gives 14.5.
var (
	pct9      = func(v any) styled { return styled{v: v, numFmt: 9} }  // "0%"
	pct10     = func(v any) styled { return styled{v: v, numFmt: 10} } // "0.00%"
	pctCustom = func(v any) styled { return styled{v: v, custom: "0.0%"} }
)

func TestPercentFormattedCells(t *testing.T) {
	opts := testOptions(t)
	name := opts.Regions.Name
	if x := 0.145; x*100 == 14.5 {
		t.Fatal("0.145 no longer tells exact scaling from float multiplication")
	}
	want := map[string]float64{"1060/2023": 78.5, "1060/2024": 79.25, "0481/2023": 14.5, "0481/2024": 78.5}
	tests := []struct {
		name   string
		sheet  string
		rows   [][]any
		layout string
	}{
		{"long", "Data", [][]any{
			{"kommun", "år", "indikator", "värde"},
			{"Olofström", 2023, "employment_rate", pct9(0.785)},
			{"Olofström", 2024, "employment_rate", pct10(0.7925)},
			{"0481", 2023, "employment_rate", pctCustom(0.145)},
			{"0481", 2024, "employment_rate", 78.5}, // a plain number: as written
		}, LayoutLong},
		{"wide", "Sysselsättningsgrad 20–64 år", [][]any{
			{"kommun", 2023, 2024},
			{name("1060"), pct9(0.785), pct10(0.7925)},
			{name("0481"), pctCustom(0.145), 78.5},
		}, LayoutWide},
		{"scb export", "Blad1", [][]any{
			{"Sysselsättningsgrad 20–64 år efter region och år"},
			{},
			{"region", 2023, 2024},
			{"1060 " + name("1060"), pct9(0.785), pct10(0.7925)},
			{"0481 " + name("0481"), pctCustom(0.145), 78.5},
			{},
			{".. = uppgift saknas"},
		}, LayoutSCBExport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildXLSX(t, sheetSpec{tt.sheet, tt.rows}), opts)
			if len(res.Rejects) != 0 {
				t.Fatalf("rejects: %+v", res.Rejects)
			}
			if s := res.Sheets[0]; s.Layout != tt.layout {
				t.Errorf("layout = %q, want %q", s.Layout, tt.layout)
			}
			m := obsMap(t, res.Observations)
			if len(m) != len(want) {
				t.Errorf("%d observations, want %d: %v", len(m), len(want), m)
			}
			for k, v := range want {
				code, year := k[:4], 2023
				if strings.HasSuffix(k, "2024") {
					year = 2024
				}
				if got, ok := m[key(code, "employment_rate", year)]; !ok || got != v {
					t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
				}
			}
		})
	}
}

// A percent format on a figure whose indicator is counted in persons means
// the cell or the indicator is wrong; the reader says so instead of
// choosing.
func TestPercentFormatOnNonPercentIndicator(t *testing.T) {
	opts := testOptions(t)
	pop := fig(t, "1060", 2023)
	tests := []struct {
		name    string
		sheet   string
		rows    [][]any
		row     int
		column  string
		wantObs int
	}{
		{"long", "Data", [][]any{
			{"kommun", "år", "indikator", "värde"},
			{"Olofström", 2023, "population", pct9(pop)},
			{"Olofström", 2024, "population", fig(t, "1060", 2024)},
		}, 2, "D", 1},
		{"wide", "Folkmängd", [][]any{
			{"kommun", 2023, 2024},
			{"Olofström", pct10(pop), fig(t, "1060", 2024)},
		}, 2, "B", 1},
		{"scb export", "Blad1", [][]any{
			{"Folkmängden efter region och år"},
			{},
			{"region", 2023, 2024},
			{"1060 Olofström", pctCustom(pop), fig(t, "1060", 2024)},
		}, 4, "B", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildXLSX(t, sheetSpec{tt.sheet, tt.rows}), opts)
			m := obsMap(t, res.Observations)
			if len(m) != tt.wantObs || m[key("1060", "population", 2024)] != fig(t, "1060", 2024) {
				t.Errorf("observations = %v, want only the unformatted 2024 figure", m)
			}
			if len(res.Rejects) != 1 {
				t.Fatalf("rejects = %+v, want 1", res.Rejects)
			}
			r := res.Rejects[0]
			wantReason := "Cellen är formaterad som procent men indikatorn population mäts i personer"
			if r.Row != tt.row || r.Column != tt.column || !strings.HasPrefix(r.Reason, wantReason) {
				t.Errorf("reject = %+v, want row %d column %s reason %q…", r, tt.row, tt.column, wantReason)
			}
		})
	}
}

// Text in a percent-formatted cell is shown as typed, and a "%" that is
// quoted or escaped in the format is a label, not a scaling: both stay as
// written. A format that scales only some numbers is refused.
func TestPercentFormatEdges(t *testing.T) {
	opts := testOptions(t)
	rows := [][]any{
		{"kommun", "år", "indikator", "värde"},
		{"Olofström", 2021, "employment_rate", pct9("78,5 %")},
		{"Olofström", 2022, "employment_rate", styled{v: 78.5, custom: `0.0"%"`}},
		{"Olofström", 2023, "employment_rate", styled{v: 78.5, custom: `0.0\%`}},
		{"Olofström", 2024, "employment_rate", styled{v: 0.785, custom: `0.0;-0.0%`}},
		{"Olofström", 2020, "employment_rate", pct9("..")},
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", rows}), opts)
	m := obsMap(t, res.Observations)
	for _, y := range []int{2021, 2022, 2023} {
		if got := m[key("1060", "employment_rate", y)]; got != 78.5 {
			t.Errorf("%d = %v, want 78.5", y, got)
		}
	}
	if len(m) != 3 {
		t.Errorf("observations = %v", m)
	}
	if len(res.Rejects) != 1 || res.Rejects[0].Row != 5 || !strings.Contains(res.Rejects[0].Reason, "procent bara för en del") {
		t.Errorf("rejects = %+v, want row 5 (mixed format)", res.Rejects)
	}
	if res.Sheets[0].Missing != 1 {
		t.Errorf("missing = %d, want 1", res.Sheets[0].Missing)
	}
}

// A workbook with a percent style on one sheet: the other sheets read as
// before, each matched with its own part.
func TestPercentFormatOtherSheetsUnchanged(t *testing.T) {
	opts := testOptions(t)
	years := []int{2023, 2024}
	pop := [][]any{append([]any{"kommun"}, anyInts(years)...)}
	for _, c := range seriesCodes {
		row := []any{opts.Regions.Name(c)}
		for _, y := range years {
			row = append(row, fig(t, c, y))
		}
		pop = append(pop, row)
	}
	data := buildXLSX(t,
		sheetSpec{"Folkmängd", pop},
		sheetSpec{"Sysselsättningsgrad 20–64 år", [][]any{{"kommun", 2024}, {"Olofström", pct9(0.785)}}},
	)
	res := mustRead(t, data, opts)
	if len(res.Rejects) != 0 {
		t.Fatalf("rejects: %+v", res.Rejects)
	}
	m := obsMap(t, res.Observations)
	if len(m) != len(seriesCodes)*len(years)+1 || m[key("1060", "employment_rate", 2024)] != 78.5 {
		t.Errorf("observations = %v", m)
	}
	for _, c := range seriesCodes {
		for _, y := range years {
			if m[key(c, "population", y)] != fig(t, c, y) {
				t.Errorf("%s %d = %v, want %v", c, y, m[key(c, "population", y)], fig(t, c, y))
			}
		}
	}
}

// Without any percent format the sheets are read once, as before.
func TestPercentStylesOnlyWhenUsed(t *testing.T) {
	plain := buildXLSX(t, sheetSpec{"Data", [][]any{{"kommun", "år", "värde"}, {"Olofström", 2024, 1.5}}})
	withPct := buildXLSX(t, sheetSpec{"Data", [][]any{{"kommun", "år", "värde"}, {"Olofström", 2024, pct9(0.5)}}})
	for _, tt := range []struct {
		name string
		data []byte
		want bool
	}{{"plain", plain, false}, {"percent", withPct, true}} {
		zr, err := checkZip(tt.data, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		styles, err := percentStyles(indexParts(zr))
		if err != nil {
			t.Fatal(err)
		}
		if (styles != nil) != tt.want {
			t.Errorf("%s: styles = %v, want non-nil %v", tt.name, styles, tt.want)
		}
	}
}

// stylesWithPercent is a styles part (constructed from the documented
// format) whose cell style 1 is Excel's built-in "0%".
const stylesWithPercent = `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/></cellXfs></styleSheet>`

// percentWorkbook is a hand-written workbook (constructed from the
// documented format) with one data row whose cells are given as XML.
func percentWorkbook(t testing.TB, rowsXML string) []byte {
	t.Helper()
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>kommun</t></is></c><c r="B1" t="inlineStr"><is><t>år</t></is></c><c r="C1" t="inlineStr"><is><t>värde</t></is></c></row>` +
		rowsXML + `</sheetData></worksheet>`
	parts := workbookParts([]byte(sheet), 0)
	parts = append(parts, zipPart{name: "xl/styles.xml", data: []byte(stylesWithPercent)})
	return buildZip(t, parts...)
}

// The second reading of a sheet must agree with excelize's cell by cell;
// where a sheet is out of the order Excel writes, the formats could land
// on the wrong figures, so the file is refused rather than misread.
func TestPercentScannerAgreesWithExcelize(t *testing.T) {
	opts := testOptions(t)
	opts.Indicator = "employment_rate"
	ok := percentWorkbook(t, `<row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="B2"><v>2024</v></c><c r="C2" s="1"><v>0.785</v></c></row>`)
	res := mustRead(t, ok, opts)
	if len(res.Observations) != 1 || res.Observations[0].Value != 78.5 || len(res.Rejects) != 0 {
		t.Errorf("hand-written workbook: %+v, rejects %+v", res.Observations, res.Rejects)
	}
	for name, rowsXML := range map[string]string{
		"cells out of order":             `<row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="C2" s="1"><v>0.785</v></c><c r="B2"><v>2024</v></c></row>`,
		"row out of order in the middle": `<row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="B2"><v>2022</v></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>Olofström</t></is></c><c r="B4"><v>2024</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>Olofström</t></is></c><c r="B3"><v>2023</v></c><c r="C3" s="1"><v>0.785</v></c></row><row r="5"><c r="A5" t="inlineStr"><is><t>Olofström</t></is></c><c r="B5"><v>2021</v></c></row>`,
		"rows out of order":              `<row r="3"><c r="A3" t="inlineStr"><is><t>Olofström</t></is></c><c r="B3"><v>2024</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="B2"><v>2023</v></c><c r="C2" s="1"><v>0.785</v></c></row>`,
	} {
		t.Run(name, func(t *testing.T) {
			res, err := Read(bytes.NewReader(percentWorkbook(t, rowsXML)), opts)
			wantInvalid(t, res, err, "kunde inte läsas säkert")
		})
	}
}

// percentCols checks each row against what excelize read at the same place.
func TestPercentColsChecksValues(t *testing.T) {
	data := percentWorkbook(t, `<row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="B2"><v>2024</v></c><c r="C2" s="1"><v>0.785</v></c></row>`)
	zr, err := checkZip(data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	parts := indexParts(zr)
	styles, err := percentStyles(parts)
	if err != nil || len(styles) != 2 || styles[1] != pctAll {
		t.Fatalf("styles = %v, %v", styles, err)
	}
	tests := []struct {
		name  string
		row2  []string
		want  []percentCol
		isErr bool
	}{
		{"agrees", []string{"Olofström", "2024", "0.785"}, []percentCol{{col: 2, class: pctAll}}, false},
		{"other value", []string{"Olofström", "2024", "0.786"}, nil, true},
		{"value elsewhere", []string{"Olofström", "0.785", "2024"}, nil, true},
		{"shorter row", []string{"Olofström", "2024"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scan, err := openCellStyleScanner(parts, "xl/worksheets/sheet1.xml", styles)
			if err != nil {
				t.Fatal(err)
			}
			defer scan.close()
			if got, err := scan.percentCols(1, []string{"kommun", "år", "värde"}, nil); err != nil || len(got) != 0 {
				t.Fatalf("row 1: %v, %v", got, err)
			}
			got, err := scan.percentCols(2, tt.row2, nil)
			if (err != nil) != tt.isErr || len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
				t.Errorf("row 2: %v, %v; want %v (error %v)", got, err, tt.want, tt.isErr)
			}
			if got, err := scan.percentCols(3, []string{"x"}, nil); err == nil {
				t.Errorf("row 3 absent from the part but read by excelize: %v, no error", got)
			}
		})
	}
}

func TestClassifyNumFmt(t *testing.T) {
	tests := []struct {
		code string
		want pctClass
	}{
		{"0%", pctAll},
		{"0.0%", pctAll},
		{"0.00%", pctAll},
		{"# ##0,0 %", pctAll},
		{"0.0%;[Red]-0.0%", pctAll},
		{`0%;-0%;"–"`, pctAll}, // the zero section does not matter
		{"0%;;", pctAll},       // empty sections hide numbers
		{"General", pctNone},
		{"# ##0", pctNone},
		{"", pctNone},
		{`0.0"%"`, pctNone},
		{`0.0\%`, pctNone},
		{`0_%`, pctNone},
		{`0*%`, pctNone},
		{`[$%-41D]0`, pctNone},
		{`0;-0%`, pctMixed},
		{`[>=1]0;0%`, pctMixed},
		{`[>=1]0%;[<0]0%;0`, pctMixed}, // with conditions the third section counts
		{`0%;-0%;0;@`, pctAll},         // the text section never shows a number
	}
	for _, tt := range tests {
		if got := classifyNumFmt(tt.code); got != tt.want {
			t.Errorf("classifyNumFmt(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
	custom := map[int]string{164: "0.0%", 165: "0.0", 9: "0.00"}
	for _, tt := range []struct {
		id   int
		want pctClass
	}{{0, pctNone}, {9, pctNone}, {10, pctAll}, {14, pctNone}, {164, pctAll}, {165, pctNone}, {166, pctNone}} {
		if got := classifyNumFmtID(tt.id, custom); got != tt.want {
			t.Errorf("classifyNumFmtID(%d) = %d, want %d", tt.id, got, tt.want)
		}
	}
	if classifyNumFmtID(9, nil) != pctAll {
		t.Error("built-in 9 is not a percent format")
	}
}

func TestParseNumberScaled(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{in: "0.785", want: 78.5},
		{in: "0.145", want: 14.5},
		{in: "0.7925", want: 79.25},
		{in: "7.85E-1", want: 78.5},
		{in: "7.85e+0", want: 785},
		{in: "1E-3", want: 0.1},
		{in: "-0.05", want: -5},
		{in: "0", want: 0},
		{in: "1e308", wantErr: true},
		{in: "1e99999999999", wantErr: true},
		{in: "0.5%", wantErr: true}, // a raw value never carries "%"
		{in: "abc", wantErr: true},
	}
	for _, tt := range tests {
		got, reason := parseNumberScaled(tt.in, false, 2)
		if (reason != "") != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("parseNumberScaled(%q) = %v, %q; want %v (error %v)", tt.in, got, reason, tt.want, tt.wantErr)
		}
	}
}

// percentFuzzSeeds are workbooks with percent formats for FuzzRead.
func percentFuzzSeeds(t testing.TB) [][]byte {
	return [][]byte{
		buildXLSX(t, sheetSpec{"Data", [][]any{
			{"kommun", "år", "indikator", "värde"},
			{"Olofström", 2023, "employment_rate", pct9(0.785)},
			{"Olofström", 2023, "population", pct10(fig(t, "1060", 2023))},
		}}),
		percentWorkbook(t, `<row r="2"><c r="A2" t="inlineStr"><is><t>Olofström</t></is></c><c r="B2"><v>2024</v></c><c r="C2" s="1"><v>0.785</v></c></row>`),
	}
}
