package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Triggers say who started a run; they are stored with the run.
const (
	TriggerSchedule = "schedule"
	TriggerManual   = "manual" // the admin page's "Kör nu"
	TriggerCLI      = "cli"    // dashboard collect
	TriggerStart    = "start"  // collect_on_start
)

// Actor of scheduled runs, as batch lists show it.
const ActorScheduler = "schemaläggare"

// Source is one collector and when it runs.
type Source struct {
	// Name is the source's id in config, on the admin page and in the
	// runs table ("scb").
	Name string
	// Kind is the source kind every observation of the source carries.
	Kind domain.SourceKind
	// Spec is the cron spec, e.g. "CRON_TZ=Europe/Stockholm 0 4 2 * *".
	Spec      string
	Collector domain.Collector
	// Enabled sources are scheduled and may be run by hand; disabled ones
	// are only listed, so the admin page shows what is switched off.
	Enabled bool
	// Items says what the source fetches ("TAB638 → population"), for the
	// admin page.
	Items []string
}

// Store is what runs need of the store: run records, stamps and the one
// write path.
type Store interface {
	domain.RunStore
	Apply(ctx context.Context, b domain.Batch) (domain.Diff, error)
}

// Config wires a Scheduler. Sources and Store are required.
type Config struct {
	Sources []Source
	Store   Store
	// Leaser coordinates instances sharing one database. Nil means this
	// is the only instance.
	Leaser domain.Leaser
	// Catalogue and Regions check every observation before it is written;
	// a nil one skips its check.
	Catalogue *domain.Catalogue
	Regions   *domain.Regions
	Log       *slog.Logger
	Clock     Clock // default: the wall clock
	Retry     Retry // zero fields take DefaultRetry's
	// LeaseTTL is how long a run's lease lasts without renewal (default
	// 5 minutes); it is renewed every third of that while the run goes on,
	// so a crashed instance blocks the source for at most LeaseTTL.
	LeaseTTL time.Duration
	// ScheduleHold is how long the instance that claimed a scheduled tick
	// keeps the claim (default 10 minutes): other instances whose cron
	// fires within that time skip the tick.
	ScheduleHold time.Duration
	// Location is where specs without CRON_TZ are read (default
	// Europe/Stockholm, or UTC when the zone is unknown).
	Location *time.Location
	// Holder names this instance in leases (default: host name and a
	// random suffix).
	Holder string
	// OnChange is called after every successful write, e.g. to drop the
	// server's page cache.
	OnChange func()
	// Metrics, if set, counts every recorded run, so an operator can alert
	// on a source whose last success is too old.
	Metrics RunRecorder
	// TableCheck, if set, sees every table's figures before they are
	// written; an error fails that table only (see TableCheck).
	TableCheck TableCheck
}

// RunRecorder receives the outcome of every run this instance records
// (the metrics registry implements it).
type RunRecorder interface {
	// AddSources makes each source known before its first run.
	AddSources(names ...string)
	// RecordRun counts a finished run; status is a domain.RunStatus.
	RecordRun(source, status string, finished time.Time)
	// RecordTable counts the outcome of one table (or Kolada request) of
	// a finished run; status is a domain.TableStatus.
	RecordTable(source, table, status string)
}

// Scheduler runs the sources on their schedules and on demand.
type Scheduler struct {
	cfg     Config
	log     *slog.Logger
	clock   Clock
	retry   Retry
	holder  string
	cron    *cron.Cron
	sources []*source
	byName  map[string]*source

	ctx    context.Context // cancelled when Stop gives up waiting
	cancel context.CancelFunc

	mu      sync.Mutex
	stopped bool
	started bool
	wg      sync.WaitGroup
}

type source struct {
	Source
	schedule cron.Schedule
	running  atomic.Bool
}

// SourceStatus is a source as the admin page shows it.
type SourceStatus struct {
	Name string
	Kind domain.SourceKind
	Spec string
	// Schedule is the spec in Swedish words ("den 2 varje månad kl. 04:00
	// (Europe/Stockholm)").
	Schedule string
	Enabled  bool
	// Next is the next scheduled start (zero when disabled).
	Next time.Time
	// Running is true while this instance runs the source.
	Running bool
	Items   []string
}

