package scheduler

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// snapshot is every stored figure of every source, and the batch list.
type snapshot struct {
	all     []domain.Observation
	batches []domain.BatchInfo
}

func snap(t *testing.T, s *sqlstore.Store) snapshot {
	t.Helper()
	all, err := s.AllSources(context.Background(), domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Batches(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{all, b}
}

func assertUnchanged(t *testing.T, before, after snapshot) {
	t.Helper()
	if !reflect.DeepEqual(before.all, after.all) {
		t.Errorf("figures changed: %d before, %d after", len(before.all), len(after.all))
	}
	if len(before.batches) != len(after.batches) {
		t.Errorf("batches: %d before, %d after", len(before.batches), len(after.batches))
	}
}

// stampAware answers like a collector that skips unchanged tables.
func stampAware() *fakeCollector {
	return &fakeCollector{name: "scb", fn: func(_ context.Context, _ int, seen map[string]time.Time) (domain.Collection, error) {
		if seen["TAB638"].Equal(stamp638) {
			return domain.Collection{Units: []domain.Unit{{Ref: "TAB638", Stamp: stamp638, Unchanged: true}}, Requests: 2}, nil
		}
		return okCollection(t0), nil
	}}
}

func TestRunWritesOneBatchAndSkipsUnchanged(t *testing.T) {
	store := openStore(t)
	var changes atomic.Int32
	s := newTest(t, store, stampAware(), func(c *Config) { c.OnChange = func() { changes.Add(1) } })
	ctx := context.Background()

	run, err := s.RunNow(ctx, "scb", TriggerManual, "anna")
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != domain.RunSucceeded || run.New != 6 || run.Changed != 0 || run.BatchID == 0 || run.Finished == nil || run.Error != "" {
		t.Errorf("run %+v", run)
	}
	if got := lastRun(t, store, "scb"); got.ID != run.ID || got.Status != domain.RunSucceeded || got.New != 6 || got.Trigger != TriggerManual {
		t.Errorf("recorded run %+v", got)
	}
	b, err := store.Batch(ctx, run.BatchID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Kind != domain.BatchRun || b.Source != domain.SourceSCB || b.Label != "SCB (1 tabell: TAB638)" || b.Actor != "anna" || b.Rows != 6 {
		t.Errorf("batch %+v", b)
	}
	obs, err := store.Observations(ctx, domain.Filter{Indicators: []string{"population"}})
	if err != nil {
		t.Fatal(err)
	}
	want := realFigures(t0)
	if len(obs) != len(want) {
		t.Fatalf("%d figures stored, want %d", len(obs), len(want))
	}
	for _, w := range want {
		i := slices.IndexFunc(obs, func(o domain.Observation) bool { return o.Key() == w.Key() })
		if i < 0 || obs[i].Value != w.Value || obs[i].Source.Ref != "TAB638" || obs[i].Source.BatchID != run.BatchID {
			t.Errorf("%s not stored as %v", w.Key(), w.Value)
		}
	}
	if st, _ := store.Stamps(ctx, "scb"); !st["TAB638"].Equal(stamp638) {
		t.Errorf("stamps %v", st)
	}
	if changes.Load() != 1 {
		t.Errorf("OnChange called %d times", changes.Load())
	}

	// The table has not moved: skipped, nothing written, no batch.
	before := snap(t, store)
	run, err = s.RunNow(ctx, "scb", TriggerSchedule, "")
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != domain.RunSkipped || run.BatchID != 0 || run.New+run.Changed+run.Unchanged != 0 {
		t.Errorf("second run %+v", run)
	}
	assertUnchanged(t, before, snap(t, store))
	if changes.Load() != 1 {
		t.Errorf("OnChange called after a skipped run")
	}
}

func TestFailedRunIsRecordedAndChangesNothing(t *testing.T) {
	store := openStore(t)
	var fail atomic.Bool
	c := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
		if fail.Load() {
			return domain.Collection{Requests: 2}, domain.Errorf(domain.CodeUnavailable, "Hämtningen från SCB misslyckades (tabell TAB638).",
				errors.New("scb: table TAB638: HTTP 500 from https://statistikdatabasen.scb.se/api/v2/tables/TAB638/data"))
		}
		col := okCollection(t0)
		col.Units[0].Stamp = time.Time{} // so the next run fetches again
		return col, nil
	}}
	clock := newFakeClock(t0)
	var changes atomic.Int32
	s := newTest(t, store, c, func(cfg *Config) { cfg.Clock = clock; cfg.OnChange = func() { changes.Add(1) } })
	ctx := context.Background()
	if _, err := s.RunNow(ctx, "scb", TriggerManual, "anna"); err != nil {
		t.Fatal(err)
	}
	before := snap(t, store)
	fail.Store(true)
	run, err := s.RunNow(ctx, "scb", TriggerSchedule, "")
	if err == nil {
		t.Fatal("failed run returned no error")
	}
	if run.ID == 0 || run.Status != domain.RunFailed || run.BatchID != 0 || run.New+run.Changed+run.Unchanged != 0 {
		t.Errorf("run %+v", run)
	}
	got := lastRun(t, store, "scb")
	for _, want := range []string{"Hämtningen från SCB misslyckades (tabell TAB638).", "(3 försök)", "Tekniskt:", "HTTP 500"} {
		if !strings.Contains(got.Error, want) {
			t.Errorf("recorded error %q lacks %q", got.Error, want)
		}
	}
	if got.Status != domain.RunFailed || got.Finished == nil || got.Trigger != TriggerSchedule {
		t.Errorf("recorded run %+v", got)
	}
	assertUnchanged(t, before, snap(t, store))
	if c.Calls() != 4 {
		t.Errorf("collector called %d times, want 1 + 3 attempts", c.Calls())
	}
	if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{time.Minute, 2 * time.Minute}) {
		t.Errorf("backoff waits %v, want [1m 2m]", got)
	}
	if changes.Load() != 1 {
		t.Errorf("OnChange called %d times, want 1 (the successful run)", changes.Load())
	}
}

