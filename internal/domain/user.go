package domain

import (
	"context"
	"time"
)

// Role grants what a user may do. Roles are ordered: an admin may do all an
// analyst may.
type Role string

const (
	RoleViewer  Role = "viewer"
	RoleAnalyst Role = "analyst"
	RoleAdmin   Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleViewer || r == RoleAnalyst || r == RoleAdmin }

// AtLeast reports whether r includes the rights of want.
func (r Role) AtLeast(want Role) bool { return r.rank() >= want.rank() }

func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleAnalyst:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Label is the role's Swedish name.
func (r Role) Label() string {
	switch r {
	case RoleViewer:
		return "läsare"
	case RoleAnalyst:
		return "analytiker"
	case RoleAdmin:
		return "administratör"
	}
	return string(r)
}

// User is a person who may log in. PasswordHash is never shown.
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Session is a logged-in browser. Only a hash of the cookie's token is
// stored, so a leaked database does not hand out sessions.
type Session struct {
	TokenHash string
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// UserStore keeps users and their sessions.
type UserStore interface {
	CreateUser(ctx context.Context, u User) (User, error)
	UserByName(ctx context.Context, name string) (User, error)
	Users(ctx context.Context) ([]User, error)
	DeleteUser(ctx context.Context, name string) error
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the session and its user if the session exists
	// and has not expired at now.
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (Session, User, error)
	DeleteSession(ctx context.Context, tokenHash string) error
}

// PendingImport is an uploaded file that was previewed but not confirmed.
// Payload is the parsed content, opaque to the store.
type PendingImport struct {
	ID        string
	UserName  string
	FileName  string
	CreatedAt time.Time
	ExpiresAt time.Time
	Payload   []byte
}

// PendingStore keeps previews between the upload and the confirm, in the
// database so that any instance can confirm.
type PendingStore interface {
	SavePending(ctx context.Context, p PendingImport) error
	Pending(ctx context.Context, id string, now time.Time) (PendingImport, error)
	// ReplacePending puts a new payload (and expiry) under an existing
	// preview's id, so that re-reading a file keeps the address the
	// analyst has open. NotFound when the preview is gone.
	ReplacePending(ctx context.Context, p PendingImport) error
	DeletePending(ctx context.Context, id string) error
}

// Leaser hands out named, expiring leases so that on several instances
// sharing one database a scheduled job runs on exactly one.
type Leaser interface {
	// TryLease takes or renews the lease for holder until now+ttl. It
	// reports false when another holder has an unexpired lease.
	TryLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// LeaseInspector is a Leaser that can say who holds a lease and until when,
// and hand a lease over from a holder known to be dead: a crashed process
// must not keep the others waiting until its lease runs out.
type LeaseInspector interface {
	// Lease returns the lease's holder and expiry; found is false when
	// nobody holds it.
	Lease(ctx context.Context, name string) (holder string, expires time.Time, found bool, err error)
	// TakeOverLease moves the lease from holder from to holder to, until
	// now+ttl, only if from still holds it.
	TakeOverLease(ctx context.Context, name, from, to string, now time.Time, ttl time.Duration) (bool, error)
}
