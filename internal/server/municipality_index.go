package server

import (
	"sync"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/svsort"
)

// Pickers and the /kommuner page show municipalities in one order: the
// network's members first, then each county with its municipalities, all
// in Swedish alphabetical order (Å, Ä, Ö last).

// countyMunicipalities is one county and all its municipalities (members
// included).
type countyMunicipalities struct {
	County         domain.Region
	Municipalities []domain.Region
}

// countyIndex is built once per server: the code list is fixed from start.
type countyIndex struct {
	once     sync.Once
	counties []countyMunicipalities
}

// counties lists every county (Swedish order) with its municipalities.
func (s *Server) counties() []countyMunicipalities {
	s.countyIx.once.Do(func() { s.countyIx.counties = buildCounties(s.deps.Env.Regions) })
	return s.countyIx.counties
}

// sortedMembers is the member list in use (an admin may change it at any
// time, so it is sorted on each call; it is a few dozen names).
func (s *Server) sortedMembers() []domain.Region {
	env := s.deps.Env
	var out []domain.Region
	for _, code := range env.MemberCodes() {
		if r, ok := env.Regions.Get(code); ok {
			out = append(out, r)
		}
	}
	svsort.Slice(out, regionName)
	return out
}

func buildCounties(regions *domain.Regions) []countyMunicipalities {
	var out []countyMunicipalities
	byCounty := map[string]int{}
	for _, r := range regions.Municipalities() {
		i, ok := byCounty[r.CountyCode]
		if !ok {
			county, found := regions.Get(r.CountyCode)
			if !found {
				county = domain.Region{Code: r.CountyCode, Name: "Län " + r.CountyCode}
			}
			i = len(out)
			byCounty[r.CountyCode] = i
			out = append(out, countyMunicipalities{County: county})
		}
		out[i].Municipalities = append(out[i].Municipalities, r)
	}
	for i := range out {
		svsort.Slice(out[i].Municipalities, regionName)
	}
	svsort.Slice(out, func(c countyMunicipalities) string { return c.County.Name })
	return out
}

func regionName(r domain.Region) string { return r.Name }
