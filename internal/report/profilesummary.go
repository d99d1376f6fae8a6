package report

import (
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/numfmt"
)

// SummaryRow is one indicator in the block a profile opens with: what a
// chief reads in ten seconds. Every figure is for the same year, the
// municipality's latest.
type SummaryRow struct {
	Indicator domain.Indicator
	Year      int
	// Preliminary: the municipality's figure is preliminary ("2025*").
	Preliminary bool
	Value       *float64
	Rank        int // 1 = highest within the group and the municipality; 0 when missing
	Ranked      int // how many had a figure that year
	Median      *float64
	// MedianNote is "n av N medlemmar" when the median counted fewer than
	// all the group's members.
	MedianNote string
	// Diff is Value − Median, in the indicator's unit (percentage points
	// for a rate).
	Diff       *float64
	County     *float64
	CountyNote string // "summa av kommunerna" when summed
	Riket      *float64
	RiketNote  string
	// Quartile is 1 (the top quarter of the group) to 4 (the bottom),
	// 0 when fewer than four had a figure.
	Quartile int
}

// QuartileText says the quartile in words, so it is never colour alone.
func (r SummaryRow) QuartileText() string {
	switch r.Quartile {
	case 1:
		return "Översta fjärdedelen"
	case 2:
		return "Andra fjärdedelen"
	case 3:
		return "Tredje fjärdedelen"
	case 4:
		return "Nedersta fjärdedelen"
	}
	return "För få siffror för kvartil"
}

// quartileOf places rank r among n (1 = highest) in a quarter: the top
// quarter holds ranks 1..n/4 (rounded up), and so on. Fewer than four
// values make no quartiles.
func quartileOf(rank, n int) int {
	if rank < 1 || n < 4 {
		return 0
	}
	return (rank-1)*4/n + 1
}

// summarise builds the summary rows and names the indicators without a
// figure for the municipality.
func (v *ProfileView) summarise() {
	for _, pi := range v.Indicators {
		if pi.Latest == nil {
			v.NoFigures = append(v.NoFigures, pi.Indicator)
			continue
		}
		j := -1
		for i, y := range pi.Years {
			if y == pi.LatestYear {
				j = i
			}
		}
		if j < 0 {
			continue
		}
		r := SummaryRow{Indicator: pi.Indicator, Year: pi.LatestYear, Preliminary: pi.LatestPreliminary, Value: pi.Latest, Rank: pi.Ranks[j], Ranked: pi.Ranked[j],
			Median: pi.Median[j], MedianNote: pi.MedianNote(j), County: pi.County[j], CountyNote: pi.CountyNote(j),
			Riket: pi.Riket[j], RiketNote: pi.RiketNote(j)}
		if r.Median != nil {
			r.Diff = ptr(*r.Value-*r.Median, true)
		}
		r.Quartile = quartileOf(r.Rank, r.Ranked)
		v.Summary = append(v.Summary, r)
	}
}

// StraddledBreaks are the indicator's series breaks that the
// municipality's own figures straddle (figures before and from the break
// year): only then does the break matter to a reader.
func (pi ProfileIndicator) StraddledBreaks() []domain.SeriesBreak {
	var out []domain.SeriesBreak
	for _, b := range pi.Indicator.Breaks {
		before, after := false, false
		for i, y := range pi.Years {
			if pi.Own[i] == nil {
				continue
			}
			if y < b.Year {
				before = true
			} else {
				after = true
			}
		}
		if before && after {
			out = append(out, b)
		}
	}
	return out
}

// DiffText is the difference to the median with its sign ("−12 753";
// a rate's in percentage points, "+2,1 procentenheter"), or "–".
func (r SummaryRow) DiffText() string {
	if r.Diff == nil {
		return "–"
	}
	s := numfmt.Number(*r.Diff, r.Indicator.Decimals)
	if r.Indicator.Unit == "%" {
		s += "\u00a0procentenheter"
	}
	if *r.Diff > 0 {
		return "+" + s
	}
	return s
}
