package report

import (
	"regexp"
	"unicode/utf8"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
)

// Group keys a page accepts in its grupp parameter besides a Kolada group
// id. The network is the default.
const (
	GroupNetwork       = "natverk"
	GroupCounty        = "lan"
	GroupSimilar       = "liknande"
	GroupSimilarLabour = "liknande-arbetsmarknad"
)

// Group is the set of municipalities a page ranks a municipality among
// and takes its median and mean over: the network's members, the
// municipality's county, or a Kolada group. Every aggregate on a page
// names its group and how many of the group's members it counted.
type Group struct {
	Key    string   // the grupp parameter value ("natverk", "lan", a Kolada id, ...)
	Name   string   // e.g. "Svenska Industrikommuner", "Blekinge län"
	Codes  []string // the group's municipalities, in display order
	Source string   // where the membership comes from, for the page's note
}

// Has reports whether code belongs to the group.
func (g Group) Has(code string) bool {
	for _, c := range g.Codes {
		if c == code {
			return true
		}
	}
	return false
}

// IsNetwork reports whether the group is the network itself.
func (g Group) IsNetwork() bool { return g.Key == "" || g.Key == GroupNetwork }

// Network is the network's member group.
func (e *Env) Network() Group {
	return Group{Key: GroupNetwork, Name: e.NetworkName, Codes: e.MemberCodes(), Source: "nätverkets medlemslista"}
}

// orNetwork is g, or the network when g is empty (views called without a
// group compare with the network, as before groups existed).
func (e *Env) orNetwork(g Group) Group {
	if len(g.Codes) == 0 {
		return e.Network()
	}
	return g
}

// koladaID is the shape of a Kolada group id ("G37489").
var koladaID = regexp.MustCompile(`^G[0-9]{1,9}$`)

// GroupKeys lists the named keys a page offers, in order, with their
// Swedish labels.
func GroupKeys() [][2]string {
	return [][2]string{
		{GroupNetwork, "Nätverket"},
		{GroupCounty, "Länet"},
		{GroupSimilar, "Liknande kommuner (Kolada)"},
		{GroupSimilarLabour, "Liknande kommuner, arbetsmarknad (Kolada)"},
	}
}

// ResolveGroup turns a page's grupp parameter into the group, for the
// municipality code the page is about (lan, liknande and
// liknande-arbetsmarknad need one). An unknown key or id is CodeInvalid
// or CodeNotFound with a Swedish message.
func (e *Env) ResolveGroup(key, code string) (Group, error) {
	switch key {
	case "", GroupNetwork:
		return e.Network(), nil
	}
	var r domain.Region
	if key == GroupCounty || key == GroupSimilar || key == GroupSimilarLabour {
		var ok bool
		if r, ok = e.Regions.Get(code); !ok || r.Kind() != domain.KindMunicipality {
			return Group{}, domain.Invalid("gruppen %q jämför med en vald kommun: välj en kommun först", key)
		}
	}
	switch key {
	case GroupCounty:
		county, _ := e.Regions.Get(r.CountyCode)
		g := Group{Key: key, Name: county.Name, Source: "SCB:s regionindelning: länets alla kommuner"}
		for _, m := range e.Regions.Municipalities() {
			if m.CountyCode == r.CountyCode {
				g.Codes = append(g.Codes, m.Code)
			}
		}
		return g, nil
	case GroupSimilar, GroupSimilarLabour:
		set := e.groupSet()
		theme := groups.ThemeOverall
		if key == GroupSimilarLabour {
			theme = groups.ThemeLabour
		}
		if set == nil {
			return Group{}, domain.NotFound("Koladas kommungrupper finns inte i den här installationen")
		}
		kg, ok := set.Similar(theme, r.Name)
		if !ok {
			return Group{}, domain.NotFound("Kolada har ingen grupp liknande kommuner (%s) för %s", theme, r.Name)
		}
		return e.koladaGroup(key, kg, set), nil
	}
	if koladaID.MatchString(key) {
		set := e.groupSet()
		if set != nil {
			if kg, ok := set.Get(key); ok {
				return e.koladaGroup(key, kg, set), nil
			}
		}
		return Group{}, domain.NotFound("Kolada har ingen kommungrupp %s", key)
	}
	echo := key
	if utf8.RuneCountInString(echo) > 40 {
		echo = string([]rune(echo)[:40]) + "…"
	}
	return Group{}, domain.Invalid("okänd grupp %q: välj natverk, lan, liknande, liknande-arbetsmarknad eller ett Kolada-id som G37489", echo)
}

// koladaGroup keeps the group's municipalities the dashboard knows (a
// Kolada group may hold retired codes) in Kolada's order.
func (e *Env) koladaGroup(key string, kg domain.MunicipalityGroup, set *groups.Set) Group {
	g := Group{Key: key, Name: kg.Title, Source: set.Source() + ", grupp " + kg.ID}
	for _, c := range kg.Members {
		if r, ok := e.Regions.Get(c); ok && r.Kind() == domain.KindMunicipality {
			g.Codes = append(g.Codes, c)
		}
	}
	return g
}

func (e *Env) groupSet() *groups.Set {
	if e.Groups == nil {
		return nil
	}
	return e.Groups.Current()
}
