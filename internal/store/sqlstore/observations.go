package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Observations implements domain.ObservationStore: for each cell, the
// figure that wins under the precedence rule.
func (s *Store) Observations(ctx context.Context, f domain.Filter) ([]domain.Observation, error) {
	rows, err := s.allRows(ctx, s.db, f)
	if err != nil {
		return nil, err
	}
	out := s.effective(rows)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Indicator != b.Indicator {
			return a.Indicator < b.Indicator
		}
		if a.Municipality != b.Municipality {
			return a.Municipality < b.Municipality
		}
		return a.Year < b.Year
	})
	return out, nil
}

// AllSources returns every stored figure of every source, not just the
// winners, so a page can show what the precedence rule chose between.
func (s *Store) AllSources(ctx context.Context, f domain.Filter) ([]domain.Observation, error) {
	return s.allRows(ctx, s.db, f)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) allRows(ctx context.Context, q querier, f domain.Filter) ([]domain.Observation, error) {
	var where []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("indicator", f.Indicators)
	in("municipality", f.Municipalities)
	if f.FromYear != 0 {
		where = append(where, "year >= ?")
		args = append(args, f.FromYear)
	}
	if f.ToYear != 0 {
		where = append(where, "year <= ?")
		args = append(args, f.ToYear)
	}
	query := `SELECT municipality, indicator, year, source, value, source_ref, batch_id, fetched_at, preliminary FROM observations`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := q.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: observations: %w", err)
	}
	defer rows.Close()
	var out []domain.Observation
	for rows.Next() {
		var o domain.Observation
		var kind string
		var fetched, prelim int64
		if err := rows.Scan(&o.Municipality, &o.Indicator, &o.Year, &kind, &o.Value, &o.Source.Ref, &o.Source.BatchID, &fetched, &prelim); err != nil {
			return nil, fmt.Errorf("store: observations: %w", err)
		}
		o.Source.Kind = domain.SourceKind(kind)
		o.Source.FetchedAt = fromMicros(fetched)
		o.Source.Preliminary = prelim != 0
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: observations: %w", err)
	}
	return out, nil
}

// effective keeps, per cell, the figure that wins under the precedence.
func (s *Store) effective(all []domain.Observation) []domain.Observation {
	best := make(map[domain.Key]int, len(all))
	for i, o := range all {
		j, ok := best[o.Key()]
		if !ok || s.precedence.Wins(o.Source, all[j].Source) {
			best[o.Key()] = i
		}
	}
	out := make([]domain.Observation, 0, len(best))
	for _, i := range best {
		out = append(out, all[i])
	}
	return out
}

