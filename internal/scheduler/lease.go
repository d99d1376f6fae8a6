package scheduler

import (
	"context"
	"errors"
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
		return nil, busyErr(src, true)
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
