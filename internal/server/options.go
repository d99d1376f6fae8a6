package server

import (
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// option is one choice in a select; consecutive options with the same
// non-empty Group are written inside one <optgroup>.
type option struct {
	Value, Label string
	Selected     bool
	Group        string
}

// indicatorOptions lists the indicators grouped by theme. selected may be
// a gender split's id: its indicator is the one selected.
func (s *Server) indicatorOptions(selected string, keep func(domain.Indicator) bool) []option {
	if ind, ok := s.deps.Env.Catalogue.Get(selected); ok && ind.Base != "" {
		selected = ind.Base
	}
	var out []option
	for _, g := range s.deps.Env.Catalogue.Groups() {
		for _, ind := range g.Indicators {
			if keep == nil || keep(ind) {
				out = append(out, option{Value: ind.ID, Label: ind.Name, Selected: ind.ID == selected, Group: g.Theme.Name})
			}
		}
	}
	return out
}

// themeOptions is the theme picker: all themes first, then each theme
// with indicators.
func (s *Server) themeOptions(selected string) []option {
	out := []option{{Value: "alla", Label: "Alla teman", Selected: selected == ""}}
	for _, g := range s.deps.Env.Catalogue.Groups() {
		out = append(out, option{Value: g.Theme.ID, Label: g.Theme.Name, Selected: g.Theme.ID == selected})
	}
	return out
}

// genderOptions is the Kön picker for an indicator with splits (nil
// without): ind is the indicator shown, a split or the total.
func (s *Server) genderOptions(ind domain.Indicator) []option {
	base := ind
	if ind.Base != "" {
		base, _ = s.deps.Env.Catalogue.Get(ind.Base)
	}
	if len(base.Genders) == 0 {
		return nil
	}
	out := []option{{Value: domain.GenderTotal, Label: "Totalt", Selected: ind.Gender == ""}}
	for _, g := range base.Genders {
		label := "Kvinnor"
		if g == domain.GenderMen {
			label = "Män"
		}
		out = append(out, option{Value: g, Label: label, Selected: ind.Gender == g})
	}
	return out
}

func measureOptions(ms []derive.Measure, selected derive.Measure) []option {
	out := make([]option, 0, len(ms))
	for _, m := range ms {
		out = append(out, option{Value: string(m), Label: m.Label(), Selected: m == selected})
	}
	return out
}

func yearOptions(years []int, selected int) []option {
	out := make([]option, 0, len(years))
	for i := len(years) - 1; i >= 0; i-- {
		y := years[i]
		out = append(out, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == selected})
	}
	return out
}

// municipalityOptions lists the members first, then every other
// municipality under its county (one <optgroup> each), all in Swedish
// alphabetical order. app.js adds a search box to such a select
// (data-search).
func (s *Server) municipalityOptions(selected string, withNone bool) []option {
	out := make([]option, 0, 300)
	if withNone {
		out = append(out, option{Value: "", Label: "– ingen –", Selected: selected == ""})
	}
	for _, r := range s.sortedMembers() {
		out = append(out, option{Value: r.Code, Label: r.Name, Selected: r.Code == selected, Group: "Medlemmar"})
	}
	env := s.deps.Env
	for _, c := range s.counties() {
		for _, r := range c.Municipalities {
			if !env.IsMember(r.Code) {
				out = append(out, option{Value: r.Code, Label: r.Name, Selected: r.Code == selected, Group: c.County.Name})
			}
		}
	}
	return out
}

// optionGroup is one <optgroup>'s worth of options, for pickers drawn as
// checkboxes; Checked counts the selected ones.
type optionGroup struct {
	Name    string
	Options []option
	Checked int
}

// groupedOptions splits options into runs of the same Group.
func groupedOptions(opts []option) []optionGroup {
	var out []optionGroup
	for _, o := range opts {
		if len(out) == 0 || out[len(out)-1].Name != o.Group {
			out = append(out, optionGroup{Name: o.Group})
		}
		g := &out[len(out)-1]
		g.Options = append(g.Options, o)
		if o.Selected {
			g.Checked++
		}
	}
	return out
}

// groupOptions lists the comparison groups a page offers; a Kolada group
// id in the URL is kept as a choice of its own.
func groupOptions(g report.Group) []option {
	var out []option
	known := false
	for _, kv := range report.GroupKeys() {
		sel := kv[0] == g.Key || (kv[0] == report.GroupNetwork && g.IsNetwork())
		known = known || sel
		out = append(out, option{Value: kv[0], Label: kv[1], Selected: sel})
	}
	if !known {
		out = append(out, option{Value: g.Key, Label: g.Name + " (" + g.Key + ")", Selected: true})
	}
	return out
}
