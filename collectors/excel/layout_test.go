package excel

import (
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"slices"
	"strings"
	"testing"
)

// member codes with real population figures for 2015–2024 in testdata.
var seriesCodes = []string{"1060", "0481", "0562", "0882"}

// wantFigures checks that got holds exactly the real figures for codes and
// years (population).
func wantFigures(t *testing.T, got []domain.Observation, codes []string, years []int) {
	t.Helper()
	m := obsMap(t, got)
	if len(m) != len(codes)*len(years) {
		t.Errorf("%d observations, want %d", len(m), len(codes)*len(years))
	}
	for _, c := range codes {
		for _, y := range years {
			if v, ok := m[key(c, "population", y)]; !ok || v != fig(t, c, y) {
				t.Errorf("%s %d = %v (present %v), want %v", c, y, v, ok, fig(t, c, y))
			}
		}
	}
}

// fieldOf names a test header's role the way the reader understands it.
func fieldOf(h string) string {
	if n, ok := roleNames[roleOf(h)]; ok {
		return n
	}
	return strings.ToLower(h)
}

func yearsRange(from, to int) []int {
	var ys []int
	for y := from; y <= to; y++ {
		ys = append(ys, y)
	}
	return ys
}

func TestLongLayout(t *testing.T) {
	opts := testOptions(t)
	years := []int{2015, 2020, 2024}
	rowsFor := func(order []string, cell func(field, code string, year int) any) [][]any {
		rows := [][]any{}
		header := []any{}
		for _, h := range order {
			header = append(header, h)
		}
		rows = append(rows, header)
		for _, c := range seriesCodes {
			for _, y := range years {
				row := []any{}
				for _, h := range order {
					row = append(row, cell(fieldOf(h), c, y))
				}
				rows = append(rows, row)
			}
		}
		return rows
	}
	swedish := func(field, code string, year int) any {
		switch field {
		case "kommun":
			return opts.Regions.Name(code)
		case "kommunkod":
			return code
		case "år":
			return year
		case "indikator":
			return "population"
		}
		return fig(t, code, year)
	}
	textual := func(field, code string, year int) any {
		switch field {
		case "år":
			return itoa(year)
		case "värde":
			return spaced(fig(t, code, year)) // "13 170" typed as text
		}
		return swedish(field, code, year)
	}
	tests := []struct {
		name  string
		sheet string
		rows  [][]any
	}{
		{"swedish headers", "Data", rowsFor([]string{"kommun", "år", "indikator", "värde"}, swedish)},
		{"english headers, any order, upper case", "Data", rowsFor([]string{"Value", "YEAR", "Municipality", "Indicator"}, swedish)},
		{"code and name columns", "Data", rowsFor([]string{"Kommunkod", "Kommun", "År", "Indikator", "Värde"}, swedish)},
		{"text cells", "Data", rowsFor([]string{"Kommun (kod eller namn)", "År:", "Indikator", "Värde"}, textual)},
		{"no indicator column, sheet named by indicator", "Folkmängd", rowsFor([]string{"kommun", "år", "värde"}, swedish)},
		{"no indicator column, title row", "Blad1", append([][]any{{"Folkmängd"}, {}}, rowsFor([]string{"kommun", "år", "värde"}, swedish)...)},
		{"value column named by the indicator", "Blad1", rowsFor([]string{"region", "år", "Folkmängd"}, swedish)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildXLSX(t, sheetSpec{tt.sheet, tt.rows}), opts)
			if len(res.Rejects) != 0 {
				t.Fatalf("rejects: %+v", res.Rejects)
			}
			if s := res.Sheets[0]; s.Layout != LayoutLong || s.NeedsIndicator || s.Rows != len(seriesCodes)*len(years) {
				t.Errorf("sheet = %+v", s)
			}
			wantFigures(t, res.Observations, seriesCodes, years)
		})
	}
}

