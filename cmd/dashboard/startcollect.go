package main

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/scheduler"
)

// startCollect is collect_on_start: a first run of every enabled source in
// the background when serve starts (auto: only if nothing was ever
// collected), and the notice pages show while it runs and after it failed.
// It never delays the start or the first page: the runs go on in their own
// goroutines and the pages serve the bundled figures meanwhile.
type startCollect struct {
	mu      sync.Mutex
	order   []string
	state   map[string]string // source name → running, done, partial, failed
	recheck time.Time         // when a failed source's later runs are looked at again
	runs    func(ctx context.Context, source string) (domain.Run, bool)
	now     func() time.Time
}

// recheckEvery bounds how often the notice of a failed first run looks for
// a later run that succeeded (one small query, only while a failure shows).
const recheckEvery = 30 * time.Second

func newStartCollect(a *app) *startCollect {
	return &startCollect{state: map[string]string{}, now: a.clock.Now, runs: func(ctx context.Context, source string) (domain.Run, bool) {
		rs, err := a.store.Runs(ctx, source, 1)
		if err != nil || len(rs) == 0 {
			return domain.Run{}, false
		}
		return rs[0], true
	}}
}

// start decides by collect_on_start and starts the runs.
func (t *startCollect) start(ctx context.Context, a *app, sched *scheduler.Scheduler) {
	switch a.cfg.CollectOnStart {
	case config.CollectNever:
		return
	case config.CollectAuto:
		runs, err := a.store.Runs(ctx, "", 1)
		if err != nil {
			a.log.Warn("collect on start: earlier runs not readable; not collecting", "err", err)
			return
		}
		if len(runs) > 0 {
			return
		}
	}
	var names []string
	for _, st := range sched.Status() {
		if st.Enabled {
			names = append(names, st.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	t.mu.Lock()
	t.order = names
	for _, n := range names {
		t.state[n] = "running"
	}
	t.mu.Unlock()
	a.log.Info("collect on start: first run of every enabled source", "sources", strings.Join(names, ","), "mode", a.cfg.CollectOnStart)
	for _, n := range names {
		go func() {
			run, err := sched.RunOnce(context.WithoutCancel(ctx), n, scheduler.TriggerStart, "")
			st := "done"
			switch {
			case run.Status == domain.RunPartial:
				st = "partial"
			case err != nil:
				st = "failed"
			}
			t.mu.Lock()
			t.state[n] = st
			t.mu.Unlock()
		}()
	}
}

// Notice is what pages show: progress per source while the first runs go
// on; after they end, one sentence for the sources whose first run failed,
// until a later run of theirs succeeds.
func (t *startCollect) Notice() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.order) == 0 {
		return ""
	}
	var parts, failed []string
	running := false
	for _, n := range t.order {
		label := domain.SourceKind(n).Label()
		switch t.state[n] {
		case "running":
			running = true
			parts = append(parts, label+" pågår")
		case "done":
			parts = append(parts, label+" klar")
		case "partial":
			parts = append(parts, label+" delvis klar")
			failed = append(failed, label)
		default:
			parts = append(parts, label+" misslyckades")
			failed = append(failed, label)
		}
	}
	if running {
		return "Dashboarden hämtar sina första siffror (" + strings.Join(parts, ", ") + "). Till dess visas de medföljande siffrorna; sidorna fylls på när hämtningen är klar."
	}
	if len(failed) == 0 {
		return ""
	}
	if now := t.now(); now.After(t.recheck) {
		t.recheck = now.Add(recheckEvery)
		failed = failed[:0]
		for _, n := range t.order {
			if t.state[n] == "done" {
				continue
			}
			if r, ok := t.runs(context.Background(), n); ok && r.Status == domain.RunSucceeded {
				t.state[n] = "done"
				continue
			}
			failed = append(failed, domain.SourceKind(n).Label())
		}
		if len(failed) == 0 {
			return ""
		}
	}
	return "Den första hämtningen från " + strings.Join(failed, " och ") + " gick inte att slutföra (källan kunde inte nås eller svarade fel), så en del siffror saknas och de medföljande visas. Administratörer ser felet under Källor."
}
