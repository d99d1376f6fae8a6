package kolada

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePageConstructed(t *testing.T) {
	p, err := ParsePage(fixture(t, "kolada_constructed_N01951_page1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Next != "https://api.kolada.se/v3/data/kpi/N01951/year/2023,2024?page=2&per_page=4" {
		t.Errorf("next = %q", p.Next)
	}
	if len(p.Values) != 4 {
		t.Fatalf("%d rows", len(p.Values))
	}
	r := p.Values[2]
	if r.KPI != "N01951" || r.Municipality != "1060" || r.Period != 2023 || len(r.Values) != 1 ||
		r.Values[0].Gender != "T" || r.Values[0].Value == nil || *r.Values[0].Value != 13061 || r.Values[0].Count != 1 {
		t.Errorf("row %+v", r)
	}
	p2, err := ParsePage(fixture(t, "kolada_constructed_N01951_page2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p2.Next != "" {
		t.Errorf("last page next = %q", p2.Next)
	}
	if v := p2.Values[4].Values[0]; v.Value != nil || v.Status != "Missing" {
		t.Errorf("missing value parsed as %+v", v)
	}
}

func TestParsePageForms(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		wantNext string
		wantYear int
		wantErr  bool
	}{
		{"v2 next_page, period as string", `{"count":1,"values":[{"kpi":"N01951","municipality":"1060","period":"2023","values":[{"gender":"T","value":13061}]}],"next_page":"https://api.kolada.se/v2/x?page=2"}`, "https://api.kolada.se/v2/x?page=2", 2023, false},
		{"no next", `{"values":[]}`, "", 0, false},
		{"null next", `{"values":[],"next_url":null}`, "", 0, false},
		{"empty", ``, "", 0, true},
		{"html", `<html>502 Bad Gateway</html>`, "", 0, true},
		{"error document", `{"error":"Not found"}`, "", 0, true},
		{"values not a list", `{"values":{}}`, "", 0, true},
		{"row without municipality", `{"values":[{"kpi":"N01951","period":2023,"values":[]}]}`, "", 0, true},
		{"period not a year", `{"values":[{"municipality":"1060","period":"2023H1","values":[]}]}`, "", 0, true},
		{"period out of range", `{"values":[{"municipality":"1060","period":23,"values":[]}]}`, "", 0, true},
		{"value as text", `{"values":[{"municipality":"1060","period":2023,"values":[{"gender":"T","value":"13061"}]}]}`, "", 0, true},
		{"truncated", `{"values":[{"municipality":"1060","per`, "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePage([]byte(tt.doc))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Errorf("err %v is not ErrFormat", err)
				}
				return
			}
			if p.Next != tt.wantNext {
				t.Errorf("next = %q", p.Next)
			}
			if tt.wantYear != 0 && p.Values[0].Period != tt.wantYear {
				t.Errorf("period = %d", p.Values[0].Period)
			}
		})
	}
}

func FuzzParsePage(f *testing.F) {
	f.Add(fixture(f, "kolada_constructed_N01951_page1.json"))
	f.Add(fixture(f, "kolada_constructed_N01951_page2.json"))
	f.Add([]byte(`{"values":[{"municipality":"0001","period":"2024","values":[{"gender":"K","value":null}]}],"next_page":"/v3/x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePage(b)
		if err != nil {
			return
		}
		for _, r := range p.Values {
			if r.Municipality == "" || r.Period < 1900 || r.Period > 2200 {
				t.Fatalf("accepted row %+v", r)
			}
		}
		if strings.TrimSpace(p.Next) == "" && p.Next != "" {
			t.Fatalf("blank next link %q kept", p.Next)
		}
	})
}

func BenchmarkParsePage(b *testing.B) {
	doc := fixture(b, "kolada_constructed_N01951_page2.json")
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePage(doc); err != nil {
			b.Fatal(err)
		}
	}
}