func TestWideLayout(t *testing.T) {
	opts := testOptions(t)
	years := yearsRange(2015, 2024)
	table := func(corner any) [][]any {
		header := []any{corner}
		for _, y := range years {
			header = append(header, y)
		}
		rows := [][]any{header}
		for _, c := range seriesCodes {
			row := []any{opts.Regions.Name(c)}
			for _, y := range years {
				row = append(row, fig(t, c, y))
			}
			rows = append(rows, row)
		}
		return rows
	}
	tests := []struct {
		name   string
		sheet  string
		rows   [][]any
		layout string
	}{
		{"indicator from sheet name", "Folkmängd", table("kommun"), LayoutWide},
		{"indicator from sheet id", "population", table("Kommun"), LayoutWide},
		{"indicator from header cell", "Blad1", table("Folkmängd"), LayoutWide},
		// A title of one's own is no SCB export: the preview must not say so.
		{"indicator from title row", "Blad1", append([][]any{{"Folkmängd"}}, table("")...), LayoutWide},
		{"indicator from SCB's title", "Blad1", append([][]any{{"Folkmängden efter region och år"}}, table("")...), LayoutSCBExport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildXLSX(t, sheetSpec{tt.sheet, tt.rows}), opts)
			if len(res.Rejects) != 0 {
				t.Fatalf("rejects: %+v", res.Rejects)
			}
			if s := res.Sheets[0]; s.Layout != tt.layout || s.Indicator != "population" || s.Rows != len(seriesCodes) {
				t.Errorf("sheet = %+v", s)
			}
			wantFigures(t, res.Observations, seriesCodes, years)
		})
	}
}

// An export from SCB's Statistikdatabasen: title, a content row above the
// years, regions as "1060 Olofström", ".." and "-" for missing, footnotes.
func TestSCBExport(t *testing.T) {
	opts := testOptions(t)
	years := yearsRange(2020, 2024)
	rows := [][]any{
		{"Folkmängden efter region och år"},
		{},
		{nil, "Folkmängd"},
		append([]any{"region"}, anyInts(years)...),
	}
	for _, c := range []string{"0481", "1060"} {
		row := []any{c + " " + opts.Regions.Name(c)}
		for _, y := range years {
			row = append(row, fig(t, c, y))
		}
		rows = append(rows, row)
	}
	// Riket and Stockholms län only have 2024 in testdata: earlier years are
	// ".." and "-" as SCB writes them.
	rows = append(rows,
		[]any{"00 Riket", "..", "..", "-", "..", fig(t, "00", 2024)},
		[]any{"01 Stockholms län", "..", "–", "..", "..", fig(t, "01", 2024)},
		[]any{"0562 Finspång", "..", "..", "..", "..", ".."},
		[]any{},
		[]any{"Uppgifterna avser förhållandena den 31 december."},
		[]any{".. = uppgift saknas"},
		[]any{"Källa: SCB"},
	)
	res := mustRead(t, buildXLSX(t, sheetSpec{"Blad1", rows}), opts)
	if len(res.Rejects) != 0 {
		t.Fatalf("rejects: %+v", res.Rejects)
	}
	s := res.Sheets[0]
	if s.Layout != LayoutSCBExport || s.Indicator != "population" || s.NeedsIndicator || s.Missing != 13 {
		t.Errorf("sheet = %+v, want scb-export, population, 13 missing", s)
	}
	m := obsMap(t, res.Observations)
	if len(m) != 12 {
		t.Errorf("%d observations, want 12: %v", len(m), m)
	}
	for _, c := range []string{"0481", "1060"} {
		for _, y := range years {
			if m[key(c, "population", y)] != fig(t, c, y) {
				t.Errorf("%s %d = %v", c, y, m[key(c, "population", y)])
			}
		}
	}
	for _, c := range []string{"00", "01"} {
		if m[key(c, "population", 2024)] != fig(t, c, 2024) {
			t.Errorf("%s 2024 = %v", c, m[key(c, "population", 2024)])
		}
	}
}

func anyInts(ys []int) []any {
	out := make([]any, len(ys))
	for i, y := range ys {
		out[i] = y
	}
	return out
}

