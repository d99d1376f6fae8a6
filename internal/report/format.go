package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// nbsp keeps "1 234" and "12,3 %" on one line.
const nbsp = "\u00a0"

// FormatNumber writes a number the Swedish way: a space between thousands,
// a decimal comma, a real minus sign ("−1 234,5").
func FormatNumber(v float64, decimals int) string {
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

// FormatValue formats an optional value with its unit; missing is "–".
func FormatValue(v *float64, decimals int, unit string) string {
	if v == nil {
		return "–"
	}
	s := FormatNumber(*v, decimals)
	switch unit {
	case "%":
		return s + nbsp + "%"
	case "", "personer", "antal", "index", "per 1 000 invånare":
		return s
	}
	return s
}

// FormatChange formats a percentage change with its sign.
func FormatChange(v *float64) string {
	if v == nil {
		return "–"
	}
	s := FormatNumber(*v, 1) + nbsp + "%"
	if *v > 0 {
		return "+" + s
	}
	return s
}

// FormatDate is the Swedish short date used for retrieval dates.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(stockholm).Format("2006-01-02")
}

var stockholm = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.UTC
}()

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}
