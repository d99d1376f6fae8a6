package excel

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/xuri/excelize/v2"
)

// The members confirmed in DESIGN.md.
var memberCodes = []string{"1060", "0481", "0562", "0882", "1493", "2081", "2580", "2584", "2284", "0382", "2482"}

func members(t *testing.T) []domain.Region {
	t.Helper()
	rs := testOptions(t).Regions
	var out []domain.Region
	for _, c := range memberCodes {
		r, ok := rs.Get(c)
		if !ok {
			t.Fatalf("member %s not in municipalities.csv", c)
		}
		out = append(out, r)
	}
	return out
}

// openTemplate writes the template for the test catalogue and the members
// and opens it again; it returns the file and its bytes.
func openTemplate(t *testing.T, cat *domain.Catalogue) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, members(t), cat); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, buf.Bytes()
}

func TestTemplate(t *testing.T) {
	opts := testOptions(t)
	cat := testCatalogue()
	f, template := openTemplate(t, cat)
	if got := fmt.Sprint(f.GetSheetList()); got != "[Instruktioner Data Medlemmar Indikatorer]" {
		t.Errorf("sheets = %s", got)
	}
	data, _ := f.GetRows(sheetData)
	if len(data) != 1 || fmt.Sprint(data[0]) != "[kommun år indikator värde]" {
		t.Errorf("Data sheet = %q, want the header only (no example figures)", data)
	}
	mem, _ := f.GetRows(sheetMembers)
	if len(mem) != len(memberCodes)+1 || mem[1][0] != "1060" || mem[1][1] != "Olofström" || mem[2][0] != "0481" {
		t.Errorf("Medlemmar = %q", mem)
	}
	inds, _ := f.GetRows(sheetIndicators)
	if len(inds) != len(cat.All())+1 || inds[1][0] != "population" || inds[1][1] != "Folkmängd" || inds[1][2] != "personer" {
		t.Errorf("Indikatorer = %q", inds)
	}
	// The instructions are written one line per row in column A, blank
	// lines kept, and what they promise is what the reader does.
	instr, _ := f.GetRows(sheetInstructions)
	lines := instructionLines()
	if len(instr) != len(lines) {
		t.Errorf("Instruktioner has %d rows, want %d", len(instr), len(lines))
	}
	for i := 0; i < min(len(instr), len(lines)); i++ {
		got := ""
		if len(instr[i]) > 0 {
			got = instr[i][0]
		}
		if got != lines[i] || len(instr[i]) > 1 {
			t.Errorf("Instruktioner row %d = %q, want %q", i+1, instr[i], lines[i])
		}
	}
	checkInstructionClaims(t, strings.Join(lines, "\n"), opts)
	dvs, err := f.GetDataValidations(sheetData)
	if err != nil || len(dvs) != 1 || dvs[0].Sqref != "C2:C10000" {
		t.Errorf("indicator drop-down = %+v, %v", dvs, err)
	}

	// The empty template reads as nothing at all.
	res := mustRead(t, template, opts)
	if len(res.Observations) != 0 || len(res.Rejects) != 0 {
		t.Fatalf("empty template: %d obs, rejects %+v", len(res.Observations), res.Rejects)
	}
	for _, s := range res.Sheets {
		switch s.Name {
		case sheetData:
			if s.Layout != LayoutLong || s.NeedsIndicator || s.Rows != 0 {
				t.Errorf("Data sheet = %+v", s)
			}
		default:
			if s.Layout != "" {
				t.Errorf("reference sheet %s read as %q", s.Name, s.Layout)
			}
		}
	}

	// A filled copy reads back: members' 2024 figures, by code and by name.
	for i, c := range memberCodes {
		region := c
		if i%2 == 1 {
			region = opts.Regions.Name(c)
		}
		cell := fmt.Sprintf("A%d", i+2)
		if err := f.SetSheetRow(sheetData, cell, &[]any{region, 2024, "population", fig(t, c, 2024)}); err != nil {
			t.Fatal(err)
		}
	}
	filled, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	res = mustRead(t, filled.Bytes(), opts)
	if len(res.Rejects) != 0 {
		t.Fatalf("filled template rejects: %+v", res.Rejects)
	}
	wantFigures(t, res.Observations, memberCodes, []int{2024})
}

// checkInstructionClaims holds the template's instructions to the reader's
// behaviour: each claim is looked up in the text and then tried on the
// reader, so neither can change without the other.
func checkInstructionClaims(t *testing.T, text string, opts Options) {
	t.Helper()
	lim := DefaultLimits()
	claims := []struct {
		says  string
		holds bool
		what  string
	}{
		{"mellan 1900 och 2100", yearOK("1900") && yearOK("2100") && !yearOK("1899") && !yearOK("2101"), "years 1900–2100 accepted, outside refused"},
		{"skriv .. (två punkter) eller -", isMissing("..") && isMissing("-") && isMissing(""), ".., - and an empty cell are missing"},
		{"aldrig 0", !isMissing("0"), "0 is a figure"},
		{"kommunkod (t.ex. 1060) eller namn (t.ex. Olofström)", resolves(opts, "1060", "1060") && resolves(opts, "Olofström", "1060"), "code and name both find Olofström"},
		{"Riket skrivs 00 eller Riket", resolves(opts, "00", "00") && resolves(opts, "Riket", "00"), "riket by code and name"},
		{"länskod (t.ex. 10)", resolves(opts, "10", "10"), "a county by its code"},
		{"högst " + formatBytes(lim.MaxFileBytes), lim.MaxFileBytes > 0, "the file size limit"},
		{"högst " + strconv.Itoa(lim.MaxRows) + " rader", lim.MaxRows > 0, "the row limit"},
		{"bladet Data", true, "the data sheet's name"},
		{"bladet Indikatorer", true, "the indicator sheet's name"},
	}
	for _, c := range claims {
		if !strings.Contains(text, c.says) {
			t.Errorf("instructions do not say %q", c.says)
		}
		if !c.holds {
			t.Errorf("instructions say %q but the reader disagrees: %s", c.says, c.what)
		}
	}
}

func yearOK(s string) bool { _, ok := parseYear(s); return ok }

func resolves(opts Options, text, code string) bool {
	got, ok := opts.Regions.Resolve(text)
	return ok && got.Code == code
}
