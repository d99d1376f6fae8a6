package excel

// pctClass says whether a cell's number format shows its value multiplied
// by 100. Excel stores 0.785 in a cell formatted "0.0%" and shows 78.5%;
// the reader takes raw values, so it must know which cells those are.
type pctClass uint8

const (
	pctNone pctClass = iota
	// pctAll: every number the format shows is scaled ("0%", "0.0%").
	pctAll
	// pctMixed: only some sections scale ("0;-0%"), so what the analyst
	// sees depends on the value; the reader does not guess.
	pctMixed
)

// Excel's built-in percent formats: 9 is "0%", 10 is "0.00%". No other
// built-in format scales.
const (
	numFmtPercent        = 9
	numFmtPercentDecimal = 10
)

// classifyNumFmtID resolves a cellXfs numFmtId the way excelize's formatter
// does: a format the workbook defines first, then the built-in ids.
func classifyNumFmtID(id int, custom map[int]string) pctClass {
	if code, ok := custom[id]; ok {
		return classifyNumFmt(code)
	}
	if id == numFmtPercent || id == numFmtPercentDecimal {
		return pctAll
	}
	return pctNone
}

// classifyNumFmt reads a format code. A "%" scales only when it is a format
// character: quoted ("0.0"%""), escaped (0.0\%), padded (_%), repeated (*%)
// or inside brackets it is literal text and the number is shown as stored.
// Sections are positive;negative;zero;text. The zero section never matters
// (0 x 100 is 0) unless conditions ([>=10]) reassign the sections; the text
// section never shows a number.
func classifyNumFmt(code string) pctClass {
	sections, conditional := numFmtSections(code)
	considered := sections
	limit := 2
	if conditional {
		limit = 3
	}
	if len(considered) > limit {
		considered = considered[:limit]
	}
	with, without := 0, 0
	for _, s := range considered {
		switch {
		case s.empty:
			// An empty section hides its numbers; it shows nothing to scale.
		case s.percent:
			with++
		default:
			without++
		}
	}
	switch {
	case with == 0:
		return pctNone
	case without == 0:
		return pctAll
	}
	return pctMixed
}

type numFmtSection struct {
	percent bool
	empty   bool
}

// numFmtSections splits a format code at unquoted ";" and notes per section
// whether it has a scaling "%", and whether any section has a condition.
func numFmtSections(code string) (sections []numFmtSection, conditional bool) {
	cur := numFmtSection{empty: true}
	inQuote, inBracket := false, false
	bracketStart := false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			cur.empty = false
			if c == '"' {
				inQuote = false
			}
		case inBracket:
			cur.empty = false
			if bracketStart && (c == '<' || c == '>' || c == '=') {
				conditional = true
			}
			bracketStart = false
			if c == ']' {
				inBracket = false
			}
		case c == ';':
			sections = append(sections, cur)
			cur = numFmtSection{empty: true}
		case c == '"':
			inQuote = true
			cur.empty = false
		case c == '[':
			inBracket, bracketStart = true, true
			cur.empty = false
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal (or a width or a fill)
			cur.empty = false
		case c == '%':
			cur.percent = true
			cur.empty = false
		case c == ' ':
			// A section of spaces alone hides its numbers like an empty one.
		default:
			cur.empty = false
		}
	}
	sections = append(sections, cur)
	return sections, conditional
}

// isNumericCellType reports the cell types ("t" attribute) whose value is a
// number that a number format applies to; text, booleans, dates written as
// text and errors are shown as they are.
func isNumericCellType(t string) bool {
	return t == "" || t == "n"
}
