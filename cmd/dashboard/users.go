package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// EnvPassword gives `users add` its password without a terminal, for
// provisioning scripts.
const EnvPassword = "DASHBOARD_PASSWORD"

func init() {
	register(command{name: "users", usage: "hantera inloggningar: users add NAMN --role analyst|admin|viewer, users list, users remove NAMN", run: usersCmd})
}

const usersUsage = "användning: dashboard users add NAMN --role analyst|admin|viewer (lösenord på första raden i stdin eller i DASHBOARD_PASSWORD) | users list | users remove NAMN"

func usersCmd(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: usersUsage}
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("users "+sub, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	role := fs.String("role", "", "roll: analyst, admin eller viewer")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	var run func() error
	switch {
	case sub == "add" && len(pos) == 1:
		run = func() error { return usersAdd(ctx, a, pos[0], domain.Role(*role)) }
	case sub == "list" && len(pos) == 0:
		run = func() error { return usersList(ctx, a) }
	case sub == "remove" && len(pos) == 1:
		run = func() error { return usersRemove(ctx, a, pos[0]) }
	default:
		return &exitError{code: 2, msg: usersUsage}
	}
	if err := a.load(ctx, *cfgPath, true); err != nil {
		return err
	}
	return userError(run())
}

// userError turns a refusal with a Swedish message into exit code 1
// without a stack of log lines; other errors stay errors.
func userError(err error) error {
	var de *domain.Error
	if err != nil && errors.As(err, &de) && de.Code != domain.CodeInternal {
		return &exitError{code: 1, msg: de.Message}
	}
	return err
}

// readPassword takes DASHBOARD_PASSWORD, or else the first line of stdin
// (so `echo "$PW" | dashboard users add ...` works and nothing is echoed
// to a terminal's history by the program).
func readPassword(a *app) (string, error) {
	if pw := a.getenv(EnvPassword); pw != "" {
		return pw, nil
	}
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("users: read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", domain.Invalid("inget lösenord: skriv det på första raden i stdin eller sätt %s", EnvPassword)
	}
	return line, nil
}

func usersAdd(ctx context.Context, a *app, name string, role domain.Role) error {
	if err := domain.CheckUserName(name); err != nil {
		return err
	}
	if !role.Valid() {
		return &exitError{code: 2, msg: "ange --role analyst, admin eller viewer"}
	}
	pw, err := readPassword(a)
	if err != nil {
		return err
	}
	hash, err := domain.HashPassword(pw)
	if err != nil {
		return err
	}
	u, err := a.store.CreateUser(ctx, domain.User{Name: name, Role: role, PasswordHash: hash, CreatedAt: a.clock.Now()})
	if err != nil {
		return err
	}
	a.log.Info("user added", "user", u.Name, "role", u.Role)
	a.printf("Användaren %s (%s) är tillagd.\n", u.Name, u.Role.Label())
	return nil
}

func usersList(ctx context.Context, a *app) error {
	users, err := a.store.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAMN\tROLL\tTILLAGD")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt.In(clock.Stockholm).Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func usersRemove(ctx context.Context, a *app, name string) error {
	if err := a.store.DeleteUser(ctx, name); err != nil {
		return err
	}
	a.log.Info("user removed", "user", name)
	a.printf("Användaren %s är borttagen.\n", name)
	return nil
}
