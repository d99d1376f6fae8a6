package derive

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Measure is the page's "mått" switch: how one municipality's series is
// shown. Its values are the query-string values, so permalinks stay stable
// and readable.
type Measure string

// The measures a page offers.
const (
	MeasureAbsolute Measure = "absolut"    // the figure as stored
	MeasurePer1000  Measure = "per1000"    // per 1,000 inhabitants
	MeasureShare    Measure = "andel"      // share of all employed (day population)
	MeasureChange   Measure = "forandring" // percentage change over Inputs.Period years
	MeasureIndex    Measure = "index"      // index, Inputs.Base = 100
)

// Measures lists every measure in the order the switch shows them.
func Measures() []Measure {
	return []Measure{MeasureAbsolute, MeasurePer1000, MeasureShare, MeasureChange, MeasureIndex}
}

// maxEcho bounds how much of an unknown value is repeated back in an error
// message: the value comes from a URL and may be arbitrarily long.
const maxEcho = 40

// ParseMeasure reads the "matt" query parameter. An empty value is the
// default (absolut), so a bare page URL works; anything unknown is a
// CodeInvalid error with a Swedish message naming the value, so the server
// can answer 400 instead of silently showing another measure.
func ParseMeasure(s string) (Measure, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "" {
		return MeasureAbsolute, nil
	}
	for _, m := range Measures() {
		if v == string(m) {
			return m, nil
		}
	}
	echo := s
	if utf8.RuneCountInString(echo) > maxEcho {
		echo = string([]rune(echo)[:maxEcho]) + "…"
	}
	return "", &domain.Error{
		Code:    domain.CodeInvalid,
		Message: fmt.Sprintf("Okänt mått %q. Välj absolut, per1000, andel, forandring eller index.", echo),
		Err:     fmt.Errorf("derive: unknown measure %q", echo),
	}
}

// Label is the Swedish heading for the measure's axis and table column.
func (m Measure) Label() string {
	switch m {
	case MeasureAbsolute:
		return "Antal"
	case MeasurePer1000:
		return "Per 1 000 invånare"
	case MeasureShare:
		return "Andel av alla sysselsatta (%)"
	case MeasureChange:
		return "Förändring (%)"
	case MeasureIndex:
		return "Index (bas = 100)"
	}
	return string(m)
}

// Applies reports whether the measure means anything for the indicator, so
// the page can grey out the rest of the switch. Per 1,000 and share make no
// sense for rates (a percentage per inhabitant); share is only for counts
// of jobs, whose denominator is all jobs. Two self-references are excluded
// too: population per 1,000 inhabitants is always 1,000, and all jobs as a
// share of all jobs is always 100 %. An indicator that lists its Measures
// (from its source's definition) narrows the choice further.
func (m Measure) Applies(ind domain.Indicator) bool {
	if len(ind.Measures) > 0 && !slices.Contains(ind.Measures, string(m)) {
		return false
	}
	switch m {
	case MeasureAbsolute, MeasureChange, MeasureIndex:
		return true
	case MeasurePer1000:
		return !ind.Rate && ind.ID != domain.IndicatorPopulation
	case MeasureShare:
		return ind.Jobs && !ind.Rate && ind.ID != domain.IndicatorEmployedDay
	}
	return false
}

// Inputs is what Apply may need for one municipality: the indicator's own
// series, the population (for per1000), all jobs (employed_day, for andel),
// the base year (index) and the period in years (forandring). Series a
// measure does not use may be nil.
type Inputs struct {
	Values, Population, TotalJobs Series
	Base, Period                  int
}

// Apply computes the measure for one municipality. It chooses no defaults:
// a Base year without a figure gives an empty index and a Period <= 0 an
// empty change series, so the page shows "saknas" rather than a number
// relative to something the reader did not choose. An unknown measure gives
// an empty series. The result never aliases in.Values.
func Apply(m Measure, in Inputs) Series {
	switch m {
	case MeasureAbsolute:
		out := make(Series, len(in.Values))
		for y, v := range in.Values {
			if finite(v) {
				out[y] = v
			}
		}
		return out
	case MeasurePer1000:
		return Per1000(in.Values, in.Population)
	case MeasureShare:
		return Share(in.Values, in.TotalJobs)
	case MeasureChange:
		return ChangeSeries(in.Values, in.Period)
	case MeasureIndex:
		return Index(in.Values, in.Base)
	}
	return Series{}
}
