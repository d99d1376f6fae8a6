package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestWriteCSVGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, populationTable(t)); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF" +
		"Kommun;2023;2024;Förändring (%)\r\n" +
		"Olofström;13061;13000;-0,5\r\n" + // (13 000 / 13 061 − 1) × 100 = −0.467
		"Oxelösund;12106;12031;-0,6\r\n" + // (12 031 / 12 106 − 1) × 100 = −0.620
		"Nyköping;;58344;\r\n" + // 2023 missing: empty, not 0
		"\r\n" +
		"Källa: SCB, TAB638, hämtad 2025-02-21. Folkmängd 31 dec\r\n" +
		"Anmärkning: Nyköping saknar siffra för 2023 i underlaget.\r\n"
	if got := buf.String(); got != want {
		t.Errorf("CSV mismatch\n got: %q\nwant: %q", got, want)
	}
}

func TestWriteCSVNoTrailerWithoutSources(t *testing.T) {
	tab := populationTable(t)
	tab.Sources, tab.Notes = nil, nil
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); strings.HasSuffix(s, "\r\n\r\n") || strings.Contains(s, "Källa") {
		t.Errorf("unexpected trailer: %q", s)
	}
}

// csvRow writes a one-row table and returns the data line without its CRLF.
func csvRow(t *testing.T, cols []Column, row []Value) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Table{Title: "t", Columns: cols, Rows: [][]Value{row}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(buf.String(), "\r\n", 3)
	if len(lines) < 3 {
		t.Fatalf("output %q", buf.String())
	}
	return lines[1]
}

