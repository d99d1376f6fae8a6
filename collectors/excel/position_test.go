package excel

import (
	"reflect"
	"testing"
)

// TestPositions: every observation and every missing marker comes with its
// sheet, row and column, in file order; a duplicate's dropped figure takes
// its position with it.
func TestPositions(t *testing.T) {
	opts := testOptions(t)
	v := fig(t, "1060", 2024)
	data := buildXLSX(t,
		sheetSpec{"Folkmängd", [][]any{
			{"kommun", "år", "värde"},
			{"1060", 2024, v},
			{"0562", 2024, ".."},
			{"0481", 2024, 10},
			{"0481", 2024, 11}, // conflicting duplicate: both rows rejected
		}},
		sheetSpec{"Blad2", [][]any{
			{"kommun", "år", "indikator", "värde"},
			{"Finspång", 2023, "population", v},
		}})
	res := mustRead(t, data, opts)
	want := []Position{{Sheet: 0, Row: 2, Col: 2, Column: "C"}, {Sheet: 1, Row: 2, Col: 3, Column: "D"}}
	if !reflect.DeepEqual(res.Positions, want) || len(res.Observations) != len(want) {
		t.Fatalf("positions %+v of %d observations, want %+v", res.Positions, len(res.Observations), want)
	}
	if res.Observations[1].Municipality != "0562" || res.Observations[1].Year != 2023 {
		t.Errorf("position 1 belongs to %+v", res.Observations[1])
	}
	if want := []Position{{Sheet: 0, Row: 3, Col: 2, Column: "C"}}; !reflect.DeepEqual(res.MissingCells, want) {
		t.Errorf("missing cells %+v, want %+v", res.MissingCells, want)
	}
}

// TestMissingCellsBounded: a sheet of missing markers keeps its count but
// only MaxMissingCells positions.
func TestMissingCellsBounded(t *testing.T) {
	rows := [][]any{{"kommun", "år", "värde"}}
	for y := range MaxMissingCells + 10 {
		rows = append(rows, []any{"1060", 1000 + y%1000, ".."})
	}
	res := mustRead(t, buildXLSX(t, sheetSpec{"Folkmängd", rows}), testOptions(t))
	if len(res.MissingCells) != MaxMissingCells || res.Sheets[0].Missing != MaxMissingCells+10 {
		t.Fatalf("%d missing positions, count %d; want %d and %d", len(res.MissingCells), res.Sheets[0].Missing, MaxMissingCells, MaxMissingCells+10)
	}
}
