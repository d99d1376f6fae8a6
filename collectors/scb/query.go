package scb

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Selection is one variable of a PxWebApi 2.0 data query.
type Selection struct {
	VariableCode string   `json:"variableCode"`
	ValueCodes   []string `json:"valueCodes"`
}

// Query is the body of POST /tables/{id}/data.
type Query struct {
	Selection []Selection `json:"selection"`
}

// plan is what to ask of one table for one spec, before splitting by the
// cell limit.
type plan struct {
	regions []string    // region codes the table and the dashboard both know, in table order
	before  []Selection // selections of variables listed before Region in the table
	after   []Selection // and after it
	cells   int         // cells per region
	timeVar string
}

// buildPlan resolves spec against the metadata and plans its request.
func buildPlan(meta *Dataset, spec config.SCBTable, regions *domain.Regions) (plan, error) {
	r, err := resolveSpec(meta, spec)
	if err != nil {
		return plan{}, err
	}
	return planFor(meta, []config.SCBTable{r}, regions)
}

// shape groups the specs of one table that one request can serve: the
// same variables chosen and the same month. Specs of one shape differ only
// in their values and years, so asking for the union and picking each
// spec's cells out of the answer is exact.
func shape(spec config.SCBTable) string {
	vars := make([]string, 0, len(spec.Select))
	for v := range spec.Select {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	return fmt.Sprintf("%s|%d", strings.Join(vars, ","), spec.Month)
}

// planFor turns the metadata and resolved specs of one shape into one
// selection. Rules: Region gets every code the dashboard knows; chosen
// variables get the union of the specs' codes, in table order; the time
// variable gets the union of their years; any other variable that SCB does
// not let us leave out is selected if it has a single value, and is an
// error otherwise; the rest are left out.
func planFor(meta *Dataset, specs []config.SCBTable, regions *domain.Regions) (plan, error) {
	p := plan{cells: 1, timeVar: meta.TimeDim}
	if p.timeVar == "" {
		p.timeVar = "Tid"
	}
	first := specs[0]
	seenRegion := false
	for i := range meta.Dimensions {
		d := &meta.Dimensions[i]
		var sel *Selection
		count := 1
		switch {
		case d.ID == RegionVar:
			seenRegion = true
			for _, code := range d.Codes {
				if _, ok := regions.Get(code); ok {
					p.regions = append(p.regions, code)
				}
			}
			if len(p.regions) == 0 {
				return p, fmt.Errorf("none of the table's %d region codes is a known region", len(d.Codes))
			}
			continue
		case len(first.Select[d.ID]) > 0:
			codes := unionCodes(d, specs)
			sel, count = &Selection{VariableCode: d.ID, ValueCodes: codes}, len(codes)
		case d.ID == p.timeVar:
			s, n, err := timeUnion(d, specs)
			if err != nil {
				return p, err
			}
			sel, count = &s, n
		case !d.Elimination:
			if len(d.Codes) != 1 {
				return p, fmt.Errorf("variable %s may not be left out and has %d values: choose some in config", d.ID, len(d.Codes))
			}
			sel = &Selection{VariableCode: d.ID, ValueCodes: []string{d.Codes[0]}}
		default:
			continue // left out: SCB answers with its total
		}
		p.cells *= count
		if seenRegion {
			p.after = append(p.after, *sel)
		} else {
			p.before = append(p.before, *sel)
		}
	}
	if !seenRegion {
		return p, fmt.Errorf("the table has no %s variable", RegionVar)
	}
	return p, nil
}

// unionCodes lists the codes any spec chose for d, in table order; "*"
// stands for all of them.
func unionCodes(d *Dimension, specs []config.SCBTable) []string {
	want := map[string]bool{}
	for _, s := range specs {
		for _, c := range s.Select[d.ID] {
			if c == "*" {
				return append([]string(nil), d.Codes...)
			}
			want[c] = true
		}
	}
	var out []string
	for _, c := range d.Codes {
		if want[c] {
			out = append(out, c)
		}
	}
	return out
}

// timeUnion asks for the years of every spec. One spec keeps its own
// selection; for several, "*" or "from(first year)" when all are
// open-ended yearly ranges and their union runs to the table's newest
// year, the explicit codes otherwise.
func timeUnion(d *Dimension, specs []config.SCBTable) (Selection, int, error) {
	if len(specs) == 1 {
		return timeSelection(d, specs[0])
	}
	want := map[string]bool{}
	open := true
	for _, s := range specs {
		sel, _, err := timeSelection(d, s)
		if err != nil {
			return Selection{}, 0, err
		}
		codes, err := timeCodes(d, s)
		if err != nil {
			return Selection{}, 0, err
		}
		for _, c := range codes {
			want[c] = true
		}
		if len(sel.ValueCodes) != 1 || !(sel.ValueCodes[0] == "*" || strings.HasPrefix(sel.ValueCodes[0], "from(")) {
			open = false
		}
	}
	var codes []string
	for _, c := range d.Codes {
		if want[c] {
			codes = append(codes, c)
		}
	}
	switch {
	case open && len(codes) == len(d.Codes):
		return Selection{VariableCode: d.ID, ValueCodes: []string{"*"}}, len(codes), nil
	case open && len(codes) == len(d.Codes)-slices.Index(d.Codes, codes[0]):
		return Selection{VariableCode: d.ID, ValueCodes: []string{"from(" + codes[0] + ")"}}, len(codes), nil
	}
	return Selection{VariableCode: d.ID, ValueCodes: codes}, len(codes), nil
}

// timeCodes lists the time codes of d from spec.From to spec.To (for a
// monthly spec: those of its month).
func timeCodes(d *Dimension, spec config.SCBTable) ([]string, error) {
	var codes []string
	for _, c := range d.Codes {
		var y int
		if spec.Month > 0 {
			var ok bool
			if y, ok = monthYear(c, spec.Month); !ok {
				continue
			}
		} else {
			var err error
			if y, err = strconv.Atoi(c); err != nil {
				return nil, fmt.Errorf("variable %s: %q is not a year (is the table monthly? set month)", d.ID, c)
			}
		}
		if y >= spec.From && (spec.To == 0 || y <= spec.To) {
			codes = append(codes, c)
		}
	}
	return codes, nil
}

// newestYear is the latest year of the table's time variable (for a
// monthly table, of the given month); 0 if none.
func newestYear(meta *Dataset, month int) int {
	name := meta.TimeDim
	if name == "" {
		name = "Tid"
	}
	d, ok := meta.Dim(name)
	if !ok {
		return 0
	}
	newest := 0
	for _, c := range d.Codes {
		if y, err := yearOf(c, month); err == nil && y > newest {
			newest = y
		}
	}
	return newest
}

// timeSelection asks for the years from spec.From to spec.To:
// "from(first year)" for an open-ended yearly range, the explicit codes
// otherwise (bounded ranges and monthly tables).
func timeSelection(d *Dimension, spec config.SCBTable) (Selection, int, error) {
	codes, err := timeCodes(d, spec)
	if err != nil {
		return Selection{}, 0, err
	}
	if len(codes) == 0 {
		what := "year"
		if spec.Month > 0 {
			what = fmt.Sprintf("*M%02d code", spec.Month)
		}
		return Selection{}, 0, fmt.Errorf("variable %s has no %s from %d to %d", d.ID, what, spec.From, spec.To)
	}
	switch {
	case spec.Month > 0 || spec.To > 0:
		return Selection{VariableCode: d.ID, ValueCodes: codes}, len(codes), nil
	case len(codes) == len(d.Codes):
		return Selection{VariableCode: d.ID, ValueCodes: []string{"*"}}, len(codes), nil
	default:
		return Selection{VariableCode: d.ID, ValueCodes: []string{"from(" + codes[0] + ")"}}, len(codes), nil
	}
}

// monthYear reads "2024M11" and reports the year if the month matches.
func monthYear(code string, month int) (int, bool) {
	y, m, ok := strings.Cut(code, "M")
	if !ok || len(y) != 4 || len(m) != 2 {
		return 0, false
	}
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || mi != month {
		return 0, false
	}
	return yi, true
}

// queries splits the plan into request bodies of at most maxCells cells,
// cutting the region list only, so that one request per table is the rule.
func (p plan) queries(maxCells int) ([][]byte, error) {
	if maxCells <= 0 {
		maxCells = DefaultMaxCells
	}
	per := maxCells / p.cells
	if per < 1 {
		return nil, fmt.Errorf("one region alone needs %d cells, more than the %d SCB allows per call", p.cells, maxCells)
	}
	var out [][]byte
	for start := 0; start < len(p.regions); start += per {
		end := min(start+per, len(p.regions))
		q := Query{}
		q.Selection = append(q.Selection, p.before...)
		q.Selection = append(q.Selection, Selection{VariableCode: RegionVar, ValueCodes: p.regions[start:end]})
		q.Selection = append(q.Selection, p.after...)
		b, err := json.Marshal(q)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func dimIDs(d *Dataset) string {
	ids := make([]string, len(d.Dimensions))
	for i, dim := range d.Dimensions {
		ids[i] = dim.ID
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}
