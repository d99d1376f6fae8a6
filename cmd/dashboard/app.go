package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
	"github.com/svenskaindustrikommuner/dashboard/internal/store"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// app is the wiring shared by the sub-commands: config, store, logger and
// the process's standard streams.
type app struct {
	log    *slog.Logger
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	clock  clock.Clock // the one clock: store, scheduler, server, page data

	cfg    *config.Config
	store  *sqlstore.Store
	groups *groups.Registry // see groupRegistry
}

// configFlag adds -config to a sub-command's flags.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "YAML-fil som ändrar standardinställningarna (eller DASHBOARD_CONFIG)")
}

// load reads the configuration and opens the store. migrate applies pending
// migrations (serve does, so a newcomer needs no extra step); otherwise the
// schema must already match the binary.
func (a *app) load(ctx context.Context, configPath string, migrate bool) error {
	cfg, err := config.Load(configPath, a.getenv)
	if err != nil {
		return err
	}
	a.cfg = cfg
	s, err := store.Open(cfg.DatabaseURLOrDefault(), sqlstore.WithPrecedence(cfg.Precedence), sqlstore.WithLogger(a.log), sqlstore.WithClock(a.clock))
	if err != nil {
		return err
	}
	a.store = s
	if migrate {
		applied, err := s.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, m := range applied {
			a.log.Info("migration applied", "migration", m)
		}
	} else if err := s.CheckSchema(ctx); err != nil {
		return err
	}
	return nil
}

// loadBundled puts the bundled figures into an empty store.
func (a *app) loadBundled(ctx context.Context) error {
	if !a.cfg.LoadBundled {
		return nil
	}
	loaded, err := bundled.LoadIfEmpty(ctx, a.store, a.clock.Now())
	if err != nil {
		return err
	}
	if loaded {
		a.log.Info("bundled figures loaded into the empty store")
	}
	return nil
}

// env builds the report environment from config (and the municipality
// groups, when groupRegistry has run).
func (a *app) env() *report.Env {
	return &report.Env{
		Groups:      a.groups,
		Regions:     a.cfg.RegionIndex(),
		Catalogue:   a.cfg.Catalogue(),
		Members:     a.cfg.MemberCodes(),
		NetworkName: a.cfg.Network.Name,
		Precedence:  domain.Precedence(a.cfg.Precedence),
		Checks:      a.cfg.CrossChecks,
	}
}

func (a *app) printf(format string, args ...any) { fmt.Fprintf(a.stdout, format, args...) }
