package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var weekdays = []string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

var months = []string{"", "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// DescribeSpec says a cron spec in Swedish for the admin page, e.g.
// "CRON_TZ=Europe/Stockholm 0 4 2 * *" is "den 2 varje månad kl. 04:00
// (Europe/Stockholm)". Specs it cannot put in words come back as they are,
// so the page never hides the truth behind a wrong paraphrase.
func DescribeSpec(spec string) string {
	spec = strings.TrimSpace(spec)
	rest, zone := spec, ""
	for _, p := range []string{"CRON_TZ=", "TZ="} {
		if strings.HasPrefix(rest, p) {
			z, r, _ := strings.Cut(strings.TrimPrefix(rest, p), " ")
			zone, rest = z, strings.TrimSpace(r)
		}
	}
	words, ok := describe(rest)
	if !ok {
		return spec
	}
	if zone != "" {
		words += " (" + zone + ")"
	}
	return words
}

func describe(spec string) (string, bool) {
	switch spec {
	case "@yearly", "@annually":
		return "den 1 januari varje år kl. 00:00", true
	case "@monthly":
		return "den 1 varje månad kl. 00:00", true
	case "@weekly":
		return "varje söndag kl. 00:00", true
	case "@daily", "@midnight":
		return "varje dag kl. 00:00", true
	case "@hourly":
		return "varje hel timme", true
	}
	if d, ok := strings.CutPrefix(spec, "@every "); ok {
		dur, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil {
			return "", false
		}
		return "var " + dur.String(), true
	}
	f := strings.Fields(spec)
	if len(f) != 5 {
		return "", false
	}
	minute, okM := number(f[0], 0, 59)
	hour, okH := number(f[1], 0, 23)
	if !okM || !okH {
		return "", false
	}
	at := fmt.Sprintf("kl. %02d:%02d", hour, minute)
	dom, month, dow := f[2], f[3], f[4]
	switch {
	case dom == "*" && month == "*" && dow == "*":
		return "varje dag " + at, true
	case dom == "*" && month == "*":
		if d, ok := number(dow, 0, 6); ok {
			return "varje " + weekdays[d] + " " + at, true
		}
	case dow == "*" && month == "*":
		if d, ok := number(dom, 1, 31); ok {
			return fmt.Sprintf("den %d varje månad %s", d, at), true
		}
	case dow == "*":
		d, ok1 := number(dom, 1, 31)
		m, ok2 := number(month, 1, 12)
		if ok1 && ok2 {
			return fmt.Sprintf("den %d %s varje år %s", d, months[m], at), true
		}
	}
	return "", false
}

func number(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}
