package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// StartRun implements domain.RunStore.
func (s *Store) StartRun(ctx context.Context, source, trigger string) (domain.Run, error) {
	r := domain.Run{Source: source, Trigger: trigger, Started: s.now().UTC(), Status: domain.RunRunning}
	if err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO runs (source, trigger_kind, started_at, status) VALUES (?, ?, ?, ?) RETURNING id`),
		source, trigger, micros(r.Started), string(r.Status)).Scan(&r.ID); err != nil {
		return r, fmt.Errorf("store: start run %s: %w", source, err)
	}
	return r, nil
}

// FinishRun implements domain.RunStore.
func (s *Store) FinishRun(ctx context.Context, r domain.Run) error {
	fin := s.now().UTC()
	if r.Finished != nil {
		fin = *r.Finished
	}
	var batch any
	if r.BatchID != 0 {
		batch = r.BatchID
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE runs SET finished_at = ?, status = ?, batch_id = ?, new_count = ?, changed_count = ?, unchanged_count = ?, error_text = ? WHERE id = ?`),
			micros(fin), string(r.Status), batch, r.New, r.Changed, r.Unchanged, r.Error, r.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM run_tables WHERE run_id = ?`), r.ID); err != nil {
			return err
		}
		for i, t := range r.Tables {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO run_tables (run_id, position, ref, status, rows_count, error_text) VALUES (?, ?, ?, ?, ?, ?)`),
				r.ID, i, t.Ref, string(t.Status), t.Rows, t.Error); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: finish run %d: %w", r.ID, err)
	}
	return nil
}

// runTables reads the per-table outcomes of the listed runs.
func (s *Store) runTables(ctx context.Context, runs []domain.Run) error {
	if len(runs) == 0 {
		return nil
	}
	at := make(map[int64]int, len(runs))
	args := make([]any, len(runs))
	marks := make([]string, len(runs))
	for i, r := range runs {
		at[r.ID], args[i], marks[i] = i, r.ID, "?"
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT run_id, ref, status, rows_count, error_text FROM run_tables WHERE run_id IN (`+strings.Join(marks, ", ")+`) ORDER BY run_id, position`), args...)
	if err != nil {
		return fmt.Errorf("store: run tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t domain.RunTable
		var status string
		if err := rows.Scan(&id, &t.Ref, &status, &t.Rows, &t.Error); err != nil {
			return fmt.Errorf("store: run tables: %w", err)
		}
		t.Status = domain.TableStatus(status)
		if i, ok := at[id]; ok {
			runs[i].Tables = append(runs[i].Tables, t)
		}
	}
	return rows.Err()
}

// Runs implements domain.RunStore, newest first. An empty source lists all.
func (s *Store) Runs(ctx context.Context, source string, limit int) ([]domain.Run, error) {
	if limit <= 0 {
		limit = 50
	}
	query := `SELECT id, source, trigger_kind, started_at, finished_at, status, batch_id, new_count, changed_count, unchanged_count, error_text FROM runs`
	args := []any{}
	if source != "" {
		query += ` WHERE source = ?`
		args = append(args, source)
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	defer rows.Close()
	var out []domain.Run
	for rows.Next() {
		var r domain.Run
		var started int64
		var fin, batch sql.NullInt64
		var status string
		if err := rows.Scan(&r.ID, &r.Source, &r.Trigger, &started, &fin, &status, &batch, &r.New, &r.Changed, &r.Unchanged, &r.Error); err != nil {
			return nil, fmt.Errorf("store: runs: %w", err)
		}
		r.Started, r.Status, r.BatchID = fromMicros(started), domain.RunStatus(status), batch.Int64
		if fin.Valid {
			t := fromMicros(fin.Int64)
			r.Finished = &t
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	rows.Close()
	if err := s.runTables(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Stamps implements domain.RunStore.
func (s *Store) Stamps(ctx context.Context, source string) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT table_id, updated_at FROM table_stamps WHERE source = ?`), source)
	if err != nil {
		return nil, fmt.Errorf("store: stamps %s: %w", source, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("store: stamps %s: %w", source, err)
		}
		out[id] = fromMicros(at)
	}
	return out, rows.Err()
}

// TryLease implements domain.Leaser with one conditional upsert, atomic on
// both engines: the row is taken only if it is free, expired or ours.
func (s *Store) TryLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.expires_at < ? OR leases.holder = excluded.holder`),
		name, holder, micros(now.Add(ttl)), micros(now))
	if err != nil {
		return false, fmt.Errorf("store: lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: lease %s: %w", name, err)
	}
	return n == 1, nil
}

// Lease implements domain.LeaseInspector.
func (s *Store) Lease(ctx context.Context, name string) (holder string, expires time.Time, found bool, err error) {
	var exp int64
	err = s.db.QueryRowContext(ctx, s.q(`SELECT holder, expires_at FROM leases WHERE name = ?`), name).Scan(&holder, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, false, nil
	}
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("store: lease %s: %w", name, err)
	}
	return holder, fromMicros(exp), true, nil
}

// TakeOverLease implements domain.LeaseInspector with one conditional
// update: only the holder that was found dead is replaced.
func (s *Store) TakeOverLease(ctx context.Context, name, from, to string, now time.Time, ttl time.Duration) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND holder = ?`),
		to, micros(now.Add(ttl)), name, from)
	if err != nil {
		return false, fmt.Errorf("store: take over lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: take over lease %s: %w", name, err)
	}
	return n == 1, nil
}

// ReleaseLease implements domain.Leaser.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM leases WHERE name = ? AND holder = ?`), name, holder); err != nil {
		return fmt.Errorf("store: release lease %s: %w", name, err)
	}
	return nil
}
