package main

import (
	"context"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/kolada"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
)

// groupRegistry is the Kolada municipality groups in use: the copy the
// last Kolada run stored, else the snapshot shipped in the binary. Built
// once per process and shared by the pages and the Kolada run that
// refreshes it.
func (a *app) groupRegistry(ctx context.Context) (*groups.Registry, error) {
	if a.groups != nil {
		return a.groups, nil
	}
	set, err := groups.Snapshot()
	if err != nil {
		return nil, err
	}
	if a.store != nil {
		stored, ok, err := a.store.Groups(ctx)
		switch {
		case err != nil:
			a.log.Warn("stored municipality groups unreadable: using the shipped snapshot", "err", err)
		case ok:
			set = groups.NewSet(stored)
		}
	}
	a.groups = groups.NewRegistry(set)
	return a.groups, nil
}

// withGroups makes the monthly Kolada run refresh the municipality groups
// too (/v3/municipality_groups). The figures come first; a failed group
// fetch leaves the groups in use as they were, so it never blocks the
// figures, and is reported as a failed part of the run ("Delvis" on
// /admin/kallor, a line in `dashboard collect`, the run metrics) so an
// operator sees that the comparison groups are getting old.
type withGroups struct {
	*kolada.Collector
	save     func(context.Context, domain.GroupSnapshot) error
	registry *groups.Registry
	log      interface {
		Info(string, ...any)
		Warn(string, ...any)
	}
}

// groupsRef names the groups' part of a Kolada run, as the source's item
// list on /admin/kallor does.
const groupsRef = "municipality_groups"

// Collect implements domain.Collector.
func (w withGroups) Collect(ctx context.Context, seen map[string]time.Time) (domain.Collection, error) {
	col, err := w.Collector.Collect(ctx, seen)
	if err != nil || ctx.Err() != nil {
		return col, err
	}
	snap, gerr := w.Collector.Groups(ctx) // says what failed in Swedish
	if gerr == nil {
		if err := w.save(ctx, snap); err != nil {
			gerr = domain.Errorf(domain.CodeUnavailable, "Koladas kommungrupper kunde inte sparas; de tidigare används.", err)
		}
	}
	if gerr != nil {
		w.log.Warn("kolada municipality groups not refreshed; the previous ones stay in use", "err", gerr)
		col.Units = append(col.Units, domain.Unit{Ref: groupsRef, Err: gerr})
		return col, nil
	}
	if w.registry != nil {
		w.registry.Replace(groups.NewSet(snap))
	}
	w.log.Info("kolada municipality groups refreshed", "groups", len(snap.Groups))
	return col, nil
}

// reloadGroups picks up the groups another instance's Kolada run stored
// (the write moves the data version, and the server calls this once per
// new version). A failed read keeps the groups in use.
func (a *app) reloadGroups(ctx context.Context) {
	if a.groups == nil {
		return
	}
	snap, ok, err := a.store.Groups(ctx)
	switch {
	case err != nil:
		a.log.Warn("municipality groups not reloaded", "err", err)
	case ok && snap.FetchedAt.After(a.groups.Current().FetchedAt()):
		a.groups.Replace(groups.NewSet(snap))
	}
}
