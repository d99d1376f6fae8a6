package scb

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Check reads every configured table's metadata (no data) and says, for
// each spec, what each chosen value resolves to, whether the variables
// left out may be left out, and whether the years exist. It is the very
// resolution a run uses, so a check that passes means the run will ask
// for exactly these cells.
func (c *Collector) Check(ctx context.Context) (domain.ConfigCheck, error) {
	out := domain.ConfigCheck{Source: c.Name()}
	if err := c.cfg.Validate(); err != nil {
		return out, domain.Errorf(domain.CodeInvalid, "SCB-konfigurationen är felaktig.", err)
	}
	n := 0
	metas := metaCache{c: c, n: &n, got: map[string]metaResult{}}
	for _, spec := range c.cfg.Tables {
		item := domain.CheckItem{Ref: spec.ID, Indicator: spec.Indicator}
		meta, err := metas.get(ctx, spec.ID)
		if err != nil {
			item.Lines = append(item.Lines, domain.CheckLine{Subject: "tabell", Want: spec.ID, Found: "metadata kunde inte läsas: " + err.Error()})
			out.Items = append(out.Items, item)
			continue
		}
		item.Lines = append(item.Lines, checkSpec(ctx, meta, spec, &metas)...)
		out.Items = append(out.Items, item)
	}
	return out, nil
}

func checkSpec(ctx context.Context, meta *Dataset, spec config.SCBTable, metas *metaCache) []domain.CheckLine {
	var lines []domain.CheckLine
	all := map[string]int{}
	for _, r := range Resolve(meta, spec) {
		if r.Want == "*" {
			all[r.Variable]++
			continue
		}
		l := domain.CheckLine{Subject: r.Variable, Want: r.Want, OK: r.Found()}
		switch {
		case r.Found() && r.ByLabel:
			l.Found = r.Code + " (" + r.Label + "), via etiketten"
		case r.Found():
			l.Found = r.Code + " (" + r.Label + ")"
		case r.NoVariable:
			l.Found = "variabeln saknas; tabellen har " + strings.Join(r.Candidates, ", ")
		case r.Ambiguous:
			l.Found = "flera värden har den etiketten: " + strings.Join(r.Candidates, ", ")
		default:
			l.Found = "saknas; närmast: " + strings.Join(r.Candidates, ", ")
		}
		lines = append(lines, l)
	}
	vars := make([]string, 0, len(all))
	for v := range all {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		lines = append(lines, domain.CheckLine{Subject: v, Want: "*", Found: fmt.Sprintf("alla %d värden", all[v]), OK: true})
	}
	timeVar := meta.TimeDim
	if timeVar == "" {
		timeVar = "Tid"
	}
	for i := range meta.Dimensions {
		d := &meta.Dimensions[i]
		if d.ID == RegionVar || d.ID == timeVar || len(spec.Select[d.ID]) > 0 {
			continue
		}
		l := domain.CheckLine{Subject: d.ID + " (utelämnas)", Want: "utelämnas", OK: true}
		switch {
		case d.Elimination:
			l.Found = "får utelämnas (SCB ger summan)"
		case len(d.Codes) == 1:
			l.Found = "får inte utelämnas; enda värdet " + describeValue(d, 0) + " väljs"
		default:
			l.Found = fmt.Sprintf("får inte utelämnas och har %d värden: välj ett i konfigurationen", len(d.Codes))
			l.OK = false
		}
		lines = append(lines, l)
	}
	return append(lines, checkYears(ctx, meta, spec, metas, timeVar))
}

func checkYears(ctx context.Context, meta *Dataset, spec config.SCBTable, metas *metaCache, timeVar string) domain.CheckLine {
	want := fmt.Sprintf("%d–", spec.From)
	if spec.To != 0 {
		want += fmt.Sprint(spec.To)
	}
	if spec.Month > 0 {
		want += fmt.Sprintf(" (månad %02d)", spec.Month)
	}
	l := domain.CheckLine{Subject: "år", Want: want}
	d, ok := meta.Dim(timeVar)
	if !ok {
		l.Found = "tabellen har ingen tidsvariabel"
		return l
	}
	eff := spec
	if spec.NewerThan != "" {
		final, err := metas.get(ctx, spec.NewerThan)
		if err != nil {
			l.Found = "tabellen " + spec.NewerThan + " kunde inte läsas: " + err.Error()
			return l
		}
		eff.From = max(spec.From, newestYear(final, spec.Month)+1)
		l.Want += ", nyare än " + spec.NewerThan
	}
	codes, err := timeCodes(d, eff)
	switch {
	case err != nil:
		l.Found = err.Error()
	case len(codes) == 0 && spec.NewerThan != "":
		l.Found, l.OK = "inget år nyare än "+spec.NewerThan+" just nu (inget att hämta)", true
	case len(codes) == 0:
		l.Found = "inga sådana år i tabellen"
	default:
		l.Found, l.OK = fmt.Sprintf("%s … %s (%d)", codes[0], codes[len(codes)-1], len(codes)), true
	}
	return l
}
