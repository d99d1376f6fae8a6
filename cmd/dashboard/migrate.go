package main

import (
	"context"
	"flag"
)

func init() {
	register(command{name: "migrate", usage: "uppdatera databasens schema", run: migrate})
}

// migrate applies pending migrations explicitly, for operators who run
// several instances and want schema changes as a deliberate step. It
// refuses a database migrated by a newer binary.
func migrate(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := a.load(ctx, *cfgPath, true); err != nil {
		return err
	}
	cur, known, err := a.store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	a.printf("Databasen (%s) har schemaversion %d; programmet känner till version %d.\n", a.store.Dialect(), cur, known)
	return nil
}
