// Package scbtest is a fake of SCB's PxWebApi 2.0 for tests: it answers
// /config, /tables/{id}/metadata and POST /tables/{id}/data in json-stat2
// for tables described in Go, checking each query the way SCB does
// (unknown variables or codes, a variable that may not be left out) and
// filling cells with Value, a deterministic function of the cell, so a test
// can work out every figure it expects without a recorded answer.
//
// Evidence holds the job tables as the public evidence describes them
// (variables, codes, labels, years; README.md here says which parts are
// evidence and which are constructed).
package scbtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Var is one variable of a table other than Region and Tid.
type Var struct {
	Code, Label string
	// Elimination: SCB lets a query leave the variable out.
	Elimination bool
	Values      []Val
}

// Val is one value (category) of a variable.
type Val struct{ Code, Label string }

// Table describes one fake table.
type Table struct {
	ID, Label string
	Updated   time.Time
	Vars      []Var    // in SCB's order, after Region
	Times     []string // Tid codes, oldest first
}

// Fault makes a table misbehave.
type Fault string

const (
	Fault500       Fault = "500"       // every data request answers 500
	FaultTruncated Fault = "truncated" // the data answer is cut off mid-JSON
	FaultMeta404   Fault = "meta404"   // the metadata is not found
)

// Server is the fake. Regions are the Region codes every table has.
type Server struct {
	Tables  map[string]*Table
	Regions []string

	mu     sync.Mutex
	faults map[string]Fault
	calls  []string
}

// New serves tables for regions.
func New(regions []string, tables ...*Table) *Server {
	s := &Server{Tables: map[string]*Table{}, Regions: regions, faults: map[string]Fault{}}
	for _, t := range tables {
		s.Tables[t.ID] = t
	}
	return s
}

// SetFault makes the table misbehave ("" clears it).
func (s *Server) SetFault(table string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[table] = f
}

// Calls lists "METHOD /path" of every request so far.
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// DataCalls counts the data requests per table.
func (s *Server) DataCalls() map[string]int {
	out := map[string]int{}
	for _, c := range s.Calls() {
		if strings.HasPrefix(c, "POST ") && strings.HasSuffix(c, "/data") {
			parts := strings.Split(c, "/")
			out[parts[len(parts)-2]]++
		}
	}
	return out
}

