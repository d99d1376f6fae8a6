package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/collectors/kolada"
	"github.com/svenskaindustrikommuner/dashboard/collectors/scb"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// namedChecker is a source's collector as the check sees it.
type namedChecker struct {
	name    string
	enabled bool
	checker domain.Checker
}

// checkers builds the collectors from config alone: the check opens no
// database and writes nothing.
func (a *app) checkers() []namedChecker {
	regions := a.cfg.RegionIndex()
	s := a.cfg.Sources
	return []namedChecker{
		{"scb", s.SCB.Enabled, scb.New(s.SCB, regions, scb.WithLogger(a.log), scb.WithClock(a.clock))},
		{"kolada", s.Kolada.Enabled, kolada.New(a.cfg.KoladaSource(), regions, kolada.WithLogger(a.log), kolada.WithClock(a.clock))},
	}
}

// collectCheck is `dashboard collect --check`: every configured table and
// KPI against the source's metadata, one line per variable; exit 1 when
// anything is not as configured.
func collectCheck(ctx context.Context, a *app, cfgPath, which string) error {
	cfg, err := config.Load(cfgPath, a.getenv)
	if err != nil {
		return err
	}
	a.cfg = cfg
	var known []string
	for _, c := range a.checkers() {
		known = append(known, c.name)
	}
	if which != "all" && !slices.Contains(known, which) {
		return &exitError{code: 2, msg: fmt.Sprintf("okänd källa %q: välj %s eller all", which, strings.Join(known, ", "))}
	}
	var bad []string
	for _, c := range a.checkers() {
		if which != "all" && c.name != which || which == "all" && !c.enabled {
			continue
		}
		res, err := c.checker.Check(ctx)
		if err != nil {
			a.printf("%s: kontrollen kunde inte köras – %s\n", domain.SourceKind(c.name).Label(), domain.UserMessage(err, err.Error()))
			bad = append(bad, c.name)
			continue
		}
		printCheck(a, res)
		if !res.OK() {
			bad = append(bad, c.name)
		}
	}
	if len(bad) > 0 {
		return &exitError{code: 1, msg: "konfigurationen stämmer inte med källans metadata för " + strings.Join(bad, ", ")}
	}
	return nil
}

func printCheck(a *app, res domain.ConfigCheck) {
	label := domain.SourceKind(res.Source).Label()
	wrong := 0
	for _, it := range res.Items {
		mark := "ok"
		if !it.OK() {
			mark, wrong = "FEL", wrong+1
		}
		a.printf("%s %s → %s: %s\n", label, it.Ref, it.Indicator, mark)
		for _, l := range it.Lines {
			m := "ok "
			if !l.OK {
				m = "FEL"
			}
			a.printf("  %s %s: %s → %s\n", m, l.Subject, l.Want, l.Found)
		}
	}
	if wrong == 0 {
		a.printf("%s: allt stämmer (%d poster).\n", label, len(res.Items))
		return
	}
	a.printf("%s: %d av %d poster stämmer inte.\n", label, wrong, len(res.Items))
}
