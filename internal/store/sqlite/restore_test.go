package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

var restoreTime = time.Date(2026, 3, 2, 4, 30, 0, 0, time.UTC)

// restoreFixture is a live store with 300 figures and a backup of it
// taken at 100 figures.
func restoreFixture(t *testing.T) (dir, live, backup string) {
	t.Helper()
	ctx := context.Background()
	dir = t.TempDir()
	live = filepath.Join(dir, "dashboard.db")
	s := openStore(t, live)
	if _, err := s.Apply(ctx, upload("a.xlsx", 100, 0)); err != nil {
		t.Fatal(err)
	}
	backup = filepath.Join(dir, "backup.db")
	if err := sqlite.Backup(ctx, s.DB(), backup); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, upload("b.xlsx", 300, 7)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return dir, live, backup
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	_, live, backup := restoreFixture(t)
	want := readCopy(t, backup)
	r, err := sqlite.Restore(ctx, backup, live, restoreTime)
	if err != nil {
		t.Fatal(err)
	}
	if r.Previous != live+".pre-restore-20260302T043000Z" || r.SchemaVersion != want.sum.SchemaVersion || r.Known < r.SchemaVersion {
		t.Errorf("restored = %+v", r)
	}
	if got := readCopy(t, live); got != want {
		t.Errorf("live after restore = %+v, want the backup's %+v", got, want)
	}
	if prev := readCopy(t, r.Previous); prev.sum.Figures != 300 || prev.sum.Batches != 2 {
		t.Errorf("the previous store kept beside it holds %+v, want 300 figures, 2 batches", prev)
	}
	// The restored store opens and works as a store.
	s := openStore(t, live)
	if sum, err := s.Summary(ctx); err != nil || sum.Figures != 100 {
		t.Errorf("restored store: %+v %v", sum, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(live), ".dashboard.db.restore-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestRestoreOntoEmptyDirectory(t *testing.T) {
	_, _, backup := restoreFixture(t)
	live := filepath.Join(t.TempDir(), "dashboard.db")
	r, err := sqlite.Restore(context.Background(), backup, live, restoreTime)
	if err != nil || r.Previous != "" {
		t.Fatalf("restore on a new machine: %+v %v", r, err)
	}
	if got := readCopy(t, live).sum.Figures; got != 100 {
		t.Errorf("figures = %d", got)
	}
}

func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// prepare returns the file to restore; it may hold a lock (the
		// returned closer runs after the attempt).
		prepare func(t *testing.T, dir, live, backup string) (string, func())
		wantErr error
		wantMsg string
	}{
		{name: "a server holds the store", wantErr: sqlite.ErrInUse,
			prepare: func(t *testing.T, dir, live, backup string) (string, func()) {
				lk, err := sqlite.LockShared(live) // what serve takes at start
				if err != nil {
					t.Fatal(err)
				}
				return backup, func() { lk.Close() }
			}},
		{name: "not a SQLite file", wantErr: sqlite.ErrNotAStore,
			prepare: func(t *testing.T, dir, live, backup string) (string, func()) {
				p := filepath.Join(dir, "notes.db")
				writeFile(t, p, []byte(strings.Repeat("inte en databas\n", 500)))
				return p, nil
			}},
		{name: "truncated backup", wantErr: sqlite.ErrNotAStore,
			prepare: func(t *testing.T, dir, live, backup string) (string, func()) {
				b, err := os.ReadFile(backup)
				if err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(dir, "half.db")
				writeFile(t, p, b[:len(b)/2])
				return p, nil
			}},
		{name: "damaged page", wantErr: sqlite.ErrNotAStore,
			prepare: func(t *testing.T, dir, live, backup string) (string, func()) {
				b, err := os.ReadFile(backup)
				if err != nil {
					t.Fatal(err)
				}
				for i := len(b) - 4096; i < len(b)-2048; i++ {
					b[i] ^= 0x5a // scribble over part of the last page
				}
				p := filepath.Join(dir, "damaged.db")
				writeFile(t, p, b)
				return p, nil
			}},
		{name: "SQLite file of something else", wantErr: sqlite.ErrNotAStore,
			prepare: func(t *testing.T, dir, live, backup string) (string, func()) {
				p := filepath.Join(dir, "other.db")
				s, err := sqlite.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.DB().Exec(`CREATE TABLE recipes (name TEXT)`); err != nil {
					t.Fatal(err)
				}
				s.Close()
				return p, nil
			}},
		{name: "written by a newer binary", wantErr: sqlstore.ErrDatabaseNewer,
			prepare: func(t *testing.T, dir, live, backup string) (string, func()) {
				p := filepath.Join(dir, "newer.db")
				s, err := sqlite.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := s.DB().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future.sql', 0)`); err != nil {
					t.Fatal(err)
				}
				s.Close()
				return p, nil
			}},
		{name: "missing file", wantMsg: "no such file",
			prepare: func(t *testing.T, dir, live, backup string) (string, func()) {
				return filepath.Join(dir, "nowhere.db"), nil
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, live, backup := restoreFixture(t)
			before := readCopy(t, live)
			src, done := tt.prepare(t, dir, live, backup)
			_, err := sqlite.Restore(ctx, src, live, restoreTime)
			if done != nil {
				done()
			}
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error = %v, want %v %q", err, tt.wantErr, tt.wantMsg)
			}
			if got := readCopy(t, live); got != before {
				t.Errorf("the live store changed although the restore was refused: %+v, was %+v", got, before)
			}
			if prev, _ := filepath.Glob(live + ".pre-restore-*"); len(prev) != 0 {
				t.Errorf("a refused restore left %v", prev)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".dashboard.db.restore-*")); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
