package main

import (
	"context"
	"fmt"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/kolada"
	"github.com/svenskaindustrikommuner/dashboard/collectors/scb"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/scheduler"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
)

// This file is the one place config meets the collector packages, so
// serve and collect build the very same collectors.

// sources lists every configured source, enabled or not, with its
// collector: the admin page shows the switched-off ones too.
func (a *app) sources() []scheduler.Source {
	regions, cat := a.cfg.RegionIndex(), a.cfg.Catalogue()
	s := a.cfg.Sources
	var scbItems, koladaItems []string
	for _, t := range s.SCB.Tables {
		scbItems = append(scbItems, describeItem(cat, t.ID, t.Indicator, t.From, t.To))
	}
	for _, k := range s.Kolada.KPIs {
		koladaItems = append(koladaItems, describeItem(cat, k.ID, k.Indicator, k.From, k.To))
	}
	return []scheduler.Source{
		{Name: "scb", Kind: domain.SourceSCB, Spec: s.SCB.Schedule, Enabled: s.SCB.Enabled, Items: scbItems,
			Collector: scb.New(s.SCB, regions, scb.WithLogger(a.log), scb.WithClock(a.clock))},
		{Name: "kolada", Kind: domain.SourceKolada, Spec: s.Kolada.Schedule, Enabled: s.Kolada.Enabled, Items: append(koladaItems, groupsRef+": Koladas kommungrupper"),
			Collector: withGroups{Collector: kolada.New(a.cfg.KoladaSource(), regions, kolada.WithLogger(a.log), kolada.WithClock(a.clock)), save: a.store.SaveGroups, registry: a.groups, log: a.log}},
	}
}

// describeItem says what one table or KPI feeds: "TAB638: Folkmängd
// (från 2000)".
func describeItem(cat *domain.Catalogue, id, indicator string, from, to int) string {
	name := indicator
	if ind, ok := cat.Get(indicator); ok {
		name = ind.Name
	}
	s := id + ": " + name
	switch {
	case from > 0 && to > 0 && from == to:
		s += fmt.Sprintf(" (%d)", from)
	case from > 0 && to > 0:
		s += fmt.Sprintf(" (%d–%d)", from, to)
	case from > 0:
		s += fmt.Sprintf(" (från %d)", from)
	case to > 0:
		s += fmt.Sprintf(" (till %d)", to)
	}
	return s
}

// newScheduler wires the scheduler to the loaded config and store. The
// store is also the lease holder, so instances sharing a database split
// the work.
func (a *app) newScheduler(retry scheduler.Retry, onChange func(), runs scheduler.RunRecorder) (*scheduler.Scheduler, error) {
	cat := a.cfg.Catalogue()
	return scheduler.New(scheduler.Config{
		Sources:   a.sources(),
		Store:     a.store,
		Leaser:    a.store,
		Catalogue: cat,
		Regions:   a.cfg.RegionIndex(),
		Log:       a.log,
		Retry:     retry,
		OnChange:  onChange,
		Metrics:   runs,
		Clock:     a.clock,
		// An implausible figure (config indicators[].plausible) means the
		// table was not understood: it fails that table, the others land.
		TableCheck: func(_ string, u domain.Unit) error {
			return cat.CheckPlausible(u.Ref, u.Observations)
		},
	})
}

// schedulerView adapts the scheduler to what the server's sources page
// needs, so the server does not import the scheduler.
type schedulerView struct{ s *scheduler.Scheduler }

func (v schedulerView) Sources() []server.SourceInfo {
	var out []server.SourceInfo
	for _, st := range v.s.Status() {
		out = append(out, server.SourceInfo{Name: st.Name, Kind: st.Kind, Spec: st.Spec, Schedule: st.Schedule,
			Enabled: st.Enabled, Running: st.Running, Next: st.Next, Items: st.Items})
	}
	return out
}

// Check runs the source's configuration check (metadata only).
func (v schedulerView) Check(ctx context.Context, name string) (domain.ConfigCheck, error) {
	return v.s.Check(ctx, name)
}

// Trigger starts the run in the background, bound to the scheduler's life
// rather than to the request.
func (v schedulerView) Trigger(name, actor string) error {
	return v.s.Trigger(name, scheduler.TriggerManual, actor)
}

// stopScheduler ends scheduling at shutdown: a run going on gets
// schedulerGrace to finish, then it is cancelled and recorded as such.
func (a *app) stopScheduler(s *scheduler.Scheduler) {
	ctx, cancel := context.WithTimeout(context.Background(), schedulerGrace)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		a.log.Warn("scheduler stopped: a run still going was cancelled", "err", err)
		return
	}
	a.log.Info("scheduler stopped")
}

// schedulerGrace is how long shutdown waits for a collector run.
const schedulerGrace = 30 * time.Second
