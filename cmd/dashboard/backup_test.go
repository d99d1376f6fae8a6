package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

// serving starts `dashboard serve` with env and returns a stop function
// that waits for it to exit.
func serving(t *testing.T, env map[string]string) (stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env["DASHBOARD_ADDR"] = addr
	if env["DASHBOARD_COLLECT_ON_START"] == "" {
		env["DASHBOARD_COLLECT_ON_START"] = "never" // never reach the real SCB or Kolada
	}
	ctx, cancel := context.WithCancel(context.Background())
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, io.Discard, func(k string) string { return env[k] })
	}()
	eventually(t, "the server to answer", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	return func() {
		cancel()
		if code := <-exit; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}
}

// releaseCopy puts a copy of the previous release's store (413 figures,
// 3 batches, 3 users, 1 run) in a temporary directory.
func releaseCopy(t *testing.T) (dir, db string) {
	t.Helper()
	b, err := os.ReadFile(releaseStore)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	db = filepath.Join(dir, "dashboard.db")
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, db
}

// TestBackupAndRestoreCommands is the operator's round trip: a backup
// while the server runs, a restore refused while it runs, a restore once
// it has stopped that brings back the store as it was at the backup and
// keeps the replaced one.
func TestBackupAndRestoreCommands(t *testing.T) {
	dir, db := releaseCopy(t)
	env := map[string]string{"DATABASE_URL": "sqlite:" + db}
	stop := serving(t, env) // migrates the release store at start

	copyPath := filepath.Join(dir, "kopia.db")
	code, out, errs := runCLI(t, env, "backup", copyPath)
	if code != 0 {
		t.Fatalf("backup while serving: exit %d\n%s\n%s", code, out, errs)
	}
	hash, _, err := sqlite.FileSHA256(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Värden: 413\n", "Importer: 3\n", "Användare: 3\n", "Insamlingskörningar: 1\n", hash + "  " + copyPath + "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("backup report lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runCLI(t, env, "backup", copyPath); code != 1 || !strings.Contains(errs, "finns redan") {
		t.Errorf("second backup to the same file: exit %d %q", code, errs)
	}

	code, _, errs = runCLI(t, env, "restore", copyPath)
	if code != 1 || !strings.Contains(errs, "används av en annan process") || !strings.Contains(errs, "Inget har ändrats") {
		t.Errorf("restore while serving: exit %d %q", code, errs)
	}
	stop()

	// After the backup: a user added, which the restore must take away.
	if code, _, errs := cli(t, env, "ett-långt-lösenord\n", "users", "add", "efter", "--role", "viewer"); code != 0 {
		t.Fatalf("users add: %s", errs)
	}
	code, out, errs = runCLI(t, env, "restore", copyPath)
	if code != 0 {
		t.Fatalf("restore: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"Värden: 413\n", "Användare: 3\n", "Den tidigare databasen ligger kvar som " + db + ".pre-restore-"} {
		if !strings.Contains(out, want) {
			t.Errorf("restore report lacks %q:\n%s", want, out)
		}
	}
	_, list, _ := runCLI(t, env, "users", "list")
	if strings.Contains(list, "efter") || !strings.Contains(list, "analytiker") {
		t.Errorf("users after restore:\n%s", list)
	}
	prev, _ := filepath.Glob(db + ".pre-restore-*")
	if len(prev) != 1 {
		t.Fatalf("previous store kept: %v", prev)
	}
	_, list, _ = runCLI(t, map[string]string{"DATABASE_URL": "sqlite:" + prev[0]}, "users", "list")
	if !strings.Contains(list, "efter") {
		t.Errorf("the kept previous store lost the later user:\n%s", list)
	}
}

func TestRestoreRefusesDamagedBackup(t *testing.T) {
	dir, db := releaseCopy(t)
	env := map[string]string{"DATABASE_URL": "sqlite:" + db}
	bad := filepath.Join(dir, "trasig.db")
	b, _ := os.ReadFile(db)
	if err := os.WriteFile(bad, b[:len(b)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, env, "restore", bad)
	if code != 1 || !strings.Contains(errs, "ingen hel säkerhetskopia") {
		t.Fatalf("restore of a truncated file: exit %d %q", code, errs)
	}
	if got, _ := os.ReadFile(db); string(got) != string(b) {
		t.Fatal("the store changed")
	}
}

func TestBackupOnPostgresPrintsPgDump(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://dash:hemligt@db.kommun.example:5432/dashboard?sslmode=require"}
	code, out, errs := runCLI(t, env, "backup", "/var/backups/dash's.dump")
	if code != 1 || !strings.Contains(errs, "ingen säkerhetskopia skrevs") {
		t.Fatalf("exit %d %q", code, errs)
	}
	want := `pg_dump --format=custom --no-owner --file='/var/backups/dash'\''s.dump' --dbname='postgres://dash@db.kommun.example:5432/dashboard?sslmode=require'`
	if !strings.Contains(out, want) || !strings.Contains(out, "pg_restore ") {
		t.Errorf("output lacks\n%s\n%s", want, out)
	}
	if strings.Contains(out+errs, "hemligt") {
		t.Error("the password was printed")
	}
	code, out, _ = runCLI(t, env, "restore", "x.dump")
	if code != 1 || !strings.Contains(out, "pg_restore --clean --if-exists --no-owner --single-transaction --dbname='postgres://dash@db.kommun.example:5432/dashboard?sslmode=require' 'x.dump'") {
		t.Errorf("restore on PostgreSQL: %d\n%s", code, out)
	}
}
