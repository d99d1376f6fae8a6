package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"net/url"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/store"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

func init() {
	register(command{name: "backup", usage: "skriv en säkerhetskopia av databasen medan servern kör: backup FIL", run: backup})
}

// backup writes a consistent copy of the SQLite store while servers keep
// running (sqlite.Backup), then prints what the copy holds, counted in the
// copy itself, and its SHA-256. For PostgreSQL it prints the pg_dump
// command instead: the database's own tool is the right one there.
func backup(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, msg: "användning: dashboard backup [-config FIL] FIL"}
	}
	dst := fs.Arg(0)
	cfg, err := config.Load(*cfgPath, a.getenv)
	if err != nil {
		return err
	}
	if u := cfg.DatabaseURLOrDefault(); store.IsPostgres(u) {
		a.printf("Databasen är PostgreSQL: säkerhetskopiera den med pg_dump, till exempel\n\n  %s\n\n", pgDumpCommand(u, dst))
		a.printf("och återställ med\n\n  %s\n\n", pgRestoreCommand(u, dst))
		a.printf("Lösenordet skrivs inte ut här; pg_dump läser det från PGPASSWORD eller ~/.pgpass.\n")
		return &exitError{code: 1, msg: "ingen säkerhetskopia skrevs (PostgreSQL: använd pg_dump)"}
	}
	if err := a.open(*cfgPath); err != nil {
		return err
	}
	err = sqlite.Backup(ctx, a.store.DB(), dst)
	if errors.Is(err, iofs.ErrExist) {
		return &exitError{code: 1, msg: fmt.Sprintf("%s finns redan; en säkerhetskopia skriver aldrig över en annan", dst)}
	}
	if err != nil {
		return err
	}
	rep, err := describeCopy(ctx, dst)
	if err != nil {
		return err
	}
	a.printf("Säkerhetskopia skriven: %s\n%s", dst, rep)
	return nil
}

// describeCopy counts what the SQLite file at path holds and checksums
// it, in a form an operator can paste into a ticket; the last line is
// what sha256sum prints, so `sha256sum -c` can check a moved copy.
func describeCopy(ctx context.Context, path string) (string, error) {
	db, err := sqlite.OpenReadOnly(path)
	if err != nil {
		return "", err
	}
	sum, err := sqlstore.Summarize(ctx, db)
	db.Close()
	if err != nil {
		return "", err
	}
	hash, size, err := sqlite.FileSHA256(path)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Storlek: %d byte\nSchemaversion: %d\nVärden: %d\nImporter: %d\nAnvändare: %d\nInsamlingskörningar: %d\nSHA-256:\n%s  %s\n",
		size, sum.SchemaVersion, sum.Figures, sum.Batches, sum.Users, sum.Runs, hash, path), nil
}

// pgDumpCommand is the pg_dump call for the configured database, with
// the password left out of the URL (it would end up in shell history).
func pgDumpCommand(dbURL, file string) string {
	return "pg_dump --format=custom --no-owner --file=" + shellQuote(file) + " --dbname=" + shellQuote(withoutPassword(dbURL))
}

func pgRestoreCommand(dbURL, file string) string {
	return "pg_restore --clean --if-exists --no-owner --single-transaction --dbname=" + shellQuote(withoutPassword(dbURL)) + " " + shellQuote(file)
}

func withoutPassword(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "postgres://..."
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
