package derive

import (
	"math"
	"sort"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Series is one region's figures for one indicator or derived measure, by
// year. A map rather than a slice because a year without a figure must be
// absent, never a placeholder value that could be mistaken for a figure.
type Series map[int]float64

// Years lists the years that have a figure, ascending, so callers can draw
// axes and tables in a stable order.
func (s Series) Years() []int {
	ys := make([]int, 0, len(s))
	for y := range s {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Get returns the figure for a year and whether there is one; it exists so
// callers do not confuse the map's zero value with a real 0.
func (s Series) Get(year int) (float64, bool) {
	v, ok := s[year]
	return v, ok
}

// SeriesOf picks one municipality's figures for one indicator out of a mixed
// set of observations, as the store returns them. The store has already
// applied source precedence, so each cell should occur once; should a cell
// occur twice, the first occurrence is kept, making the result independent
// of map iteration. Values that are not finite are not figures and are left
// out.
func SeriesOf(obs []domain.Observation, municipality, indicator string) Series {
	s := Series{}
	for _, o := range obs {
		if o.Municipality != municipality || o.Indicator != indicator || !finite(o.Value) {
			continue
		}
		if _, dup := s[o.Year]; !dup {
			s[o.Year] = o.Value
		}
	}
	return s
}

// finite reports whether v is a usable figure (not NaN, not ±Inf).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
