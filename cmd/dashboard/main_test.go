package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestMigrateAndRefuseNewerDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + db}
	code, out, errs := runCLI(t, env, "migrate")
	// Migrated to the newest version this binary knows, whatever it is.
	m := regexp.MustCompile(`schemaversion (\d+); programmet känner till version (\d+)`).FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != m[2] {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	// A newer binary migrated this database: this one must refuse it.
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, _, errs = runCLI(t, env, "migrate")
	if code == 0 || !strings.Contains(errs, "newer than this program") {
		t.Fatalf("newer database: exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, env, "serve")
	if code == 0 || !strings.Contains(errs, "newer than this program") {
		t.Fatalf("serve on a newer database: exit %d, %q", code, errs)
	}
}

func TestUnknownCommandAndBadConfig(t *testing.T) {
	if code, _, errs := runCLI(t, nil, "frobnicate"); code != 2 || !strings.Contains(errs, "okänt kommando") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
	env := map[string]string{"DATABASE_URL": "mysql://nope"}
	if code, _, errs := runCLI(t, env, "migrate"); code != 1 || !strings.Contains(errs, "database_url") {
		t.Fatalf("bad config: %d %q", code, errs)
	}
}
