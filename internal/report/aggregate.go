package report

import (
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
)

// Aggregate is a group's reference figure for one year: the median and
// mean over the members that count that year, how many that was (N) and
// how many the group has (Of).
//
// It is always taken over the members' own measured figures: for a change
// or an index each member's own change or index first (so only members
// with both years count), then the median of those. A change of the
// median would compare two different sets of municipalities whenever a
// member lacks a year, which is how the network once "grew" by 41 %.
type Aggregate struct {
	Median, Mean float64
	N, Of        int
}

// Partial reports whether fewer than all members counted: the page then
// says "n av N medlemmar" and draws the point hollow.
func (a Aggregate) Partial() bool { return a.N < a.Of }

// CountNote is "n av N medlemmar" when some but not every member
// counted, else "" (with none there is no figure to qualify).
func (a Aggregate) CountNote() string {
	if !a.Partial() || a.N == 0 {
		return ""
	}
	return strconv.Itoa(a.N) + " av " + strconv.Itoa(a.Of) + " medlemmar"
}

// aggregateYear takes the median and mean of the members' measured values
// in one year. series is aligned with the group's members; a member
// without a value that year does not count. Not ok when none counts.
func aggregateYear(series []derive.Series, year int) (Aggregate, bool) {
	list := make([]float64, 0, len(series))
	for _, s := range series {
		if v, ok := s[year]; ok {
			list = append(list, v)
		}
	}
	st, ok := derive.StatsOf(list)
	if !ok {
		return Aggregate{Of: len(series)}, false
	}
	return Aggregate{Median: st.Median, Mean: st.Mean, N: st.N, Of: len(series)}, true
}

// aggregateSeries is aggregateYear for each year; years where no member
// counts are absent.
func aggregateSeries(series []derive.Series, years []int) map[int]Aggregate {
	out := make(map[int]Aggregate, len(years))
	for _, y := range years {
		if a, ok := aggregateYear(series, y); ok {
			out[y] = a
		}
	}
	return out
}

// medianSeries picks the medians out of an aggregate series.
func medianSeries(aggs map[int]Aggregate) derive.Series {
	out := make(derive.Series, len(aggs))
	for y, a := range aggs {
		out[y] = a.Median
	}
	return out
}
