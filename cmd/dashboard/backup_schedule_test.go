package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// TestServeTakesScheduledBackups runs serve with backup.schedule every
// second and keep 2: dated copies appear next to the store, at most two
// stay, and /metrics and /admin/kallor report them.
func TestServeTakesScheduledBackups(t *testing.T) {
	dir, db := releaseCopy(t)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("backup:\n  schedule: \"@every 1s\"\n  keep: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": "sqlite:" + db, "DASHBOARD_CONFIG": cfg}
	if code, _, errs := runCLI(t, env, "migrate"); code != 0 {
		t.Fatal(errs)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := domain.HashPassword("ett-långt-lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(context.Background(), domain.User{Name: "ada", Role: domain.RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	stop := serving(t, env)
	base := "http://" + env["DASHBOARD_ADDR"]
	okCount := regexp.MustCompile(`(?m)^dashboard_backups_total\{status="ok"\} (\d+)$`)
	eventually(t, "three scheduled backups", func() bool {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			return false
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := okCount.FindSubmatch(b)
		n := 0
		if m != nil {
			n, _ = strconv.Atoi(string(m[1]))
		}
		return n >= 3
	})
	req, _ := http.NewRequest(http.MethodGet, base+"/admin/kallor", nil)
	req.SetBasicAuth("ada", "ett-långt-lösenord")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	stop()

	if !strings.Contains(string(page), "Skrevs ") || !strings.Contains(string(page), "dashboard.db.backup-") {
		t.Errorf("/admin/kallor does not show the last backup")
	}
	copies, _ := filepath.Glob(db + ".backup-*")
	if len(copies) != 2 {
		t.Fatalf("dated copies after three or more runs with keep 2: %v", copies)
	}
	for _, c := range copies {
		if n := figuresIn(t, c); n != 413 {
			t.Errorf("%s holds %d figures, want the store's 413", filepath.Base(c), n)
		}
	}
}

func figuresIn(t *testing.T, path string) int64 {
	t.Helper()
	db, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sum, err := sqlstore.Summarize(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return sum.Figures
}