func TestRetryAfterTransientError(t *testing.T) {
	store := openStore(t)
	c := &fakeCollector{name: "scb", fn: func(_ context.Context, call int, _ map[string]time.Time) (domain.Collection, error) {
		if call == 1 {
			return domain.Collection{}, domain.Errorf(domain.CodeUnavailable, "Hämtningen från SCB misslyckades.", errors.New("connection reset"))
		}
		return okCollection(t0), nil
	}}
	clock := newFakeClock(t0)
	s := newTest(t, store, c, func(cfg *Config) { cfg.Clock = clock })
	run, err := s.RunNow(context.Background(), "scb", TriggerCLI, "")
	if err != nil || run.Status != domain.RunSucceeded || run.New != 6 {
		t.Fatalf("run %+v, err %v", run, err)
	}
	if c.Calls() != 2 || !slices.Equal(clock.Sleeps(), []time.Duration{time.Minute}) {
		t.Errorf("%d calls, waits %v; want 2 calls after one 1m wait", c.Calls(), clock.Sleeps())
	}
}

func TestNoRetryWhenConfigIsWrong(t *testing.T) {
	store := openStore(t)
	c := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
		return domain.Collection{}, domain.Errorf(domain.CodeInvalid, "SCB-konfigurationen är felaktig.", errors.New("scb: no tables configured"))
	}}
	clock := newFakeClock(t0)
	s := newTest(t, store, c, func(cfg *Config) { cfg.Clock = clock })
	run, err := s.RunNow(context.Background(), "scb", TriggerCLI, "")
	if err == nil || run.Status != domain.RunFailed || !strings.Contains(run.Error, "SCB-konfigurationen är felaktig.") {
		t.Fatalf("run %+v, err %v", run, err)
	}
	if c.Calls() != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("%d calls, waits %v; want one call, no wait", c.Calls(), clock.Sleeps())
	}
}

