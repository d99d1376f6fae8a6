package scheduler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// check refuses a collection that would write figures the pages cannot
// place: an indicator outside the catalogue, a region outside the code
// list, or another source kind. Collectors skip what they do not know, so
// this is the last line: junk fails the run instead of reaching the store.
func (s *Scheduler) check(src *source, obs []domain.Observation) error {
	var problems []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			problems = append(problems, p)
		}
	}
	for _, o := range obs {
		if o.Source.Kind != src.Kind {
			add(fmt.Sprintf("källan %q i stället för %q", o.Source.Kind, src.Kind))
		}
		if s.cfg.Catalogue != nil {
			if _, ok := s.cfg.Catalogue.Get(o.Indicator); !ok {
				add(fmt.Sprintf("okänd indikator %q", o.Indicator))
			}
		}
		if s.cfg.Regions != nil {
			if _, ok := s.cfg.Regions.Get(o.Municipality); !ok {
				add(fmt.Sprintf("okänd regionkod %q", o.Municipality))
			}
		}
		if len(problems) >= 5 {
			break
		}
	}
	if len(problems) == 0 {
		return nil
	}
	msg := src.Kind.Label() + " gav siffror som inte kan sparas (" + strings.Join(problems, "; ") + "); inget har ändrats."
	return domain.Errorf(domain.CodeInvalid, msg, fmt.Errorf("%s: %d observations checked: %s", src.Name, len(obs), strings.Join(problems, "; ")))
}

// label names the batch for the batch list: "SCB (1 tabell: TAB638)".
func label(kind domain.SourceKind, obs []domain.Observation) string {
	refs := map[string]bool{}
	for _, o := range obs {
		refs[o.Source.Ref] = true
	}
	list := make([]string, 0, len(refs))
	for r := range refs {
		if r != "" {
			list = append(list, r)
		}
	}
	slices.Sort(list)
	one, many := "serie", "serier"
	switch kind {
	case domain.SourceSCB:
		one, many = "tabell", "tabeller"
	case domain.SourceKolada:
		one, many = "nyckeltal", "nyckeltal"
	}
	noun := many
	if len(list) == 1 {
		noun = one
	}
	s := fmt.Sprintf("%s (%d %s", kind.Label(), len(list), noun)
	if len(list) > 0 && len(list) <= 6 {
		s += ": " + strings.Join(list, ", ")
	}
	return s + ")"
}