// Years implements domain.ObservationStore.
func (s *Store) Years(ctx context.Context, indicator string) ([]int, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT year FROM observations WHERE indicator = ? ORDER BY year`), indicator)
	if err != nil {
		return nil, fmt.Errorf("store: years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("store: years: %w", err)
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// plan is the shared computation behind Preview and Apply, so that a
// preview can never disagree with what Apply writes.
type plan struct {
	diff   domain.Diff
	writes []write
}

// write replaces one source slot; prev is what the slot held (nil: empty).
type write struct {
	obs  domain.Observation
	prev *domain.Observation
}

func validateBatch(b domain.Batch) error {
	if !b.Source.Valid() {
		return domain.Invalid("okänd källa %q", b.Source)
	}
	seen := make(map[domain.Key]bool, len(b.Observations))
	for _, o := range b.Observations {
		switch {
		case o.Source.Kind != b.Source:
			return domain.Invalid("siffran %s har källan %q men importen gäller %q", o.Key(), o.Source.Kind, b.Source)
		case domain.KindOf(o.Municipality) == domain.KindUnknown:
			return domain.Invalid("okänd regionkod %q", o.Municipality)
		case o.Indicator == "":
			return domain.Invalid("siffran för %s saknar indikator", o.Municipality)
		case o.Year < 1800 || o.Year > 2200:
			return domain.Invalid("orimligt år %d för %s", o.Year, o.Key())
		case math.IsNaN(o.Value) || math.IsInf(o.Value, 0):
			return domain.Invalid("värdet för %s är inte ett tal", o.Key())
		case seen[o.Key()]:
			return domain.Invalid("%s förekommer två gånger i samma import", o.Key())
		}
		seen[o.Key()] = true
	}
	return nil
}

func (s *Store) makePlan(ctx context.Context, q querier, b domain.Batch) (plan, error) {
	if err := validateBatch(b); err != nil {
		return plan{}, err
	}
	var p plan
	if len(b.Observations) == 0 {
		return p, nil
	}
	// Load every stored figure of the indicators and years the batch
	// touches, all sources, in one query.
	f := domain.Filter{FromYear: math.MaxInt32}
	inds := map[string]bool{}
	for _, o := range b.Observations {
		inds[o.Indicator] = true
		f.FromYear = min(f.FromYear, o.Year)
		f.ToYear = max(f.ToYear, o.Year)
	}
	for id := range inds {
		f.Indicators = append(f.Indicators, id)
	}
	existing, err := s.allRows(ctx, q, f)
	if err != nil {
		return plan{}, err
	}
	byKey := make(map[domain.Key][]domain.Observation, len(existing))
	for _, o := range existing {
		byKey[o.Key()] = append(byKey[o.Key()], o)
	}
	for _, o := range b.Observations {
		others := byKey[o.Key()]
		var before, own *domain.Observation
		var rest []domain.Observation
		for i := range others {
			x := &others[i]
			if before == nil || s.precedence.Wins(x.Source, before.Source) {
				before = x
			}
			if x.Source.Kind == b.Source {
				own = x
			} else {
				rest = append(rest, *x)
			}
		}
		after := o
		for _, x := range rest {
			if s.precedence.Wins(x.Source, after.Source) {
				after = x
			}
		}
		c := domain.Change{Key: o.Key(), New: o.Value}
		switch {
		case before == nil:
			c.Kind = domain.ChangeNew
		case after.Value != before.Value || after.Source.Preliminary != before.Source.Preliminary:
			// A final figure replacing a preliminary one of the same value
			// still changes what the page says of it.
			c.Kind = domain.ChangeChanged
		case o.Value == after.Value:
			c.Kind = domain.ChangeUnchanged
		default:
			c.Kind = domain.ChangeShadowed
		}
		if before != nil {
			v, src := before.Value, before.Source
			c.Old, c.OldFrom = &v, &src
		}
		if c.Kind == domain.ChangeChanged {
			c.New = after.Value
		}
		p.diff.Add(c)
		if own == nil || own.Value != o.Value || own.Source.Ref != o.Source.Ref || own.Source.Preliminary != o.Source.Preliminary {
			w := write{obs: o}
			if own != nil {
				prev := *own
				w.prev = &prev
			}
			p.writes = append(p.writes, w)
		}
	}
	return p, nil
}

// Preview implements domain.ObservationStore.
func (s *Store) Preview(ctx context.Context, b domain.Batch) (domain.Diff, error) {
	p, err := s.makePlan(ctx, s.db, b)
	return p.diff, err
}

// insertChunk is the number of rows per multi-row INSERT: large enough to
// save round trips to PostgreSQL, small enough for SQLite's variable limit.
const insertChunk = 400

// Apply implements domain.ObservationStore: one transaction, all or
// nothing. The batch is recorded even when nothing changes, so a run's
// provenance is complete.
func (s *Store) Apply(ctx context.Context, b domain.Batch) (domain.Diff, error) {
	var diff domain.Diff
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := s.makePlan(ctx, tx, b)
		if err != nil {
			return err
		}
		now := s.now()
		var id int64
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO batches (kind, source, label, actor, created_at, rows_total, new_count, changed_count, unchanged_count, shadowed_count, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			string(b.Kind), string(b.Source), b.Label, b.Actor, micros(now), len(b.Observations),
			p.diff.New, p.diff.Changed, p.diff.Unchanged, p.diff.Shadowed, string(domain.BatchApplied)).Scan(&id); err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		if err := s.writeHistory(ctx, tx, id, p.writes); err != nil {
			return err
		}
		if err := s.upsert(ctx, tx, id, p.writes); err != nil {
			return err
		}
		for table, at := range b.Stamps {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO table_stamps (source, table_id, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (source, table_id) DO UPDATE SET updated_at = excluded.updated_at`), string(b.Source), table, micros(at)); err != nil {
				return fmt.Errorf("stamp %s: %w", table, err)
			}
		}
		if len(p.writes) > 0 {
			if err := bumpDataVersion(ctx, tx); err != nil {
				return fmt.Errorf("data version: %w", err)
			}
			touched := map[string]bool{}
			for _, w := range p.writes {
				touched[w.obs.Indicator] = true
			}
			if err := s.markIndicators(ctx, tx, touched); err != nil {
				return err
			}
		}
		diff = p.diff
		diff.BatchID = id
		return nil
	})
	if err != nil {
		if domain.ErrorCode(err) != domain.CodeInternal {
			return domain.Diff{}, err
		}
		return domain.Diff{}, fmt.Errorf("store: apply %q: %w", b.Label, err)
	}
	return diff, nil
}