func TestJunkFailsTheRun(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(o *domain.Observation)
		wants string
	}{
		{"unknown indicator", func(o *domain.Observation) { o.Indicator = "populaton" }, `okänd indikator "populaton"`},
		{"unknown region code", func(o *domain.Observation) { o.Municipality = "9999" }, `okänd regionkod "9999"`},
		{"retired region code", func(o *domain.Observation) { o.Municipality = "1917" }, `okänd regionkod "1917"`}, // Heby's code before 2007
		{"other source kind", func(o *domain.Observation) { o.Source.Kind = domain.SourceKolada }, `källan "kolada"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openStore(t)
			c := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
				col := okCollection(t0)
				tt.edit(&col.Units[0].Observations[3])
				return col, nil
			}}
			s := newTest(t, store, c, nil)
			before := snap(t, store)
			run, err := s.RunNow(context.Background(), "scb", TriggerManual, "anna")
			if err == nil || run.Status != domain.RunFailed {
				t.Fatalf("run %+v, err %v", run, err)
			}
			if !strings.Contains(run.Error, "SCB gav siffror som inte kan sparas") || !strings.Contains(run.Error, tt.wants) {
				t.Errorf("error %q lacks %q", run.Error, tt.wants)
			}
			assertUnchanged(t, before, snap(t, store))
			if st, _ := store.Stamps(context.Background(), "scb"); len(st) != 0 {
				t.Errorf("stamps saved by a failed run: %v", st)
			}
		})
	}
}

func TestEmptyCollectionFails(t *testing.T) {
	store := openStore(t)
	c := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
		return domain.Collection{Units: []domain.Unit{{Ref: "TAB638", Stamp: stamp638}}, Requests: 3}, nil
	}}
	s := newTest(t, store, c, nil)
	run, err := s.RunNow(context.Background(), "scb", TriggerManual, "anna")
	if err == nil || run.Status != domain.RunFailed || !strings.Contains(run.Error, "SCB svarade utan en enda siffra") {
		t.Fatalf("run %+v, err %v", run, err)
	}
	if st, _ := store.Stamps(context.Background(), "scb"); len(st) != 0 {
		t.Errorf("an empty answer's stamp was saved, so the next run would skip the table: %v", st)
	}
}

// failingApply is a store whose write fails.
type failingApply struct{ *sqlstore.Store }

func (failingApply) Apply(context.Context, domain.Batch) (domain.Diff, error) {
	return domain.Diff{}, errors.New("store: apply: disk I/O error")
}

func TestApplyFailureIsAFailedRun(t *testing.T) {
	store := openStore(t)
	s := newTest(t, failingApply{store}, stampAware(), nil)
	run, err := s.RunNow(context.Background(), "scb", TriggerManual, "anna")
	if err == nil || run.Status != domain.RunFailed || !strings.Contains(run.Error, "Siffrorna kunde inte sparas; inget har ändrats.") || !strings.Contains(run.Error, "disk I/O error") {
		t.Fatalf("run %+v, err %v", run, err)
	}
	if got := lastRun(t, store, "scb"); got.Status != domain.RunFailed {
		t.Errorf("recorded %+v", got)
	}
}

func TestPanickingCollectorIsAFailedRun(t *testing.T) {
	store := openStore(t)
	c := &fakeCollector{name: "scb", fn: func(_ context.Context, call int, _ map[string]time.Time) (domain.Collection, error) {
		if call == 1 {
			var rows []domain.Observation
			_ = rows[call] // an index out of range, as a real bug would
		}
		return okCollection(t0), nil
	}}
	s := newTest(t, store, c, func(cfg *Config) { cfg.Retry = Retry{Attempts: 1} })
	run, err := s.RunNow(context.Background(), "scb", TriggerManual, "anna")
	if err == nil || run.Status != domain.RunFailed || !strings.Contains(run.Error, "programfel") || !strings.Contains(run.Error, "index out of range") {
		t.Fatalf("run %+v, err %v", run, err)
	}
	if run, err := s.RunNow(context.Background(), "scb", TriggerManual, "anna"); err != nil || run.Status != domain.RunSucceeded {
		t.Fatalf("run after the panic: %+v, %v", run, err)
	}
}

func TestRunNowRefusals(t *testing.T) {
	store := openStore(t)
	started, release := make(chan struct{}), make(chan struct{})
	c := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
		close(started)
		<-release
		return okCollection(t0), nil
	}}
	s := newTest(t, store, c, func(cfg *Config) {
		cfg.Sources = append(cfg.Sources, Source{Name: "kolada", Kind: domain.SourceKolada, Spec: "bad spec is fine when off", Collector: &fakeCollector{name: "kolada"}})
	})
	ctx := context.Background()
	if _, err := s.RunNow(ctx, "smhi", TriggerCLI, ""); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("unknown source: %v", err)
	}
	if _, err := s.RunNow(ctx, "kolada", TriggerCLI, ""); domain.ErrorCode(err) != domain.CodeInvalid || !strings.Contains(domain.UserMessage(err, ""), "avstängd") {
		t.Errorf("disabled source: %v", err)
	}
	if err := s.Trigger("scb", TriggerManual, "anna"); err != nil {
		t.Fatal(err)
	}
	wait(t, started, "the first run")
	run, err := s.RunNow(ctx, "scb", TriggerManual, "bo")
	if !errors.Is(err, ErrBusy) || domain.ErrorCode(err) != domain.CodeConflict || run.ID != 0 {
		t.Errorf("overlapping run: %+v, %v", run, err)
	}
	if err := s.Trigger("scb", TriggerManual, "bo"); !errors.Is(err, ErrBusy) {
		t.Errorf("overlapping trigger: %v", err)
	}
	close(release)
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Calls() != 1 {
		t.Errorf("collector called %d times", c.Calls())
	}
	runs, _ := store.Runs(ctx, "scb", 10)
	if len(runs) != 1 || runs[0].Status != domain.RunSucceeded {
		t.Errorf("runs %+v", runs)
	}
	if _, err := s.RunNow(ctx, "scb", TriggerCLI, ""); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Errorf("run after Stop: %v", err)
	}
}

func TestStopCancelsARunningRun(t *testing.T) {
	store := openStore(t)
	started := make(chan struct{})
	c := &fakeCollector{name: "scb", fn: func(ctx context.Context, _ int, _ map[string]time.Time) (domain.Collection, error) {
		close(started)
		<-ctx.Done()
		return domain.Collection{}, ctx.Err()
	}}
	s := newTest(t, store, c, nil)
	if err := s.Trigger("scb", TriggerManual, "anna"); err != nil {
		t.Fatal(err)
	}
	wait(t, started, "the run")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no patience: cancel at once
	if err := s.Stop(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Stop = %v", err)
	}
	got := lastRun(t, store, "scb")
	if got.Status != domain.RunFailed || !strings.Contains(got.Error, "Hämtningen från SCB avbröts.") || got.Finished == nil {
		t.Errorf("cancelled run recorded as %+v", got)
	}
	if c.Calls() != 1 {
		t.Errorf("a cancelled run was retried: %d calls", c.Calls())
	}
}

func TestStatus(t *testing.T) {
	store := openStore(t)
	s := newTest(t, store, stampAware(), func(cfg *Config) {
		cfg.Sources[0].Spec = "CRON_TZ=Europe/Stockholm 0 4 2 * *"
		cfg.Sources = append(cfg.Sources, Source{Name: "kolada", Kind: domain.SourceKolada, Spec: "@monthly", Collector: &fakeCollector{name: "kolada"}, Items: []string{"N00914 → employment_rate"}})
	})
	st := s.Status()
	if len(st) != 2 {
		t.Fatalf("status %+v", st)
	}
	// t0 is 1 June 2024 06:00 UTC; the next 2nd of a month at 04:00
	// Swedish summer time is 2 June 02:00 UTC.
	if !st[0].Next.Equal(time.Date(2024, 6, 2, 2, 0, 0, 0, time.UTC)) || !st[0].Enabled || st[0].Running {
		t.Errorf("scb %+v", st[0])
	}
	if st[0].Schedule != "den 2 varje månad kl. 04:00 (Europe/Stockholm)" || !slices.Equal(st[0].Items, []string{"TAB638 → population"}) {
		t.Errorf("scb %+v", st[0])
	}
	if !st[1].Next.IsZero() || st[1].Enabled || st[1].Name != "kolada" {
		t.Errorf("disabled kolada %+v", st[1])
	}
}

// TestNewRejectsBadSources: each bad source is refused with an error that
// names the source and what is wrong with it, so the operator can fix the
// configuration; one refused for another reason would not pass.
func TestNewRejectsBadSources(t *testing.T) {
	store := openStore(t)
	c := &fakeCollector{name: "scb"}
	tests := []struct {
		name    string
		sources []Source
		wantMsg string
	}{
		{"empty name", []Source{{Name: "", Kind: domain.SourceSCB, Spec: "@monthly", Collector: c, Enabled: true}},
			`source name "" is empty or used twice`},
		{"six fields: seconds are not taken", []Source{{Name: "scb", Kind: domain.SourceSCB, Spec: "0 4 2 * * *", Collector: c, Enabled: true}},
			`source scb: schedule "0 4 2 * * *"`},
		{"unknown time zone", []Source{{Name: "scb", Kind: domain.SourceSCB, Spec: "CRON_TZ=Mars/Olympus 0 4 2 * *", Collector: c, Enabled: true}},
			`source scb: schedule "CRON_TZ=Mars/Olympus 0 4 2 * *"`},
		{"unknown kind", []Source{{Name: "scb", Kind: "smhi", Spec: "@monthly", Collector: c, Enabled: true}},
			`source scb: unknown kind "smhi"`},
		{"no collector", []Source{{Name: "scb", Kind: domain.SourceSCB, Spec: "@monthly", Enabled: true}},
			`source scb: no collector`},
		{"a name used twice", []Source{
			{Name: "scb", Kind: domain.SourceSCB, Spec: "@monthly", Collector: c},
			{Name: "scb", Kind: domain.SourceSCB, Spec: "@monthly", Collector: c},
		}, `source name "scb" is empty or used twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(Config{Store: store, Sources: tt.sources})
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want one saying %q", err, tt.wantMsg)
			}
			if s != nil {
				t.Errorf("a scheduler came back with the error")
			}
		})
	}
	// The same sources, made right, are accepted: the refusals above are
	// about what each case changed.
	if _, err := New(Config{Store: store, Sources: []Source{
		{Name: "scb", Kind: domain.SourceSCB, Spec: "0 4 2 * *", Collector: c, Enabled: true},
		{Name: "kolada", Kind: domain.SourceKolada, Spec: "CRON_TZ=Europe/Stockholm 0 5 3 * *", Collector: c, Enabled: true},
	}}); err != nil {
		t.Errorf("valid sources refused: %v", err)
	}
}

