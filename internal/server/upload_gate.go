package server

import (
	"errors"
	"fmt"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// uploadGate bounds how many uploads are parsed at once. A 1,000,000-cell
// parse peaks near 180 MB; four at once took the server past 2 GB. An
// upload beyond the bound waits a little for a turn and is then refused
// with 503, which the analyst can simply retry, instead of the server
// running out of memory for everyone.
type uploadGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newUploadGate(parallel int, wait time.Duration) *uploadGate {
	if parallel <= 0 {
		parallel = 2
	}
	if wait <= 0 {
		wait = 10 * time.Second
	}
	return &uploadGate{slots: make(chan struct{}, parallel), wait: wait}
}

// enter takes a turn and returns its release, or a 503 when no turn came
// within the wait.
func (g *uploadGate) enter() (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-t.C:
		return nil, domain.Errorf(domain.CodeUnavailable,
			"Servern läser redan andra uppladdade filer. Försök igen om en stund.",
			fmt.Errorf("upload: %d parses running, none freed within %s: %w", cap(g.slots), g.wait, errUploadsBusy))
	}
}

var errUploadsBusy = errors.New("upload parse slots busy")
