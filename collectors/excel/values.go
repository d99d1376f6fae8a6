package excel

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Year bounds: anything outside is a typo or not a year at all.
const (
	minYear = 1900
	maxYear = 2100
)

// isMissing reports the markers SCB and spreadsheets use for a figure that is
// not there: ".." (not available), "-" and "–" (nothing to report), "…",
// and an empty cell. A missing figure is no observation, never 0.
func isMissing(s string) bool {
	switch s {
	case "", "..", ".", "...", "-", "–", "—", "…":
		return true
	}
	return false
}

// parseYear accepts a four-digit year 1900–2100, as text or as a number
// cell.
func parseYear(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y := 0
	for i := 0; i < 4; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		y = y*10 + int(c-'0')
	}
	return y, y >= minYear && y <= maxYear
}

// isGroupSep reports the characters people and PxWeb put between thousands:
// space, non-breaking space, thin space, narrow and figure spaces.
func isGroupSep(r rune) bool {
	switch r {
	case ' ', '\u00a0', '\u2009', '\u202f', '\u2007':
		return true
	}
	return false
}

// parseNumber reads a figure as Swedish and Excel write it: decimal comma or
// point, spaces as thousands separators (in groups of three), a leading
// minus (also U+2212), and the exponent form of raw numeric cells. It never
// turns text into 0: anything else returns a Swedish reason. s is trimmed.
// A trailing "%" is accepted only when percentOK (the indicator's unit is %).
func parseNumber(s string, percentOK bool) (float64, string) {
	return parseNumberScaled(s, percentOK, 0)
}

// parseNumberScaled is parseNumber times 10^exp10, scaled in the decimal
// text before conversion: "0.145" with exp10 2 is exactly 14.5, where
// 0.145*100 in floating point is 14.499999999999998.
func parseNumberScaled(s string, percentOK bool, exp10 int) (float64, string) {
	orig := s
	if percentOK {
		if t, ok := strings.CutSuffix(s, "%"); ok {
			s = strings.TrimSpace(t)
		}
	}
	var buf [maxFigureText]byte
	var n numberScan
	out, res := n.scan(buf[:0], s)
	switch res {
	case scanMixed:
		return 0, fmt.Sprintf("Värdet '%s' har både punkt och komma; skriv talet utan tusentalsavgränsare och med decimalkomma", short(orig))
	case scanNotNumber:
		return 0, fmt.Sprintf("Värdet '%s' är inte ett tal", short(orig))
	}
	num := s
	if exp10 != 0 {
		var ok bool
		if num, ok = shiftExponent(out, n.inExp, exp10); !ok {
			num = "" // fails below
		}
	} else if string(out) != s { // the comparison does not allocate; the copy only when cleaned
		num = string(out)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Sprintf("Värdet '%s' är inte ett tal som går att lagra", short(orig))
	}
	return v, ""
}

// maxFigureText bounds a figure's cleaned text; longer is not a figure
// anyone typed.
const maxFigureText = 64

// scanResult is why numberScan refused a text, if it did.
type scanResult int

const (
	scanOK        scanResult = iota
	scanNotNumber            // not a figure
	scanMixed                // both point and comma as separators
)

// numberScan cleans a figure's text into Go's float syntax, checking the
// Swedish grouping rules as it goes. The cleaned text is passed along
// rather than kept here, so that it stays in the caller's stack buffer.
type numberScan struct {
	digits     int // digits in the integer part
	group      int // digits since the last group separator
	groups     int // group separators seen
	sep        byte
	fracDigits int
	expDigits  int
	inExp      bool
}

// scan reads the whole text (a sign, then digits, separators and an
// exponent), appending the cleaned form to out.
func (n *numberScan) scan(out []byte, s string) ([]byte, scanResult) {
	if s == "" {
		return out, scanNotNumber
	}
	i := 0
	if strings.HasPrefix(s, "\u2212") {
		out = append(out, '-')
		i = len("\u2212")
	} else if s[0] == '-' || s[0] == '+' {
		out = append(out, s[0])
		i = 1
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		var res scanResult
		if out, i, res = n.step(out, r, s, i+size); res != scanOK {
			return out, res
		}
		if len(out) >= maxFigureText {
			return out, scanNotNumber
		}
	}
	if n.digits+n.fracDigits == 0 || (n.inExp && n.expDigits == 0) || (n.groups > 0 && n.group != 3 && n.sep == 0) {
		return out, scanNotNumber
	}
	return out, scanOK
}

// step takes one rune r; i is the index after it in s (an exponent's sign
// is taken with the e). It returns out and the index to go on from.
func (n *numberScan) step(out []byte, r rune, s string, i int) ([]byte, int, scanResult) {
	switch {
	case r >= '0' && r <= '9':
		switch {
		case n.inExp:
			n.expDigits++
		case n.sep != 0:
			n.fracDigits++
		default:
			n.digits++
			n.group++
		}
		out = append(out, byte(r))
	case isGroupSep(r):
		// Thousands: first group 1–3 digits, then exactly 3.
		if n.sep != 0 || n.inExp || n.group == 0 || n.group > 3 || (n.groups > 0 && n.group != 3) {
			return out, i, scanNotNumber
		}
		n.groups++
		n.group = 0
	case r == ',' || r == '.':
		if res := n.decimalSep(byte(r)); res != scanOK {
			return out, i, res
		}
		out = append(out, '.')
	case (r == 'e' || r == 'E') && !n.inExp && n.sep != ',' && n.digits+n.fracDigits > 0:
		n.inExp = true
		out = append(out, 'e')
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			out = append(out, s[i])
			i++
		}
	default:
		return out, i, scanNotNumber
	}
	return out, i, scanOK
}

// decimalSep takes a decimal point or comma: one, before any exponent, and
// after a complete last group when grouped.
func (n *numberScan) decimalSep(c byte) scanResult {
	if n.sep != 0 || n.inExp {
		if n.sep != 0 && c != n.sep {
			return scanMixed
		}
		return scanNotNumber
	}
	if n.groups > 0 && n.group != 3 {
		return scanNotNumber
	}
	n.sep = c
	return scanOK
}

// shiftExponent adds exp10 to the exponent of a cleaned number ("0.785"
// becomes "0.785e2", "7.85e-1" becomes "7.85e1"); ParseFloat then rounds
// the exact decimal once.
func shiftExponent(out []byte, inExp bool, exp10 int) (string, bool) {
	if !inExp {
		return string(out) + "e" + strconv.Itoa(exp10), true
	}
	i := strings.LastIndexByte(string(out), 'e')
	e, err := strconv.Atoi(string(out[i+1:]))
	if err != nil || e > 1<<20 || e < -(1<<20) {
		return "", false
	}
	return string(out[:i]) + "e" + strconv.Itoa(e+exp10), true
}

// formatNumber writes a figure back in Swedish form for messages.
func formatNumber(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// short cuts untrusted text for use inside a message and flattens line
// breaks; the text stays unescaped (the server escapes).
func short(s string) string { return truncate(s, 60) }

// truncate keeps at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, k := 0, 0
	for i := range s {
		if k == n {
			cut = i
			break
		}
		k++
	}
	return s[:cut] + "…"
}
