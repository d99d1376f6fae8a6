// Command dashboard is the Svenska Industrikommuner indicators dashboard:
// one binary that serves the pages, runs the scheduled collectors and has
// sub-commands for operators.
//
//	dashboard [serve]                 serve the dashboard (default)
//	dashboard collect [--source S]    fetch from the open-data sources now
//	dashboard import [--dry-run] F    import a spreadsheet
//	dashboard migrate                 apply database migrations
//	dashboard backup FILE             consistent copy of the running store
//	dashboard restore FILE            replace the stopped store with a copy
//	dashboard users add|list|remove   manage logins
//
// Every sub-command takes -config FILE; environment variables override it
// (see README.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	// CA roots for HTTPS to SCB and Kolada where the system has none (the
	// scratch container image); unused when the system has its own.
	_ "golang.org/x/crypto/x509roots/fallback"

	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
)

// command is one sub-command.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, a *app, args []string) error
}

// commands lists the sub-commands; each lives in its own file.
var commands []command

func register(c command) { commands = append(commands, c) }

// exitError carries a process exit code, for commands whose failure is
// not a crash (a rejected file, a failed source).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is main without process globals, so tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		printUsage(stdout)
		return 0
	}
	var cmd *command
	for i := range commands {
		if commands[i].name == name {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "dashboard: okänt kommando %q\n", name)
		printUsage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{log: log, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, clock: clock.Real{}}
	err := cmd.run(ctx, a, args)
	a.close()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "dashboard:", ee.msg)
		}
		return ee.code
	}
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	log.Error(name+" failed", "err", err)
	fmt.Fprintln(stderr, "dashboard:", err)
	return 1
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "användning: dashboard [kommando] [flaggor]")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.usage)
	}
}