func TestRetryDelay(t *testing.T) {
	r := Retry{Attempts: 6, Base: time.Minute, Max: 5 * time.Minute}
	var got []time.Duration
	for a := 1; a <= 5; a++ {
		got = append(got, r.delay(a))
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute, 5 * time.Minute}
	if !slices.Equal(got, want) {
		t.Errorf("delays %v, want %v", got, want)
	}
	if d := (Retry{}).withDefaults(); d != DefaultRetry {
		t.Errorf("defaults %+v", d)
	}
}

func TestErrorTextIsBounded(t *testing.T) {
	src := &source{Source: Source{Name: "scb", Kind: domain.SourceSCB}}
	long := strings.Repeat("å", 3000)
	got := errorText(src, domain.Errorf(domain.CodeUnavailable, "Hämtningen från SCB misslyckades.", errors.New(long)), 1)
	if len(got) > maxErrorText+len("…") || !strings.HasPrefix(got, "Hämtningen från SCB misslyckades. Tekniskt: ") || !strings.HasSuffix(got, "…") {
		t.Errorf("text of %d bytes: %.80q", len(got), got)
	}
	if !strings.Contains(errorText(src, errors.New("boom"), 1), "Hämtningen från SCB misslyckades. Tekniskt: boom") {
		t.Error("an uncoded error lost its detail")
	}
}

