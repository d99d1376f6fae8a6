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

// CreateUser implements domain.UserStore.
func (s *Store) CreateUser(ctx context.Context, u domain.User) (domain.User, error) {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now().UTC()
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`),
		u.Name, string(u.Role), u.PasswordHash, micros(u.CreatedAt)).Scan(&u.ID)
	if err != nil {
		if isUniqueViolation(err) {
			return u, domain.Conflict("användaren %q finns redan", u.Name)
		}
		return u, fmt.Errorf("store: create user %s: %w", u.Name, err)
	}
	return u, nil
}

// isUniqueViolation recognises both engines' duplicate-key errors without
// importing their drivers here.
func isUniqueViolation(err error) bool {
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505") || strings.Contains(m, "duplicate key")
}

func scanUser(r scanner) (domain.User, error) {
	var u domain.User
	var role string
	var created int64
	err := r.Scan(&u.ID, &u.Name, &role, &u.PasswordHash, &created)
	u.Role, u.CreatedAt = domain.Role(role), fromMicros(created)
	return u, err
}

// UserByName implements domain.UserStore.
func (s *Store) UserByName(ctx context.Context, name string) (domain.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT id, name, role, password_hash, created_at FROM users WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.NotFound("användaren %q finns inte", name)
	}
	if err != nil {
		return u, fmt.Errorf("store: user %s: %w", name, err)
	}
	return u, nil
}

// Users implements domain.UserStore.
func (s *Store) Users(ctx context.Context) ([]domain.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role, password_hash, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// DeleteUser implements domain.UserStore; the user's sessions go with it.
func (s *Store) DeleteUser(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE name = ?)`), name); err != nil {
			return fmt.Errorf("store: delete sessions of %s: %w", name, err)
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM users WHERE name = ?`), name)
		if err != nil {
			return fmt.Errorf("store: delete user %s: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.NotFound("användaren %q finns inte", name)
		}
		return nil
	})
}

// CreateSession implements domain.UserStore. Expired sessions are swept
// here, so the table does not grow without bound.
func (s *Store) CreateSession(ctx context.Context, ss domain.Session) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at < ?`), micros(s.now())); err != nil {
		return fmt.Errorf("store: sweep sessions: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		ss.TokenHash, ss.UserID, ss.CSRFToken, micros(ss.CreatedAt), micros(ss.ExpiresAt)); err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser implements domain.UserStore.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time) (domain.Session, domain.User, error) {
	var ss domain.Session
	var created, expires int64
	row := s.db.QueryRowContext(ctx, s.q(`SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at,
		u.id, u.name, u.role, u.password_hash, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`), tokenHash, micros(now))
	var u domain.User
	var role string
	var ucreated int64
	err := row.Scan(&ss.TokenHash, &ss.UserID, &ss.CSRFToken, &created, &expires, &u.ID, &u.Name, &role, &u.PasswordHash, &ucreated)
	if errors.Is(err, sql.ErrNoRows) {
		return ss, u, domain.Errorf(domain.CodeUnauthorized, "sessionen har gått ut; logga in igen", err)
	}
	if err != nil {
		return ss, u, fmt.Errorf("store: session: %w", err)
	}
	ss.CreatedAt, ss.ExpiresAt = fromMicros(created), fromMicros(expires)
	u.Role, u.CreatedAt = domain.Role(role), fromMicros(ucreated)
	return ss, u, nil
}

// DeleteSession implements domain.UserStore.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// SavePending implements domain.PendingStore. Expired previews are swept
// here.
func (s *Store) SavePending(ctx context.Context, p domain.PendingImport) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM pending_imports WHERE expires_at < ?`), micros(s.now())); err != nil {
		return fmt.Errorf("store: sweep pending: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO pending_imports (id, user_name, file_name, created_at, expires_at, payload) VALUES (?, ?, ?, ?, ?, ?)`),
		p.ID, p.UserName, p.FileName, micros(p.CreatedAt), micros(p.ExpiresAt), string(p.Payload)); err != nil {
		return fmt.Errorf("store: save pending %s: %w", p.FileName, err)
	}
	return nil
}

// Pending implements domain.PendingStore.
func (s *Store) Pending(ctx context.Context, id string, now time.Time) (domain.PendingImport, error) {
	var p domain.PendingImport
	var created, expires int64
	var payload string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, user_name, file_name, created_at, expires_at, payload FROM pending_imports WHERE id = ? AND expires_at > ?`), id, micros(now)).
		Scan(&p.ID, &p.UserName, &p.FileName, &created, &expires, &payload)
	if errors.Is(err, sql.ErrNoRows) {
		return p, domain.NotFound("förhandsgranskningen finns inte eller har gått ut; ladda upp filen igen")
	}
	if err != nil {
		return p, fmt.Errorf("store: pending %s: %w", id, err)
	}
	p.CreatedAt, p.ExpiresAt, p.Payload = fromMicros(created), fromMicros(expires), []byte(payload)
	return p, nil
}

// DeletePending implements domain.PendingStore.
// ReplacePending implements domain.PendingStore.
func (s *Store) ReplacePending(ctx context.Context, p domain.PendingImport) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE pending_imports SET file_name = ?, expires_at = ?, payload = ? WHERE id = ? AND user_name = ?`),
		p.FileName, micros(p.ExpiresAt), string(p.Payload), p.ID, p.UserName)
	if err != nil {
		return fmt.Errorf("store: replace pending %s: %w", p.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: replace pending %s: %w", p.ID, err)
	} else if n == 0 {
		return domain.NotFound("förhandsgranskningen finns inte eller har gått ut; ladda upp filen igen")
	}
	return nil
}

func (s *Store) DeletePending(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM pending_imports WHERE id = ?`), id); err != nil {
		return fmt.Errorf("store: delete pending %s: %w", id, err)
	}
	return nil
}
