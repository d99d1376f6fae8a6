package scb

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// cellsDoc is a data answer whose dimension sizes multiply to the given
// product, with a time role naming no dimension. That check is the last one
// before the values are allocated, so an answer the cell bound lets through
// fails there instead of making the test allocate 50 million cells: the
// error says which check stopped it.
func cellsDoc(sizes ...int) []byte {
	var ids, dims []string
	for k, n := range sizes {
		id := fmt.Sprintf("D%d", k)
		ids = append(ids, `"`+id+`"`)
		codes := make([]string, n)
		for i := range codes {
			codes[i] = fmt.Sprintf(`"c%d"`, i)
		}
		dims = append(dims, fmt.Sprintf(`"%s":{"category":{"index":[%s]}}`, id, strings.Join(codes, ",")))
	}
	size := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(sizes)), ","), "[]")
	return []byte(fmt.Sprintf(`{"version":"2.0","class":"dataset","id":[%s],"size":[%s],"role":{"time":["Nope"]},"dimension":{%s},"value":[1]}`,
		strings.Join(ids, ","), size, strings.Join(dims, ",")))
}

// An answer of exactly MaxCells cells passes the cell bound; one category
// more and it is refused before anything is allocated (docs/testing.md,
// mutation testing: the bound at exactly its value, and a bound that
// multiplies instead of dividing).
func TestMaxCellsBound(t *testing.T) {
	over := fmt.Sprintf("more than %d cells", MaxCells)
	for _, tt := range []struct {
		sizes    []int
		refused  bool
		products int
	}{
		{[]int{100, 100, 50, 100}, false, MaxCells},
		{[]int{100, 100, 50, 101}, true, MaxCells + MaxCells/100},
		{[]int{101, 100, 50, 100}, true, MaxCells + MaxCells/100},
	} {
		if p := tt.sizes[0] * tt.sizes[1] * tt.sizes[2] * tt.sizes[3]; p != tt.products {
			t.Fatalf("sizes %v make %d cells, want %d", tt.sizes, p, tt.products)
		}
		_, err := ParseJSONStat(cellsDoc(tt.sizes...))
		if err == nil {
			t.Fatalf("%v accepted", tt.sizes)
		}
		if got := strings.Contains(err.Error(), over); got != tt.refused {
			t.Errorf("%v cells (%v): err %v; want the cell bound to refuse it: %v", tt.products, tt.sizes, err, tt.refused)
		}
		if !tt.refused && !strings.Contains(err.Error(), "time role") {
			t.Errorf("%v: err %v, want the time role check after the cell bound", tt.sizes, err)
		}
	}
}

// The hand-written value scanner (parseDense) is only handed values that
// encoding/json has already validated, but it must still refuse a cut or
// overlong array, or one with a trailing comma, instead of reading past its
// end or miscounting, and must read numbers that start with each digit or
// carry a signed exponent (docs/testing.md, mutation testing).
func TestParseDenseEdges(t *testing.T) {
	for _, tt := range []struct {
		in    string
		total int
		want  []float64 // nil: refused
	}{
		{`[0,9,-1,0.5,9e2,1e+2]`, 6, []float64{0, 9, -1, 0.5, 900, 100}},
		{"[ 1 ,\t2\r\n]", 2, []float64{1, 2}},
		{`[1,2,3]`, 2, nil},
		{`[1,2]`, 3, nil},
		{`[`, 1, nil},
		{`[1`, 1, nil},
		{`[1,`, 2, nil},
		{`[1 2]`, 2, nil},
		{`[1,]`, 1, nil},
		{`[]`, 1, nil},
		{`[1e999]`, 1, nil},
		{`[true]`, 1, nil},
	} {
		ds := &Dataset{}
		err := ds.parseValues([]byte(tt.in), tt.total)
		if tt.want == nil {
			if err == nil {
				t.Errorf("%q for %d cells accepted", tt.in, tt.total)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		for i, w := range tt.want {
			if !ds.present[i] || ds.values[i] != w {
				t.Errorf("%q: cell %d = %v (present %v), want %v", tt.in, i, ds.values[i], ds.present[i], w)
			}
		}
	}
}

// An object index must place its codes at 0…n−1: a position equal to the
// number of categories is refused, not written past the end.
func TestIndexPositionPastTheEnd(t *testing.T) {
	doc := `{"class":"dataset","id":["A"],"size":[2],"dimension":{"A":{"category":{"index":{"x":0,"y":2}}}},"value":[1,2]}`
	if ds, err := ParseJSONStat([]byte(doc)); !errors.Is(err, ErrFormat) {
		t.Errorf("accepted %+v, %v", ds, err)
	}
}
