//go:build unix

package scheduler

import (
	"errors"
	"syscall"
)

// processGone reports that no process with the id exists (signal 0 checks
// without sending anything; EPERM means it exists under another user).
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
