package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// finishTimeout bounds the writes that record a run's end, which must
// happen even when the run's own context was cancelled.
const finishTimeout = 30 * time.Second

// maxErrorText bounds the stored error text: details may quote a source's
// answer, which is untrusted and may be large.
const maxErrorText = 2000

// ErrBusy is wrapped by the error of a run refused because the source is
// already being collected, here or on another instance.
var ErrBusy = errors.New("scheduler: source is being collected already")

// RunNow runs the source once and waits for the outcome. The returned Run
// is the recorded run (ID 0 when none was recorded: unknown or disabled
// source, a run already going, the service stopping, the store down). The
// error is nil exactly when the run succeeded or was skipped because
// nothing had changed; a failed run returns its record and its error.
func (s *Scheduler) RunNow(ctx context.Context, name, trigger, actor string) (domain.Run, error) {
	src, err := s.lookup(name)
	if err != nil {
		return domain.Run{}, err
	}
	if !s.begin() {
		return domain.Run{}, stoppingErr()
	}
	defer s.wg.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)()
	return s.run(ctx, src, trigger, actor)
}

// Trigger starts a run in the background, for the admin page's button: it
// checks what it can at once (the source exists, is enabled and is not
// running here) and returns; the outcome is recorded as a run. The run is
// bound to the scheduler's life, not to the request.
func (s *Scheduler) Trigger(name, trigger, actor string) error {
	src, err := s.lookup(name)
	if err != nil {
		return err
	}
	if src.running.Load() {
		return busyErr(src, false)
	}
	if !s.begin() {
		return stoppingErr()
	}
	go func() {
		defer s.wg.Done()
		_, _ = s.run(s.ctx, src, trigger, actor) // logged and recorded by run
	}()
	return nil
}

func (s *Scheduler) lookup(name string) (*source, error) {
	src := s.byName[name]
	if src == nil {
		return nil, domain.NotFound("källan %q finns inte", name)
	}
	if !src.Enabled {
		return nil, domain.Errorf(domain.CodeInvalid, fmt.Sprintf("Källan %s är avstängd i konfigurationen.", src.Kind.Label()), nil)
	}
	return src, nil
}

func stoppingErr() error {
	return domain.Errorf(domain.CodeUnavailable, "Tjänsten håller på att stängas av; ingen ny hämtning startas.", nil)
}

func busyErr(src *source, elsewhere bool) error {
	msg := "Hämtningen från " + src.Kind.Label() + " pågår redan."
	if elsewhere {
		msg = "Hämtningen från " + src.Kind.Label() + " pågår redan på en annan instans."
	}
	return domain.Errorf(domain.CodeConflict, msg, fmt.Errorf("%w: %s", ErrBusy, src.Name))
}

// scheduled is the cron job of a source.
func (s *Scheduler) scheduled(src *source) {
	if !s.begin() {
		return
	}
	defer s.wg.Done()
	log := s.log.With("source", src.Name, "trigger", TriggerSchedule)
	if s.cfg.Leaser != nil {
		ok, err := s.cfg.Leaser.TryLease(s.ctx, "schedule:"+src.Name, s.holder, s.clock.Now(), s.cfg.ScheduleHold)
		if err != nil {
			log.Error("scheduled run not started: the schedule lease could not be read", "err", err)
			return
		}
		if !ok {
			log.Info("scheduled run skipped: another instance runs it")
			return
		}
	}
	if _, err := s.run(s.ctx, src, TriggerSchedule, ActorScheduler); errors.Is(err, ErrBusy) {
		log.Info("scheduled run skipped: the source is being collected already", "err", err)
	}
}