func (s *Store) writeHistory(ctx context.Context, tx *sql.Tx, batch int64, ws []write) error {
	const cols = 10
	for start := 0; start < len(ws); start += insertChunk {
		chunk := ws[start:min(start+insertChunk, len(ws))]
		args := make([]any, 0, len(chunk)*cols)
		for _, w := range chunk {
			o := w.obs
			args = append(args, batch, o.Municipality, o.Indicator, o.Year, string(o.Source.Kind))
			if w.prev == nil {
				args = append(args, nil, nil, nil, nil, nil)
			} else {
				args = append(args, w.prev.Value, w.prev.Source.Ref, w.prev.Source.BatchID, micros(w.prev.Source.FetchedAt), flag(w.prev.Source.Preliminary))
			}
		}
		query := `INSERT INTO observation_history (batch_id, municipality, indicator, year, source, prev_value, prev_ref, prev_batch, prev_fetched_at, prev_preliminary) VALUES ` + values(len(chunk), cols)
		if _, err := tx.ExecContext(ctx, s.q(query), args...); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	return nil
}

func (s *Store) upsert(ctx context.Context, tx *sql.Tx, batch int64, ws []write) error {
	const cols = 9
	for start := 0; start < len(ws); start += insertChunk {
		chunk := ws[start:min(start+insertChunk, len(ws))]
		args := make([]any, 0, len(chunk)*cols)
		for _, w := range chunk {
			o := w.obs
			args = append(args, o.Municipality, o.Indicator, o.Year, string(o.Source.Kind), o.Value, o.Source.Ref, batch, micros(o.Source.FetchedAt), flag(o.Source.Preliminary))
		}
		query := `INSERT INTO observations (municipality, indicator, year, source, value, source_ref, batch_id, fetched_at, preliminary) VALUES ` + values(len(chunk), cols) + `
			ON CONFLICT (municipality, indicator, year, source) DO UPDATE SET
			value = excluded.value, source_ref = excluded.source_ref, batch_id = excluded.batch_id, fetched_at = excluded.fetched_at, preliminary = excluded.preliminary`
		if _, err := tx.ExecContext(ctx, s.q(query), args...); err != nil {
			return fmt.Errorf("observations: %w", err)
		}
	}
	return nil
}

// flag stores a bool as 0/1, the same in both dialects.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// values renders "(?,?,?),(?,?,?)" for n rows of cols columns.
func values(n, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", n), ",")
}

// Rollback implements domain.ObservationStore.
func (s *Store) Rollback(ctx context.Context, batchID int64, actor string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, s.q(`SELECT status FROM batches WHERE id = ?`), batchID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("import %d finns inte", batchID)
		}
		if err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		if domain.BatchStatus(status) != domain.BatchApplied {
			return domain.Conflict("import %d är redan ångrad", batchID)
		}
		// A later batch that overwrote one of ours must be undone first,
		// or we would silently destroy its figures.
		var later sql.NullInt64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT MIN(o.batch_id) FROM observation_history h
			JOIN observations o ON o.municipality = h.municipality AND o.indicator = h.indicator AND o.year = h.year AND o.source = h.source
			WHERE h.batch_id = ? AND o.batch_id <> ?`), batchID, batchID).Scan(&later); err != nil {
			return fmt.Errorf("check later batches: %w", err)
		}
		if later.Valid {
			return domain.Conflict("import %d kan inte ångras eftersom import %d senare ändrade samma siffror; ångra den först", batchID, later.Int64)
		}
		var missing int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM observation_history h
			WHERE h.batch_id = ? AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.municipality = h.municipality AND o.indicator = h.indicator AND o.year = h.year AND o.source = h.source)`), batchID).Scan(&missing); err != nil {
			return fmt.Errorf("check history: %w", err)
		}
		if missing > 0 {
			return domain.Conflict("import %d kan inte ångras: %d av dess siffror har tagits bort av en senare ändring", batchID, missing)
		}
		// Restore the previous rows, then drop the slots that were empty.
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE observations
			SET value = h.prev_value, source_ref = h.prev_ref, fetched_at = h.prev_fetched_at, batch_id = h.prev_batch, preliminary = COALESCE(h.prev_preliminary, 0)
			FROM observation_history h
			WHERE h.batch_id = ? AND h.prev_batch IS NOT NULL AND observations.batch_id = ?
			AND h.municipality = observations.municipality AND h.indicator = observations.indicator
			AND h.year = observations.year AND h.source = observations.source`), batchID, batchID); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM observations WHERE batch_id = ?`), batchID); err != nil {
			return fmt.Errorf("remove: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE batches SET status = ?, rolled_back_at = ?, rolled_back_by = ? WHERE id = ?`),
			string(domain.BatchRolledBack), micros(s.now()), actor, batchID); err != nil {
			return fmt.Errorf("mark: %w", err)
		}
		if err := bumpDataVersion(ctx, tx); err != nil {
			return err
		}
		touched, err := batchIndicators(ctx, tx, s, batchID)
		if err != nil {
			return err
		}
		return s.markIndicators(ctx, tx, touched)
	})
	if err != nil && domain.ErrorCode(err) == domain.CodeInternal {
		return fmt.Errorf("store: rollback %d: %w", batchID, err)
	}
	return err
}

