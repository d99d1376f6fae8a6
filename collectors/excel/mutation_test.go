package excel

import (
	"archive/zip"
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Text a spreadsheet would run as a formula starts with =, +, - or @ and
// has something after it; the sign alone is not a formula, so a region
// cell holding just "=" is reported as an unknown municipality
// (docs/testing.md, mutation testing).
func TestLooksLikeFormula(t *testing.T) {
	for s, want := range map[string]bool{
		"=1+1": true, "+A1": true, "-2+3": true, "@SUM(A1)": true,
		"=": false, "+": false, "@": false, "": false, "Olofström": false,
	} {
		if got := looksLikeFormula(s); got != want {
			t.Errorf("looksLikeFormula(%q) = %v, want %v", s, got, want)
		}
	}
}

// The lookup caches keep every name looked up until they hold cacheCap
// entries, and never more, however many distinct names a hostile file
// brings (docs/testing.md, mutation testing: the bound at exactly its value).
func TestLookupCachesAreBounded(t *testing.T) {
	b := newBuilder(testOptions(t), DefaultLimits())
	for i := range cacheCap + 1 {
		name := fmt.Sprintf("Ingen kommun %d", i)
		if h := b.resolveRegion(name); h.code != "" {
			t.Fatalf("%q resolved to %q", name, h.code)
		}
		if id := b.matchIndicator(name); id != "" {
			t.Fatalf("%q matched indicator %q", name, id)
		}
		if len(b.regionCache) > cacheCap || len(b.indCache) > cacheCap {
			t.Fatalf("after %d names: caches hold %d and %d entries, cap %d", i+1, len(b.regionCache), len(b.indCache), cacheCap)
		}
		// Below the cap every name looked up stays cached.
		if i < cacheCap && (len(b.regionCache) != i+1 || len(b.indCache) != i+1) {
			t.Fatalf("after %d names: caches hold %d and %d entries", i+1, len(b.regionCache), len(b.indCache))
		}
	}
	// A cleared cache still answers the same.
	if h := b.resolveRegion("Olofström"); h.code != "1060" {
		t.Errorf("Olofström after clearing = %+v", h)
	}
}

// Excel drops the leading zero of a code column formatted as numbers: a
// one- or three-digit number gets it back ("0" is riket 00, "9" Gotlands
// län 09, "114" Upplands Väsby 0114); no other length, and nothing that is
// not a number, is padded (docs/testing.md, mutation testing).
func TestPaddedCodes(t *testing.T) {
	b := newBuilder(testOptions(t), DefaultLimits())
	for text, want := range map[string]string{
		"0": "00", "1": "01", "9": "09", "114": "0114", "999": "", "11": "", "1a4": "", "a": "",
	} {
		r, ok := b.resolvePadded(text)
		if r.Code != want || ok != (want != "") {
			t.Errorf("resolvePadded(%q) = %q, %v; want %q", text, r.Code, ok, want)
		}
	}
}

// The delimiter sniffer looks at the first 20 lines and 64 KiB only, and
// breaks ties towards tab, then semicolon, then comma (docs/testing.md,
// mutation testing: each bound at exactly its value).
func TestSniffDelimiterBounds(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       rune
	}{
		{"a tie goes to tab", "a;b\tc\n", '\t'},
		{"a tie of semicolon and comma goes to semicolon", "a;b,c\n", ';'},
		// 10 semicolon lines and 10 comma lines tie; the 21st line is not read.
		{"line 21 is not read", strings.Repeat("a;b\n", 10) + strings.Repeat("a,b\n", 11), ';'},
		{"line 20 is read", strings.Repeat("a;b\n", 9) + strings.Repeat("a,b\n", 11), ','},
		// The byte at offset 65 536 is still read, the next one is not.
		{"the last byte read", strings.Repeat("x", 64<<10) + ";y\n", ';'},
		{"the first byte not read", strings.Repeat("x", 64<<10+1) + ";y\n", ','},
	} {
		if got := sniffDelimiter(tt.text); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Header cells are folded for lookup: a parenthesised remark anywhere is
// dropped with the rest of the title kept around it, an unclosed one cuts
// the title (docs/testing.md, mutation testing). The unclosed case comes
// last and the first mismatch stops the test: a broken loop there would
// otherwise spin instead of failing.
func TestNormHeader(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Kommun (kod eller namn)", "kommun"},
		{"(nr) Kommun", "kommun"},
		{"Region (ny) kod:", "region kod"},
		{"\u00a0År*", "år"},
		{"Värde (tkr", "värde"},
	} {
		if got := normHeader(tt.in); got != tt.want {
			t.Fatalf("normHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A zero or negative limit takes the default; a set one is kept; the XML
// spill size never exceeds the unzipped bound (docs/testing.md, mutation
// testing).
func TestWithDefaults(t *testing.T) {
	d := DefaultLimits()
	for _, tt := range []struct {
		in, want Limits
	}{
		{Limits{}, d},
		{Limits{MaxFileBytes: -1, MaxUnzippedBytes: -1, MaxXMLBytes: -1, MaxRows: -1, MaxCells: -1}, d},
		{Limits{MaxUnzippedBytes: 4 << 20, MaxXMLBytes: 1 << 20},
			Limits{d.MaxFileBytes, 4 << 20, 1 << 20, d.MaxRows, d.MaxCells}},
		{Limits{MaxUnzippedBytes: 1 << 20}, Limits{d.MaxFileBytes, 1 << 20, 1 << 20, d.MaxRows, d.MaxCells}},
		{Limits{MaxFileBytes: 1, MaxUnzippedBytes: 2, MaxXMLBytes: 1, MaxRows: 1, MaxCells: 1}, Limits{1, 2, 1, 1, 1}},
	} {
		if got := tt.in.withDefaults(); got != tt.want {
			t.Errorf("%+v.withDefaults() = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// A quoted "%" is text only up to the closing quote, and only a bracket
// that starts with <, > or = is a condition that brings the third section
// into play (docs/testing.md, mutation testing).
func TestClassifyNumFmtQuotesAndConditions(t *testing.T) {
	for code, want := range map[string]pctClass{
		`0"x%"`:           pctNone,
		`0"x"%`:           pctAll,
		`[Red]0%;-0%;0`:   pctAll,
		`[<1]0%;-0%;0`:    pctMixed,
		`[>1]0%;-0%;0`:    pctMixed,
		`[=1]0%;-0%;0`:    pctMixed,
		`[Blue]0%;[Red]0`: pctMixed,
	} {
		if got := classifyNumFmt(code); got != want {
			t.Errorf("classifyNumFmt(%q) = %v, want %v", code, got, want)
		}
	}
}

// A figure's cleaned text may be 63 bytes long, not 64 (maxFigureText)
// (docs/testing.md, mutation testing).
func TestFigureTextLimit(t *testing.T) {
	if _, reason := parseNumber(strings.Repeat("1", maxFigureText-1), false); reason != "" {
		t.Errorf("%d digits refused: %s", maxFigureText-1, reason)
	}
	if _, reason := parseNumber(strings.Repeat("1", maxFigureText), false); !strings.Contains(reason, "är inte ett tal") {
		t.Errorf("%d digits: reason %q", maxFigureText, reason)
	}
}

// shiftExponent shifts exponents up to ±2^20 and gives up beyond
// (docs/testing.md, mutation testing: the bounds at exactly their value).
func TestShiftExponentBounds(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // "" = refused
	}{
		{"0.785", "0.785e2"},
		{"7.85e-1", "7.85e1"},
		{"5e1048576", "5e1048578"},
		{"5e-1048576", "5e-1048574"},
		{"5e1048577", ""},
		{"5e-1048577", ""},
	} {
		got, ok := shiftExponent([]byte(tt.in), strings.Contains(tt.in, "e"), 2)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("shiftExponent(%s) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// A file of exactly MaxFileBytes is read, one byte less is the limit
// exceeded; limits are named the way people say them; an echo of exactly
// n runes is not cut (docs/testing.md, mutation testing).
func TestFileSizeLimitAndItsMessage(t *testing.T) {
	data := smallWorkbook(t)
	opts := testOptions(t)
	opts.Limits = Limits{MaxFileBytes: int64(len(data))}
	if res, err := Read(bytes.NewReader(data), opts); err != nil || len(res.Observations) != 1 {
		t.Errorf("a file of exactly the limit: %+v, %v", res.Observations, err)
	}
	opts.Limits = Limits{MaxFileBytes: int64(len(data)) - 1}
	res, err := Read(bytes.NewReader(data), opts)
	wantInvalid(t, res, err, "Filen är för stor")
	for n, want := range map[int64]string{1 << 20: "1 MB", 3 << 19: "1.5 MB", 1 << 10: "1 kB", 1023: "1023 byte", 20 << 20: "20 MB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
	if got := truncate("åäöå", 4); got != "åäöå" {
		t.Errorf("truncate at exactly its length = %q", got)
	}
}

// A total label in the code column with the name column empty is a total
// row, skipped and counted, not a reject (docs/testing.md, mutation testing).
func TestTotalLabelInTheCodeColumn(t *testing.T) {
	rows := [][]any{
		{"kommunkod", "kommun", "år", "indikator", "värde"},
		{"1060", "Olofström", 2024, "population", fig(t, "1060", 2024)},
		{"Totalt", nil, 2024, "population", fig(t, "1060", 2024)},
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", rows}), testOptions(t))
	if len(res.Rejects) != 0 || len(res.Observations) != 1 || len(res.Sheets) != 1 || len(res.Sheets[0].Totals) != 1 || res.Sheets[0].Totals[0] != 3 {
		t.Errorf("rejects %+v, %d observations, sheets %+v", res.Rejects, len(res.Observations), res.Sheets)
	}
}

// A workbook whose workbook part excelize cannot read is a damaged .xlsx,
// not "no Excel workbook" (docs/testing.md, mutation testing).
func TestDamagedWorkbookPart(t *testing.T) {
	parts := workbookParts([]byte(`<worksheet/>`), 0)
	parts[2].data = []byte(`<workbook><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`) // no namespace
	res, err := Read(bytes.NewReader(buildZip(t, parts...)), testOptions(t))
	wantInvalid(t, res, err, "Filen är skadad och kunde inte läsas som .xlsx")
}

// In the long layout, an indicator column may be the first one, and a row
// with only a code column, a year and a missing figure counts as a missing
// cell (docs/testing.md, mutation testing).
func TestLongLayoutIndicatorFirstAndCodeOnly(t *testing.T) {
	v := fig(t, "1060", 2024)
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", [][]any{
		{"indikator", "kommun", "år", "värde"},
		{"population", "Olofström", 2024, v},
	}}), testOptions(t))
	if len(res.Rejects) != 0 || len(res.Observations) != 1 || res.Observations[0].Value != v {
		t.Errorf("indicator first: %+v, rejects %+v", res.Observations, res.Rejects)
	}
	res = mustRead(t, buildXLSX(t, sheetSpec{"Data", [][]any{
		{"kommunkod", "år", "indikator", "värde"},
		{"1060", 2024, "population", ".."},
		{"1060", 2023, "population", fig(t, "1060", 2023)},
	}}), testOptions(t))
	if len(res.Sheets) != 1 || res.Sheets[0].Missing != 1 || len(res.Observations) != 1 {
		t.Errorf("code only: sheets %+v, %d observations", res.Sheets, len(res.Observations))
	}
}

// Closing a workbook that was read without trouble logs nothing
// (docs/testing.md, mutation testing: the warning's condition negated).
func TestCloseLogsOnlyFailures(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	mustRead(t, smallWorkbook(t), testOptions(t))
	if strings.Contains(buf.String(), "closing workbook") {
		t.Errorf("logged: %s", buf.String())
	}
}

// A row whose indicator cell is refused loses only its generic figure:
// the columns named after an indicator are still read (docs/testing.md,
// mutation testing).
func TestRefusedRowIndicatorKeepsNamedColumns(t *testing.T) {
	v := fig(t, "1060", 2024)
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", [][]any{
		{"kommun", "år", "indikator", "värde", "population"},
		{"Olofström", 2024, "okänd", 123, v},
	}}), testOptions(t))
	if len(res.Rejects) != 1 || len(res.Observations) != 1 || res.Observations[0].Indicator != "population" || res.Observations[0].Value != v {
		t.Errorf("observations %+v, rejects %+v", res.Observations, res.Rejects)
	}
}

// A workbook that unpacks to exactly MaxUnzippedBytes is read; one byte
// less and it is refused (docs/testing.md, mutation testing).
func TestUnzippedSizeAtTheLimit(t *testing.T) {
	data := smallWorkbook(t)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, f := range zr.File {
		size += int64(f.UncompressedSize64)
	}
	opts := testOptions(t)
	opts.Limits = Limits{MaxUnzippedBytes: size}
	if res, err := Read(bytes.NewReader(data), opts); err != nil || len(res.Observations) != 1 {
		t.Errorf("unpacking to exactly the limit (%d bytes): %+v, %v", size, res.Observations, err)
	}
	opts.Limits = Limits{MaxUnzippedBytes: size - 1}
	res, err := Read(bytes.NewReader(data), opts)
	wantInvalid(t, res, err, "när den packas upp")
}

// In the wide layout, too, the indicator column may be the first one
// (docs/testing.md, mutation testing). The employed_day figure is made up:
// only the indicator it lands on matters here.
func TestWideLayoutIndicatorFirst(t *testing.T) {
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", [][]any{
		{"indikator", "kommun", "2023", "2024"},
		{"population", "Olofström", fig(t, "1060", 2023), fig(t, "1060", 2024)},
		{"employed_day", "Olofström", nil, 5000},
	}}), testOptions(t))
	got := map[string]int{}
	for _, o := range res.Observations {
		got[o.Indicator]++
	}
	if len(res.Rejects) != 0 || got["population"] != 2 || got["employed_day"] != 1 {
		t.Errorf("observations %+v, rejects %+v", res.Observations, res.Rejects)
	}
}

// A workbook of exactly maxZipEntries parts is read; one part more is
// refused (docs/testing.md, mutation testing).
func TestZipEntriesAtTheLimit(t *testing.T) {
	wb := smallWorkbook(t)
	withParts := func(n int) []byte {
		src, err := zip.NewReader(bytes.NewReader(wb), int64(len(wb)))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range src.File {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
		}
		for i := len(src.File); i < n; i++ {
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("extra/%d.txt", i), Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if res, err := Read(bytes.NewReader(withParts(maxZipEntries)), testOptions(t)); err != nil || len(res.Observations) != 1 {
		t.Errorf("%d parts: %+v, %v", maxZipEntries, res.Observations, err)
	}
	res, err := Read(bytes.NewReader(withParts(maxZipEntries+1)), testOptions(t))
	wantInvalid(t, res, err, "för många delar")
}

// A wide sheet with no title left of its years finds the region column
// from the data: the first filled cell left of the years, never a year's
// own column; a region reject names that column (docs/testing.md,
// mutation testing).
func TestWideRegionColumnFromTheData(t *testing.T) {
	v23, v24 := fig(t, "1060", 2023), fig(t, "1060", 2024)
	for _, tt := range []struct {
		name   string
		rows   [][]any
		col    string
		reason string
	}{
		{"unknown name in the first column", [][]any{{nil, nil, "2023", "2024"}, {"Atlantis", nil, v23, v24}}, "A", "finns inte i kommunlistan"},
		{"no region left of the years", [][]any{{nil, nil, "2023", "2024"}, {nil, nil, v23, v24}}, "B", "Kommun saknas"},
	} {
		res := mustRead(t, buildXLSX(t, sheetSpec{"Folkmängd", tt.rows}), testOptions(t))
		if len(res.Rejects) != 1 || res.Rejects[0].Column != tt.col || !strings.Contains(res.Rejects[0].Reason, tt.reason) {
			t.Errorf("%s: rejects %+v, want one in column %s saying %q", tt.name, res.Rejects, tt.col, tt.reason)
		}
	}
}

// checkPerIndicator compares a read's observations, counted per
// indicator, with want (nil: none), and its rejects with one in column
// reject ("": none).
func checkPerIndicator(t *testing.T, res Result, want map[string]int, reject string) {
	t.Helper()
	got := map[string]int{}
	for _, o := range res.Observations {
		got[o.Indicator]++
	}
	if len(got) == 0 {
		got = nil
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("observations per indicator %v, want %v (rejects %+v, sheets %+v)", got, want, res.Rejects, res.Sheets)
	}
	switch {
	case reject == "" && len(res.Rejects) != 0:
		t.Errorf("rejects %+v, want none", res.Rejects)
	case reject != "" && (len(res.Rejects) != 1 || res.Rejects[0].Column != reject):
		t.Errorf("rejects %+v, want one in column %s", res.Rejects, reject)
	}
}

// pickRegionColumn settles an untitled municipality column on the first
// data row (docs/testing.md, mutation testing, fifth run): the leftmost
// region, else the leftmost filled cell; a column of indicator labels left
// of it becomes the indicator column, unless the header named one.
func TestWideRegionColumnPickedFromTheFirstRow(t *testing.T) {
	v23, v24 := fig(t, "1060", 2023), fig(t, "1060", 2024)
	for _, tt := range []struct {
		name   string
		sheet  string
		rows   [][]any
		want   map[string]int // observations per indicator
		reject string         // the one reject's column, "" for none
	}{
		{"two unknown texts: the leftmost is the column", "Folkmängd",
			[][]any{{nil, nil, "2023", "2024"}, {"Atlantis", "Lemuria", v23, v24}}, nil, "A"},
		{"a region, then a note: the region is the column", "Folkmängd",
			[][]any{{nil, nil, "2023", "2024"}, {"Olofström", "anteckning", v23, v24}}, map[string]int{"population": 2}, ""},
		{"indicator labels left of the region", "Folkmängd",
			[][]any{{nil, nil, "2023", "2024"}, {"employed_day", "Olofström", v23, v24}}, map[string]int{"employed_day": 2}, ""},
		{"a titled indicator column is kept", "Data",
			[][]any{{"indikator", nil, nil, "2023", "2024"}, {"population", "employed_day", "Olofström", v23, v24}}, map[string]int{"population": 2}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildXLSX(t, sheetSpec{tt.sheet, tt.rows}), testOptions(t))
			for _, o := range res.Observations {
				if o.Municipality != "1060" {
					t.Errorf("observation for %s", o.Municipality)
				}
			}
			checkPerIndicator(t, res, tt.want, tt.reject)
		})
	}
}

// How a sheet's header is found, and why a sheet is not read
// (docs/testing.md, mutation testing, fifth run): each case is a sheet of
// its own, read without a chosen indicator.
func TestSheetHeaderEdges(t *testing.T) {
	v23, v24 := fig(t, "1060", 2023), fig(t, "1060", 2024)
	junk := func(n int) [][]any {
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = []any{fmt.Sprintf("Anmärkning %d", i+1)}
		}
		return rows
	}
	longSheet := [][]any{{"kommun", "år", "värde"}, {"Olofström", 2024, v24}}
	for _, tt := range []struct {
		name   string
		sheet  string
		rows   [][]any
		want   map[string]int // observations per indicator
		note   string         // in the sheet's note, "" for none
		reject string         // the one reject's column, "" for none
	}{
		{"an empty sheet", "Folkmängd", nil, nil, "Bladet är tomt", ""},
		{"text and no header", "Folkmängd", junk(3), nil, "Hittar ingen rubrikrad med kommun", ""},
		{"a header after exactly maxPreamble rows", "Folkmängd", append(junk(maxPreamble), longSheet...),
			map[string]int{"population": 1}, "", ""},
		{"a header after one row more", "Folkmängd", append(junk(maxPreamble+1), longSheet...),
			nil, fmt.Sprintf("bland de första %d raderna", maxPreamble), ""},
		{"two columns name one indicator", "Data", [][]any{{"kommun", "år", "Folkmängd", "Invånare"}, {"Olofström", 2024, v24, v24}},
			nil, "flera kolumner för 'Invånare'", "D"},
		{"two municipality columns", "Folkmängd", [][]any{{"kommun", "år", "kommun", "värde"}, {"Olofström", 2024, "Olofström", v24}},
			nil, "flera kolumner för", "C"},
		{"municipality and year but no figure column", "Folkmängd", [][]any{{"kommun", "år", "anteckning"}, {"Olofström", 2024, "x"}},
			nil, "Hittar ingen rubrikrad med kommun", ""},
		{"a named indicator column, none chosen", "Data", [][]any{{"kommun", "år", "Folkmängd"}, {"Olofström", 2023, v23}, {"Olofström", 2024, v24}},
			map[string]int{"population": 2}, "", ""},
		{"a titled code column and one year", "Folkmängd", [][]any{{"kommunkod", "2024"}, {"1060", v24}},
			map[string]int{"population": 1}, "", ""},
		{"a title of no role over the municipalities", "Folkmängd", [][]any{{"Ort", nil, "2023", "2024"}, {"Atlantis", "Olofström", v23, v24}},
			nil, "", "A"},
		{"years from the first column: no room for the municipality", "Folkmängd", [][]any{{"2022", "2023", "2024"}, {v23, v23, v24}},
			nil, "Hittar ingen rubrikrad med kommun", ""},
		{"a figure among the years makes a row data, not a header", "Folkmängd",
			[][]any{{nil, "2023", "13000"}, {nil, "2023", "2024"}, {"Olofström", v23, v24}}, map[string]int{"population": 2}, "", ""},
		{"of two name titles the first is the column", "Folkmängd", [][]any{{"kommun", "namn", "2023", "2024"}, {"Olofström", "Atlantis", v23, v24}},
			map[string]int{"population": 2}, "", ""},
		{"of two code titles the first is the column", "Folkmängd", [][]any{{"kommunkod", "kod", "2023", "2024"}, {"1060", "9999", v23, v24}},
			map[string]int{"population": 2}, "", ""},
		{"of two indicator titles the first is the column", "Data",
			[][]any{{"indikator", "mått", "kommun", "2023", "2024"}, {"population", "employed_day", "Olofström", v23, v24}},
			map[string]int{"population": 2}, "", ""},
		{"a content row over the years names two indicators, none chosen", "Data", [][]any{
			{nil, "Folkmängd", nil, "Förvärvsarbetande dagbefolkning", nil},
			{nil, "2023", "2024", "2023", "2024"},
			{"Olofström", v23, v24, 5000, 5001}}, map[string]int{"population": 2, "employed_day": 2}, "", ""},
		{"the indicator named right of the years", "Data", [][]any{{"kommun", "2023", "2024", "Folkmängd"}, {"Olofström", v23, v24, nil}},
			map[string]int{"population": 2}, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildXLSX(t, sheetSpec{tt.sheet, tt.rows}), testOptions(t))
			checkPerIndicator(t, res, tt.want, tt.reject)
			if len(res.Sheets) != 1 {
				t.Fatalf("sheets %+v", res.Sheets)
			}
			if note := res.Sheets[0].Note; (tt.note == "") != (note == "") || !strings.Contains(note, tt.note) {
				t.Errorf("note %q, want one with %q", note, tt.note)
			}
		})
	}
}

