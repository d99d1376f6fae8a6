package report

import (
	"strings"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/numfmt"
)

// FormatNumber writes a number the Swedish way (see numfmt.Number).
func FormatNumber(v float64, decimals int) string { return numfmt.Number(v, decimals) }

// FormatValue formats an optional value with its unit; missing is "–".
func FormatValue(v *float64, decimals int, unit string) string {
	if v == nil {
		return "–"
	}
	return numfmt.WithUnit(*v, decimals, unit)
}

// FormatChange formats a percentage change with its sign.
func FormatChange(v *float64) string {
	if v == nil {
		return "–"
	}
	s := numfmt.WithUnit(*v, 1, "%")
	if *v > 0 {
		return "+" + s
	}
	return s
}

// ChangeUnit is how a change of the indicator over some years is given:
// "%" (relative change) where a change in percent fits it, "p.e."
// (procentenheter, a difference) for other percentages, else the
// difference in the indicator's own unit (a net figure's change in
// percent would divide by a number that may be 0 or change sign).
func ChangeUnit(ind domain.Indicator) string {
	switch {
	case derive.MeasureChange.Applies(ind):
		return "%"
	case ind.Unit == "%":
		return "p.e."
	}
	return ind.Unit
}

// changeOf is the change of s to year over period years, as ChangeUnit
// says: relative in percent or a difference.
func changeOf(ind domain.Indicator, s derive.Series, year, period int) *float64 {
	if ChangeUnit(ind) == "%" {
		return ptr(derive.Change(s, year, period))
	}
	now, ok1 := s[year]
	then, ok2 := s[year-period]
	return ptr(now-then, ok1 && ok2 && period > 0)
}

// FormatChangeFor formats a change of the indicator with its sign and
// ChangeUnit ("+1,2 %", "−0,4 p.e.", "+35").
func FormatChangeFor(v *float64, ind domain.Indicator) string {
	unit := ChangeUnit(ind)
	if unit == "%" || v == nil {
		return FormatChange(v)
	}
	dec := ind.Decimals
	if unit == "p.e." {
		dec = 1
	}
	s := numfmt.Number(*v, dec)
	if *v > 0 && strings.Trim(s, "0,") != "" {
		s = "+" + s
	}
	if unit == "p.e." {
		s += "\u00a0p.e."
	}
	return s
}

// FormatDate is the Swedish short date used for retrieval dates.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(clock.Stockholm).Format("2006-01-02")
}

// truncateRunes bounds how much of a value from a URL is echoed back.
func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