// SCB exports with two contents repeat the years under each content label;
// each column takes the indicator named above it.
func TestSCBExportPerColumnIndicators(t *testing.T) {
	opts := testOptions(t)
	rows := [][]any{
		{nil, "Folkmängd", nil, "Statligt anställda", nil},
		{"region", 2023, 2024, 2023, 2024},
		{"1060 Olofström", fig(t, "1060", 2023), fig(t, "1060", 2024), "..", ".."},
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Blad1", rows}), opts)
	m := obsMap(t, res.Observations)
	if len(m) != 2 || m[key("1060", "population", 2023)] != fig(t, "1060", 2023) || m[key("1060", "population", 2024)] != fig(t, "1060", 2024) {
		t.Errorf("observations = %v", m)
	}
	if s := res.Sheets[0]; s.Missing != 2 || s.NeedsIndicator || len(res.Rejects) != 0 {
		t.Errorf("sheet = %+v, rejects %+v", s, res.Rejects)
	}

	// Same years twice without content labels: refused, not guessed.
	rows[0] = []any{"Okänd titel"}
	res = mustRead(t, buildXLSX(t, sheetSpec{"Blad1", rows}), opts)
	if len(res.Observations) != 0 || len(res.Rejects) != 1 || !strings.Contains(res.Sheets[0].Note, "Samma år står i flera kolumner") {
		t.Errorf("duplicate years: %d obs, rejects %+v, sheet %+v", len(res.Observations), res.Rejects, res.Sheets[0])
	}
}

func TestIndicatorNeededAndForced(t *testing.T) {
	opts := testOptions(t)
	rows := [][]any{
		{"kommun", 2023, 2024},
		{"Olofström", fig(t, "1060", 2023), fig(t, "1060", 2024)},
		{"Oxelösund", fig(t, "0481", 2023), fig(t, "0481", 2024)},
	}
	data := buildXLSX(t, sheetSpec{"Blad1", rows})

	res := mustRead(t, data, opts)
	if s := res.Sheets[0]; !s.NeedsIndicator || s.Indicator != "" || s.Rows != 2 || s.Note == "" {
		t.Errorf("sheet = %+v, want NeedsIndicator", s)
	}
	if len(res.Observations) != 0 || len(res.Rejects) != 0 {
		t.Errorf("guessed: %d obs, %d rejects", len(res.Observations), len(res.Rejects))
	}

	opts.Indicator = "population"
	res = mustRead(t, data, opts)
	if s := res.Sheets[0]; s.NeedsIndicator || s.Indicator != "population" {
		t.Errorf("forced sheet = %+v", s)
	}
	wantFigures(t, res.Observations, []string{"1060", "0481"}, []int{2023, 2024})

	// A sheet that names another indicator is not overridden.
	opts.Indicator = "state_jobs"
	res = mustRead(t, buildXLSX(t, sheetSpec{"Folkmängd", rows}), opts)
	if len(res.Observations) != 0 || len(res.Rejects) != 1 || !strings.Contains(res.Rejects[0].Reason, "importen gäller state_jobs") {
		t.Errorf("conflict: %d obs, rejects %+v", len(res.Observations), res.Rejects)
	}

	// Two indicators named above one table: the preview must ask.
	opts.Indicator = ""
	res = mustRead(t, buildXLSX(t, sheetSpec{"Statligt anställda", append([][]any{{"Folkmängd"}}, rows...)}), opts)
	if s := res.Sheets[0]; !s.NeedsIndicator || !strings.Contains(s.Note, "flera indikatorer") || len(res.Observations) != 0 {
		t.Errorf("ambiguous: sheet %+v, %d obs", s, len(res.Observations))
	}

	// Long layout: the indicator column must agree with the forced one.
	opts.Indicator = "state_jobs"
	long := [][]any{
		{"kommun", "år", "indikator", "värde"},
		{"Olofström", 2024, "population", fig(t, "1060", 2024)},
		{"Olofström", 2024, "", ".."},
	}
	res = mustRead(t, buildXLSX(t, sheetSpec{"Data", long}), opts)
	if len(res.Observations) != 0 || len(res.Rejects) != 1 || res.Rejects[0].Column != "C" ||
		!strings.Contains(res.Rejects[0].Reason, "Raden gäller indikatorn population men importen gäller state_jobs") {
		t.Errorf("long conflict: %d obs, rejects %+v", len(res.Observations), res.Rejects)
	}
}

// Municipalities as people write them.
func TestRegionSpellings(t *testing.T) {
	opts := testOptions(t)
	tests := []struct {
		text any
		code string
	}{
		{"1060", "1060"},
		{1060, "1060"},
		{"Olofström", "1060"},
		{"OLOFSTRÖM", "1060"},
		{"olofströms kommun", "1060"},
		{"Olofströms kommun", "1060"},
		{"1060 Olofström", "1060"},
		{" Olofström\u00a0", "1060"},
		{"Malung-Sälen", "2023"},
		{"malung-sälens kommun", "2023"},
		{"Upplands-Bro", "0139"},
		{"114", "0114"}, // Excel dropped the leading zero of 0114
		{114, "0114"},
		{"Riket", "00"},
		{"00", "00"},
		{"01", "01"},
		{"Borås", "1490"},
	}
	rows := [][]any{{"kommun", "år", "indikator", "värde"}}
	for _, tt := range tests {
		rows = append(rows, []any{tt.text, 2024, "population", fig(t, tt.code, 2024)})
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", rows}), opts)
	if len(res.Rejects) != 0 {
		t.Fatalf("rejects: %+v", res.Rejects)
	}
	// Repeats of the same municipality with the same figure are one
	// observation each.
	m := obsMap(t, res.Observations)
	for _, tt := range tests {
		if v, ok := m[key(tt.code, "population", 2024)]; !ok || v != fig(t, tt.code, 2024) {
			t.Errorf("%v: %s = %v, %v", tt.text, tt.code, v, ok)
		}
	}
	if len(m) != 7 {
		t.Errorf("%d distinct observations, want 7", len(m))
	}
}

func TestRejectedRows(t *testing.T) {
	opts := testOptions(t)
	v := fig(t, "1060", 2024)
	rows := [][]any{
		{"kommun", "år", "indikator", "värde"},
		{"Olofström", 2024, "population", "abc"},             // 2
		{"Olofström", 20245, "population", v},                // 3
		{"Olofström", 1850, "population", v},                 // 4
		{"Atlantis", 2024, "population", v},                  // 5
		{"<script>alert(1)</script>", 2024, "population", v}, // 6
		{"=cmd|' /C calc'!A0", 2024, "population", v},        // 7
		{"Olofström", 2024, "okänd", v},                      // 8
		{"", 2024, "population", v},                          // 9
		{"Olofström", "", "population", v},                   // 10
		{"Olofström", 2024, "", v},                           // 11
		{"1060", 2024, "population", "13.000,5"},             // 12
		{"1060 Oxelösund", 2024, "population", v},            // 13
		{"Olofström", 2024, "population", ".."},              // 14: missing
		{"Olofström", 2024, "population", "-"},               // 15: missing
		{"Olofström", 2024, "population", "0"},               // 16: a figure
		{"Källa: egen enkät"},                                // 17: footnote
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", rows}), opts)
	want := []struct {
		row    int
		col    string
		value  string
		reason string
	}{
		{2, "D", "abc", "Värdet 'abc' är inte ett tal"},
		{3, "B", "20245", "inte ett årtal mellan 1900 och 2100"},
		{4, "B", "1850", "inte ett årtal"},
		{5, "A", "Atlantis", "finns inte i kommunlistan"},
		{6, "A", "<script>alert(1)</script>", "finns inte i kommunlistan"},
		{7, "A", "=cmd|' /C calc'!A0", "ser ut som en formel"},
		{8, "C", "okänd", "finns inte i indikatorlistan"},
		{9, "A", "", "Kommun saknas"},
		{10, "B", "", "År saknas"},
		{11, "C", "", "Indikator saknas"},
		{12, "D", "13.000,5", "både punkt och komma"},
	}
	if len(res.Rejects) != len(want)+1 {
		t.Fatalf("%d rejects, want %d: %+v", len(res.Rejects), len(want)+1, res.Rejects)
	}
	for i, w := range want {
		r := res.Rejects[i]
		if r.Sheet != "Data" || r.Row != w.row || r.Column != w.col || r.Value != w.value || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("reject %d = %+v, want row %d col %s value %q reason ~%q", i, r, w.row, w.col, w.value, w.reason)
		}
	}
	if r := res.Rejects[len(want)]; r.Row != 13 || !strings.Contains(r.Reason, "pekar inte på samma kommun") && !strings.Contains(r.Reason, "finns inte") {
		t.Errorf("code/name contradiction: %+v", r)
	}
	// Row 16 says 0 and is the only figure; ".." and "-" are missing, not 0.
	if len(res.Observations) != 1 || res.Observations[0].Value != 0 {
		t.Errorf("observations = %+v", res.Observations)
	}
	if s := res.Sheets[0]; s.Missing != 2 {
		t.Errorf("missing = %d, want 2", s.Missing)
	}
}

func TestDuplicateCells(t *testing.T) {
	opts := testOptions(t)
	a, b := fig(t, "1060", 2023), fig(t, "1060", 2024)
	rows := [][]any{
		{"kommun", "år", "indikator", "värde"},
		{"Olofström", 2023, "population", a},
		{"Oxelösund", 2023, "population", fig(t, "0481", 2023)},
		{"1060", 2023, "population", a}, // same figure again: fine
		{"Olofströms kommun", 2023, "Folkmängd", b},
	}
	other := sheetSpec{"Folkmängd", [][]any{{"kommun", 2023}, {"Olofström", b}}}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", rows}, other), opts)
	m := obsMap(t, res.Observations)
	if _, ok := m[key("1060", "population", 2023)]; ok || len(m) != 1 {
		t.Errorf("conflicting cell kept: %v", m)
	}
	if len(res.Rejects) != 3 {
		t.Fatalf("rejects = %+v", res.Rejects)
	}
	if r := res.Rejects[0]; r.Row != 2 || !strings.Contains(r.Reason, "rad 5") {
		t.Errorf("first row's reject = %+v, want it to name row 5", r)
	}
	if r := res.Rejects[1]; r.Row != 5 || !strings.Contains(r.Reason, "rad 2") {
		t.Errorf("second row's reject = %+v, want it to name row 2", r)
	}
	if r := res.Rejects[2]; r.Sheet != "Folkmängd" || r.Row != 2 || r.Column != "B" || !strings.Contains(r.Reason, "rad 2 i bladet 'Data'") {
		t.Errorf("other sheet's reject = %+v", r)
	}
}

// Sheets that are not data (instructions, code lists) are reported, not
// read, and never produce figures even when a code looks like a year.
func TestNonDataSheets(t *testing.T) {
	opts := testOptions(t)
	opts.Indicator = "population"
	res := mustRead(t, buildXLSX(t,
		sheetSpec{"Medlemmar", [][]any{{"kod", "namn"}, {"2081", "Borlänge"}, {"1060", "Olofström"}}},
		sheetSpec{"Lista", [][]any{{"Borlänge", "2081"}, {"Olofström", "1060"}}},
		sheetSpec{"Tom", nil},
	), opts)
	if len(res.Observations) != 0 || len(res.Rejects) != 0 {
		t.Errorf("%d obs, rejects %+v", len(res.Observations), res.Rejects)
	}
	for _, s := range res.Sheets {
		if s.Layout != "" || s.Note == "" {
			t.Errorf("sheet %+v read as data", s)
		}
	}
}

func TestPercentOnlyForPercentIndicators(t *testing.T) {
	opts := testOptions(t)
	// 13,17 is Olofström's 2015 population in thousands, used here as text
	// in percent form; the check is about the unit, not the figure.
	rows := [][]any{
		{"kommun", "år", "indikator", "värde"},
		{"Olofström", 2015, "employment_rate", "13,17 %"},
		{"Olofström", 2015, "population", "13,17 %"},
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Data", rows}), opts)
	if len(res.Observations) != 1 || res.Observations[0].Indicator != "employment_rate" || res.Observations[0].Value != 13.17 {
		t.Errorf("observations = %+v", res.Observations)
	}
	if len(res.Rejects) != 1 || res.Rejects[0].Row != 3 {
		t.Errorf("rejects = %+v", res.Rejects)
	}
}

// TestTotalRowsSkipped: rows that sum the others (Summa, Totalt, a bare
// Riket) are skipped and listed on the sheet, not rejected as unknown
// municipalities; SCB's "00 Riket" stays riket's figure.
func TestTotalRowsSkipped(t *testing.T) {
	opts := testOptions(t)
	a, b := fig(t, "1060", 2024), fig(t, "0481", 2024)
	rows := [][]any{
		{"kommun", 2024},
		{"Olofström", a},
		{"Oxelösund", b},
		{"Summa", a + b},
		{"Totalt:", a + b},
		{"Riket", a + b},
		{"Summa medlemmar", a + b},
		{"Ingenstans", 1},
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Folkmängd", rows}), opts)
	s := res.Sheets[0]
	if !slices.Equal(s.Totals, []int{4, 5, 6, 7}) {
		t.Errorf("totals %v, want rows 4–7", s.Totals)
	}
	if len(res.Rejects) != 1 || res.Rejects[0].Value != "Ingenstans" {
		t.Errorf("rejects %+v, want only the unknown municipality", res.Rejects)
	}
	if m := obsMap(t, res.Observations); len(m) != 2 {
		t.Errorf("observations %v, want the two municipalities", m)
	}
}