// runCounter is a RunRecorder for tests.
type runCounter struct {
	sources []string
	runs    []string
	tables  []string
}

func (r *runCounter) AddSources(names ...string) { r.sources = append(r.sources, names...) }
func (r *runCounter) RecordRun(source, status string, _ time.Time) {
	r.runs = append(r.runs, source+" "+status)
}
func (r *runCounter) RecordTable(source, table, status string) {
	r.tables = append(r.tables, source+" "+table+" "+status)
}

func TestRunsAreCounted(t *testing.T) {
	store := openStore(t)
	rc := &runCounter{}
	var fail atomic.Bool
	c := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
		if fail.Load() {
			return domain.Collection{}, errors.New("boom")
		}
		return okCollection(t0), nil
	}}
	s := newTest(t, store, c, func(cfg *Config) { cfg.Metrics = rc; cfg.Retry = Retry{Attempts: 1} })
	if !slices.Equal(rc.sources, []string{"scb"}) {
		t.Errorf("sources %v", rc.sources)
	}
	_, _ = s.RunNow(context.Background(), "scb", TriggerManual, "anna")
	fail.Store(true)
	_, _ = s.RunNow(context.Background(), "scb", TriggerManual, "anna")
	if !slices.Equal(rc.runs, []string{"scb succeeded", "scb failed"}) {
		t.Errorf("runs %v", rc.runs)
	}
}