// Value is the figure of one cell: a number from 1 to 99,999 derived from
// the table, the region, the time code and the other variables' codes
// (variables left out are not part of coords). Tests call it to know what
// a run must store.
func Value(table string, coords map[string]string) float64 {
	keys := make([]string, 0, len(coords))
	for k := range coords {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := fnv.New64a()
	h.Write([]byte(table))
	for _, k := range keys {
		h.Write([]byte{0})
		h.Write([]byte(k + "=" + coords[k]))
	}
	return float64(h.Sum64()%99_999 + 1)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls = append(s.calls, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	path := r.URL.Path
	if i := strings.Index(path, "/config"); i >= 0 && strings.HasSuffix(path, "/config") {
		writeJSON(w, map[string]any{"maxDataCells": 150000, "maxCallsPerTimeWindow": 30, "timeWindow": 10})
		return
	}
	i := strings.Index(path, "/tables/")
	if i < 0 {
		http.NotFound(w, r)
		return
	}
	id, what, _ := strings.Cut(path[i+len("/tables/"):], "/")
	t := s.Tables[id]
	s.mu.Lock()
	fault := s.faults[id]
	s.mu.Unlock()
	switch {
	case t == nil:
		http.Error(w, `{"title":"Table not found"}`, http.StatusNotFound)
	case what == "metadata" && r.Method == http.MethodGet:
		if fault == FaultMeta404 {
			http.Error(w, `{"title":"Table not found"}`, http.StatusNotFound)
			return
		}
		writeJSON(w, s.dataset(t, nil, false))
	case what == "data" && r.Method == http.MethodPost:
		s.data(w, r, t, fault)
	default:
		http.NotFound(w, r)
	}
}

type query struct {
	Selection []struct {
		VariableCode string   `json:"variableCode"`
		ValueCodes   []string `json:"valueCodes"`
	} `json:"selection"`
}

// dim is one dimension of an answer.
type dim struct {
	id, label   string
	elimination bool
	codes       []string
	labels      map[string]string
}

func (s *Server) dims(t *Table) []dim {
	ds := []dim{{id: "Region", label: "region", elimination: false, codes: s.Regions, labels: map[string]string{}}}
	for _, v := range t.Vars {
		d := dim{id: v.Code, label: v.Label, elimination: v.Elimination, labels: map[string]string{}}
		for _, x := range v.Values {
			d.codes = append(d.codes, x.Code)
			d.labels[x.Code] = x.Label
		}
		ds = append(ds, d)
	}
	tid := dim{id: "Tid", label: "år", codes: t.Times, labels: map[string]string{}}
	for _, c := range t.Times {
		tid.labels[c] = c
	}
	return append(ds, tid)
}

func (s *Server) data(w http.ResponseWriter, r *http.Request, t *Table, fault Fault) {
	if fault == Fault500 {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	var q query
	if err := json.NewDecoder(r.Body).Decode(&q); err != nil {
		http.Error(w, `{"title":"bad query"}`, http.StatusBadRequest)
		return
	}
	sel := map[string][]string{}
	for _, x := range q.Selection {
		sel[x.VariableCode] = x.ValueCodes
	}
	var out []dim
	for _, d := range s.dims(t) {
		want, ok := sel[d.id]
		delete(sel, d.id)
		if !ok {
			if !d.elimination {
				http.Error(w, fmt.Sprintf(`{"title":"variable %s may not be eliminated"}`, d.id), http.StatusBadRequest)
				return
			}
			continue
		}
		codes, err := expand(d.codes, want)
		if err != nil {
			http.Error(w, fmt.Sprintf(`{"title":"variable %s: %v"}`, d.id, err), http.StatusBadRequest)
			return
		}
		d.codes = codes
		out = append(out, d)
	}
	for v := range sel {
		http.Error(w, fmt.Sprintf(`{"title":"no variable %s"}`, v), http.StatusBadRequest)
		return
	}
	b, _ := json.Marshal(s.dataset(t, out, true))
	if fault == FaultTruncated {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_, _ = w.Write(b)
}

// expand reads SCB's value selection: codes, "*", "from(x)".
func expand(all, want []string) ([]string, error) {
	if len(want) == 1 && want[0] == "*" {
		return all, nil
	}
	if len(want) == 1 && strings.HasPrefix(want[0], "from(") && strings.HasSuffix(want[0], ")") {
		i := slices.Index(all, strings.TrimSuffix(strings.TrimPrefix(want[0], "from("), ")"))
		if i < 0 {
			return nil, fmt.Errorf("no value %s", want[0])
		}
		return all[i:], nil
	}
	var out []string
	for _, c := range all {
		if slices.Contains(want, c) {
			out = append(out, c)
		}
	}
	for _, c := range want {
		if !slices.Contains(all, c) {
			return nil, fmt.Errorf("no value %q", c)
		}
	}
	return out, nil
}

func (s *Server) dataset(t *Table, ds []dim, values bool) map[string]any {
	if ds == nil {
		ds = s.dims(t)
	}
	ids := make([]string, len(ds))
	sizes := make([]int, len(ds))
	dimension := map[string]any{}
	for k, d := range ds {
		ids[k], sizes[k] = d.id, len(d.codes)
		index := map[string]int{}
		labels := map[string]string{}
		for i, c := range d.codes {
			index[c] = i
			labels[c] = d.labels[c]
			if d.id == "Region" {
				labels[c] = "region " + c
			}
		}
		dimension[d.id] = map[string]any{
			"label":     d.label,
			"category":  map[string]any{"index": index, "label": labels},
			"extension": map[string]any{"elimination": d.elimination},
		}
	}
	doc := map[string]any{
		"version": "2.0", "class": "dataset", "label": t.Label, "source": "SCB",
		"updated": t.Updated.UTC().Format(time.RFC3339),
		"id":      ids, "size": sizes, "dimension": dimension,
		"role":      map[string]any{"time": []string{"Tid"}, "metric": []string{"ContentsCode"}},
		"extension": map[string]any{"px": map[string]any{"tableid": t.ID}},
	}
	if values {
		n := 1
		for _, sz := range sizes {
			n *= sz
		}
		vals := make([]float64, n)
		coords := map[string]string{}
		pos := make([]int, len(ds))
		for i := range n {
			rest := i
			for k := len(ds) - 1; k >= 0; k-- {
				pos[k] = rest % sizes[k]
				rest /= sizes[k]
			}
			for k, d := range ds {
				coords[d.id] = d.codes[pos[k]]
			}
			vals[i] = Value(t.ID, coords)
		}
		doc["value"] = vals
	}
	return doc
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

// Years lists the year codes from first to last.
func Years(first, last int) []string {
	var out []string
	for y := first; y <= last; y++ {
		out = append(out, strconv.Itoa(y))
	}
	return out
}

// Months lists monthly codes ("2020M01") from first to last, inclusive.
func Months(firstYear, firstMonth, lastYear, lastMonth int) []string {
	var out []string
	for y, m := firstYear, firstMonth; y < lastYear || y == lastYear && m <= lastMonth; {
		out = append(out, fmt.Sprintf("%dM%02d", y, m))
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}
