package scb

import (
	"slices"
	"testing"
)

// A dimension may leave out the index of a single category, and an index
// given as an object places codes by position from 0 (docs/testing.md,
// mutation testing).
func TestDimensionIndexForms(t *testing.T) {
	doc := `{"version":"2.0","class":"dataset","id":["Region","Tid"],"size":[1,2],
	"dimension":{"Region":{"category":{"label":{"1060":"Olofström"}}},
	"Tid":{"category":{"index":{"2024":1,"2023":0},"label":{"2023":"2023","2024":"2024"}}}},
	"value":[13061,13000]}`
	ds, err := ParseJSONStat([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := ds.Dim("Region")
	y, _ := ds.Dim("Tid")
	if r == nil || y == nil || !slices.Equal(r.Codes, []string{"1060"}) || !slices.Equal(y.Codes, []string{"2023", "2024"}) {
		t.Errorf("dimensions %+v", ds.Dimensions)
	}
}
