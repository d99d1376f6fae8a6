package excel

import "strings"

// role is what a header cell says its column holds.
type role int

const (
	roleNone role = iota
	roleRegionCode
	roleRegionName
	roleYear
	roleValue
	roleIndicator
)

// headerRoles are the header names analysts and SCB use, in Swedish and
// English, after normHeader. Several names per role because files come from
// many hands; each name means one role only.
var headerRoles = map[string]role{
	"kommunkod": roleRegionCode, "kommun kod": roleRegionCode, "kommun-kod": roleRegionCode,
	"kommunnummer": roleRegionCode, "kod": roleRegionCode, "regionkod": roleRegionCode,
	"region kod": roleRegionCode, "code": roleRegionCode, "region code": roleRegionCode,
	"municipality code": roleRegionCode, "länskod": roleRegionCode,

	"kommun": roleRegionName, "kommunnamn": roleRegionName, "kommun namn": roleRegionName,
	"namn": roleRegionName, "region": roleRegionName, "kommun/region": roleRegionName,
	"område": roleRegionName, "municipality": roleRegionName, "name": roleRegionName,
	"region name": roleRegionName,

	"år": roleYear, "år/year": roleYear, "årtal": roleYear, "tid": roleYear,
	"year": roleYear, "time": roleYear, "period": roleYear,

	"värde": roleValue, "varde": roleValue, "värden": roleValue, "value": roleValue,
	"antal": roleValue, "siffra": roleValue,

	"indikator": roleIndicator, "indikator-id": roleIndicator, "indikatorid": roleIndicator,
	"indikator id": roleIndicator, "indicator": roleIndicator, "nyckeltal": roleIndicator,
	"mått": roleIndicator, "tabellinnehåll": roleIndicator, "innehåll": roleIndicator,
	"contents": roleIndicator, "table contents": roleIndicator,
}

var roleNames = map[role]string{
	roleRegionCode: "kommunkod", roleRegionName: "kommun", roleYear: "år",
	roleValue: "värde", roleIndicator: "indikator",
}

// normHeader folds a header cell for lookup: case, surrounding space,
// non-breaking spaces, a trailing colon or asterisk and any parenthesised
// remark ("Kommun (kod eller namn)" is "kommun").
func normHeader(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "\u00a0", " "))
	for {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			s = s[:open]
			break
		}
		s = s[:open] + " " + s[open+end+1:]
	}
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, ":* ")
}

func roleOf(cell string) role {
	if cell == "" {
		return roleNone
	}
	return headerRoles[normHeader(cell)]
}
