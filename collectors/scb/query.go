package scb

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

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

// buildPlan turns the metadata and a spec into a selection. Rules: Region
// gets every code the dashboard knows; variables in spec.Select get those
// codes (checked against the table); the time variable gets From/Month;
// any other variable that SCB does not let us leave out is selected if it
// has a single value, and is an error otherwise; the rest are left out.
func buildPlan(meta *Dataset, spec TableSpec, regions *domain.Regions) (plan, error) {
	p := plan{cells: 1, timeVar: meta.TimeDim}
	if p.timeVar == "" {
		p.timeVar = "Tid"
	}
	for v := range spec.Select {
		if _, ok := meta.Dim(v); !ok {
			return p, fmt.Errorf("variable %s is not in the table (it has %s)", v, dimIDs(meta))
		}
	}
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
		case len(spec.Select[d.ID]) > 0:
			codes, err := resolveCodes(d, spec.Select[d.ID])
			if err != nil {
				return p, err
			}
			sel, count = &Selection{VariableCode: d.ID, ValueCodes: codes}, len(codes)
		case d.ID == p.timeVar:
			s, n, err := timeSelection(d, spec)
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

func resolveCodes(d *Dimension, want []string) ([]string, error) {
	if len(want) == 1 && want[0] == "*" {
		return append([]string(nil), d.Codes...), nil
	}
	for _, c := range want {
		if _, ok := d.Index(c); !ok {
			return nil, fmt.Errorf("variable %s has no value %q", d.ID, c)
		}
	}
	return append([]string(nil), want...), nil
}

// timeSelection asks for the years from spec.From to spec.To:
// "from(first year)" for an open-ended yearly range, the explicit codes
// otherwise (bounded ranges and monthly tables).
func timeSelection(d *Dimension, spec TableSpec) (Selection, int, error) {
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
				return Selection{}, 0, fmt.Errorf("variable %s: %q is not a year (is the table monthly? set month)", d.ID, c)
			}
		}
		if y >= spec.From && (spec.To == 0 || y <= spec.To) {
			codes = append(codes, c)
		}
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
