package derive

// Per1000 relates a count to the population, the comparison that makes a
// small industrial municipality comparable with a large city. A year is
// present only when both figures are there and the population is positive:
// a population of 0 (or less) has no per-capita figure.
func Per1000(values, population Series) Series {
	return ratio(values, population, 1000)
}

// Share is part as a percentage of total (industrial jobs of all jobs). A
// year is present only when both figures are there and the total is
// positive.
func Share(part, total Series) Series {
	return ratio(part, total, 100)
}

// ratio computes num/den*scale for the years both series have, leaving out
// years whose denominator is not positive or whose result is not finite.
func ratio(num, den Series, scale float64) Series {
	out := make(Series, len(num))
	for y, v := range num {
		d, ok := den[y]
		if !ok || !(d > 0) || !finite(v) || !finite(d) {
			continue
		}
		if r := v / d * scale; finite(r) {
			out[y] = r
		}
	}
	return out
}

// Index rebases a series so that the base year is 100, which puts
// municipalities of very different sizes on one chart. When the base year
// is missing or 0 there is no index at all (an empty series), because every
// point would be relative to nothing.
func Index(s Series, base int) Series {
	out := Series{}
	b, ok := s[base]
	if !ok || b == 0 || !finite(b) {
		return out
	}
	for y, v := range s {
		if r := v / b * 100; finite(r) {
			out[y] = r
		}
	}
	return out
}

// Change is the percentage change from year-period to year, e.g. the
// population change over five years. It is not ok when either figure is
// missing, when the earlier figure is 0, or when period is not positive (a
// change over no time is not a figure).
func Change(s Series, year, period int) (pct float64, ok bool) {
	if period <= 0 {
		return 0, false
	}
	now, ok1 := s[year]
	then, ok2 := s[year-period]
	if !ok1 || !ok2 || then == 0 {
		return 0, false
	}
	pct = (now/then - 1) * 100
	if !finite(pct) {
		return 0, false
	}
	return pct, true
}

// ChangeSeries is Change for every year that has a figure period years
// earlier, for a trend of changes.
func ChangeSeries(s Series, period int) Series {
	out := Series{}
	for y := range s {
		if pct, ok := Change(s, y, period); ok {
			out[y] = pct
		}
	}
	return out
}
