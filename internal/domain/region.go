package domain

import "strings"

// RegionKind tells riket, a county (län) and a municipality (kommun) apart.
// SCB's region codes carry the kind in their length, so the kind is derived
// from the code rather than stored twice.
type RegionKind int

const (
	KindUnknown RegionKind = iota
	KindCountry
	KindCounty
	KindMunicipality
)

// RiketCode is SCB's code for the whole of Sweden.
const RiketCode = "00"

// KindOf classifies an SCB region code: "00" riket, two digits a county,
// four digits a municipality. Anything else is unknown.
func KindOf(code string) RegionKind {
	for _, r := range code {
		if r < '0' || r > '9' {
			return KindUnknown
		}
	}
	switch {
	case code == RiketCode:
		return KindCountry
	case len(code) == 2:
		return KindCounty
	case len(code) == 4:
		return KindMunicipality
	}
	return KindUnknown
}

// Region is riket, a county or a municipality as SCB names it.
type Region struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	CountyCode string `json:"county_code,omitempty"`
}

// Kind is derived from the code.
func (r Region) Kind() RegionKind { return KindOf(r.Code) }

// Regions is the code list with lookups by code and by name. Build it with
// NewRegions; the zero value is empty.
type Regions struct {
	list   []Region
	byCode map[string]int
	byName map[string]int
}

// NewRegions indexes a code list. Duplicate codes keep the first entry.
func NewRegions(list []Region) *Regions {
	rs := &Regions{list: append([]Region(nil), list...), byCode: map[string]int{}, byName: map[string]int{}}
	for i, r := range rs.list {
		if _, dup := rs.byCode[r.Code]; !dup {
			rs.byCode[r.Code] = i
		}
		if r.Kind() == KindMunicipality {
			rs.byName[NormalizeName(r.Name)] = i
		}
	}
	return rs
}

// All returns every region in list order (riket, counties, municipalities as
// configured).
func (rs *Regions) All() []Region { return rs.list }

// Get looks a region up by code.
func (rs *Regions) Get(code string) (Region, bool) {
	i, ok := rs.byCode[code]
	if !ok {
		return Region{}, false
	}
	return rs.list[i], true
}

// Municipalities returns the 290 municipalities (four-digit codes).
func (rs *Regions) Municipalities() []Region {
	var out []Region
	for _, r := range rs.list {
		if r.Kind() == KindMunicipality {
			out = append(out, r)
		}
	}
	return out
}

// Name returns the region's name, or the code itself when unknown, so a
// page never shows an empty label.
func (rs *Regions) Name(code string) string {
	if r, ok := rs.Get(code); ok {
		return r.Name
	}
	return code
}

// Resolve recognises a municipality the way people write it in
// spreadsheets: "1060", "1060 Olofström", "Olofström", "olofströms kommun",
// "Malung-Sälen". It returns riket and counties by code only.
func (rs *Regions) Resolve(s string) (Region, bool) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "\u00a0"))
	if s == "" {
		return Region{}, false
	}
	if r, ok := rs.Get(s); ok {
		return r, true
	}
	// "1060 Olofström" as in SCB's exports: trust the code, but only when
	// the name (if any) does not contradict it.
	if code, rest, ok := strings.Cut(s, " "); ok && KindOf(code) != KindUnknown {
		if r, ok := rs.Get(code); ok {
			rest = strings.TrimSpace(rest)
			if rest == "" || NormalizeName(rest) == NormalizeName(r.Name) || strings.EqualFold(rest, r.Name) {
				return r, true
			}
			if rest != "" && r.Kind() != KindMunicipality {
				return r, true
			}
			return Region{}, false
		}
	}
	n := NormalizeName(s)
	if i, ok := rs.byName[n]; ok {
		return rs.list[i], true
	}
	// "Olofströms kommun": the genitive s goes with the word "kommun".
	if strings.HasSuffix(strings.ToLower(strings.TrimSpace(s)), "kommun") {
		if i, ok := rs.byName[strings.TrimSuffix(n, "s")]; ok {
			return rs.list[i], true
		}
	}
	if strings.EqualFold(s, "riket") || strings.EqualFold(s, "hela riket") || strings.EqualFold(s, "sverige") {
		return rs.Get(RiketCode)
	}
	return Region{}, false
}

// NormalizeName folds case, surrounding space, a trailing "kommun" (with
// the genitive s of "Olofströms kommun") and hyphen/space variants so that
// names typed by people match SCB's names. Swedish letters are kept: "Ale"
// and "Åle" are different places.
func NormalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.Join(strings.Fields(s), " ")
	// "Olofströms kommun" becomes "olofströms"; Resolve then also tries
	// without the genitive s, because "Borås" and "Kramfors" end in s anyway.
	s = strings.TrimSuffix(s, " kommun")
	s = strings.ReplaceAll(s, " - ", "-")
	s = strings.ReplaceAll(s, "–", "-")
	return s
}
