package scb

import (
	"fmt"
	"strconv"
	"strings"
	"time"

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
func extract(ds *Dataset, spec TableSpec, regions *domain.Regions, fetched time.Time) ([]domain.Observation, []string, error) {
	regionK, timeK, sumK := -1, -1, -1
	timeVar := ds.TimeDim
	if timeVar == "" {
		timeVar = "Tid"
	}
	// keep[k][pos] says whether category pos of dimension k belongs to
	// the spec; nil means every category.
	keep := make([][]bool, len(ds.Dimensions))
	for k, d := range ds.Dimensions {
		want := spec.Select[d.ID]
		switch {
		case d.ID == RegionVar:
			regionK = k
			continue
		case d.ID == timeVar:
			timeK = k
			continue
		case len(want) == 1 && want[0] == "*":
		case len(want) > 0:
			keep[k] = make([]bool, len(d.Codes))
			n := 0
			for _, c := range want {
				if i, ok := d.Index(c); ok {
					keep[k][i] = true
					n++
				}
			}
			if d.ID == spec.Sum && n != len(want) {
				return nil, nil, fmt.Errorf("%w: %s has %d of the %d values to sum", ErrFormat, spec.Sum, n, len(want))
			}
			if n != len(want) {
				return nil, nil, fmt.Errorf("%w: variable %s lacks the value asked for (%s)", ErrFormat, d.ID, strings.Join(want, ","))
			}
		case len(d.Codes) != 1:
			return nil, nil, fmt.Errorf("%w: variable %s has %d values in the answer, expected 1", ErrFormat, d.ID, len(d.Codes))
		}
		if spec.Sum != "" && d.ID == spec.Sum {
			sumK = k
		} else if len(want) > 1 || len(want) == 1 && want[0] == "*" && len(d.Codes) != 1 {
			return nil, nil, fmt.Errorf("%w: variable %s has several values but is not summed", ErrFormat, d.ID)
		}
	}
	if regionK < 0 {
		return nil, nil, fmt.Errorf("%w: answer has no %s dimension", ErrFormat, RegionVar)
	}
	if timeK < 0 {
		return nil, nil, fmt.Errorf("%w: answer has no %s dimension", ErrFormat, timeVar)
	}
	if spec.Sum != "" && sumK < 0 {
		return nil, nil, fmt.Errorf("%w: answer has no %s dimension to sum", ErrFormat, spec.Sum)
	}
	if ds.Len() != ds.Size() {
		return nil, nil, fmt.Errorf("%w: answer holds %d values for %d cells", ErrFormat, ds.Len(), ds.Size())
	}
	regionDim, timeDim := &ds.Dimensions[regionK], &ds.Dimensions[timeK]
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
	// sums[r][t] accumulates; bad[r][t] marks a missing part.
	nr, nt := len(regionDim.Codes), len(timeDim.Codes)
	sums := make([]float64, nr*nt)
	parts := make([]int, nr*nt)
	bad := make([]bool, nr*nt)
	coords := make([]int, len(ds.Dimensions))
cells:
	for i := range ds.Len() {
		ds.Coords(i, coords)
		for k, kp := range keep {
			if kp != nil && !kp[coords[k]] {
				continue cells
			}
		}
		j := coords[regionK]*nt + coords[timeK]
		v, ok := ds.Value(i)
		if !ok {
			bad[j] = true
			continue
		}
		sums[j] += v
		parts[j]++
	}
	var obs []domain.Observation
	var unknown []string
	for r, code := range regionDim.Codes {
		if _, ok := regions.Get(code); !ok {
			unknown = append(unknown, code)
			continue
		}
		for t := range nt {
			j := r*nt + t
			if bad[j] || parts[j] == 0 || years[t] == 0 {
				continue // missing is missing: no observation, never 0
			}
			obs = append(obs, domain.Observation{
				Municipality: code,
				Indicator:    spec.Indicator,
				Year:         years[t],
				Value:        sums[j],
				Source:       domain.Source{Kind: domain.SourceSCB, Ref: spec.ID, FetchedAt: fetched, Preliminary: spec.Preliminary},
			})
		}
	}
	return obs, unknown, nil
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