// run is one run of a source: guard, lease, record, collect, check, write,
// record. Every path that started a run record finishes it.
func (s *Scheduler) run(ctx context.Context, src *source, trigger, actor string) (domain.Run, error) {
	if !src.running.CompareAndSwap(false, true) {
		return domain.Run{}, busyErr(src, false)
	}
	defer src.running.Store(false)
	if actor == "" {
		actor = defaultActor(trigger)
	}
	log := s.log.With("source", src.Name, "trigger", trigger, "actor", actor)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	release, err := s.lease(ctx, src, cancel, log)
	if err != nil {
		if errors.Is(err, ErrBusy) {
			log.Info("run skipped: another instance runs it")
		} else {
			log.Error("run not started", "err", err)
		}
		return domain.Run{}, err
	}
	defer release()

	s.closeStale(ctx, src, log)
	started := s.clock.Now()
	run, err := s.cfg.Store.StartRun(ctx, src.Name, trigger)
	if err != nil {
		log.Error("run not started: the run could not be recorded", "err", err)
		return domain.Run{}, domain.Errorf(domain.CodeUnavailable, "Körningen kunde inte registreras i databasen.", err)
	}
	log = log.With("run", run.ID)
	log.Info("collector run started")

	res := s.execute(ctx, src, actor, log)
	if res.err != nil && ctx.Err() != nil {
		res.err = cancelled(ctx, src, res.err)
	}
	// Shadowed figures leave the page as it was: for the run record they
	// are unchanged.
	run.Status, run.New, run.Changed, run.Unchanged, run.BatchID = res.status, res.diff.New, res.diff.Changed, res.diff.Unchanged+res.diff.Shadowed, res.diff.BatchID
	if res.err != nil {
		run.Error = errorText(src, res.err, res.attempts)
	}
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer fcancel()
	// The store stamps the end with the clock it stamped the start with.
	err = s.cfg.Store.FinishRun(fctx, run)
	fin := s.clock.Now().UTC()
	run.Finished = &fin
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.RecordRun(src.Name, string(run.Status), fin)
	}
	if err != nil {
		log.Error("the run's outcome could not be recorded", "err", err, "status", run.Status)
		if res.err == nil {
			res.err = domain.Errorf(domain.CodeUnavailable, "Körningens resultat kunde inte registreras i databasen.", err)
		}
	}
	attrs := []any{"status", run.Status, "new", run.New, "changed", run.Changed, "unchanged", run.Unchanged,
		"batch", run.BatchID, "requests", res.requests, "attempts", res.attempts, "duration", s.clock.Now().Sub(started).String()}
	if res.err != nil {
		log.Error("collector run failed", append(attrs, "err", res.err)...)
	} else {
		log.Info("collector run finished", attrs...)
	}
	return run, res.err
}

// staleText is recorded for a run its instance never finished.
const staleText = "Körningen avslutades aldrig: programmet stängdes av eller kraschade medan den pågick."

// closeStale finishes runs of src still recorded as running. It is called
// with the source's lease held (or, without a Leaser, on the only
// instance, inside the source's guard), so no such run is really going: its
// instance crashed or was killed. Left alone, the admin page would show it
// as going forever.
func (s *Scheduler) closeStale(ctx context.Context, src *source, log *slog.Logger) {
	runs, err := s.cfg.Store.Runs(ctx, src.Name, 20)
	if err != nil {
		log.Warn("earlier runs not checked", "err", err)
		return
	}
	for _, r := range runs {
		if r.Status != domain.RunRunning {
			continue
		}
		r.Status, r.Error, r.Finished = domain.RunFailed, staleText, nil
		if err := s.cfg.Store.FinishRun(ctx, r); err != nil {
			log.Warn("a run left unfinished could not be closed", "run", r.ID, "err", err)
			continue
		}
		log.Warn("closed a run its instance never finished", "run", r.ID, "started", r.Started)
	}
}

// cancelled explains a run that stopped because its context ended: the
// service stopping, the caller giving up, or the lease lost to another
// instance.
func cancelled(ctx context.Context, src *source, err error) error {
	cause := context.Cause(ctx)
	if errors.Is(cause, errLeaseLost) {
		return domain.Errorf(domain.CodeUnavailable, "Hämtningen från "+src.Kind.Label()+" avbröts: en annan instans tog över körningen.", fmt.Errorf("%w (%w)", err, cause))
	}
	if domain.UserMessage(err, "") != "" {
		return err // the collector has said it in Swedish already
	}
	return domain.Errorf(domain.CodeUnavailable, "Hämtningen från "+src.Kind.Label()+" avbröts.", err)
}

func defaultActor(trigger string) string {
	switch trigger {
	case TriggerSchedule:
		return ActorScheduler
	case TriggerCLI:
		return "kommandoraden"
	}
	return "okänd"
}

// outcome is what execute found.
type outcome struct {
	status   domain.RunStatus
	diff     domain.Diff
	err      error
	attempts int
	requests int
}

