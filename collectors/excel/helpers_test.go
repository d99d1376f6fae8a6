package excel

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/xuri/excelize/v2"
)

// testCatalogue is the first indicator set of DESIGN.md, with SCB's content
// labels as aliases ("Folkmängden" is how SCB's table titles begin).
func testCatalogue() *domain.Catalogue {
	return domain.NewCatalogue([]domain.Indicator{
		{ID: "population", Name: "Folkmängd", Unit: "personer", Aliases: []string{"Folkmängden", "Befolkning", "Invånare"}},
		{ID: "employed_day", Name: "Förvärvsarbetande dagbefolkning", Unit: "personer", Jobs: true},
		{ID: "employment_rate", Name: "Sysselsättningsgrad 20–64 år", Unit: "%", Rate: true},
		{ID: "industrial_jobs", Name: "Sysselsatta i industrin (SNI B+C)", Unit: "personer", Jobs: true},
		{ID: "state_jobs", Name: "Statligt anställda", Unit: "personer", Jobs: true},
		{ID: "state_offices", Name: "Statliga servicekontor", Unit: "antal"},
	})
}

var (
	regionsOnce sync.Once
	regionsList []domain.Region
	figures     map[domain.Key]float64
)

// loadTestdata reads SCB's region list and the real population figures.
func loadTestdata(t testing.TB) ([]domain.Region, map[domain.Key]float64) {
	t.Helper()
	regionsOnce.Do(func() {
		for _, rec := range readCSVFile(t, "testdata/municipalities.csv")[1:] {
			regionsList = append(regionsList, domain.Region{Code: rec[0], Name: rec[1], CountyCode: rec[2]})
		}
		figures = map[domain.Key]float64{}
		obs, err := bundled.Observations(time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obs {
			figures[o.Key()] = o.Value
		}
	})
	if len(regionsList) != 312 {
		t.Fatalf("municipalities.csv: %d regions, want 312", len(regionsList))
	}
	return regionsList, figures
}

func readCSVFile(t testing.TB, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// fig returns a real population figure of the bundled data.
func fig(t testing.TB, code string, year int) float64 {
	t.Helper()
	_, f := loadTestdata(t)
	v, ok := f[domain.Key{Municipality: code, Indicator: "population", Year: year}]
	if !ok {
		t.Fatalf("no figure for %s %d in the bundled data", code, year)
	}
	return v
}

var importedAt = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

func testOptions(t testing.TB) Options {
	t.Helper()
	regions, _ := loadTestdata(t)
	return Options{
		Regions:    domain.NewRegions(regions),
		Catalogue:  testCatalogue(),
		FileName:   "uppladdning.xlsx",
		ImportedAt: importedAt,
	}
}

type sheetSpec struct {
	name string
	rows [][]any
}

// styled is a cell value with a number format: a built-in format id
// (numFmt) or a format code (custom), as Excel's "Format Cells" sets them.
type styled struct {
	v      any
	numFmt int
	custom string
}

func applyNumFmt(t testing.TB, f *excelize.File, sheet string, col, row int, sv styled) {
	t.Helper()
	st := &excelize.Style{NumFmt: sv.numFmt}
	if sv.custom != "" {
		st.CustomNumFmt = &sv.custom
	}
	id, err := f.NewStyle(st)
	if err != nil {
		t.Fatal(err)
	}
	cell, _ := excelize.CoordinatesToCellName(col, row)
	if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
		t.Fatal(err)
	}
}

// buildXLSX writes a workbook with excelize; numbers become number cells,
// strings text cells, nil an empty cell, a styled value a cell with that
// number format.
func buildXLSX(t testing.TB, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			vals := append([]any(nil), row...)
			for i, v := range vals {
				if sv, ok := v.(styled); ok {
					vals[i] = sv.v
				}
			}
			if err := f.SetSheetRow(s.name, cell, &vals); err != nil {
				t.Fatal(err)
			}
			for c, v := range row {
				if sv, ok := v.(styled); ok {
					applyNumFmt(t, f, s.name, c+1, r+1, sv)
				}
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustRead(t *testing.T, data []byte, opts Options) Result {
	t.Helper()
	res, err := Read(bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return res
}

// obsMap indexes observations by cell, failing on a repeated cell.
func obsMap(t *testing.T, obs []domain.Observation) map[domain.Key]float64 {
	t.Helper()
	m := map[domain.Key]float64{}
	for _, o := range obs {
		if _, dup := m[o.Key()]; dup {
			t.Errorf("observation %s twice", o.Key())
		}
		m[o.Key()] = o.Value
		if o.Source.Kind != domain.SourceUpload || o.Source.FetchedAt != importedAt || o.Source.Ref == "" {
			t.Errorf("observation %s has source %+v", o.Key(), o.Source)
		}
	}
	return m
}

func key(code, ind string, year int) domain.Key {
	return domain.Key{Municipality: code, Indicator: ind, Year: year}
}

// wantInvalid asserts a whole-file refusal: a *domain.Error with
// CodeInvalid whose Swedish message contains msg, and an empty result.
func wantInvalid(t *testing.T, res Result, err error, msg string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("err = %v (%T), want *domain.Error", err, err)
	}
	if de.Code != domain.CodeInvalid {
		t.Errorf("code = %v, want CodeInvalid", de.Code)
	}
	if !bytes.Contains([]byte(de.Message), []byte(msg)) {
		t.Errorf("message = %q, want it to contain %q", de.Message, msg)
	}
	if len(res.Observations) != 0 || len(res.Rejects) != 0 || len(res.Sheets) != 0 {
		t.Errorf("result not empty on error: %d obs, %d rejects, %d sheets", len(res.Observations), len(res.Rejects), len(res.Sheets))
	}
}
