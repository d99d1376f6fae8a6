package scheduler

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// deadPID is the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestStaleLeaseOfDeadProcessIsTakenOver: after kill -9 of a collect run
// its lease stays in the database for up to LeaseTTL. A lease whose holder
// is a process on this host that no longer exists is taken at once; one
// held by a live process (or another host) is refused, saying by whom and
// when it frees.
func TestStaleLeaseOfDeadProcessIsTakenOver(t *testing.T) {
	host, _ := os.Hostname()
	tests := []struct {
		name   string
		holder string
		busy   bool
	}{
		{"dead process on this host", fmt.Sprintf("%s:%d:deadbeef", host, deadPID(t)), false},
		{"live process on this host", fmt.Sprintf("%s:%d:cafe", host, os.Getppid()), true},
		{"another host", fmt.Sprintf("annan-vard.example:%d:cafe", deadPID(t)), true},
		{"holder of an older version", host + "-0123456789abcdef", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := openSharedStores(t)
			clock := newFakeClock(t0)
			if ok, err := a.TryLease(context.Background(), "collect:scb", tt.holder, clock.Now(), 5*time.Minute); !ok || err != nil {
				t.Fatalf("plant lease: %v %v", ok, err)
			}
			s := instance(t, a, stampAware(), clock, nil)
			run, err := s.RunNow(context.Background(), "scb", TriggerManual, "anna")
			if !tt.busy {
				if err != nil || run.Status != domain.RunSucceeded {
					t.Fatalf("run after a dead holder: %+v, %v", run, err)
				}
				return
			}
			msg := domain.UserMessage(err, "")
			if !errors.Is(err, ErrBusy) || !strings.Contains(msg, "Låset släpps senast") {
				t.Fatalf("run while %s holds the lease: %v (%q)", tt.holder, err, msg)
			}
		})
	}
}
