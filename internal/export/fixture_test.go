package export

import (
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
)

// population is the bundled real figures (internal/bundled): code -> year
// -> population.
func population(t testing.TB) map[string]map[int]float64 {
	t.Helper()
	obs, err := bundled.Observations(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[int]float64{}
	for _, o := range obs {
		if o.Indicator != "population" {
			t.Fatalf("bundled figures: unexpected indicator %q", o.Indicator)
		}
		if out[o.Municipality] == nil {
			out[o.Municipality] = map[int]float64{}
		}
		out[o.Municipality][o.Year] = o.Value
	}
	return out
}

// fetched is the TAB638 table's "updated" stamp from the recorded SCB
// metadata the data's SOURCES.md cites (2025-02-21), used as a retrieval time.
var fetched = time.Date(2025, 2, 21, 8, 0, 0, 0, time.UTC)

// populationTable is what a population page shows for three kommuner:
// 2023, 2024 and the change in per cent (one decimal). Nyköping (0480) has
// no 2023 figure in the data, so its 2023 and change cells are missing.
//
//	Olofström  13 061 → 13 000: (13 000 / 13 061 − 1) × 100 = −0.467 → "-0,5"
//	Oxelösund  12 106 → 12 031: (12 031 / 12 106 − 1) × 100 = −0.620 → "-0,6"
//	Nyköping   (none)  → 58 344: change missing
func populationTable(t testing.TB) Table {
	pop := population(t)
	tab := Table{
		Title: "Folkmängd 31 december",
		Sheet: "Folkmängd",
		Columns: []Column{
			{Header: "Kommun"},
			{Header: "2023", Numeric: true},
			{Header: "2024", Numeric: true},
			{Header: "Förändring (%)", Numeric: true, Decimals: 1},
		},
		Sources: []SourceNote{{Source: "SCB", Ref: "TAB638", FetchedAt: fetched, Note: "Folkmängd 31 dec"}},
		Notes:   []string{"Nyköping saknar siffra för 2023 i underlaget."},
	}
	for _, k := range []struct{ code, name string }{{"1060", "Olofström"}, {"0481", "Oxelösund"}, {"0480", "Nyköping"}} {
		row := []Value{Text(k.name)}
		y23, ok23 := pop[k.code][2023]
		y24, ok24 := pop[k.code][2024]
		for _, c := range []struct {
			v  float64
			ok bool
		}{{y23, ok23}, {y24, ok24}} {
			if c.ok {
				row = append(row, Number(c.v))
			} else {
				row = append(row, Missing())
			}
		}
		if ok23 && ok24 {
			row = append(row, Number((y24/y23-1)*100))
		} else {
			row = append(row, Missing())
		}
		tab.Rows = append(tab.Rows, row)
	}
	return tab
}

func TestFixtureFigures(t *testing.T) {
	pop := population(t)
	for _, c := range []struct {
		code string
		year int
		want float64
		ok   bool
	}{
		{"1060", 2023, 13061, true}, {"1060", 2024, 13000, true},
		{"0481", 2023, 12106, true}, {"0481", 2024, 12031, true},
		{"0480", 2023, 0, false}, {"0480", 2024, 58344, true},
	} {
		got, ok := pop[c.code][c.year]
		if ok != c.ok || got != c.want {
			t.Errorf("%s %d = %v, %v; the tests assume %v, %v", c.code, c.year, got, ok, c.want, c.ok)
		}
	}
}