// A CSV's file name can name its indicator; the stem is the name without
// folders (either slash) and without its extension (docs/testing.md,
// mutation testing, fifth run).
func TestFileStem(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Folkmängd.csv", "Folkmängd"},
		{`C:\Users\ana\Folkmängd.csv`, "Folkmängd"},
		{"/Folkmängd.csv", "Folkmängd"},
		{"data/2024/Folkmängd.v2.csv", "Folkmängd.v2"},
		{".csv", ".csv"},
		{"Folkmängd", "Folkmängd"},
	} {
		if got := fileStem(tt.in); got != tt.want {
			t.Errorf("fileStem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A sheet-wide refusal has no column and is listed before the column
// rejects of its row (docs/testing.md, mutation testing, fifth run).
func TestSheetRejectBeforeColumnRejects(t *testing.T) {
	opts := testOptions(t)
	opts.Indicator = "employed_day"
	res := mustRead(t, buildXLSX(t, sheetSpec{"Folkmängd", [][]any{
		{"Invånare", "kommun", "år", "värde"},
		{1, "Olofström", 2024, 5000},
	}}), opts)
	if len(res.Rejects) != 2 || res.Rejects[0].Column != "" || !strings.Contains(res.Rejects[0].Reason, "Bladet gäller indikatorn population men importen gäller employed_day") ||
		res.Rejects[1].Column != "A" || !strings.Contains(res.Rejects[1].Reason, "Kolumnen gäller indikatorn population") {
		t.Errorf("rejects %+v, want the sheet's refusal first, then column A's", res.Rejects)
	}
}

// A NUL in the first byte marks a binary file as much as one further on,
// and a text that starts after a long run of blanks is still a CSV
// (docs/testing.md, mutation testing, fifth run).
func TestSniffEdges(t *testing.T) {
	if _, err := sniff([]byte("\x00kommun;år;värde\n")); err == nil || !strings.Contains(err.Error(), "varken en Excel-fil") {
		t.Errorf("NUL first: %v, want refused as binary", err)
	}
	blanks := append(bytes.Repeat([]byte(" "), 9000), "kommun;år;värde\nOlofström;2024;13000\n"...)
	if kind, err := sniff(blanks); err != nil || kind != kindCSV {
		t.Errorf("9000 blanks, then a CSV: %v, %v; want a CSV", kind, err)
	}
}

// Every part is read to its end, so its checksum is checked, also when the
// parts add up to exactly MaxUnzippedBytes (docs/testing.md, mutation
// testing, fifth run): a part nobody else reads would otherwise pass
// damaged.
func TestDamagedLastPartAtTheLimit(t *testing.T) {
	v := fig(t, "1060", 2024)
	sheet := longSheetXML([][3]string{{"1060", "2024", fmt.Sprint(v)}}, `</sheetData></worksheet>`)
	parts := append(workbookParts(sheet, 0), zipPart{name: "docProps/app.xml", data: []byte(`<Properties/>`), badCRC: true})
	var size int64
	for _, p := range parts {
		size += int64(len(p.data))
	}
	opts := testOptions(t)
	opts.Limits = Limits{MaxUnzippedBytes: size}
	res, err := Read(bytes.NewReader(buildZip(t, parts...)), opts)
	wantInvalid(t, res, err, "går inte att packa upp")
}

// OpenDocument's mimetype entry is recognised up to 128 bytes
// (docs/testing.md, mutation testing, fifth run).
func TestODSMimetypeOfExactly128Bytes(t *testing.T) {
	mime := []byte("application/vnd.oasis.opendocument.spreadsheet")
	mime = append(mime, bytes.Repeat([]byte(" "), 128-len(mime))...)
	res, err := Read(bytes.NewReader(buildZip(t, zipPart{name: "mimetype", data: mime}, zipPart{name: "content.xml", data: []byte("<x/>")})), testOptions(t))
	wantInvalid(t, res, err, "OpenDocument-filer (.ods) stöds inte")
}

// With an indicator chosen, only the year columns the content row gives
// to that indicator are read (docs/testing.md, mutation testing, sixth
// run).
func TestContentRowWithAChosenIndicator(t *testing.T) {
	opts := testOptions(t)
	opts.Indicator = "employed_day"
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", [][]any{
		{nil, "Folkmängd", nil, "Förvärvsarbetande dagbefolkning", nil},
		{nil, "2023", "2024", "2023", "2024"},
		{"Olofström", fig(t, "1060", 2023), fig(t, "1060", 2024), 5000, 5001},
	}}), opts)
	checkPerIndicator(t, res, map[string]int{"employed_day": 2}, "")
}

// An empty indicator cell takes the sheet's indicator: the one chosen for
// the import, else the one the sheet names (a case clause gremlins cannot
// mutate, applied by hand: docs/testing.md, mutation testing).
func TestEmptyIndicatorCellTakesTheSheets(t *testing.T) {
	v := fig(t, "1060", 2024)
	rows := func() [][]any {
		return [][]any{{"kommun", "år", "indikator", "värde"}, {"Olofström", 2024, nil, v}, {"Olofström", 2023, "population", fig(t, "1060", 2023)}}
	}
	chosen := testOptions(t)
	chosen.Indicator = "population"
	for _, tt := range []struct {
		name, sheet string
		opts        Options
	}{
		{"named by the sheet", "Folkmängd", testOptions(t)},
		{"chosen for the import", "Data", chosen},
	} {
		res := mustRead(t, buildXLSX(t, sheetSpec{tt.sheet, rows()}), tt.opts)
		if len(res.Rejects) != 0 || len(res.Observations) != 2 {
			t.Errorf("%s: observations %+v, rejects %+v", tt.name, res.Observations, res.Rejects)
		}
	}
}