// New checks the sources and parses their specs. It schedules nothing
// until Start.
func New(cfg Config) (*Scheduler, error) {
	if cfg.Store == nil {
		return nil, errors.New("scheduler: no store")
	}
	s := &Scheduler{cfg: cfg, log: cfg.Log, clock: cfg.Clock, retry: cfg.Retry.withDefaults(), holder: cfg.Holder, byName: map[string]*source{}}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.holder == "" {
		s.holder = newHolder()
	}
	if s.cfg.LeaseTTL <= 0 {
		s.cfg.LeaseTTL = 5 * time.Minute
	}
	if s.cfg.ScheduleHold <= 0 {
		s.cfg.ScheduleHold = 10 * time.Minute
	}
	loc := cfg.Location
	if loc == nil {
		loc = clock.Stockholm
	}
	s.cron = cron.New(cron.WithParser(config.CronParser), cron.WithLocation(loc), cron.WithLogger(cronLogger{s.log}))
	for _, src := range cfg.Sources {
		if src.Name == "" || s.byName[src.Name] != nil {
			return nil, fmt.Errorf("scheduler: source name %q is empty or used twice", src.Name)
		}
		if src.Collector == nil {
			return nil, fmt.Errorf("scheduler: source %s: no collector", src.Name)
		}
		if !src.Kind.Valid() {
			return nil, fmt.Errorf("scheduler: source %s: unknown kind %q", src.Name, src.Kind)
		}
		x := &source{Source: src}
		if src.Enabled {
			sched, err := config.CronParser.Parse(src.Spec)
			if err != nil {
				return nil, fmt.Errorf("scheduler: source %s: schedule %q: %w", src.Name, src.Spec, err)
			}
			x.schedule = sched
			// Each entry has its own chain, so a skip or a panic is logged
			// with the source's name. SkipIfStillRunning must wrap Recover:
			// a panic escaping SkipIfStillRunning would never hand back its
			// token, and every later tick of the source would be skipped.
			l := cronLogger{s.log.With("source", src.Name)}
			job := cron.NewChain(cron.SkipIfStillRunning(l), cron.Recover(l)).Then(cron.FuncJob(func() { s.scheduled(x) }))
			s.cron.Schedule(sched, job)
		}
		s.sources = append(s.sources, x)
		s.byName[src.Name] = x
	}
	if cfg.Metrics != nil {
		for _, src := range s.sources {
			if src.Enabled {
				cfg.Metrics.AddSources(src.Name)
			}
		}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Holder is this instance's name in leases, for logs.
func (s *Scheduler) Holder() string { return s.holder }

// Start begins scheduling the enabled sources.
func (s *Scheduler) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || s.started {
		return
	}
	s.started = true
	s.cron.Start()
	for _, src := range s.sources {
		if src.Enabled {
			s.log.Info("source scheduled", "source", src.Name, "spec", src.Spec, "next", src.schedule.Next(s.clock.Now()))
		}
	}
}

// Stop ends scheduling and waits for running runs to finish until ctx is
// done; then it cancels them and waits for them to record their
// cancellation. It returns ctx.Err() when it had to cancel.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	<-s.cron.Stop().Done() // no new ticks; our jobs are tracked by wg
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
	}
	s.log.Warn("scheduler: stopping: cancelling runs still going")
	s.cancel()
	select {
	case <-done:
	case <-time.After(finishTimeout):
		s.log.Error("scheduler: a run did not stop after cancellation")
	}
	return ctx.Err()
}

// begin registers a run so Stop waits for it; false once stopping.
func (s *Scheduler) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	s.wg.Add(1)
	return true
}

// Status lists every source in config order.
func (s *Scheduler) Status() []SourceStatus {
	now := s.clock.Now()
	out := make([]SourceStatus, 0, len(s.sources))
	for _, src := range s.sources {
		st := SourceStatus{Name: src.Name, Kind: src.Kind, Spec: src.Spec, Schedule: DescribeSpec(src.Spec),
			Enabled: src.Enabled, Running: src.running.Load(), Items: append([]string(nil), src.Items...)}
		if src.schedule != nil {
			st.Next = src.schedule.Next(now)
		}
		out = append(out, st)
	}
	return out
}

// Check runs the configuration check of the source's collector (see
// domain.Checker): metadata only, nothing written.
func (s *Scheduler) Check(ctx context.Context, name string) (domain.ConfigCheck, error) {
	src, err := s.lookup(name)
	if err != nil {
		return domain.ConfigCheck{}, err
	}
	ch, ok := src.Collector.(domain.Checker)
	if !ok {
		return domain.ConfigCheck{}, domain.Errorf(domain.CodeInvalid, "Källan "+src.Kind.Label()+" kan inte kontrolleras mot metadata.", fmt.Errorf("scheduler: %s: collector has no Check", name))
	}
	return ch.Check(ctx)
}
