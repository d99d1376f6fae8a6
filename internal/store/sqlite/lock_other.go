//go:build !unix

package sqlite

import "errors"

// Lock is the store lock; see lock_unix.go. Without flock there is no
// reliable way to know whether a server holds the store, so restore
// refuses to run and the other commands run unlocked.
type Lock struct{}

// ErrInUse means another process holds the lock in a conflicting mode.
var ErrInUse = errors.New("the store is in use by another process")

// LockPath is the lock file for the store at dbPath.
func LockPath(dbPath string) string { return dbPath + ".lock" }

// LockShared does nothing on this platform.
func LockShared(string) (*Lock, error) { return &Lock{}, nil }

// LockExclusive refuses: restore is supported on Unix only.
func LockExclusive(string) (*Lock, error) {
	return nil, errors.New("sqlite: restore needs flock (Linux or another Unix)")
}

// Close releases the lock.
func (l *Lock) Close() error { return nil }
