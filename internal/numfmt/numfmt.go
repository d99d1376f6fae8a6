// Package numfmt writes numbers the Swedish way (1 234 567,8), for pages,
// chart labels and anything else people read. One place, so a chart's
// legend and its table can never format the same number differently.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// nbsp keeps "1 234" and "12,3 %" on one line.
const nbsp = "\u00a0"

// Number formats v with the given decimals: a no-break space between
// thousands, a decimal comma and a real minus sign ("−1 234,5").
// NaN and infinities are "–": they are no figure.
func Number(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(",")
		b.WriteString(frac)
	}
	return b.String()
}

// WithUnit appends the unit where Swedish writes it after the number
// ("12,3 %"); counts are written bare.
func WithUnit(v float64, decimals int, unit string) string {
	s := Number(v, decimals)
	if unit == "%" && s != "–" {
		return s + nbsp + "%"
	}
	return s
}