func (s *Scheduler) execute(ctx context.Context, src *source, actor string, log *slog.Logger) outcome {
	seen, err := s.cfg.Store.Stamps(ctx, src.Name)
	if err != nil {
		return outcome{status: domain.RunFailed, err: domain.Errorf(domain.CodeUnavailable, "Tabellernas senaste uppdateringar kunde inte läsas ur databasen.", err)}
	}
	col, attempts, err := s.collect(ctx, src, seen, log)
	out := outcome{attempts: attempts, requests: col.Requests}
	if err != nil {
		out.status, out.err = domain.RunFailed, err
		return out
	}
	if err := s.check(src, col.Observations); err != nil {
		out.status, out.err = domain.RunFailed, err
		return out
	}
	if len(col.Observations) == 0 {
		if len(col.Unchanged) > 0 {
			log.Info("every table unchanged since the last run: nothing fetched", "tables", col.Unchanged)
			out.status = domain.RunSkipped
			return out
		}
		// An answer without a single figure is far more likely a fault at
		// the source than the truth; fail so the next run tries again.
		out.status = domain.RunFailed
		out.err = domain.Errorf(domain.CodeUnavailable, src.Kind.Label()+" svarade utan en enda siffra (tom tabell?); inget har ändrats.",
			fmt.Errorf("%s: collection holds no observations", src.Name))
		return out
	}
	diff, err := s.cfg.Store.Apply(ctx, domain.Batch{
		Kind: domain.BatchRun, Source: src.Kind, Label: label(src.Kind, col.Observations), Actor: actor,
		Observations: col.Observations, Stamps: col.Stamps,
	})
	if err != nil {
		out.status = domain.RunFailed
		out.err = domain.Errorf(domain.CodeUnavailable, "Siffrorna kunde inte sparas; inget har ändrats.", err)
		return out
	}
	out.status, out.diff = domain.RunSucceeded, diff
	if s.cfg.OnChange != nil {
		s.cfg.OnChange()
	}
	return out
}

// collect calls the collector until it succeeds, fails permanently or the
// attempts are used up. A panicking collector is a failed attempt.
func (s *Scheduler) collect(ctx context.Context, src *source, seen map[string]time.Time, log *slog.Logger) (domain.Collection, int, error) {
	var col domain.Collection
	var err error
	attempt := 0
	for attempt < s.retry.Attempts {
		attempt++
		col, err = safeCollect(ctx, src.Collector, seen)
		if err == nil {
			return col, attempt, nil
		}
		if permanent(ctx, err) || attempt == s.retry.Attempts {
			break
		}
		wait := s.retry.delay(attempt)
		log.Warn("collection failed; trying again", "attempt", attempt, "of", s.retry.Attempts, "wait", wait.String(), "err", err)
		if serr := s.clock.Sleep(ctx, wait); serr != nil {
			break
		}
	}
	return domain.Collection{Requests: col.Requests}, attempt, err
}

func safeCollect(ctx context.Context, c domain.Collector, seen map[string]time.Time) (col domain.Collection, err error) {
	defer func() {
		if r := recover(); r != nil {
			col = domain.Collection{}
			err = domain.Errorf(domain.CodeInternal, "Insamlingen avbröts av ett programfel.", fmt.Errorf("collector %s panicked: %v", c.Name(), r))
		}
	}()
	return c.Collect(ctx, copyStamps(seen))
}

func copyStamps(m map[string]time.Time) map[string]time.Time {
	out := make(map[string]time.Time, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// errorText is what the admin page shows of a failure: the Swedish
// message, the number of attempts and the technical detail.
func errorText(src *source, err error, attempts int) string {
	msg := domain.UserMessage(err, "Hämtningen från "+src.Kind.Label()+" misslyckades.")
	detail := err.Error()
	var de *domain.Error
	if errors.As(err, &de) && de.Err != nil {
		detail = de.Err.Error()
	} else if errors.As(err, &de) {
		detail = ""
	}
	text := msg
	if attempts > 1 {
		text += fmt.Sprintf(" (%d försök)", attempts)
	}
	if detail != "" && detail != msg {
		text += " Tekniskt: " + detail
	}
	if len(text) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && text[cut]&0xC0 == 0x80 { // do not split a UTF-8 rune
			cut--
		}
		text = text[:cut] + "…"
	}
	return text
}
