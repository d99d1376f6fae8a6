package excel

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The real PxWeb exports hold NUTS2 regions and salaries, which are neither
// municipalities nor catalogue indicators. Read must see their figures
// exactly, say that the indicator is needed, and with an indicator forced
// reject every row with a reason instead of dropping it.
func TestRealPxWebCSV(t *testing.T) {
	type cell struct {
		row    int
		column string
		region string
		year   int
		text   string
	}
	tests := []struct {
		file       string
		rows       int
		cells      []cell // figures as they stand in the file
		rejects    int
		firstValue string
		missing    int
	}{
		{
			file: "scb_pxweb_export_latin1_0000002T_1.csv",
			rows: 16,
			cells: []cell{
				{2, "2014", "SE11 Stockholm", 2014, "44900"},
				{2, "2018", "SE11 Stockholm", 2018, "49400"},
				{6, "2016", "SE21 Småland and islands", 2016, "40100"},
				{7, "2016", "SE21 Småland and islands", 2016, "34600"},
				{17, "2014", "SE33 Upper Norrland", 2014, "37000"},
				{17, "2018", "SE33 Upper Norrland", 2018, "38900"},
			},
			rejects:    16,
			firstValue: "SE11 Stockholm",
		},
		{
			file: "scb_pxweb_export_latin1_dotdot_000000CV_1.csv",
			rows: 16,
			cells: []cell{
				{2, "2014", "0 all sectors", 2014, ".."},
				{3, "2014", "0 all sectors", 2014, "680"},
				{3, "2018", "0 all sectors", 2018, "1000"},
				{10, "2018", "0 all sectors", 2018, ".."},
				{11, "2014", "0 all sectors", 2014, ".."},
				{11, "2015", "0 all sectors", 2015, "120"},
				{12, "2014", "0 all sectors", 2014, "560"},
				{17, "2014", "0 all sectors", 2014, "130"},
				{17, "2015", "0 all sectors", 2015, ".."},
				{17, "2016", "0 all sectors", 2016, "210"},
				{17, "2017", "0 all sectors", 2017, ".."},
				{17, "2018", "0 all sectors", 2018, "250"},
			},
			// Rows 2 and 10 are ".." throughout: no figure to lose, so they
			// are passed over; they count as missing only for a real region.
			rejects:    14,
			firstValue: "0 all sectors",
			missing:    0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readTestdata(t, tt.file)
			opts := testOptions(t)
			opts.FileName = tt.file

			res := mustRead(t, data, opts)
			if len(res.Sheets) != 1 {
				t.Fatalf("sheets = %+v", res.Sheets)
			}
			s := res.Sheets[0]
			if !s.NeedsIndicator || s.Layout != LayoutWide || s.Rows != tt.rows || s.Indicator != "" {
				t.Errorf("sheet = %+v, want wide, %d rows, indicator needed", s, tt.rows)
			}
			if len(res.Observations) != 0 || len(res.Rejects) != 0 {
				t.Errorf("without an indicator: %d obs, %d rejects; want none", len(res.Observations), len(res.Rejects))
			}

			opts.Indicator = "state_jobs"
			got := map[[2]any]valueCell{}
			res, err := read(bytes.NewReader(data), opts, func(c valueCell) {
				got[[2]any{c.Row, c.Column}] = c
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.cells {
				c, ok := got[[2]any{want.row, want.column}]
				if !ok {
					t.Errorf("row %d column %s not read", want.row, want.column)
					continue
				}
				if c.Text != want.text || c.Year != want.year || c.Region != want.region {
					t.Errorf("row %d column %s = %+v, want %q %d %q", want.row, want.column, c, want.region, want.year, want.text)
				}
				if !isMissing(c.Text) {
					if _, reason := parseNumber(c.Text, false); reason != "" {
						t.Errorf("row %d column %s: %q not a number: %s", want.row, want.column, c.Text, reason)
					}
				}
			}
			if len(res.Observations) != 0 {
				t.Errorf("%d observations from regions that are not municipalities", len(res.Observations))
			}
			if len(res.Rejects) != tt.rejects {
				t.Fatalf("%d rejects, want %d: %+v", len(res.Rejects), tt.rejects, res.Rejects)
			}
			r := res.Rejects[0]
			if r.Sheet != tt.file || r.Value != tt.firstValue || r.Column == "" ||
				!strings.Contains(r.Reason, "finns inte i kommunlistan") {
				t.Errorf("first reject = %+v", r)
			}
			if res.Sheets[0].NeedsIndicator || res.Sheets[0].Indicator != "state_jobs" || res.Sheets[0].Missing != tt.missing {
				t.Errorf("forced sheet = %+v, want indicator state_jobs, %d missing", res.Sheets[0], tt.missing)
			}
		})
	}
}

// csvFromFigures writes real figures as a semicolon CSV the way Swedish
// Excel saves it.
func csvFromFigures(t *testing.T, codes []string, years []int, nameOf func(string) string) string {
	var sb strings.Builder
	sb.WriteString("Kommun;År;Indikator;Värde\r\n")
	for _, c := range codes {
		for _, y := range years {
			sb.WriteString(nameOf(c) + ";" + itoa(y) + ";Folkmängd;" + spaced(fig(t, c, y)) + "\r\n")
		}
	}
	return sb.String()
}

func itoa(i int) string { return formatNumber(float64(i)) }

// spaced writes an integer figure with a space as thousands separator.
func spaced(v float64) string {
	s := itoa(int(v))
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func TestCSVEncodingsAndDelimiters(t *testing.T) {
	opts := testOptions(t)
	regions := opts.Regions
	codes := []string{"1060", "0481", "0562"}
	years := []int{2015, 2024}
	utf8Text := csvFromFigures(t, codes, years, regions.Name)
	latin1, err := charmap.ISO8859_1.NewEncoder().String(utf8Text)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(utf8Text, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	var q strings.Builder
	q.WriteString("\"kommun\",\"år\",\"indikator\",\"värde\"\n")
	for _, c := range codes {
		for _, y := range years {
			q.WriteString("\"" + regions.Name(c) + "\"," + itoa(y) + ",\"population\",\"" + spaced(fig(t, c, y)) + "\"\n")
		}
	}
	tests := []struct {
		name string
		data string
	}{
		{"utf-8", utf8Text},
		{"utf-8 with BOM", "\uFEFF" + utf8Text},
		{"latin-1", latin1},
		{"utf-16 tab", utf16},
		{"comma, quoted", q.String()},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "latin-1" && bytesValidUTF8(tt.data) {
				t.Fatal("test data is not Latin-1")
			}
			res := mustRead(t, []byte(tt.data), opts)
			if len(res.Rejects) != 0 {
				t.Fatalf("rejects: %+v", res.Rejects)
			}
			got := obsMap(t, res.Observations)
			if len(got) != len(codes)*len(years) {
				t.Fatalf("%d observations, want %d: %v", len(got), len(codes)*len(years), got)
			}
			for _, c := range codes {
				for _, y := range years {
					if v := got[key(c, "population", y)]; v != fig(t, c, y) {
						t.Errorf("%s %d = %v, want %v", c, y, v, fig(t, c, y))
					}
				}
			}
		})
	}
}

func bytesValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// A PxWeb CSV with a title line names its content label; the file name can
// name the indicator too.
func TestCSVIndicatorFromTitleAndFileName(t *testing.T) {
	opts := testOptions(t)
	body := "\"region\";\"2023\";\"2024\"\n\"1060 Olofström\";" + itoa(int(fig(t, "1060", 2023))) + ";" + itoa(int(fig(t, "1060", 2024))) + "\n"

	res := mustRead(t, []byte("\"Folkmängden efter region och år\"\n\n"+body), opts)
	if s := res.Sheets[0]; s.Layout != LayoutSCBExport || s.Indicator != "population" || len(res.Observations) != 2 {
		t.Errorf("titled CSV: sheet %+v, %d obs", s, len(res.Observations))
	}

	opts.FileName = "Folkmängd.csv"
	res = mustRead(t, []byte(body), opts)
	if s := res.Sheets[0]; s.Layout != LayoutWide || s.Indicator != "population" || len(res.Observations) != 2 {
		t.Errorf("named CSV: sheet %+v, %d obs", s, len(res.Observations))
	}
	if got := obsMap(t, res.Observations)[key("1060", "population", 2024)]; got != fig(t, "1060", 2024) {
		t.Errorf("1060 2024 = %v", got)
	}
}
