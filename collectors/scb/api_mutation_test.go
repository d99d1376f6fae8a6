package scb

import (
	"math"
	"strings"
	"testing"
	"time"
)

// The edges of SCB's /config answer and of table URLs that mutation
// testing found unchecked (docs/testing.md): a zero or out-of-range limit
// falls back to the published default, field by field, and the smallest
// and largest accepted values are kept.
func TestParseAPIConfigBounds(t *testing.T) {
	tests := []struct {
		body string
		want limits
	}{
		{`{"maxDataCells":0,"maxCallsPerTimeWindow":0,"timeWindow":0}`, defaultLimits},
		{`{"maxDataCells":1,"maxCallsPerTimeWindow":1,"timeWindow":1}`, limits{1, 1, time.Second}},
		{`{"timeWindow":3600}`, limits{defaultLimits.maxCells, defaultLimits.calls, time.Hour}},
		{`{"timeWindow":3601}`, defaultLimits},
		{`{"timeWindow":-5}`, defaultLimits},
	}
	for _, tt := range tests {
		got, err := parseAPIConfig([]byte(tt.body))
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v, %v; want %+v", tt.body, got, err, tt.want)
		}
	}
}

func TestTableURLWithoutQuery(t *testing.T) {
	c := &Collector{base: "http://127.0.0.1/api/v2"}
	if got := c.tableURL("TAB638", "metadata", nil); got != "http://127.0.0.1/api/v2/tables/TAB638/metadata" {
		t.Errorf("tableURL = %q", got)
	}
	if got := c.tableURL("TAB638", "data", map[string][]string{"lang": {"sv"}}); !strings.HasSuffix(got, "/data?lang=sv") {
		t.Errorf("tableURL with query = %q", got)
	}
}

// Cell counts saturate at MaxInt instead of wrapping; a product that just
// fits is exact.
func TestMulSat(t *testing.T) {
	for _, tt := range []struct{ a, b, want int }{
		{0, math.MaxInt, 0},
		{3, 4, 12},
		{2, math.MaxInt / 2, math.MaxInt - 1},
		{2, math.MaxInt/2 + 1, math.MaxInt},
		{1 << 40, 1 << 40, math.MaxInt},
	} {
		if got := mulSat(tt.a, tt.b); got != tt.want {
			t.Errorf("mulSat(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// A cell index just past the last cell is missing, not a crash.
func TestValueOutOfRange(t *testing.T) {
	ds, err := ParseJSONStat(fixture(t, "scb_constructed_TAB638_population_jsonstat2.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := ds.Len()
	if _, ok := ds.Value(n - 1); n == 0 || !ok {
		t.Fatalf("last of %d cells missing in the fixture", n)
	}
	for _, i := range []int{-1, n, n + 1} {
		if v, ok := ds.Value(i); ok || v != 0 {
			t.Errorf("Value(%d) of %d cells = %v, %v", i, n, v, ok)
		}
	}
}
