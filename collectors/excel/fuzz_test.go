package excel

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// FuzzRead feeds arbitrary bytes to Read under small limits. It must never
// panic, must refuse with a coded error and nothing else, or return only
// figures that are recognised in every part.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(smallWorkbook(f))
	f.Add(buildXLSX(f, sheetSpec{"Blad1", [][]any{
		{"Folkmängden efter region och år"}, {}, {"region", 2023, 2024},
		{"1060 Olofström", fig(f, "1060", 2023), ".."}, {"Källa: SCB"},
	}}))
	for _, b := range percentFuzzSeeds(f) {
		f.Add(b)
	}
	f.Add(oleHeader("Workbook"))
	f.Add(oleHeader("EncryptionInfo"))
	f.Add(pngFile())
	f.Add(buildZip(f, workbookParts(bombSheet(64<<10), 1024)...))
	f.Add([]byte("kommun;år;indikator;värde\n\"=cmd|' /C calc'!A0\";2024;population;..\n<script>;2024;population;..\n"))

	regions, _ := loadTestdata(f)
	lim := Limits{MaxFileBytes: 1 << 20, MaxUnzippedBytes: 4 << 20, MaxXMLBytes: 1 << 20, MaxRows: 2000, MaxCells: 20_000}
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{
			Regions: domain.NewRegions(regions), Catalogue: testCatalogue(),
			FileName: "fuzz.xlsx", ImportedAt: importedAt, Limits: lim,
		}
		for _, forced := range []string{"", "population"} {
			opts.Indicator = forced
			res, err := Read(bytes.NewReader(data), opts)
			if err != nil {
				var de *domain.Error
				if !errors.As(err, &de) || de.Code != domain.CodeInvalid || de.Message == "" {
					t.Fatalf("error %v is not a coded refusal", err)
				}
				if len(res.Observations)+len(res.Rejects)+len(res.Sheets) != 0 {
					t.Fatal("refusal with a non-empty result")
				}
				continue
			}
			if int64(len(data)) > lim.MaxFileBytes {
				t.Fatal("accepted a file over MaxFileBytes")
			}
			if len(res.Observations) > lim.MaxCells {
				t.Fatalf("%d observations from at most %d cells", len(res.Observations), lim.MaxCells)
			}
			seen := map[domain.Key]bool{}
			for _, o := range res.Observations {
				if _, ok := opts.Regions.Get(o.Municipality); !ok {
					t.Fatalf("unknown region in %+v", o)
				}
				if _, ok := opts.Catalogue.Get(o.Indicator); !ok {
					t.Fatalf("unknown indicator in %+v", o)
				}
				if forced != "" && o.Indicator != forced {
					t.Fatalf("indicator %s with %s forced", o.Indicator, forced)
				}
				if o.Year < minYear || o.Year > maxYear || math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
					t.Fatalf("bad observation %+v", o)
				}
				if seen[o.Key()] {
					t.Fatalf("cell %s twice", o.Key())
				}
				seen[o.Key()] = true
			}
			for _, r := range res.Rejects {
				if r.Row < 1 || r.Reason == "" || len([]rune(r.Value)) > 201 {
					t.Fatalf("bad reject %+v", r)
				}
			}
		}
	})
}
