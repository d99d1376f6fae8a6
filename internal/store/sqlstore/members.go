package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Members implements domain.MemberStore.
func (s *Store) Members(ctx context.Context) ([]domain.Member, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, evidence, evidence_date, joined, active, changed_by, changed_at FROM network_members ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: members: %w", err)
	}
	defer rows.Close()
	var out []domain.Member
	for rows.Next() {
		var m domain.Member
		var active int
		var at int64
		if err := rows.Scan(&m.Code, &m.Evidence, &m.EvidenceDate, &m.Joined, &active, &m.ChangedBy, &at); err != nil {
			return nil, fmt.Errorf("store: members: %w", err)
		}
		m.Active, m.ChangedAt = active != 0, fromMicros(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: members: %w", err)
	}
	return out, nil
}

// SaveMembers implements domain.MemberStore.
func (s *Store) SaveMembers(ctx context.Context, ms []domain.Member) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, m := range ms {
			at := m.ChangedAt
			if at.IsZero() {
				at = s.now()
			}
			active := 0
			if m.Active {
				active = 1
			}
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM network_members WHERE code = ?`), m.Code); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO network_members (code, evidence, evidence_date, joined, active, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
				m.Code, m.Evidence, m.EvidenceDate, m.Joined, active, m.ChangedBy, micros(at)); err != nil {
				return fmt.Errorf("member %s: %w", m.Code, err)
			}
		}
		// Pages show members: the new version tells every instance.
		return bumpDataVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: save members: %w", err)
	}
	return nil
}
