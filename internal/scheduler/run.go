package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
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
// nothing had changed; a failed or partial run returns its record (with
// every table's outcome) and its error.
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
	return s.run(ctx, src, trigger, actor, s.retry)
}

// RunOnce is RunNow with one collection attempt (each request is still
// retried by the collector): the first run at start, which should say soon
// when a source cannot be reached rather than wait minutes to try again.
func (s *Scheduler) RunOnce(ctx context.Context, name, trigger, actor string) (domain.Run, error) {
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
	return s.run(ctx, src, trigger, actor, Retry{Attempts: 1}.withDefaults())
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
		_, _ = s.run(s.ctx, src, trigger, actor, s.retry) // logged and recorded by run
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
	if _, err := s.run(s.ctx, src, TriggerSchedule, ActorScheduler, s.retry); errors.Is(err, ErrBusy) {
		log.Info("scheduled run skipped: the source is being collected already", "err", err)
	}
}

// run is one run of a source: guard, lease, record, collect, check, write,
// record. Every path that started a run record finishes it.
func (s *Scheduler) run(ctx context.Context, src *source, trigger, actor string, retry Retry) (domain.Run, error) {
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

	res := s.execute(ctx, src, actor, retry, log)
	if res.err != nil && ctx.Err() != nil {
		res.err = cancelled(ctx, src, res.err)
	}
	// Shadowed figures leave the page as it was: for the run record they
	// are unchanged.
	run.Status, run.New, run.Changed, run.Unchanged, run.BatchID = res.status, res.diff.New, res.diff.Changed, res.diff.Unchanged+res.diff.Shadowed, res.diff.BatchID
	run.Tables = res.tables
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
		for _, t := range run.Tables {
			s.cfg.Metrics.RecordTable(src.Name, t.Ref, string(t.Status))
		}
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
	case TriggerStart:
		return "start"
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
	tables   []domain.RunTable
}

// TableCheck is the per-table hook: it sees one unit's figures before
// they are written and returns an error (ideally a domain.Error with a
// Swedish message) when they must not be, which fails that unit only.
// Plausibility rules plug in here.
type TableCheck func(source string, u domain.Unit) error

// judgeUnit is a unit's outcome before landing: unchanged, to land, or
// failed (its own error, no figures at all, or a failed plausibility or
// overlap check).
func (s *Scheduler) judgeUnit(src *source, u domain.Unit, owner map[domain.Key]string) (domain.RunTable, error) {
	t := domain.RunTable{Ref: u.Ref, Status: domain.TableLanded, Rows: len(u.Observations)}
	switch {
	case u.Err != nil:
		return t, u.Err
	case u.Unchanged:
		t.Status, t.Rows = domain.TableUnchanged, 0
		return t, nil
	case len(u.Observations) == 0:
		// An answer without a single figure is far more likely a fault at
		// the source than the truth; fail so the next run tries again.
		return t, domain.Errorf(domain.CodeUnavailable, src.Kind.Label()+" svarade utan en enda siffra för "+u.Ref+" (tom tabell?).",
			fmt.Errorf("%s: %s: no observations", src.Name, u.Ref))
	}
	return t, s.checkUnit(src, u, owner)
}

// unland marks the tables that were to land as failed: the write of the
// run's batch failed, so none of them did.
func unland(tables []domain.RunTable) {
	for i := range tables {
		if tables[i].Status == domain.TableLanded {
			tables[i].Status, tables[i].Rows, tables[i].Error = domain.TableFailed, 0, "Siffrorna kunde inte sparas."
		}
	}
}

