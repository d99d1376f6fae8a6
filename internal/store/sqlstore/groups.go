package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// groupsSource is what a stored group set says of its origin.
const groupsSource = "Kolada /v3/municipality_groups"

// SaveGroups implements domain.GroupStore: the old set goes and the new
// one comes in one transaction, so pages never see half of each.
func (s *Store) SaveGroups(ctx context.Context, snap domain.GroupSnapshot) error {
	if len(snap.Groups) == 0 {
		return domain.Invalid("en tom grupplista sparas inte")
	}
	at := snap.FetchedAt
	if at.IsZero() {
		at = s.now()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM municipality_groups`); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO municipality_groups (id, title, members, fetched_at) VALUES (?, ?, ?, ?)`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		seen := map[string]bool{}
		for _, g := range snap.Groups {
			if g.ID == "" || seen[g.ID] {
				continue
			}
			seen[g.ID] = true
			if _, err := stmt.ExecContext(ctx, g.ID, g.Title, strings.Join(g.Members, ","), micros(at)); err != nil {
				return fmt.Errorf("group %s: %w", g.ID, err)
			}
		}
		// Pages compare with groups: the new version tells every instance.
		return bumpDataVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: save groups: %w", err)
	}
	return nil
}

// Groups implements domain.GroupStore.
func (s *Store) Groups(ctx context.Context) (domain.GroupSnapshot, bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, members, fetched_at FROM municipality_groups ORDER BY id`)
	if err != nil {
		return domain.GroupSnapshot{}, false, fmt.Errorf("store: groups: %w", err)
	}
	defer rows.Close()
	snap := domain.GroupSnapshot{Source: groupsSource}
	for rows.Next() {
		var g domain.MunicipalityGroup
		var members string
		var at int64
		if err := rows.Scan(&g.ID, &g.Title, &members, &at); err != nil {
			return domain.GroupSnapshot{}, false, fmt.Errorf("store: groups: %w", err)
		}
		if members != "" {
			g.Members = strings.Split(members, ",")
		}
		if t := fromMicros(at); t.After(snap.FetchedAt) {
			snap.FetchedAt = t
		}
		snap.Groups = append(snap.Groups, g)
	}
	if err := rows.Err(); err != nil {
		return domain.GroupSnapshot{}, false, fmt.Errorf("store: groups: %w", err)
	}
	return snap, len(snap.Groups) > 0, nil
}
