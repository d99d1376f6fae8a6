package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/scheduler"
)

func init() {
	register(command{name: "collect", usage: "hämta från de öppna källorna nu (--source KÄLLA|all; källorna står i konfigurationen)", run: collect})
}

// collectRetry is one collection per source: the operator sees the
// outcome at once, each request has already been retried max_attempts
// times, and the exit code lets a wrapper try again later.
var collectRetry = scheduler.Retry{Attempts: 1}

func collect(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("collect", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	which := fs.String("source", "all", "källa att hämta från (namnet i konfigurationens sources, t.ex. scb) eller all")
	check := fs.Bool("check", false, "hämta ingenting: jämför konfigurationens tabeller, koder och år med källornas metadata")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("collect tar inga argument utöver flaggor (fick %q)", fs.Args())}
	}
	if *check {
		return collectCheck(ctx, a, *cfgPath, *which)
	}
	if err := a.load(ctx, *cfgPath, true); err != nil {
		return err
	}
	if _, err := a.groupRegistry(ctx); err != nil {
		return err
	}
	sched, err := a.newScheduler(collectRetry, nil, nil)
	if err != nil {
		return err
	}
	defer func() { _ = sched.Stop(context.WithoutCancel(ctx)) }()

	var names, known []string
	for _, st := range sched.Status() {
		known = append(known, st.Name)
	}
	if *which != "all" && !slices.Contains(known, *which) {
		return &exitError{code: 2, msg: fmt.Sprintf("okänd källa %q: välj %s eller all", *which, strings.Join(known, ", "))}
	}
	for _, st := range sched.Status() {
		switch {
		case *which != "all" && st.Name != *which:
		case st.Enabled:
			names = append(names, st.Name)
		case *which != "all":
			return &exitError{code: 2, msg: fmt.Sprintf("källan %s är avstängd i konfigurationen (sources.%s.enabled)", st.Name, st.Name)}
		}
	}
	if len(names) == 0 {
		return &exitError{code: 2, msg: "ingen källa är påslagen i konfigurationen"}
	}
	actor := "kommandoraden"
	if u := a.getenv("USER"); u != "" {
		actor += " (" + u + ")"
	}
	var failed []string
	for _, name := range names {
		run, err := sched.RunNow(ctx, name, scheduler.TriggerCLI, actor)
		a.printf("%s\n", summary(name, run, err))
		for _, t := range run.Tables {
			a.printf("  %s\n", tableLine(t))
		}
		if err != nil {
			failed = append(failed, name)
		}
	}
	if len(failed) > 0 {
		return &exitError{code: 1, msg: "hämtningen misslyckades för " + strings.Join(failed, ", ")}
	}
	return nil
}

// summary is one Swedish line per source for the operator.
func summary(name string, run domain.Run, err error) string {
	label := domain.SourceKind(name).Label()
	switch {
	case run.ID == 0 && err != nil:
		msg := domain.UserMessage(err, "")
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Sprintf("%s: startades inte – %s", label, msg)
	case run.Status == domain.RunSucceeded:
		return fmt.Sprintf("%s: klar – %d nya, %d ändrade, %d oförändrade siffror (körning %d, import %d)", label, run.New, run.Changed, run.Unchanged, run.ID, run.BatchID)
	case run.Status == domain.RunPartial:
		failed := 0
		for _, t := range run.Tables {
			if t.Status == domain.TableFailed {
				failed++
			}
		}
		return fmt.Sprintf("%s: delvis – %d av %d %s misslyckades; de övriga gav %d nya, %d ändrade, %d oförändrade siffror (körning %d, import %d)",
			label, failed, len(run.Tables), unitsNoun(name), run.New, run.Changed, run.Unchanged, run.ID, run.BatchID)
	case run.Status == domain.RunSkipped:
		return fmt.Sprintf("%s: inget att hämta – inga tabeller har uppdaterats sedan förra körningen (körning %d)", label, run.ID)
	}
	return fmt.Sprintf("%s: misslyckades – %s (körning %d; inga siffror ändrades)", label, run.Error, run.ID)
}

// tableLine is one line per table (or Kolada request) of a run.
func tableLine(t domain.RunTable) string {
	switch t.Status {
	case domain.TableLanded:
		return fmt.Sprintf("%s: sparad – %d siffror", t.Ref, t.Rows)
	case domain.TableUnchanged:
		return fmt.Sprintf("%s: oförändrad – inget nytt att hämta", t.Ref)
	}
	return fmt.Sprintf("%s: misslyckades – %s", t.Ref, t.Error)
}

func unitsNoun(source string) string {
	if source == "kolada" {
		return "förfrågningar" // one request covers several KPIs, or the groups
	}
	return "tabeller"
}
