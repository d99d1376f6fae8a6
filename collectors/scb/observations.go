package scb

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// extract turns one data answer into observations for spec, whose values
// are codes (see resolveSpec). The answer may hold more than the spec
// asked for when one request serves several specs of a table (TAB3204
// gives all jobs and jobs in SNI B+C at once): only the cells of the
// spec's codes and years are read. It checks that the answer has one
// figure per region and period (after summing the Sum variable), so that
// no two SCB cells can end up in one dashboard cell. Region codes the
// dashboard does not know are skipped and returned.
func extract(ds *Dataset, spec config.SCBTable, regions *domain.Regions, fetched time.Time) ([]domain.Observation, []string, error) {
	l, err := layoutFor(ds, spec)
	if err != nil {
		return nil, nil, err
	}
	regionDim, timeDim := &ds.Dimensions[l.regionK], &ds.Dimensions[l.timeK]
	years := make([]int, len(timeDim.Codes))
	for t, code := range timeDim.Codes {
		y, err := yearOf(code, spec.Month)
		if err != nil {
			return nil, nil, err
		}
		if y < spec.From || spec.To != 0 && y > spec.To {
			y = 0 // another spec's year
		}
		years[t] = y
	}
	nt := len(timeDim.Codes)
	cells := l.sum(ds, len(regionDim.Codes), nt)
	var obs []domain.Observation
	var unknown []string
	for r, code := range regionDim.Codes {
		if _, ok := regions.Get(code); !ok {
			unknown = append(unknown, code)
			continue
		}
		for t := range nt {
			c := cells[r*nt+t]
			if c.bad || c.parts == 0 || years[t] == 0 {
				continue // missing is missing: no observation, never 0
			}
			obs = append(obs, domain.Observation{
				Municipality: code,
				Indicator:    spec.Indicator,
				Year:         years[t],
				Value:        c.sum,
				Source:       domain.Source{Kind: domain.SourceSCB, Ref: spec.ID, FetchedAt: fetched, Preliminary: spec.Preliminary},
			})
		}
	}
	return obs, unknown, nil
}

// answerLayout says how to read an answer for one spec: which dimensions
// are the region, the time and the summed variable, and, per dimension,
// which categories belong to the spec (keep[k][pos]; nil: every one).
type answerLayout struct {
	regionK, timeK, sumK int
	keep                 [][]bool
}

// layoutFor checks the answer against the spec: the region and time
// dimensions are there, every selected value is, only the Sum variable
// has several, and the answer is whole.
func layoutFor(ds *Dataset, spec config.SCBTable) (answerLayout, error) {
	l := answerLayout{regionK: -1, timeK: -1, sumK: -1, keep: make([][]bool, len(ds.Dimensions))}
	timeVar := ds.TimeDim
	if timeVar == "" {
		timeVar = "Tid"
	}
	for k := range ds.Dimensions {
		d := &ds.Dimensions[k]
		switch d.ID {
		case RegionVar:
			l.regionK = k
			continue
		case timeVar:
			l.timeK = k
			continue
		}
		keep, err := keepFor(d, spec)
		if err != nil {
			return l, err
		}
		l.keep[k] = keep
		if spec.Sum != "" && d.ID == spec.Sum {
			l.sumK = k
		}
	}
	switch {
	case l.regionK < 0:
		return l, fmt.Errorf("%w: answer has no %s dimension", ErrFormat, RegionVar)
	case l.timeK < 0:
		return l, fmt.Errorf("%w: answer has no %s dimension", ErrFormat, timeVar)
	case spec.Sum != "" && l.sumK < 0:
		return l, fmt.Errorf("%w: answer has no %s dimension to sum", ErrFormat, spec.Sum)
	case ds.Len() != ds.Size():
		return l, fmt.Errorf("%w: answer holds %d values for %d cells", ErrFormat, ds.Len(), ds.Size())
	}
	return l, nil
}

// keepFor marks the categories of one non-region, non-time dimension that
// the spec selected (nil: all of them), refusing an answer that lacks a
// selected value or has several values of a variable that is not summed.
func keepFor(d *Dimension, spec config.SCBTable) ([]bool, error) {
	want := spec.Select[d.ID]
	var keep []bool
	switch {
	case len(want) == 1 && want[0] == "*":
	case len(want) > 0:
		keep = make([]bool, len(d.Codes))
		n := 0
		for _, c := range want {
			if i, ok := d.Index(c); ok {
				keep[i] = true
				n++
			}
		}
		if d.ID == spec.Sum && n != len(want) {
			return nil, fmt.Errorf("%w: %s has %d of the %d values to sum", ErrFormat, spec.Sum, n, len(want))
		}
		if n != len(want) {
			return nil, fmt.Errorf("%w: variable %s lacks the value asked for (%s)", ErrFormat, d.ID, strings.Join(want, ","))
		}
	case len(d.Codes) != 1:
		return nil, fmt.Errorf("%w: variable %s has %d values in the answer, expected 1", ErrFormat, d.ID, len(d.Codes))
	}
	several := len(want) > 1 || len(want) == 1 && want[0] == "*" && len(d.Codes) != 1
	if several && (spec.Sum == "" || d.ID != spec.Sum) {
		return nil, fmt.Errorf("%w: variable %s has several values but is not summed", ErrFormat, d.ID)
	}
	return keep, nil
}

// cell is one region and period of the answer: the sum of its parts, and
// whether a part was missing (then the cell is missing).
type cell struct {
	sum   float64
	parts int
	bad   bool
}

// sum adds up the kept cells per region and period (nr×nt, row-major).
func (l answerLayout) sum(ds *Dataset, nr, nt int) []cell {
	out := make([]cell, nr*nt)
	coords := make([]int, len(ds.Dimensions))
next:
	for i := range ds.Len() {
		ds.Coords(i, coords)
		for k, kp := range l.keep {
			if kp != nil && !kp[coords[k]] {
				continue next
			}
		}
		c := &out[coords[l.regionK]*nt+coords[l.timeK]]
		v, ok := ds.Value(i)
		if !ok {
			c.bad = true
			continue
		}
		c.sum += v
		c.parts++
	}
	return out
}

// yearOf reads a time code: "2024" for yearly tables; "2024M11" for
// monthly ones, where only the configured month counts (0 = skip).
func yearOf(code string, month int) (int, error) {
	if month > 0 {
		if y, ok := monthYear(code, month); ok {
			return y, nil
		}
		return 0, nil
	}
	y, err := strconv.Atoi(code)
	if err != nil || len(code) != 4 {
		return 0, fmt.Errorf("%w: time code %q is not a year", ErrFormat, code)
	}
	return y, nil
}