func TestRunOfACrashedInstanceIsClosed(t *testing.T) {
	store := openStore(t)
	// A run an instance started and never finished (it was killed).
	orphan, err := store.StartRun(context.Background(), "scb", TriggerSchedule)
	if err != nil {
		t.Fatal(err)
	}
	s := newTest(t, store, stampAware(), func(cfg *Config) { cfg.Leaser = store })
	run, err := s.RunNow(context.Background(), "scb", TriggerManual, "anna")
	if err != nil || run.Status != domain.RunSucceeded {
		t.Fatalf("run %+v, %v", run, err)
	}
	runs, _ := store.Runs(context.Background(), "scb", 10)
	if len(runs) != 2 || runs[1].ID != orphan.ID || runs[1].Status != domain.RunFailed || runs[1].Error != staleText || runs[1].Finished == nil {
		t.Errorf("runs %+v", runs)
	}
}

// twoTables is a collection of TAB638 (real population figures) and a
// second table whose unit is given by second.
func twoTables(second domain.Unit) domain.Collection {
	col := okCollection(t0)
	col.Units = append(col.Units, second)
	return col
}

func TestEachTableLandsWholeOrNotAtAll(t *testing.T) {
	stateJob := func(m string, v float64) domain.Observation {
		return domain.Observation{Municipality: m, Indicator: "state_jobs", Year: 2019, Value: v, Source: domain.Source{Kind: domain.SourceSCB, Ref: "TAB5838", FetchedAt: t0}}
	}
	badCode := domain.Errorf(domain.CodeUnavailable, "Tabell TAB5838 hos SCB passar inte konfigurationen: variabeln ArbetsSektor har inget värde \"12\".",
		errors.New(`scb: table TAB5838: state_jobs: variable ArbetsSektor has no value "12"`))
	tests := []struct {
		name       string
		second     domain.Unit
		check      TableCheck
		wantStatus domain.RunStatus
		wantTable  domain.RunTable // the second table's outcome
		wantErr    string
	}{
		{name: "both land", second: domain.Unit{Ref: "TAB5838", Observations: []domain.Observation{stateJob("1060", 120)}},
			wantStatus: domain.RunSucceeded, wantTable: domain.RunTable{Ref: "TAB5838", Status: domain.TableLanded, Rows: 1}},
		{name: "a wrong code fails its table only", second: domain.Unit{Ref: "TAB5838", Err: badCode},
			wantStatus: domain.RunPartial, wantTable: domain.RunTable{Ref: "TAB5838", Status: domain.TableFailed},
			wantErr: `ArbetsSektor har inget värde "12"`},
		{name: "an empty table fails its table only", second: domain.Unit{Ref: "TAB5838", Stamp: stamp638},
			wantStatus: domain.RunPartial, wantTable: domain.RunTable{Ref: "TAB5838", Status: domain.TableFailed}, wantErr: "SCB svarade utan en enda siffra för TAB5838"},
		{name: "a cell another table gave fails the later table", second: domain.Unit{Ref: "TAB9999", Observations: []domain.Observation{realFigures(t0)[0]}},
			wantStatus: domain.RunPartial, wantTable: domain.RunTable{Ref: "TAB9999", Status: domain.TableFailed}, wantErr: "TAB9999 ger samma siffra som TAB638"},
		{name: "the table check fails its table only", second: domain.Unit{Ref: "TAB5838", Observations: []domain.Observation{stateJob("1060", -5)}},
			check: func(_ string, u domain.Unit) error {
				for _, o := range u.Observations {
					if o.Value < 0 {
						return domain.Errorf(domain.CodeInvalid, "Orimligt värde i "+u.Ref+".", nil)
					}
				}
				return nil
			},
			wantStatus: domain.RunPartial, wantTable: domain.RunTable{Ref: "TAB5838", Status: domain.TableFailed}, wantErr: "Orimligt värde i TAB5838."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openStore(t)
			rc := &runCounter{}
			c := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
				return twoTables(tt.second), nil
			}}
			s := newTest(t, store, c, func(cfg *Config) { cfg.Metrics = rc; cfg.TableCheck = tt.check })
			run, err := s.RunNow(context.Background(), "scb", TriggerCLI, "anna")
			if run.Status != tt.wantStatus || (err != nil) != (tt.wantStatus != domain.RunSucceeded) {
				t.Fatalf("run %+v, err %v", run, err)
			}
			// TAB638 landed whatever became of the other table.
			obs, _ := store.Observations(context.Background(), domain.Filter{Indicators: []string{"population"}})
			if len(obs) != len(realFigures(t0)) {
				t.Errorf("%d population figures stored, want %d", len(obs), len(realFigures(t0)))
			}
			if st, _ := store.Stamps(context.Background(), "scb"); !st["TAB638"].Equal(stamp638) || len(st) != 1 {
				t.Errorf("stamps %v: only the landed table's", st)
			}
			got := lastRun(t, store, "scb")
			if len(got.Tables) != 2 || got.Tables[0] != (domain.RunTable{Ref: "TAB638", Status: domain.TableLanded, Rows: 6}) {
				t.Fatalf("tables %+v", got.Tables)
			}
			second := got.Tables[1]
			if second.Ref != tt.wantTable.Ref || second.Status != tt.wantTable.Status || second.Rows != tt.wantTable.Rows || !strings.Contains(second.Error, tt.wantErr) {
				t.Errorf("second table %+v, want %+v with %q", second, tt.wantTable, tt.wantErr)
			}
			if tt.wantStatus == domain.RunPartial && !strings.Contains(got.Error, "lyckades delvis: 1 av 2 tabeller misslyckades ("+tt.wantTable.Ref+")") {
				t.Errorf("run error %q", got.Error)
			}
			wantCounts := []string{"scb TAB638 landed", "scb " + tt.wantTable.Ref + " " + string(tt.wantTable.Status)}
			if !slices.Equal(rc.tables, wantCounts) || !slices.Equal(rc.runs, []string{"scb " + string(tt.wantStatus)}) {
				t.Errorf("metrics: tables %v runs %v", rc.tables, rc.runs)
			}
			if c.Calls() != 1 {
				t.Errorf("collector called %d times: a table's failure is not retried as a whole", c.Calls())
			}
		})
	}
}

