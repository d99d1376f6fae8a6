package scheduler

import (
	"fmt"

	"context"
	"errors"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"log/slog"
	"time"
)

// errLeaseLost cancels a run whose lease another instance took over
// (after this one failed to renew it in time): two instances must never
// collect the same source at once.
var errLeaseLost = errors.New("scheduler: the run's lease was taken over by another instance")

// lease takes the run lease of src and renews it until the returned
// release is called. Without a Leaser it does nothing. ErrBusy (wrapped)
// means another instance holds the lease.
func (s *Scheduler) lease(ctx context.Context, src *source, cancel context.CancelCauseFunc, log *slog.Logger) (release func(), err error) {
	if s.cfg.Leaser == nil {
		return func() {}, nil
	}
	name := "collect:" + src.Name
	ok, err := s.cfg.Leaser.TryLease(ctx, name, s.holder, s.clock.Now(), s.cfg.LeaseTTL)
	if err != nil {
		return nil, err
	}
	if !ok {
		if ok, err = s.takeOverDead(ctx, name, log); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, s.busyElsewhere(ctx, src, name)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Renewal runs on the wall clock: the lease guards real time
		// against a crashed holder, whatever clock the runs use.
		t := time.NewTicker(s.cfg.LeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			ok, err := s.cfg.Leaser.TryLease(ctx, name, s.holder, s.clock.Now(), s.cfg.LeaseTTL)
			switch {
			case err != nil:
				// The database may be back before the lease runs out.
				log.Warn("lease not renewed", "lease", name, "err", err)
			case !ok:
				log.Error("lease lost to another instance: cancelling the run", "lease", name)
				cancel(errLeaseLost)
				return
			}
		}
	}()
	return func() {
		close(stop)
		<-done
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
		defer rcancel()
		if err := s.cfg.Leaser.ReleaseLease(rctx, name, s.holder); err != nil {
			log.Warn("lease not released; it runs out by itself", "lease", name, "err", err)
		}
	}, nil
}

// takeOverDead takes the lease at once when its holder is a process on
// this host that no longer exists (killed during a run): otherwise the
// next run would wait for the lease to run out.
func (s *Scheduler) takeOverDead(ctx context.Context, name string, log *slog.Logger) (bool, error) {
	li, ok := s.cfg.Leaser.(domain.LeaseInspector)
	if !ok {
		return false, nil
	}
	holder, _, found, err := li.Lease(ctx, name)
	if err != nil || !found || !deadLocalHolder(holder) {
		return false, err
	}
	taken, err := li.TakeOverLease(ctx, name, holder, s.holder, s.clock.Now(), s.cfg.LeaseTTL)
	if taken {
		log.Warn("took over the lease of a process that no longer exists", "lease", name, "dead_holder", holder)
	}
	return taken, err
}

// busyElsewhere is the refusal when another instance holds the lease,
// saying who and when the lease frees at the latest.
func (s *Scheduler) busyElsewhere(ctx context.Context, src *source, name string) error {
	err := busyErr(src, true)
	li, ok := s.cfg.Leaser.(domain.LeaseInspector)
	if !ok {
		return err
	}
	holder, until, found, lerr := li.Lease(ctx, name)
	if lerr != nil || !found {
		return err
	}
	msg := fmt.Sprintf("Hämtningen från %s pågår redan på en annan instans (%s). Låset släpps senast %s om den instansen har slutat svara.",
		src.Kind.Label(), describeHolder(holder), until.In(clock.Stockholm).Format("2006-01-02 15:04:05"))
	return domain.Errorf(domain.CodeConflict, msg, fmt.Errorf("%w: %s held by %s until %s", ErrBusy, src.Name, holder, until))
}
