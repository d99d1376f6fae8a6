package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/store"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

func init() {
	register(command{name: "restore", usage: "ersätt databasen med en säkerhetskopia (servern stoppad): restore FIL", run: restore})
}

// restore puts a backup in place of the SQLite store (sqlite.Restore):
// refused while any process holds the store, refused for a damaged file or
// one from a newer binary; the replaced store stays beside the new one.
func restore(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, msg: "användning: dashboard restore [-config FIL] FIL"}
	}
	src := fs.Arg(0)
	cfg, err := config.Load(*cfgPath, a.getenv)
	if err != nil {
		return err
	}
	u := cfg.DatabaseURLOrDefault()
	if store.IsPostgres(u) {
		a.printf("Databasen är PostgreSQL: återställ en pg_dump-kopia med pg_restore, till exempel\n\n  %s\n\n", pgRestoreCommand(u, src))
		a.printf("Stoppa alla instanser först. Lösenordet läses från PGPASSWORD eller ~/.pgpass.\n")
		return &exitError{code: 1, msg: "inget återställdes (PostgreSQL: använd pg_restore)"}
	}
	live, _ := store.SQLitePath(u)
	r, err := sqlite.Restore(ctx, src, live, a.clock.Now())
	switch {
	case errors.Is(err, sqlite.ErrInUse):
		return &exitError{code: 1, msg: fmt.Sprintf("databasen %s används av en annan process (en server, en import eller en insamling). "+
			"Stoppa dashboarden först (t.ex. systemctl stop dashboard) och försök igen. Inget har ändrats.", live)}
	case errors.Is(err, sqlite.ErrNotAStore):
		a.log.Error("restore refused", "file", src, "err", err)
		return &exitError{code: 1, msg: fmt.Sprintf("%s är ingen hel säkerhetskopia av dashboarden (%v). Inget har ändrats.", src, err)}
	case errors.Is(err, sqlstore.ErrDatabaseNewer):
		return &exitError{code: 1, msg: fmt.Sprintf("%s kommer från en nyare version av dashboarden (schemaversion %d; det här programmet känner till %d). "+
			"Använd den nyare versionen. Inget har ändrats.", src, r.SchemaVersion, r.Known)}
	case err != nil:
		return err
	}
	rep, err := describeCopy(ctx, live)
	if err != nil {
		return err
	}
	a.printf("Återställd från %s till %s\n%s", src, live, rep)
	if r.Previous != "" {
		a.printf("Den tidigare databasen ligger kvar som %s\n", r.Previous)
	}
	if r.SchemaVersion < r.Known {
		a.printf("Schemat uppdateras från version %d till %d när dashboarden startar (eller med dashboard migrate).\n", r.SchemaVersion, r.Known)
	}
	return nil
}