func TestEveryTableFailingIsRetriedAndFails(t *testing.T) {
	store := openStore(t)
	c := &fakeCollector{name: "scb", fn: func(_ context.Context, call int, _ map[string]time.Time) (domain.Collection, error) {
		if call == 1 {
			return domain.Collection{Units: []domain.Unit{{Ref: "TAB638", Err: domain.Errorf(domain.CodeUnavailable, "Hämtningen från SCB misslyckades (tabell TAB638).", errors.New("HTTP 503"))}}}, nil
		}
		return okCollection(t0), nil
	}}
	clock := newFakeClock(t0)
	s := newTest(t, store, c, func(cfg *Config) { cfg.Clock = clock })
	run, err := s.RunNow(context.Background(), "scb", TriggerCLI, "anna")
	if err != nil || run.Status != domain.RunSucceeded || c.Calls() != 2 {
		t.Fatalf("run %+v, err %v, calls %d", run, err, c.Calls())
	}
	c.fn = func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
		return domain.Collection{Units: []domain.Unit{{Ref: "TAB638", Err: domain.Errorf(domain.CodeUnavailable, "Hämtningen från SCB misslyckades (tabell TAB638).", errors.New("HTTP 503"))}}}, nil
	}
	run, err = s.RunNow(context.Background(), "scb", TriggerCLI, "anna")
	if err == nil || run.Status != domain.RunFailed || !strings.Contains(run.Error, "(tabell TAB638)") || len(run.Tables) != 1 || run.Tables[0].Status != domain.TableFailed {
		t.Fatalf("run %+v, err %v", run, err)
	}
}
