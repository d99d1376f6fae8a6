package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// makeReadOnly makes a file or folder read-only for this process: chmod,
// and as root (whom chmod does not stop) the immutable attribute. The test
// is skipped where neither holds, except in CI, where it fails.
func makeReadOnly(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(path, mode|0o700) })
	if os.Geteuid() != 0 {
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the read-only tests: chattr +i %s: %v %s", path, err, out)
		}
		t.Skipf("cannot make %s read-only as root: %v %s", path, err, out)
	}
	t.Cleanup(func() { _ = exec.Command("chattr", "-i", path).Run() })
}

// runServe runs `dashboard serve` until it exits or the deadline passes
// (then the server started: the test fails).
func runServe(t *testing.T, env map[string]string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	env["DASHBOARD_ADDR"] = "127.0.0.1:0"
	var errb strings.Builder
	code := run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, &errb, func(k string) string { return env[k] })
	if ctx.Err() != nil {
		t.Fatalf("serve started on an unwritable database and ran until the deadline; stderr: %s", errb.String())
	}
	return code, errb.String()
}

// TestServeRefusesReadOnlyDatabase: a read-only database file used to
// start, pass /readyz and fail every login; start now fails saying why.
func TestServeRefusesReadOnlyDatabase(t *testing.T) {
	dbPath, env := prepared(t)
	makeReadOnly(t, dbPath, 0o444)
	code, stderr := runServe(t, env)
	if code == 0 || !strings.Contains(stderr, "skrivskyddad") {
		t.Errorf("exit %d, stderr %q: want a refusal saying the database is read-only", code, stderr)
	}
}

// TestReadOnlyFolderSaysSo: a new database in a read-only folder says the
// folder is read-only, not "unable to open database file (14)".
func TestReadOnlyFolderSaysSo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	makeReadOnly(t, dir, 0o555)
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "dashboard.db")}
	code, _, stderr := cli(t, env, "", "migrate")
	if code == 0 || !strings.Contains(stderr, "katalogen "+dir+" går inte att skriva i") || strings.Contains(stderr, "(14)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
