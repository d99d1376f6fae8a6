// Package sqlstore implements the dashboard's store over database/sql for
// both SQLite and PostgreSQL. The SQL is written once; a Dialect supplies
// the few differences (placeholders, migrations, driver). One
// implementation means SQLite and PostgreSQL cannot drift apart in
// behaviour, and the same test suite proves both.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

//go:embed migrations
var migrationsFS embed.FS

// Dialect holds what differs between the SQL engines.
type Dialect struct {
	// Name is "sqlite" or "postgres"; it also names the migrations folder.
	Name string
	// Numbered placeholders ($1, $2) instead of ?.
	Numbered bool
}

// Store is the SQL-backed store. It implements domain.ObservationStore,
// domain.RunStore, domain.UserStore, domain.PendingStore and domain.Leaser.
type Store struct {
	db         *sql.DB
	dialect    Dialect
	precedence domain.Precedence
	log        *slog.Logger
	// now is the clock, replaceable in tests.
	now func() time.Time
}

// Option configures a Store.
type Option func(*Store)

// WithPrecedence sets the rule deciding which source's figure is shown.
func WithPrecedence(p domain.Precedence) Option { return func(s *Store) { s.precedence = p } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Store) { s.log = l } }

// WithClock sets the clock that stamps batches, runs, users and expiries;
// the default is the wall clock.
func WithClock(c clock.Clock) Option { return func(s *Store) { s.now = c.Now } }

// New wraps an open database. It does not migrate: call Migrate.
func New(db *sql.DB, d Dialect, opts ...Option) *Store {
	s := &Store{db: db, dialect: d, precedence: domain.DefaultPrecedence, log: slog.Default(), now: clock.Real{}.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// DB exposes the pool, for health checks.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the engine name.
func (s *Store) Dialect() string { return s.dialect.Name }

// Precedence returns the rule in use.
func (s *Store) Precedence() domain.Precedence { return s.precedence }

// Close closes the pool.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// CheckWritable proves the store can write now, not only answer: a write
// that changes nothing, in a transaction that is rolled back. A read-only
// SQLite file, a full disk's locked journal or a PostgreSQL standby all
// answer a ping and fail here.
func (s *Store) CheckWritable(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: write check: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE 1 = 0"); err != nil {
		return fmt.Errorf("store: write check: %w", err)
	}
	return nil
}

// q rewrites ? placeholders for the dialect. Our SQL has no ? in literals.
func (s *Store) q(query string) string {
	if !s.dialect.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// micros stores times as Unix microseconds: portable across both engines.
func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// ---- migrations ----

// Migration is one versioned schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the dialect's embedded migrations in order.
func (s *Store) Migrations() ([]Migration, error) {
	dir := "migrations/" + s.dialect.Name
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: migration %s: name must be NNNN_what.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationsFS, dir+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// ErrDatabaseNewer means the database was migrated by a newer binary; this
// one must not touch it.
var ErrDatabaseNewer = errors.New("the database schema is newer than this program")

// SchemaVersion returns the highest applied migration (0 for a new
// database) and the highest this binary knows.
func (s *Store) SchemaVersion(ctx context.Context) (applied, known int, err error) {
	ms, err := s.Migrations()
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		known = ms[len(ms)-1].Version
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return 0, known, fmt.Errorf("store: schema_migrations: %w", err)
	}
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, known, fmt.Errorf("store: schema version: %w", err)
	}
	return int(v.Int64), known, nil
}

// Migrate applies the migrations not yet applied, each in its own
// transaction. It refuses a database newer than the binary.
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	cur, known, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if cur > known {
		return nil, fmt.Errorf("store: schema version %d, this program knows up to %d: %w", cur, known, ErrDatabaseNewer)
	}
	ms, err := s.Migrations()
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Version <= cur {
			continue
		}
		if err := s.inTx(ctx, func(tx *sql.Tx) error {
			for _, stmt := range splitSQL(m.SQL) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", firstLine(stmt), err)
				}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.Version, m.Name, micros(s.now()))
			return err
		}); err != nil {
			return applied, fmt.Errorf("store: migration %s: %w", m.Name, err)
		}
		applied = append(applied, m.Name)
	}
	return applied, nil
}

// CheckSchema fails when the database is not at the binary's version: newer
// (refuse) or older (run `dashboard migrate`).
func (s *Store) CheckSchema(ctx context.Context) error {
	cur, known, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case cur > known:
		return fmt.Errorf("store: schema version %d, this program knows up to %d: %w", cur, known, ErrDatabaseNewer)
	case cur < known:
		return fmt.Errorf("store: schema version %d, this program needs %d: run `dashboard migrate`", cur, known)
	}
	return nil
}

// splitSQL splits a migration on semicolons at line ends; our migrations
// have no procedural bodies.
func splitSQL(src string) []string {
	var out []string
	for _, part := range strings.Split(src, ";\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		if stmt := strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";"); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// inTx runs fn in a transaction, rolling back on error or panic.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// DataVersion implements domain.ObservationStore.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: data version: %w", err)
	}
	return v, nil
}

func bumpDataVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'data_version'`)
	return err
}

// indicatorVersionKey prefixes the meta rows that hold, per indicator, the
// data version of the last write that changed its figures.
const indicatorVersionKey = "version:"

// markIndicators records the data version just made (call it after
// bumpDataVersion, in the same transaction) as the version of each
// indicator the write changed, so a reader reloads only those tables.
func (s *Store) markIndicators(ctx context.Context, tx *sql.Tx, indicators map[string]bool) error {
	for ind := range indicators {
		// The SELECT has its WHERE, which SQLite needs to read ON CONFLICT
		// as the upsert clause.
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO meta (key, value) SELECT ?, value FROM meta WHERE key = 'data_version'
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`), indicatorVersionKey+ind); err != nil {
			return fmt.Errorf("indicator version %s: %w", ind, err)
		}
	}
	return nil
}

// IndicatorVersions returns, per indicator, the data version of the last
// write that changed its figures. An indicator missing from it has not
// been written since the store began recording these: a reader must treat
// its figures as changed with every data version.
func (s *Store) IndicatorVersions(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT key, value FROM meta WHERE key LIKE ?`), indicatorVersionKey+"%")
	if err != nil {
		return nil, fmt.Errorf("store: indicator versions: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: indicator versions: %w", err)
		}
		out[strings.TrimPrefix(k, indicatorVersionKey)] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: indicator versions: %w", err)
	}
	return out, nil
}
