package server

import (
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// option is one choice in a select.
type option struct {
	Value, Label string
	Selected     bool
}

func (s *Server) indicatorOptions(selected string, keep func(domain.Indicator) bool) []option {
	var out []option
	for _, ind := range s.deps.Env.Catalogue.All() {
		if keep == nil || keep(ind) {
			out = append(out, option{Value: ind.ID, Label: ind.Name, Selected: ind.ID == selected})
		}
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

// municipalityOptions lists members first, then every other municipality.
func (s *Server) municipalityOptions(selected string, withNone bool) []option {
	var out []option
	if withNone {
		out = append(out, option{Value: "", Label: "– ingen –", Selected: selected == ""})
	}
	env := s.deps.Env
	for _, c := range env.Members {
		out = append(out, option{Value: c, Label: env.Regions.Name(c) + " (medlem)", Selected: c == selected})
	}
	for _, r := range env.Regions.Municipalities() {
		if !env.IsMember(r.Code) {
			out = append(out, option{Value: r.Code, Label: r.Name, Selected: r.Code == selected})
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
