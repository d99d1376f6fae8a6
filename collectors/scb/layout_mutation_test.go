package scb

import (
	"errors"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// An answer without the region or time dimension, or without the
// dimension the spec sums, is refused (docs/testing.md, mutation testing).
func TestLayoutNeedsItsDimensions(t *testing.T) {
	dim := func(id, code string) string {
		return `"` + id + `":{"category":{"index":["` + code + `"],"label":{"` + code + `":"x"}}}`
	}
	for _, tt := range []struct {
		name, ids, dims string
		sum             string
	}{
		{"no region", `["Tid"]`, dim("Tid", "2024"), ""},
		{"no time", `["Region"]`, dim("Region", "1060"), ""},
		{"no sum", `["Region","Tid"]`, dim("Region", "1060") + "," + dim("Tid", "2024"), "Kon"},
	} {
		size := `[1]`
		if tt.name == "no sum" {
			size = `[1,1]`
		}
		ds, err := ParseJSONStat([]byte(`{"version":"2.0","class":"dataset","id":` + tt.ids + `,"size":` + size + `,"dimension":{` + tt.dims + `},"value":[1]}`))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if _, err := layoutFor(ds, config.SCBTable{ID: "TAB638", Indicator: "population", Sum: tt.sum}); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err %v, want ErrFormat", tt.name, err)
		}
	}
}
