package main

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	sqlitedriver "modernc.org/sqlite"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// The crash test re-runs this test binary as a child that imports a file
// through runImport (the code behind `dashboard import`) against a SQLite
// file. A hook in the child's database driver stops it at a chosen
// statement inside Apply's transaction and says so on stdout; the parent
// then kills it with SIGKILL. The kill therefore always lands while the
// transaction is open: deterministic, no timing guesswork.
const (
	envCrashDB    = "DASHBOARD_CRASH_DB"
	envCrashFile  = "DASHBOARD_CRASH_FILE"
	envCrashPoint = "DASHBOARD_CRASH_AT"
	crashSignal   = "APPLY-IN-PROGRESS"
)

func TestMain(m *testing.M) {
	if os.Getenv(envCrashDB) != "" {
		os.Exit(crashChild())
	}
	os.Exit(m.Run())
}

// crashChild imports the file and never returns from the hooked statement.
func crashChild() int {
	point := os.Getenv(envCrashPoint)
	name := "sqlite-crash-hook"
	sql.Register(name, hookDriver{inner: &sqlitedriver.Driver{}, hook: func(query string) {
		if strings.Contains(query, point) {
			fmt.Println(crashSignal, point)
			select {} // wait for SIGKILL inside the transaction
		}
	}})
	db, err := sql.Open(name, sqliteDSN(os.Getenv(envCrashDB)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	cfg, err := config.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	st := sqlstore.New(db, sqlite.Dialect, sqlstore.WithPrecedence(cfg.Precedence))
	f, err := os.Open(os.Getenv(envCrashFile))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	_, err = runImport(context.Background(), st, f, importRequest{FileName: filepath.Base(f.Name()), Actor: "krasch", At: time.Now(),
		Options: excel.Options{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Limits: uploadLimits(cfg.Upload)}}, io.Discard)
	fmt.Println("FINISHED", err)
	return 0
}

// sqliteDSN is the DSN sqlite.Open uses (WAL, busy timeout, immediate
// transactions), so the child writes exactly as the program does.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// hookDriver wraps the SQLite driver and calls hook before every Exec.
type hookDriver struct {
	inner driver.Driver
	hook  func(query string)
}

func (d hookDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return hookConn{Conn: c, hook: d.hook}, nil
}

type hookConn struct {
	driver.Conn
	hook func(string)
}

func (c hookConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c hookConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.hook(query)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c hookConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c hookConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// TestCrashMidConfirmKeepsFigures kills an import at three points inside
// its transaction: after the batch row, after the history, and right
// before the commit (every figure written, the data version next). Each
// time the store must hold exactly the figures and batches it held before,
// pass SQLite's integrity check, and take the same import afterwards.
func TestCrashMidConfirmKeepsFigures(t *testing.T) {
	figs := realFigures(t)
	points := []struct{ name, stmt string }{
		{"after the batch row", "INSERT INTO observation_history"},
		{"after the history", "INSERT INTO observations "},
		{"before the commit", "UPDATE meta SET value = value + 1"},
	}
	for _, p := range points {
		point := p.stmt
		t.Run(p.name, func(t *testing.T) {
			dbPath, env := prepared(t)
			dir := t.TempDir()
			// Before: the bundled figures and an earlier upload (an
			// analyst's slip: Olofström's 2023 figure in the 2024 row).
			slip := filepath.Join(dir, "olofstrom_fel.xlsx")
			writeWorkbook(t, slip, []any{"1060", 2024, "population", figs["1060"][2023]})
			if code, out, errs := cli(t, env, "", "import", "--user", "anna", slip); code != 0 {
				t.Fatalf("setup import: %d %s %s", code, out, errs)
			}
			// The import that crashes: every real figure, which corrects
			// Olofström and adds an upload figure for every other cell.
			file := filepath.Join(dir, "alla.xlsx")
			writeWorkbook(t, file, allRows(t)...)
			figs0, batches0 := storeState(t, dbPath)
			version0 := dataVersion(t, dbPath)

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envCrashDB+"="+dbPath, envCrashFile+"="+file, envCrashPoint+"="+point)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string, 4)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			select {
			case l, ok := <-lines:
				if !ok || !strings.HasPrefix(l, crashSignal) {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
					t.Fatalf("the child did not stop inside the transaction: %q", l)
				}
			case <-time.After(2 * time.Minute):
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatal("the child never reached the statement")
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("child ended with %v, want killed by SIGKILL", err)
			}
			if _, err := os.Stat(dbPath + "-wal"); err != nil {
				t.Fatalf("no WAL file after the kill: %v", err)
			}

			figs1, batches1 := storeState(t, dbPath)
			if !sameLines(figs0, figs1) {
				t.Fatalf("figures changed by the killed import (%d before, %d after)", len(figs0), len(figs1))
			}
			if !sameLines(batches0, batches1) {
				t.Fatalf("batches after the kill: %q, want %q", batches1, batches0)
			}
			if v := dataVersion(t, dbPath); v != version0 {
				t.Fatalf("data version %d → %d", version0, v)
			}
			checkIntegrity(t, dbPath)

			// The store takes the same import now.
			code, out, errs := cli(t, env, "", "import", "--user", "anna", file)
			if code != 0 || !strings.Contains(out, "Nya: 0  Ändrade: 1  Oförändrade: 372") {
				t.Fatalf("import after the crash: %d\n%s\n%s", code, out, errs)
			}
		})
	}
}

func dataVersion(t testing.TB, dbPath string) int64 {
	t.Helper()
	st, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func checkIntegrity(t testing.TB, dbPath string) {
	t.Helper()
	st, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var res string
	if err := st.DB().QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity check: %q %v", res, err)
	}
}