const batchCols = `id, kind, source, label, actor, created_at, rows_total, new_count, changed_count, unchanged_count, shadowed_count, status, rolled_back_at, rolled_back_by`

type scanner interface{ Scan(dest ...any) error }

func scanBatch(r scanner) (domain.BatchInfo, error) {
	var b domain.BatchInfo
	var kind, source, status string
	var created int64
	var rbAt sql.NullInt64
	var rbBy sql.NullString
	if err := r.Scan(&b.ID, &kind, &source, &b.Label, &b.Actor, &created, &b.Rows, &b.New, &b.Changed, &b.Unchanged, &b.Shadowed, &status, &rbAt, &rbBy); err != nil {
		return b, err
	}
	b.Kind, b.Source, b.Status = domain.BatchKind(kind), domain.SourceKind(source), domain.BatchStatus(status)
	b.CreatedAt = fromMicros(created)
	if rbAt.Valid {
		t := fromMicros(rbAt.Int64)
		b.RolledBackAt = &t
	}
	b.RolledBackBy = rbBy.String
	return b, nil
}

// Batch implements domain.ObservationStore.
func (s *Store) Batch(ctx context.Context, id int64) (domain.BatchInfo, error) {
	b, err := scanBatch(s.db.QueryRowContext(ctx, s.q(`SELECT `+batchCols+` FROM batches WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, domain.NotFound("import %d finns inte", id)
	}
	if err != nil {
		return b, fmt.Errorf("store: batch %d: %w", id, err)
	}
	return b, nil
}

// Batches implements domain.ObservationStore, newest first.
func (s *Store) Batches(ctx context.Context, limit int) ([]domain.BatchInfo, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+batchCols+` FROM batches ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("store: batches: %w", err)
	}
	defer rows.Close()
	var out []domain.BatchInfo
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("store: batches: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// batchIndicators lists the indicators a batch wrote (its history rows).
func batchIndicators(ctx context.Context, tx *sql.Tx, s *Store, batchID int64) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT DISTINCT indicator FROM observation_history WHERE batch_id = ?`), batchID)
	if err != nil {
		return nil, fmt.Errorf("indicators of batch %d: %w", batchID, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var ind string
		if err := rows.Scan(&ind); err != nil {
			return nil, fmt.Errorf("indicators of batch %d: %w", batchID, err)
		}
		out[ind] = true
	}
	return out, rows.Err()
}