func (s *Scheduler) execute(ctx context.Context, src *source, actor string, retry Retry, log *slog.Logger) outcome {
	seen, err := s.cfg.Store.Stamps(ctx, src.Name)
	if err != nil {
		return outcome{status: domain.RunFailed, err: domain.Errorf(domain.CodeUnavailable, "Tabellernas senaste uppdateringar kunde inte läsas ur databasen.", err)}
	}
	col, attempts, err := s.collect(ctx, src, seen, retry, log)
	out := outcome{attempts: attempts, requests: col.Requests}
	if err != nil && len(col.Units) == 0 {
		out.status, out.err = domain.RunFailed, err
		return out
	}
	// Each unit lands whole or not at all: a failing one is reported and
	// left out, the others are written together in one Apply.
	var obs []domain.Observation
	stamps := map[string]time.Time{}
	landed, failed, unchanged := 0, 0, 0
	var failures []string
	owner := map[domain.Key]string{}
	for _, u := range col.Units {
		t, uerr := s.judgeUnit(src, u, owner)
		if uerr != nil {
			t.Status, t.Rows, t.Error = domain.TableFailed, 0, errorText(src, uerr, 1)
			failed++
			failures = append(failures, u.Ref)
			log.Warn("table failed; the other tables go on", "table", u.Ref, "err", uerr)
			out.tables = append(out.tables, t)
			continue
		}
		if !u.Stamp.IsZero() {
			stamps[u.Ref] = u.Stamp
		}
		if t.Status == domain.TableUnchanged {
			unchanged++
		} else {
			landed++
			for _, o := range u.Observations {
				owner[o.Key()] = u.Ref
			}
			obs = append(obs, u.Observations...)
		}
		out.tables = append(out.tables, t)
	}
	if landed > 0 {
		diff, err := s.cfg.Store.Apply(ctx, domain.Batch{
			Kind: domain.BatchRun, Source: src.Kind, Label: label(src.Kind, obs), Actor: actor,
			Observations: obs, Stamps: stamps,
		})
		if err != nil {
			unland(out.tables)
			out.status = domain.RunFailed
			out.err = domain.Errorf(domain.CodeUnavailable, "Siffrorna kunde inte sparas; inget har ändrats.", err)
			return out
		}
		out.diff = diff
		if s.cfg.OnChange != nil {
			s.cfg.OnChange()
		}
	}
	switch {
	case failed == 0 && landed == 0 && unchanged > 0:
		log.Info("every table unchanged since the last run: nothing fetched", "tables", unchanged)
		out.status = domain.RunSkipped
	case failed == 0 && landed > 0:
		out.status = domain.RunSucceeded
	case failed > 0 && landed+unchanged > 0:
		out.status = domain.RunPartial
		out.err = domain.Errorf(domain.CodeUnavailable, fmt.Sprintf("Hämtningen från %s lyckades delvis: %d av %d %s misslyckades (%s); de övriga sparades.",
			src.Kind.Label(), failed, len(col.Units), unitNoun(src.Kind, len(col.Units)), strings.Join(failures, ", ")), joinUnitErrors(out.tables))
	case failed > 0:
		out.status = domain.RunFailed
		out.err = domain.Errorf(domain.CodeUnavailable, fmt.Sprintf("Hämtningen från %s misslyckades för alla %s (%s); inget har ändrats.",
			src.Kind.Label(), unitNoun(src.Kind, 2), strings.Join(failures, ", ")), joinUnitErrors(out.tables))
		if failed == 1 {
			out.err = firstUnitErr(col.Units, out.tables)
		}
	default:
		out.status = domain.RunFailed
		out.err = domain.Errorf(domain.CodeUnavailable, src.Kind.Label()+" svarade utan en enda siffra (tom tabell?); inget har ändrats.",
			fmt.Errorf("%s: collection holds no units", src.Name))
	}
	return out
}

// checkUnit runs the checks every unit must pass: the catalogue and
// region list, no cell given by an earlier unit of the run, and the
// configured TableCheck (plausibility).
func (s *Scheduler) checkUnit(src *source, u domain.Unit, owner map[domain.Key]string) error {
	if err := s.check(src, u.Observations); err != nil {
		return err
	}
	for _, o := range u.Observations {
		if prev, ok := owner[o.Key()]; ok {
			return domain.Errorf(domain.CodeInvalid, fmt.Sprintf("%s ger samma siffra som %s (%s); konfigurationen överlappar.", u.Ref, prev, o.Key()),
				fmt.Errorf("%s: %s: cell %s given by %s too", src.Name, u.Ref, o.Key(), prev))
		}
	}
	if s.cfg.TableCheck != nil {
		return s.cfg.TableCheck(src.Name, u)
	}
	return nil
}

// firstUnitErr is the error of the one failed unit, so a single failing
// table reads as before ("Hämtningen från SCB misslyckades (tabell X).").
func firstUnitErr(units []domain.Unit, tables []domain.RunTable) error {
	for i, t := range tables {
		if t.Status == domain.TableFailed {
			if units[i].Err != nil {
				return units[i].Err
			}
			return errors.New(t.Error)
		}
	}
	return nil
}

func joinUnitErrors(tables []domain.RunTable) error {
	var errs []error
	for _, t := range tables {
		if t.Status == domain.TableFailed {
			errs = append(errs, fmt.Errorf("%s: %s", t.Ref, t.Error))
		}
	}
	return errors.Join(errs...)
}

func unitNoun(kind domain.SourceKind, n int) string {
	switch {
	case kind == domain.SourceKolada && n == 1:
		// A Kolada unit is one request (several KPIs, or the municipality
		// groups), not one KPI.
		return "förfrågan"
	case kind == domain.SourceKolada:
		return "förfrågningar"
	case n == 1:
		return "tabell"
	}
	return "tabeller"
}

// collect calls the collector until it succeeds, fails permanently or the
// attempts are used up. A collection where every table failed counts as a
// failed attempt, so a source that is down for a moment is asked again; one
// where only some failed is final (each request was retried already). A
// panicking collector is a failed attempt.
func (s *Scheduler) collect(ctx context.Context, src *source, seen map[string]time.Time, retry Retry, log *slog.Logger) (domain.Collection, int, error) {
	var col domain.Collection
	var err error
	attempt := 0
	for attempt < retry.Attempts {
		attempt++
		col, err = safeCollect(ctx, src.Collector, seen)
		if err == nil {
			aerr := allFailed(col)
			if aerr == nil || attempt == retry.Attempts || permanent(ctx, aerr) {
				return col, attempt, nil
			}
			err = aerr
		}
		if permanent(ctx, err) || attempt == retry.Attempts {
			break
		}
		wait := retry.delay(attempt)
		log.Warn("collection failed; trying again", "attempt", attempt, "of", retry.Attempts, "wait", wait.String(), "err", err)
		if serr := s.clock.Sleep(ctx, wait); serr != nil {
			break
		}
	}
	if err == nil || allFailed(col) != nil {
		return col, attempt, err
	}
	return domain.Collection{Requests: col.Requests}, attempt, err
}

// allFailed returns the first unit's error when every unit failed.
func allFailed(col domain.Collection) error {
	if len(col.Units) == 0 {
		return nil
	}
	for _, u := range col.Units {
		if u.Err == nil {
			return nil
		}
	}
	return col.Units[0].Err
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
