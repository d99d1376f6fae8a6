package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// upload is a batch of n figures: municipalities 1000.., years from 1900,
// every value distinct so a torn copy could not pass for a whole one.
func upload(label string, n int, add float64) domain.Batch {
	b := domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: label, Actor: "test"}
	for i := 0; i < n; i++ {
		b.Observations = append(b.Observations, domain.Observation{
			Municipality: fmt.Sprintf("%04d", 1000+i/100), Indicator: "population", Year: 1900 + i%100,
			Value: float64(i) + add, Source: domain.Source{Kind: domain.SourceUpload, Ref: label, FetchedAt: t0}})
	}
	return b
}

func openStore(t *testing.T, path string) *sqlstore.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// copyState is what a backup holds, reduced to what tells "before",
// "after" and "half" apart.
type copyState struct {
	sum sqlstore.Summary
	// valueSum is the sum of all values: the big batch shifts every
	// figure of the small one, so a half-applied batch shows here even if
	// the row count happened to match.
	valueSum float64
}

func readCopy(t *testing.T, path string) copyState {
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
	var v sql.NullFloat64
	if err := db.QueryRow(`SELECT SUM(value) FROM observations`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("backup %s: integrity %q %v", path, ok, err)
	}
	return copyState{sum: sum, valueSum: v.Float64}
}

// TestBackupDuringLargeImport takes backups over and over while a large
// import is being confirmed (one Apply of 10 000 figures that also
// changes all 2 000 figures already there): every copy must be exactly
// the store before the import or exactly after it, never between.
func TestBackupDuringLargeImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "dashboard.db"))
	if _, err := s.Apply(ctx, upload("small.xlsx", 2000, 0)); err != nil {
		t.Fatal(err)
	}
	before := copyOf(t, s, filepath.Join(dir, "before.db"))

	var applying atomic.Bool
	applying.Store(true)
	var wg sync.WaitGroup
	wg.Add(1)
	var applyErr error
	go func() {
		defer wg.Done()
		defer applying.Store(false)
		_, applyErr = s.Apply(ctx, upload("large.xlsx", 10000, 0.5))
	}()
	var during []string
	// A handful of copies inside the import is proof enough; more only
	// slows the import on a busy machine.
	for i := 0; applying.Load() && len(during) < 6; i++ {
		p := filepath.Join(dir, fmt.Sprintf("during-%03d.db", i))
		started := applying.Load()
		if err := sqlite.Backup(ctx, s.DB(), p); err != nil {
			t.Fatal(err)
		}
		if started && applying.Load() {
			during = append(during, p) // begun and ended while the import ran
		}
	}
	wg.Wait()
	if applyErr != nil {
		t.Fatal(applyErr)
	}
	after := copyOf(t, s, filepath.Join(dir, "after.db"))
	if before.sum.Figures != 2000 || after.sum.Figures != 10000 || after.sum.Batches != before.sum.Batches+1 {
		t.Fatalf("before %+v, after %+v: the import did not do what the test needs", before, after)
	}
	if len(during) == 0 {
		t.Fatal("no backup was taken while the import ran; the test proved nothing")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "during-*.db"))
	for _, p := range files {
		got := readCopy(t, p)
		if got != before && got != after {
			t.Errorf("%s holds %+v: neither before (%+v) nor after (%+v)", filepath.Base(p), got, before, after)
		}
	}
	t.Logf("%d backups, %d of them entirely during the import", len(files), len(during))
}

// TestBackupExcludesOpenTransaction is the same property without timing:
// a writer has half an import in an open transaction; the backup holds
// none of it, and after the commit a new backup holds all of it.
func TestBackupExcludesOpenTransaction(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "dashboard.db")
	s := openStore(t, path)
	if _, err := s.Apply(ctx, upload("small.xlsx", 100, 0)); err != nil {
		t.Fatal(err)
	}
	writer, err := sqlite.Open(path) // a second pool, as another process would be
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	tx, err := writer.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO batches (kind, source, label, actor, created_at, status) VALUES ('upload', 'upload', 'half.xlsx', 'test', 0, 'applied')`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO observations (municipality, indicator, year, source, value, source_ref, batch_id, fetched_at)
		SELECT municipality, 'employed_day', year, source, value, source_ref, batch_id, fetched_at FROM observations`); err != nil {
		t.Fatal(err)
	}
	mid := filepath.Join(dir, "mid.db")
	if err := sqlite.Backup(ctx, s.DB(), mid); err != nil {
		t.Fatal(err)
	}
	if got := readCopy(t, mid).sum; got.Figures != 100 || got.Batches != 1 {
		t.Errorf("backup during the transaction holds %+v, want the 100 figures and 1 batch before it", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	end := filepath.Join(dir, "end.db")
	if err := sqlite.Backup(ctx, s.DB(), end); err != nil {
		t.Fatal(err)
	}
	if got := readCopy(t, end).sum; got.Figures != 200 || got.Batches != 2 {
		t.Errorf("backup after the commit holds %+v, want 200 figures and 2 batches", got)
	}
}

func copyOf(t *testing.T, s *sqlstore.Store, p string) copyState {
	t.Helper()
	if err := sqlite.Backup(context.Background(), s.DB(), p); err != nil {
		t.Fatal(err)
	}
	return readCopy(t, p)
}

func TestBackupNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "dashboard.db"))
	dst := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(dst, []byte("an older backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := sqlite.Backup(context.Background(), s.DB(), dst)
	if !errors.Is(err, os.ErrExist) {
		t.Fatalf("backup onto an existing file: %v, want ErrExist", err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "an older backup" {
		t.Fatal("the existing file was changed")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".copy.db.*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestLock(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dashboard.db")
	server1, err := sqlite.LockShared(db)
	if err != nil {
		t.Fatal(err)
	}
	server2, err := sqlite.LockShared(db)
	if err != nil {
		t.Fatalf("two servers (or a server and an import) must share the store: %v", err)
	}
	if _, err := sqlite.LockExclusive(db); !errors.Is(err, sqlite.ErrInUse) {
		t.Fatalf("restore while servers run: %v, want ErrInUse", err)
	}
	server1.Close()
	if _, err := sqlite.LockExclusive(db); !errors.Is(err, sqlite.ErrInUse) {
		t.Fatalf("restore while one server runs: %v, want ErrInUse", err)
	}
	server2.Close()
	restore, err := sqlite.LockExclusive(db)
	if err != nil {
		t.Fatalf("restore with no server: %v", err)
	}
	if _, err := sqlite.LockShared(db); !errors.Is(err, sqlite.ErrInUse) || !strings.Contains(err.Error(), ".lock") {
		t.Fatalf("server start during a restore: %v, want ErrInUse naming the lock file", err)
	}
	restore.Close()
	again, err := sqlite.LockShared(db)
	if err != nil {
		t.Fatalf("after the restore: %v", err)
	}
	again.Close()
}
