package scb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseJSONStatRealTAB638Data(t *testing.T) {
	ds, err := ParseJSONStat(fixture(t, "scb_v2_TAB638_data_jsonstat2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if ds.TableID != "TAB638" || ds.Source != "SCB" || ds.TimeDim != "Tid" {
		t.Errorf("table %q source %q time %q", ds.TableID, ds.Source, ds.TimeDim)
	}
	if want := time.Date(2025, 2, 21, 7, 0, 0, 0, time.UTC); !ds.Updated.Equal(want) {
		t.Errorf("updated = %s, want %s", ds.Updated, want)
	}
	wantDims := []struct{ id, code, label string }{
		{"Region", "00", "Riket"},
		{"Civilstand", "OG", "ogifta"},
		{"Alder", "0", "0 år"},
		{"Kon", "1", "män"},
		{"ContentsCode", "BE0101N1", "Folkmängd"},
		{"Tid", "2024", "2024"},
	}
	if len(ds.Dimensions) != len(wantDims) {
		t.Fatalf("%d dimensions, want %d", len(ds.Dimensions), len(wantDims))
	}
	for i, w := range wantDims {
		d := ds.Dimensions[i]
		if d.ID != w.id || len(d.Codes) != 1 || d.Codes[0] != w.code || d.Labels[0] != w.label {
			t.Errorf("dimension %d = %s %v %v, want %s %s %s", i, d.ID, d.Codes, d.Labels, w.id, w.code, w.label)
		}
	}
	if reg, _ := ds.Dim("Region"); !reg.Elimination || reg.EliminationValueCode != "00" {
		t.Errorf("Region elimination = %v %q", reg.Elimination, reg.EliminationValueCode)
	}
	// The one figure the file holds: 50 937 unmarried boys aged 0 in 2024.
	if ds.Len() != 1 {
		t.Fatalf("Len = %d", ds.Len())
	}
	if v, ok := ds.Value(0); !ok || v != 50937 {
		t.Errorf("Value(0) = %v, %v; want 50937", v, ok)
	}
}

func TestParseMetadataRealTAB638(t *testing.T) {
	meta, err := ParseMetadata(fixture(t, "scb_v2_TAB638_metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id    string
		n     int
		elim  bool
		first string
		last  string
	}{
		{"Region", 312, true, "00", "2584"},
		{"Civilstand", 4, true, "OG", "ÄNKL"},
		{"Alder", 102, true, "0", "tot"},
		{"Kon", 2, true, "1", "2"},
		{"ContentsCode", 2, false, "BE0101N1", "BE0101N2"},
		{"Tid", 57, false, "1968", "2024"},
	}
	for i, w := range want {
		d := meta.Dimensions[i]
		if d.ID != w.id || len(d.Codes) != w.n || d.Elimination != w.elim || d.Codes[0] != w.first || d.Codes[len(d.Codes)-1] != w.last {
			t.Errorf("dimension %s: %d codes, elimination %v, %s…%s; want %+v", d.ID, len(d.Codes), d.Elimination, d.Codes[0], d.Codes[len(d.Codes)-1], w)
		}
	}
	reg, _ := meta.Dim("Region")
	if i, ok := reg.Index("1060"); !ok || reg.Labels[i] != "Olofström" {
		t.Errorf("1060 = %d %v", i, ok)
	}
	if meta.Len() != 0 || meta.Size() != 312*4*102*2*2*57 {
		t.Errorf("Len %d Size %d", meta.Len(), meta.Size())
	}
	if meta.UpdatedRaw != "2025-02-21T07:00:00Z" {
		t.Errorf("updated %q", meta.UpdatedRaw)
	}
}

func TestParseJSONStatForms(t *testing.T) {
	// Each case is a small document in one of the json-stat2 forms SCB may
	// use; values come from the real TAB638 answer (50937).
	head := `{"version":"2.0","class":"dataset","id":["Region","Tid"],"size":[1,2],"role":{"time":["Tid"]},"dimension":{"Region":{"category":{"index":{"00":0},"label":{"00":"Riket"}}},"Tid":{"category":{"index":["2023","2024"]}}},`
	tests := []struct {
		name   string
		tail   string
		want   []float64 // NaN-free: ok cells only
		wantOK []bool
		status []string
	}{
		{"dense with null", `"value":[null,50937]}`, []float64{0, 50937}, []bool{false, true}, []string{"", ""}},
		{"sparse", `"value":{"1":50937}}`, []float64{0, 50937}, []bool{false, true}, []string{"", ""}},
		{"status object marks missing", `"value":[null,50937],"status":{"0":".."}}`, []float64{0, 50937}, []bool{false, true}, []string{"..", ""}},
		{"status array", `"value":[null,50937],"status":["..",null]}`, []float64{0, 50937}, []bool{false, true}, []string{"..", ""}},
		{"dash with a number is missing", `"value":[50937,50937],"status":{"0":"-"}}`, []float64{0, 50937}, []bool{false, true}, []string{"-", ""}},
		{"preliminary keeps the figure", `"value":[50937,50937],"status":"p"}`, []float64{50937, 50937}, []bool{true, true}, []string{"p", "p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseJSONStat([]byte(head + tt.tail))
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.want {
				v, ok := ds.Value(i)
				if ok != tt.wantOK[i] || (ok && v != tt.want[i]) {
					t.Errorf("cell %d = %v %v, want %v %v", i, v, ok, tt.want[i], tt.wantOK[i])
				}
				if s := ds.Status(i); s != tt.status[i] {
					t.Errorf("status %d = %q, want %q", i, s, tt.status[i])
				}
			}
		})
	}
}

func TestParseJSONStatRejects(t *testing.T) {
	real := string(fixture(t, "scb_v2_TAB638_data_jsonstat2.json"))
	tests := []struct {
		name string
		doc  string
	}{
		{"empty", ``},
		{"not json", `<html>`},
		{"truncated", real[:len(real)/2]},
		{"array", `[]`},
		{"no dimensions", `{"class":"dataset","id":[],"size":[],"value":[]}`},
		{"ids and sizes disagree", strings.Replace(real, `"size": [`, `"size": [1,`, 1)},
		{"missing dimension", strings.Replace(real, `"Kon": {`, `"Konn": {`, 1)},
		{"size disagrees with categories", strings.Replace(real, "\"size\": [\n        1,", "\"size\": [\n        2,", 1)},
		{"too few values", strings.Replace(real, "50937", "", 1)},
		{"string value", strings.Replace(real, "50937", `"50937"`, 1)},
		{"bad updated", strings.Replace(real, "2025-02-21T07:00:00Z", "igår", 1)},
		{"duplicate position", `{"class":"dataset","id":["A"],"size":[2],"dimension":{"A":{"category":{"index":{"x":0,"y":0}}}},"value":[1,2]}`},
		{"sparse index out of range", `{"class":"dataset","id":["A"],"size":[1],"dimension":{"A":{"category":{"index":["x"]}}},"value":{"1":5}}`},
		{"status length", `{"class":"dataset","id":["A"],"size":[1],"dimension":{"A":{"category":{"index":["x"]}}},"value":[1],"status":["..",".."]}`},
		{"zero size", `{"class":"dataset","id":["A"],"size":[0],"dimension":{"A":{"category":{"index":[]}}},"value":[]}`},
		{"class", `{"class":"collection","id":["A"],"size":[1],"dimension":{"A":{"category":{"index":["x"]}}},"value":[1]}`},
		{"time role unknown", strings.Replace(real, `"time": [
            "Tid"`, `"time": [
            "Year"`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseJSONStat([]byte(tt.doc))
			if err == nil {
				t.Fatalf("accepted: %+v", ds)
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
}

func FuzzParseJSONStat(f *testing.F) {
	for _, name := range []string{
		"scb_v2_TAB638_data_jsonstat2.json",
		"scb_v2_TAB638_metadata.json",
		"scb_constructed_TAB638_population_jsonstat2.json",
		"scb_constructed_sum_stockholm_2024_jsonstat2.json",
	} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"class":"dataset","id":["A"],"size":[1],"dimension":{"A":{"category":{"label":{"x":"X"}}}},"value":{"0":1},"status":"p"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseJSONStat(b)
		if err != nil {
			if ds != nil {
				t.Fatal("dataset returned with an error")
			}
			return
		}
		// An accepted dataset is internally consistent.
		if ds.Len() != ds.Size() {
			t.Fatalf("Len %d != Size %d", ds.Len(), ds.Size())
		}
		coords := make([]int, len(ds.Dimensions))
		for i := range ds.Len() {
			ds.Coords(i, coords)
			for k, c := range coords {
				if c < 0 || c >= len(ds.Dimensions[k].Codes) {
					t.Fatalf("cell %d: coordinate %d out of range", i, c)
				}
			}
			_, _ = ds.Value(i)
		}
		for _, d := range ds.Dimensions {
			for p, code := range d.Codes {
				if q, ok := d.Index(code); !ok || q != p {
					t.Fatalf("dimension %s: %q at %d, index says %d", d.ID, code, p, q)
				}
			}
		}
		_, _ = ParseMetadata(b)
	})
}

func BenchmarkParseJSONStat(b *testing.B) {
	doc := fixture(b, "scb_constructed_TAB638_population_jsonstat2.json")
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSONStat(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseJSONStatAllRegions parses an answer the size of a real
// Collect: every TAB638 region (312) for every year (57). The structure
// comes from the real metadata; every cell repeats the one real figure of
// the recorded answer, since only the parsing cost matters here.
func BenchmarkParseJSONStatAllRegions(b *testing.B) {
	meta, err := ParseMetadata(fixture(b, "scb_v2_TAB638_metadata.json"))
	if err != nil {
		b.Fatal(err)
	}
	reg, _ := meta.Dim("Region")
	tid, _ := meta.Dim("Tid")
	var sb strings.Builder
	sb.WriteString(`{"version":"2.0","class":"dataset","id":["Region","ContentsCode","Tid"],"size":[`)
	fmt.Fprintf(&sb, "%d,1,%d", len(reg.Codes), len(tid.Codes))
	sb.WriteString(`],"role":{"time":["Tid"]},"dimension":{"Region":{"category":{"index":{`)
	for i, c := range reg.Codes {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%q:%d", c, i)
	}
	sb.WriteString(`}}},"ContentsCode":{"category":{"index":{"BE0101N1":0}}},"Tid":{"category":{"index":{`)
	for i, c := range tid.Codes {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%q:%d", c, i)
	}
	sb.WriteString(`}}}},"value":[`)
	for i := range len(reg.Codes) * len(tid.Codes) {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("50937")
	}
	sb.WriteString("]}")
	doc := []byte(sb.String())
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSONStat(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseMetadataTAB638(b *testing.B) {
	doc := fixture(b, "scb_v2_TAB638_metadata.json")
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseMetadata(doc); err != nil {
			b.Fatal(err)
		}
	}
}
