package derive

import "sort"

// Median is the middle figure (mean of the two middle ones for an even
// count). Pages use it as the network reference because one large member
// would drag a mean. Values that are not finite are treated as missing; no
// usable value gives ok=false.
func Median(vals []float64) (float64, bool) {
	xs := finiteValues(vals)
	n := len(xs)
	if n == 0 {
		return 0, false
	}
	sort.Float64s(xs)
	if n%2 == 1 {
		return xs[n/2], true
	}
	return xs[n/2-1]/2 + xs[n/2]/2, true
}

// Mean is the arithmetic mean, shown beside the median. Values that are not
// finite are treated as missing; no usable value gives ok=false.
func Mean(vals []float64) (float64, bool) {
	xs := finiteValues(vals)
	if len(xs) == 0 {
		return 0, false
	}
	var sum float64
	for _, v := range xs {
		sum += v
	}
	m := sum / float64(len(xs))
	if !finite(m) {
		return 0, false
	}
	return m, true
}

// SumComplete adds the figures of the given codes only when every code has
// one: a county total built from 25 of its 26 municipalities would look
// like a figure and be wrong. Each code counts once even if listed twice.
// No codes at all is not a sum either.
func SumComplete(vals map[string]float64, codes []string) (float64, bool) {
	if len(codes) == 0 {
		return 0, false
	}
	seen := make(map[string]bool, len(codes))
	var sum float64
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		v, ok := vals[c]
		if !ok || !finite(v) {
			return 0, false
		}
		sum += v
	}
	if !finite(sum) {
		return 0, false
	}
	return sum, true
}

// Stats is the network reference for one year: the median and mean of the
// members that have a figure, and how many that was, so a page can say
// "median of 24 of 26 members".
type Stats struct {
	Median, Mean float64
	N            int
}

// NetworkStats summarises the members' figures for one year (member code ->
// figure; members without a figure are simply absent). It is not ok when no
// member has a figure.
func NetworkStats(perMember map[string]float64) (Stats, bool) {
	vals := make([]float64, 0, len(perMember))
	for _, v := range perMember {
		vals = append(vals, v)
	}
	return StatsOf(vals)
}

// StatsOf is the median, mean and count of the finite values in a list
// (the members' figures for one year, in any order). It is not ok when
// none is finite.
func StatsOf(list []float64) (Stats, bool) {
	vals := finiteValues(list)
	// Callers' order may be random (maps); summing in sorted order makes
	// the mean the same to the last bit on every request (and so every
	// ETag and export).
	sort.Float64s(vals)
	med, ok := Median(vals)
	if !ok {
		return Stats{}, false
	}
	mean, ok := Mean(vals)
	if !ok {
		return Stats{}, false
	}
	return Stats{Median: med, Mean: mean, N: len(vals)}, true
}

// finiteValues copies the usable values so callers' slices are never
// reordered.
func finiteValues(vals []float64) []float64 {
	xs := make([]float64, 0, len(vals))
	for _, v := range vals {
		if finite(v) {
			xs = append(xs, v)
		}
	}
	return xs
}
