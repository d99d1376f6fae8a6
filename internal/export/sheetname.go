package export

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// maxSheetName is Excel's limit, counted in UTF-16 units.
const maxSheetName = 31

// sourcesSheet is the name of the provenance sheet every workbook ends with.
const sourcesSheet = "Källor"

// sheetReplacer maps the characters Excel forbids in sheet names to
// look-alikes, so "Jobb [SNI B+C]" stays readable as "Jobb (SNI B+C)".
var sheetReplacer = strings.NewReplacer(
	"[", "(", "]", ")",
	":", "-", "/", "-", `\`, "-",
	"*", "_", "?", "_",
)

// SafeSheetName turns a title into a name Excel accepts: no []:*?/\ or
// control characters, no apostrophe at either end, at most 31 characters,
// not blank and not the reserved "History". Excel refuses to open a
// workbook that breaks these rules, and titles come from users' choices.
// Uniqueness within a workbook is WriteXLSX's job.
func SafeSheetName(s string) string {
	s = sheetReplacer.Replace(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = trimSheetEnds(truncateUTF16(trimSheetEnds(s), maxSheetName))
	if s == "" {
		return "Blad"
	}
	if strings.EqualFold(s, "History") {
		return "History_"
	}
	return s
}

// trimSheetEnds removes spaces and apostrophes at either end.
func trimSheetEnds(s string) string {
	return strings.Trim(s, " '")
}

// truncateUTF16 cuts s to at most n UTF-16 units without splitting a rune.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

// uniqueSheetNames names every table's sheet, safe and unique (Excel
// compares names case-insensitively), never clashing with the sources
// sheet. A repeated name gets " (2)", " (3)", ... within the length limit.
func uniqueSheetNames(tables []Table) []string {
	taken := map[string]bool{strings.ToLower(sourcesSheet): true}
	names := make([]string, len(tables))
	for i, t := range tables {
		base := t.Sheet
		if strings.TrimSpace(base) == "" {
			base = t.Title
		}
		base = SafeSheetName(base)
		name := base
		for n := 2; taken[strings.ToLower(name)]; n++ {
			suffix := " (" + strconv.Itoa(n) + ")"
			name = trimSheetEnds(truncateUTF16(base, maxSheetName-len(suffix))) + suffix
		}
		taken[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}
