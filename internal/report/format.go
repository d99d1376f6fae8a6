package report

import (
	"strconv"
	"time"

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
