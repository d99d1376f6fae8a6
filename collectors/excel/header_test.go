package excel

import (
	"testing"
)

// Rows that look like a wide header (numbers in 1900–2100 stand where years
// would) but are not one must not be taken as the header: the figures below
// would then be read against the wrong years or from a list that holds no
// figures at all. Each case is a sheet whose right reading is known.
func TestRowsThatOnlyLookLikeAWideHeader(t *testing.T) {
	opts := testOptions(t)
	opts.Indicator = "population"
	a23, a24 := fig(t, "1060", 2023), fig(t, "1060", 2024)
	b23, b24 := fig(t, "0481", 2023), fig(t, "0481", 2024)
	tests := []struct {
		name   string
		rows   [][]any
		layout string             // "" = the sheet is not read as data
		want   map[string]float64 // code|year → figure; nil = no figures
	}{
		{
			// A list of municipalities and codes whose first row has a note
			// on the left and a code that looks like a year: a single year
			// with a non-municipality text beside it is not a header.
			name: "single-year row with a note on the left",
			rows: [][]any{
				{"Kontaktperson", "2081"},
				{"Olofström", "1060"},
				{"Oxelösund", "0481"},
			},
		},
		{
			// A summary row whose numbers partly fall in 1900–2100, with a
			// figure beside them that cannot be a year, above the real header.
			name: "header-like row with a figure among the years",
			rows: [][]any{
				{"Summa", 1987, 2040, 13170},
				{"kommun", 2023, 2024},
				{"Olofström", a23, a24},
				{"Oxelösund", b23, b24},
			},
			layout: LayoutWide, // a hand-made sheet: nothing above says SCB
			want:   map[string]float64{"1060|2023": a23, "1060|2024": a24, "0481|2023": b23, "0481|2024": b24},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, buildXLSX(t, sheetSpec{"Blad1", tt.rows}), opts)
			if len(res.Rejects) != 0 {
				t.Errorf("rejects: %+v", res.Rejects)
			}
			s := res.Sheets[0]
			if s.Layout != tt.layout {
				t.Errorf("layout = %q, want %q (sheet %+v)", s.Layout, tt.layout, s)
			}
			if tt.layout == "" && s.Note == "" {
				t.Errorf("sheet not read but no note says why: %+v", s)
			}
			m := obsMap(t, res.Observations)
			if len(m) != len(tt.want) {
				t.Errorf("%d observations, want %d: %v", len(m), len(tt.want), m)
			}
			for k, v := range m {
				id := k.Municipality + "|" + itoa(k.Year)
				if w, ok := tt.want[id]; !ok || w != v || k.Indicator != "population" {
					t.Errorf("observation %s = %v, want %v (present %v)", k, v, w, ok)
				}
			}
		})
	}
}
