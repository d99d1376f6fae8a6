package scheduler

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// newHolder names this process in leases: host, process id and a random
// part ("host:pid:hex"), so another process on the same host can tell
// that a lease's holder has died.
func newHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// parseHolder splits a holder written by newHolder; ok is false for other
// names (older versions, tests).
func parseHolder(h string) (host string, pid int, ok bool) {
	parts := strings.Split(h, ":")
	if len(parts) < 3 {
		return "", 0, false
	}
	pid, err := strconv.Atoi(parts[len(parts)-2])
	if err != nil || pid <= 0 {
		return "", 0, false
	}
	return strings.Join(parts[:len(parts)-2], ":"), pid, true
}

// deadLocalHolder reports a holder that ran on this host in a process that
// no longer exists: its lease protects nothing and may be taken at once.
func deadLocalHolder(h string) bool {
	host, pid, ok := parseHolder(h)
	if !ok || pid == os.Getpid() {
		return false
	}
	me, err := os.Hostname()
	if err != nil || host != me {
		return false
	}
	return processGone(pid)
}

// describeHolder is a holder for people: "värd X, process N".
func describeHolder(h string) string {
	if host, pid, ok := parseHolder(h); ok {
		return fmt.Sprintf("värd %s, process %d", host, pid)
	}
	return h
}
