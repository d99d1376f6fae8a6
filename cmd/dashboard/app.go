package main

import (
	"context"
	"errors"
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
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
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
	// lock is held shared on a SQLite store while the command runs, so
	// `dashboard restore` can tell that the store is in use.
	lock *sqlite.Lock
}

// configFlag adds -config to a sub-command's flags.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "YAML-fil som ändrar standardinställningarna (eller DASHBOARD_CONFIG)")
}

// load reads the configuration and opens the store. migrate applies pending
// migrations (serve does, so a newcomer needs no extra step); otherwise the
// schema must already match the binary. An empty store then gets the
// bundled figures, whichever command opened it first, so every command
// sees the same state: a dry run compares with what the real import will
// find, not with a store that serve has not filled yet.
func (a *app) load(ctx context.Context, configPath string, migrate bool) error {
	if err := a.open(configPath); err != nil {
		return err
	}
	s := a.store
	if migrate {
		// A command that writes must fail at start, saying why, rather
		// than start and fail every login.
		if path, ok := store.SQLitePath(a.cfg.DatabaseURLOrDefault()); ok && path != ":memory:" {
			if err := sqlite.CheckFileWritable(path); err != nil {
				return err
			}
		}
		applied, err := s.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, m := range applied {
			a.log.Info("migration applied", "migration", m)
		}
		if err := s.CheckWritable(ctx); err != nil {
			return fmt.Errorf("databasen kan läsas men inte skrivas (skrivskyddad fil, skrivskyddad server eller full disk): %w", err)
		}
	} else if err := s.CheckSchema(ctx); err != nil {
		return err
	}
	return a.loadBundled(ctx)
}

// open reads the configuration and opens the store as it is, without
// touching its schema (backup copies an old store before an upgrade).
// A SQLite store is locked shared for as long as the command runs.
func (a *app) open(configPath string) error {
	cfg, err := config.Load(configPath, a.getenv)
	if err != nil {
		return err
	}
	a.cfg = cfg
	url := cfg.DatabaseURLOrDefault()
	s, err := store.Open(url, sqlstore.WithPrecedence(cfg.Precedence), sqlstore.WithLogger(a.log), sqlstore.WithClock(a.clock))
	if err != nil {
		return err
	}
	a.store = s
	if path, ok := store.SQLitePath(url); ok && path != ":memory:" {
		if err := sqlite.CheckFolderWritable(path); err != nil {
			return err
		}
		lk, err := sqlite.LockShared(path)
		if errors.Is(err, sqlite.ErrInUse) {
			return fmt.Errorf("databasen %s återställs just nu (dashboard restore); försök igen när det är klart: %w", path, err)
		}
		if err != nil {
			return err
		}
		a.lock = lk
	}
	return nil
}

// close releases the store and its lock.
func (a *app) close() {
	if a.store != nil {
		_ = a.store.Close()
	}
	_ = a.lock.Close()
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