func TestCSVNeutralise(t *testing.T) {
	tests := []struct {
		name string
		in   Value
		want string
	}{
		{"formula", Text("=1+1"), "'=1+1"},
		{"plus", Text("+SUM(A1)"), "'+SUM(A1)"},
		{"minus text", Text("-2+3"), "'-2+3"},
		{"at", Text("@x"), "'@x"},
		{"tab", Text("\t=x"), "'\t=x"},
		{"carriage return", Text("\r=x"), "\"'\r=x\""}, // neutralised, then quoted for the CR
		{"normal text", Text("Olofström"), "Olofström"},
		{"markup is just text in CSV", Text("<script>alert(1)</script>"), "<script>alert(1)</script>"},
		{"equals later is fine", Text("a=b"), "a=b"},
		{"negative number is a number", Number(-1.5), "-1,5"},
		{"real negative change", Number((12031.0/12106 - 1) * 100), "-0,6"}, // Oxelösund 2023–2024
		{"missing", Missing(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := csvRow(t, []Column{{Header: "v", Numeric: tt.in.Num != nil, Decimals: 1}}, []Value{tt.in})
			if got != tt.want {
				t.Errorf("cell = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCSVHeadersNeutralised(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Table{Columns: []Column{{Header: "=HYPERLINK(\"x\")"}, {Header: "Kommun"}}}); err != nil {
		t.Fatal(err)
	}
	if want := "\uFEFF\"'=HYPERLINK(\"\"x\"\")\";Kommun\r\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestCSVNumbers(t *testing.T) {
	tests := []struct {
		name string
		col  Column
		v    Value
		want string
	}{
		// Riket 2024: 10 587 710, no thousands separator.
		{"integer", Column{Numeric: true}, Number(10587710), "10587710"},
		// 2 473 307 / 10 587 710 × 100 = 23.3601695 → two decimals "23,36".
		{"decimal comma", Column{Numeric: true, Decimals: 2}, Number(2473307.0 / 10587710 * 100), "23,36"},
		{"negative zero after rounding", Column{Numeric: true, Decimals: 1}, Number(-0.04), "0,0"},
		{"negative", Column{Numeric: true, Decimals: 1}, Number(-1.29), "-1,3"},
		{"NaN is missing", Column{Numeric: true}, Number(math.NaN()), ""},
		{"Inf is missing", Column{Numeric: true}, Number(math.Inf(-1)), ""},
		{"number in text column keeps precision", Column{}, Number(233.6016947951918), "233,6016947951918"},
		{"decimals clamped", Column{Numeric: true, Decimals: -3}, Number(13000.4), "13000"},
		{"number wins over text", Column{Numeric: true}, Value{Text: "=x", Num: ptr(12031)}, "12031"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvRow(t, []Column{tt.col}, []Value{tt.v}); got != tt.want {
				t.Errorf("cell = %q, want %q", got, tt.want)
			}
		})
	}
}

func ptr(f float64) *float64 { return &f }

func TestCSVQuoting(t *testing.T) {
	cols := []Column{{Header: "a"}, {Header: "b"}, {Header: "c"}, {Header: "d"}}
	got := csvRow(t, cols, []Value{Text("Malung; Sälen"), Text(`sa "x"`), Text(" kant "), Text("rad1\nrad2")})
	want := `"Malung; Sälen";"sa ""x""";" kant ";"rad1` + "\n" + `rad2"`
	if got != want {
		t.Errorf("row = %q, want %q", got, want)
	}
	// Read it back as RFC 4180 to prove the quoting is valid.
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Table{Columns: cols, Rows: [][]Value{{Text("Malung; Sälen"), Text(`sa "x"`), Text(" kant "), Text("rad1\nrad2")}}}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantRec := []string{"Malung; Sälen", `sa "x"`, " kant ", "rad1\nrad2"}
	if len(recs) != 2 || strings.Join(recs[1], "|") != strings.Join(wantRec, "|") {
		t.Errorf("read back %q, want %q", recs, wantRec)
	}
}

func TestCSVShortRowsPadded(t *testing.T) {
	got := csvRow(t, []Column{{Header: "Kommun"}, {Header: "2024", Numeric: true}, {Header: "x"}}, []Value{Text("Olofström")})
	if got != "Olofström;;" {
		t.Errorf("row = %q, want padded with empty cells", got)
	}
}

// TestCSVErrors: a table that cannot be written whole is refused before
// anything is written, with an error that says what is wrong; a failing
// writer's error comes back wrapped, not swallowed.
func TestCSVErrors(t *testing.T) {
	long := Table{Title: "lång", Columns: []Column{{Header: "a"}}, Rows: [][]Value{{Text("x")}, {Text("x"), Text("y")}}}
	tests := []struct {
		name    string
		w       *bytes.Buffer
		table   Table
		wantMsg string
	}{
		{"no columns", &bytes.Buffer{}, Table{Title: "tom"}, `table "tom" has no columns`},
		{"row longer than the header", &bytes.Buffer{}, long, `table "lång" row 2 has 2 cells for 1 columns`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteCSV(tt.w, tt.table)
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want one saying %q", err, tt.wantMsg)
			}
			if tt.w.Len() != 0 {
				t.Errorf("wrote %d bytes before refusing: %q", tt.w.Len(), tt.w.String())
			}
		})
	}
	tbl := populationTable(t)
	err := WriteCSV(failWriter{}, tbl)
	if !errors.Is(err, errDiskFull) || !strings.Contains(err.Error(), tbl.Title) {
		t.Errorf("failing writer: err = %v, want %v wrapped with the table's title %q", err, errDiskFull, tbl.Title)
	}
}

var errDiskFull = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

// FuzzCSVText: any text survives a write and an RFC 4180 read, changed only
// by the apostrophe that neutralises formula starts, and never starts with
// a formula character when read back.
func FuzzCSVText(f *testing.F) {
	for _, s := range []string{"=1+1", "+SUM(A1)", "-2+3", "@x", "\t=x", "\r=x", "Olofström", "<script>", `"`, ";", "a\nb", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsRune(s, '\r') || strings.Contains(s, "\uFEFF") {
			// encoding/csv's reader folds CR; the writer keeps it verbatim.
			return
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, Table{Columns: []Column{{Header: "h"}}, Rows: [][]Value{{Text(s)}}}); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
		r.Comma = ';'
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("read back %q: %v", buf.String(), err)
		}
		if s == "" {
			// An empty single-field line is skipped by readers: the cell is empty.
			if len(recs) != 1 {
				t.Fatalf("got %q", recs)
			}
			return
		}
		if len(recs) != 2 || len(recs[1]) != 1 {
			t.Fatalf("records %q for %q", recs, s)
		}
		got := recs[1][0]
		if got != s && got != "'"+s {
			t.Fatalf("read back %q, wrote %q", got, s)
		}
		if got != "" && strings.ContainsRune("=+-@\t", rune(got[0])) {
			t.Fatalf("formula start survived: %q", got)
		}
	})
}

func BenchmarkWriteCSV(b *testing.B) {
	tab := benchTable()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteCSV(&buf, tab); err != nil {
			b.Fatal(err)
		}
	}
}
