//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Lock is an advisory lock on "<store>.lock" beside the SQLite file. Every
// process that opens the store holds it shared (serve, collect, import,
// users, migrate, backup); restore takes it exclusive, so it can tell for
// certain that no process has the file open, and nothing opens the store
// while the file is being swapped. The kernel releases a flock when the
// process ends, however it ends, so a crashed server leaves no stale lock
// (unlike a PID file).
type Lock struct{ f *os.File }

// ErrInUse means another process holds the lock in a conflicting mode.
var ErrInUse = errors.New("the store is in use by another process")

// LockPath is the lock file for the store at dbPath.
func LockPath(dbPath string) string { return dbPath + ".lock" }

// LockShared takes the lock as one of possibly several users of the store.
// It fails at once with ErrInUse while a restore holds it.
func LockShared(dbPath string) (*Lock, error) { return lock(dbPath, syscall.LOCK_SH) }

// LockExclusive takes the lock alone. It fails at once with ErrInUse while
// any other process (a server, an import) holds it.
func LockExclusive(dbPath string) (*Lock, error) { return lock(dbPath, syscall.LOCK_EX) }

func lock(dbPath string, how int) (*Lock, error) {
	p := LockPath(dbPath)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		// A read-only data directory: lock the existing file read-only.
		f, err = os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("sqlite: lock %s: %w", p, err)
		}
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("sqlite: %s: %w", p, ErrInUse)
		}
		return nil, fmt.Errorf("sqlite: lock %s: %w", p, err)
	}
	return &Lock{f: f}, nil
}

// Close releases the lock.
func (l *Lock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor releases the flock
	l.f = nil
	return err
}
