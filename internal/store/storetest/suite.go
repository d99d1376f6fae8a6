// Package storetest is the store's behaviour, written once and run
// against every implementation (SQLite always, PostgreSQL when
// DATABASE_URL is set), so the engines cannot drift apart.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// Opener returns a fresh, migrated, empty store for one test, and a way to
// run raw SQL on it (to install fault-injecting triggers).
type Opener func(t *testing.T) *sqlstore.Store

// Failer installs, on the store's database, something that makes inserting
// an observation for municipality fail (a trigger), so tests can break a
// batch half-way through.
type Failer func(t *testing.T, s *sqlstore.Store, municipality string)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func obs(kind domain.SourceKind, ref, m, ind string, year int, v float64) domain.Observation {
	return domain.Observation{Municipality: m, Indicator: ind, Year: year, Value: v,
		Source: domain.Source{Kind: kind, Ref: ref, FetchedAt: t0}}
}

func batch(kind domain.SourceKind, label string, os ...domain.Observation) domain.Batch {
	bk := domain.BatchRun
	if kind == domain.SourceUpload {
		bk = domain.BatchUpload
	}
	return domain.Batch{Kind: bk, Source: kind, Label: label, Actor: "test", Observations: os}
}

// values maps "code/indicator/year" to value and source kind of what the
// store shows, for compact assertions.
func values(t *testing.T, s *sqlstore.Store, f domain.Filter) map[string]string {
	t.Helper()
	got, err := s.Observations(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range got {
		out[o.Key().String()] = fmt.Sprintf("%g %s", o.Value, o.Source.Kind)
	}
	return out
}

func mustApply(t *testing.T, s *sqlstore.Store, b domain.Batch) domain.Diff {
	t.Helper()
	d, err := s.Apply(context.Background(), b)
	if err != nil {
		t.Fatalf("apply %s: %v", b.Label, err)
	}
	return d
}

// Run runs the whole suite.
func Run(t *testing.T, open Opener, fail Failer) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"MissingStaysMissing", testMissing},
		{"Filter", testFilter},
		{"PreviewEqualsApply", testPreviewEqualsApply},
		{"Precedence", testPrecedence},
		{"RollbackRestoresExactly", testRollback},
		{"RollbackOrder", testRollbackOrder},
		{"InvalidBatchWritesNothing", testInvalidBatch},
		{"DataVersion", testDataVersion},
		{"IndicatorVersions", testIndicatorVersions},
		{"RunsAndStamps", testRunsAndStamps},
		{"PreliminaryThenFinal", testPreliminaryThenFinal},
		{"Users", testUsers},
		{"Pending", testPending},
		{"Leases", testLeases},
		{"Migrations", testMigrations},
		{"Groups", testGroups},
		{"Members", testMembers},
		{"ObservationsOrder", testObservationsOrder},
		{"BatchYearBounds", testBatchYearBounds},
		{"ShadowedChange", testShadowedChange},
		{"ListLimits", testListLimits},
		{"ErrorsNameTheirBatch", testErrorsNameTheirBatch},
		{"LeaseInspection", testLeaseInspection},
		{"CheckWritable", testCheckWritable},
		{"Summary", testSummary},
		{"UsersList", testUsersList},
		{"DeleteSession", testDeleteSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
	t.Run("FailureMidBatchLeavesNothing", func(t *testing.T) { testFailureMidBatch(t, open(t), fail) })
}

func testRoundTrip(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	in := []domain.Observation{
		obs(domain.SourceBundled, "rh_utv_alla_kommuner", "1060", "population", 2023, 13061),
		obs(domain.SourceBundled, "rh_beeswarm_2024", "1060", "population", 2024, 13000),
		obs(domain.SourceBundled, "scb_folkmangd_2024", "00", "population", 2024, 10587710),
		obs(domain.SourceBundled, "x", "0481", "employment_rate", 2024, 79.5),
	}
	d := mustApply(t, s, batch(domain.SourceBundled, "bundled", in...))
	if d.New != 4 || d.Changed != 0 || d.BatchID == 0 {
		t.Fatalf("diff = %+v", d)
	}
	got, err := s.Observations(ctx, domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(in) {
		t.Fatalf("got %d observations, want %d", len(got), len(in))
	}
	want := map[domain.Key]domain.Observation{}
	for _, o := range in {
		o.Source.BatchID = d.BatchID
		want[o.Key()] = o
	}
	for _, o := range got {
		w := want[o.Key()]
		if !o.Source.FetchedAt.Equal(w.Source.FetchedAt) {
			t.Errorf("%s fetched %v, want %v", o.Key(), o.Source.FetchedAt, w.Source.FetchedAt)
		}
		o.Source.FetchedAt = w.Source.FetchedAt
		if !reflect.DeepEqual(o, w) {
			t.Errorf("got %+v, want %+v", o, w)
		}
	}
	b, err := s.Batch(ctx, d.BatchID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Rows != 4 || b.New != 4 || b.Status != domain.BatchApplied || b.Label != "bundled" || b.Kind != domain.BatchRun {
		t.Errorf("batch = %+v", b)
	}
	if _, err := s.Batch(ctx, 9999); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("unknown batch: %v", err)
	}
	years, err := s.Years(ctx, "population")
	if err != nil || !reflect.DeepEqual(years, []int{2023, 2024}) {
		t.Errorf("years = %v, %v", years, err)
	}
}

func testMissing(t *testing.T, s *sqlstore.Store) {
	// 2020 and 2022 are given, 2021 is missing: it must come back missing,
	// not as 0; and a real 0 must come back as 0.
	mustApply(t, s, batch(domain.SourceUpload, "f.xlsx",
		obs(domain.SourceUpload, "f.xlsx", "1060", "state_offices", 2020, 1),
		obs(domain.SourceUpload, "f.xlsx", "1060", "state_offices", 2022, 0),
	))
	got := values(t, s, domain.Filter{Indicators: []string{"state_offices"}})
	want := map[string]string{"1060/state_offices/2020": "1 upload", "1060/state_offices/2022": "0 upload"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func testFilter(t *testing.T, s *sqlstore.Store) {
	var os []domain.Observation
	for _, m := range []string{"1060", "0481", "0562"} {
		for y := 2015; y <= 2020; y++ {
			os = append(os, obs(domain.SourceSCB, "TAB638", m, "population", y, float64(y)))
			os = append(os, obs(domain.SourceSCB, "TAB638", m, "employed_day", y, float64(y)))
		}
	}
	mustApply(t, s, batch(domain.SourceSCB, "scb", os...))
	got := values(t, s, domain.Filter{Indicators: []string{"population"}, Municipalities: []string{"1060", "0562"}, FromYear: 2017, ToYear: 2018})
	want := map[string]string{
		"1060/population/2017": "2017 scb", "1060/population/2018": "2018 scb",
		"0562/population/2017": "2017 scb", "0562/population/2018": "2018 scb",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func testPreviewEqualsApply(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	mustApply(t, s, batch(domain.SourceUpload, "first",
		obs(domain.SourceUpload, "a", "1060", "population", 2022, 100),
		obs(domain.SourceUpload, "a", "1060", "population", 2023, 200),
	))
	next := batch(domain.SourceUpload, "second",
		obs(domain.SourceUpload, "b", "1060", "population", 2022, 100), // unchanged
		obs(domain.SourceUpload, "b", "1060", "population", 2023, 201), // changed
		obs(domain.SourceUpload, "b", "1060", "population", 2024, 300), // new
	)
	before := values(t, s, domain.Filter{})
	p, err := s.Preview(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	if after := values(t, s, domain.Filter{}); !reflect.DeepEqual(before, after) {
		t.Fatalf("preview wrote: %v -> %v", before, after)
	}
	a := mustApply(t, s, next)
	a.BatchID = 0
	if !reflect.DeepEqual(p, a) {
		t.Fatalf("preview %+v != apply %+v", p, a)
	}
	if p.New != 1 || p.Changed != 1 || p.Unchanged != 1 {
		t.Fatalf("diff = %+v", p)
	}
	for _, c := range p.Changes {
		if c.Kind == domain.ChangeChanged && (c.Old == nil || *c.Old != 200 || c.New != 201 || c.OldFrom == nil || c.OldFrom.Kind != domain.SourceUpload) {
			t.Errorf("changed cell = %+v", c)
		}
	}
}

func testPrecedence(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	mustApply(t, s, batch(domain.SourceBundled, "bundled", obs(domain.SourceBundled, "rh", "1060", "population", 2024, 13000)))
	up := batch(domain.SourceUpload, "up.xlsx", obs(domain.SourceUpload, "up.xlsx", "1060", "population", 2024, 13005))
	if d := mustApply(t, s, up); d.Changed != 1 {
		t.Fatalf("upload over bundled: %+v", d)
	}
	mustApply(t, s, batch(domain.SourceSCB, "scb", obs(domain.SourceSCB, "TAB638", "1060", "population", 2024, 13000)))
	if got := values(t, s, domain.Filter{}); got["1060/population/2024"] != "13000 scb" {
		t.Fatalf("scb must win: %v", got)
	}
	// An upload now differs from what is shown but cannot change it.
	d, err := s.Preview(ctx, batch(domain.SourceUpload, "up2", obs(domain.SourceUpload, "up2", "1060", "population", 2024, 1)))
	if err != nil || d.Shadowed != 1 {
		t.Fatalf("shadowed preview = %+v, %v", d, err)
	}
	all, err := s.AllSources(ctx, domain.Filter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("all sources = %v, %v", all, err)
	}
}

// stamped is o fetched at another time, so that each batch in a test has
// its own FetchedAt as well as its own reference: a restore that took a
// field from the wrong row or batch then shows.
func stamped(o domain.Observation, at time.Time) domain.Observation {
	o.Source.FetchedAt = at
	return o
}

// allRows is every stored row with times in UTC, sorted, for exact
// comparison of the store's state at two moments.
func allRows(t *testing.T, s *sqlstore.Store) []domain.Observation {
	t.Helper()
	got, err := s.AllSources(context.Background(), domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sortObs(got)
	for i := range got {
		got[i].Source.FetchedAt = got[i].Source.FetchedAt.UTC()
	}
	return got
}

func testRollback(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	t1, t2, t3 := t0, t0.Add(24*time.Hour), t0.Add(49*time.Hour+time.Minute)
	first := mustApply(t, s, batch(domain.SourceUpload, "first",
		stamped(obs(domain.SourceUpload, "first.xlsx", "1060", "state_jobs", 2023, 150), t1),
		stamped(obs(domain.SourceUpload, "first.xlsx", "0481", "state_jobs", 2023, 90), t1),
		stamped(obs(domain.SourceUpload, "delad.xlsx", "0882", "state_jobs", 2023, 300), t1),
	))
	afterFirst := allRows(t, s)
	second := mustApply(t, s, batch(domain.SourceUpload, "second",
		stamped(obs(domain.SourceUpload, "second.xlsx", "1060", "state_jobs", 2023, 151), t2), // overwrite
		stamped(obs(domain.SourceUpload, "second.xlsx", "0481", "state_jobs", 2023, 90), t2),  // same value, new reference: re-stamped
		stamped(obs(domain.SourceUpload, "delad.xlsx", "0882", "state_jobs", 2023, 300), t2),  // same value and reference: not rewritten
		stamped(obs(domain.SourceUpload, "second.xlsx", "0562", "state_jobs", 2023, 40), t2),  // new
	))
	afterSecond := allRows(t, s)
	third := mustApply(t, s, batch(domain.SourceUpload, "third",
		stamped(obs(domain.SourceUpload, "third.xlsx", "1060", "state_jobs", 2023, 152), t3), // overwrites second's
		stamped(obs(domain.SourceUpload, "third.xlsx", "0562", "state_jobs", 2023, 41), t3),  // overwrites second's new
	))
	// What each stage must look like, written out so the comparison cannot
	// pass by comparing the store with itself.
	type row struct {
		value float64
		ref   string
		batch int64
		at    time.Time
	}
	wantStage := func(name string, got []domain.Observation, want map[string]row) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d rows, want %d: %+v", name, len(got), len(want), got)
		}
		for _, o := range got {
			w, ok := want[o.Key().String()]
			if !ok || o.Value != w.value || o.Source.Ref != w.ref || o.Source.BatchID != w.batch || !o.Source.FetchedAt.Equal(w.at) {
				t.Errorf("%s: %s = %g %s batch %d at %v, want %+v", name, o.Key(), o.Value, o.Source.Ref, o.Source.BatchID, o.Source.FetchedAt, w)
			}
		}
	}
	wantStage("after the first batch", afterFirst, map[string]row{
		"1060/state_jobs/2023": {150, "first.xlsx", first.BatchID, t1},
		"0481/state_jobs/2023": {90, "first.xlsx", first.BatchID, t1},
		"0882/state_jobs/2023": {300, "delad.xlsx", first.BatchID, t1},
	})
	wantStage("after the second batch", afterSecond, map[string]row{
		"1060/state_jobs/2023": {151, "second.xlsx", second.BatchID, t2},
		"0481/state_jobs/2023": {90, "second.xlsx", second.BatchID, t2},
		"0882/state_jobs/2023": {300, "delad.xlsx", first.BatchID, t1},
		"0562/state_jobs/2023": {40, "second.xlsx", second.BatchID, t2},
	})
	wantStage("after the third batch", allRows(t, s), map[string]row{
		"1060/state_jobs/2023": {152, "third.xlsx", third.BatchID, t3},
		"0481/state_jobs/2023": {90, "second.xlsx", second.BatchID, t2},
		"0882/state_jobs/2023": {300, "delad.xlsx", first.BatchID, t1},
		"0562/state_jobs/2023": {41, "third.xlsx", third.BatchID, t3},
	})

	// Undo the third, then the second: each rollback restores exactly the
	// rows as they were before its batch (value, reference, batch, time).
	if err := s.Rollback(ctx, second.BatchID, "anna"); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("rolling back the second batch under the third: %v", err)
	}
	if err := s.Rollback(ctx, third.BatchID, "anna"); err != nil {
		t.Fatal(err)
	}
	if after := allRows(t, s); !reflect.DeepEqual(afterSecond, after) {
		t.Fatalf("rollback of the third batch did not restore exactly:\nbefore %+v\nafter  %+v", afterSecond, after)
	}
	if err := s.Rollback(ctx, second.BatchID, "anna"); err != nil {
		t.Fatal(err)
	}
	if after := allRows(t, s); !reflect.DeepEqual(afterFirst, after) {
		t.Fatalf("rollback of the second batch did not restore exactly:\nbefore %+v\nafter  %+v", afterFirst, after)
	}
	b, err := s.Batch(ctx, second.BatchID)
	if err != nil || b.Status != domain.BatchRolledBack || b.RolledBackBy != "anna" || b.RolledBackAt == nil {
		t.Fatalf("batch after rollback = %+v, %v", b, err)
	}
	if err := s.Rollback(ctx, second.BatchID, "anna"); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("second rollback: %v", err)
	}
	if err := s.Rollback(ctx, first.BatchID, "anna"); err != nil {
		t.Fatal(err)
	}
	if got := values(t, s, domain.Filter{}); len(got) != 0 {
		t.Fatalf("after rolling back everything: %v", got)
	}
	if err := s.Rollback(ctx, 424242, "anna"); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("unknown batch: %v", err)
	}
}

func testRollbackOrder(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	a := mustApply(t, s, batch(domain.SourceUpload, "a", obs(domain.SourceUpload, "a", "1060", "state_jobs", 2023, 1)))
	mustApply(t, s, batch(domain.SourceUpload, "b", obs(domain.SourceUpload, "b", "1060", "state_jobs", 2023, 2)))
	err := s.Rollback(ctx, a.BatchID, "x")
	if domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("rolling back an overwritten batch: %v", err)
	}
	if got := values(t, s, domain.Filter{}); got["1060/state_jobs/2023"] != "2 upload" {
		t.Fatalf("refused rollback changed data: %v", got)
	}
}

func testInvalidBatch(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	mustApply(t, s, batch(domain.SourceSCB, "scb", obs(domain.SourceSCB, "TAB638", "1060", "population", 2024, 13000)))
	before := values(t, s, domain.Filter{})
	v0, _ := s.DataVersion(ctx)
	bad := []domain.Batch{
		batch(domain.SourceUpload, "dup", obs(domain.SourceUpload, "f", "1060", "population", 2024, 1), obs(domain.SourceUpload, "f", "1060", "population", 2024, 2)),
		batch(domain.SourceUpload, "mixed", obs(domain.SourceSCB, "f", "1060", "population", 2023, 1)),
		batch(domain.SourceUpload, "region", obs(domain.SourceUpload, "f", "10600", "population", 2023, 1)),
		batch("wikipedia", "kind"),
	}
	for _, b := range bad {
		if _, err := s.Apply(ctx, b); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("%s: err = %v, want invalid", b.Label, err)
		}
	}
	if after := values(t, s, domain.Filter{}); !reflect.DeepEqual(before, after) {
		t.Fatalf("invalid batch changed data: %v", after)
	}
	if v1, _ := s.DataVersion(ctx); v1 != v0 {
		t.Fatalf("data version moved %d -> %d", v0, v1)
	}
	bs, _ := s.Batches(ctx, 10)
	if len(bs) != 1 {
		t.Fatalf("invalid batches were recorded: %+v", bs)
	}
}

func testFailureMidBatch(t *testing.T, s *sqlstore.Store, fail Failer) {
	ctx := context.Background()
	mustApply(t, s, batch(domain.SourceSCB, "before", obs(domain.SourceSCB, "TAB638", "1060", "population", 2024, 13000)))
	before := values(t, s, domain.Filter{})
	v0, _ := s.DataVersion(ctx)
	fail(t, s, "2584") // the last row of the batch below, in its third chunk of inserts
	var os []domain.Observation
	for y := 1000; y < 2000; y++ {
		os = append(os, obs(domain.SourceSCB, "TAB638", "1060", "population", y+200, float64(y)))
	}
	os = append(os, obs(domain.SourceSCB, "TAB638", "2584", "population", 2024, 22000))
	if _, err := s.Apply(ctx, batch(domain.SourceSCB, "broken", os...)); err == nil {
		t.Fatal("apply must fail when the database refuses a row")
	}
	if after := values(t, s, domain.Filter{}); !reflect.DeepEqual(before, after) {
		t.Fatalf("a failed batch left %d figures behind", len(after)-len(before))
	}
	if v1, _ := s.DataVersion(ctx); v1 != v0 {
		t.Fatalf("data version moved %d -> %d", v0, v1)
	}
	if bs, _ := s.Batches(ctx, 10); len(bs) != 1 {
		t.Fatalf("failed batch recorded: %+v", bs)
	}
}

func testDataVersion(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	v0, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := mustApply(t, s, batch(domain.SourceUpload, "a", obs(domain.SourceUpload, "a", "1060", "population", 2024, 1)))
	v1, _ := s.DataVersion(ctx)
	mustApply(t, s, batch(domain.SourceUpload, "same", obs(domain.SourceUpload, "a", "1060", "population", 2024, 1)))
	v2, _ := s.DataVersion(ctx)
	if err := s.Rollback(ctx, d.BatchID, "x"); err != nil {
		t.Fatal(err)
	}
	v3, _ := s.DataVersion(ctx)
	if !(v1 > v0 && v2 == v1 && v3 > v2) {
		t.Fatalf("versions %d %d %d %d: a write must move it, a no-op must not", v0, v1, v2, v3)
	}
}

func testRunsAndStamps(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	r, err := s.StartRun(ctx, "scb", "manual")
	if err != nil {
		t.Fatal(err)
	}
	stamp := time.Date(2025, 2, 21, 7, 0, 0, 0, time.UTC)
	b := batch(domain.SourceSCB, "scb", obs(domain.SourceSCB, "TAB638", "1060", "population", 2024, 13000))
	b.Stamps = map[string]time.Time{"TAB638": stamp}
	d := mustApply(t, s, b)
	r.Status, r.BatchID, r.New, r.Error = domain.RunPartial, d.BatchID, d.New, "boom"
	r.Tables = []domain.RunTable{
		{Ref: "TAB638", Status: domain.TableLanded, Rows: 1},
		{Ref: "TAB5838", Status: domain.TableFailed, Error: `variabeln ArbetsSektor har inget värde "12"`},
		{Ref: "TAB3204", Status: domain.TableUnchanged},
	}
	if err := s.FinishRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, "scb", 5)
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs = %v, %v", runs, err)
	}
	got := runs[0]
	if got.Status != domain.RunPartial || got.Error != "boom" || got.New != 1 || got.BatchID != d.BatchID || got.Finished == nil || got.Trigger != "manual" {
		t.Errorf("run = %+v", got)
	}
	if !reflect.DeepEqual(got.Tables, r.Tables) {
		t.Errorf("tables of the run\n got %+v\nwant %+v", got.Tables, r.Tables)
	}
	if other, _ := s.Runs(ctx, "kolada", 5); len(other) != 0 {
		t.Errorf("runs of another source: %v", other)
	}
	stamps, err := s.Stamps(ctx, "scb")
	if err != nil || !stamps["TAB638"].Equal(stamp) {
		t.Fatalf("stamps = %v, %v", stamps, err)
	}
}

func testUsers(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	u, err := s.CreateUser(ctx, domain.User{Name: "anna", Role: domain.RoleAnalyst, PasswordHash: "h"})
	if err != nil || u.ID == 0 {
		t.Fatalf("create: %+v %v", u, err)
	}
	if _, err := s.CreateUser(ctx, domain.User{Name: "anna", Role: domain.RoleAdmin, PasswordHash: "h"}); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("duplicate user: %v", err)
	}
	got, err := s.UserByName(ctx, "anna")
	if err != nil || got.Role != domain.RoleAnalyst || got.PasswordHash != "h" {
		t.Fatalf("by name: %+v %v", got, err)
	}
	now := time.Now()
	ss := domain.Session{TokenHash: "th", UserID: u.ID, CSRFToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := s.CreateSession(ctx, ss); err != nil {
		t.Fatal(err)
	}
	gs, gu, err := s.SessionUser(ctx, "th", now)
	if err != nil || gu.Name != "anna" || gs.CSRFToken != "c" {
		t.Fatalf("session: %+v %+v %v", gs, gu, err)
	}
	if _, _, err := s.SessionUser(ctx, "th", now.Add(2*time.Hour)); domain.ErrorCode(err) != domain.CodeUnauthorized {
		t.Fatalf("expired session: %v", err)
	}
	if err := s.DeleteUser(ctx, "anna"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, "th", now); err == nil {
		t.Fatal("a deleted user's session must end")
	}
	if err := s.DeleteUser(ctx, "anna"); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("delete twice: %v", err)
	}
	if us, _ := s.Users(ctx); len(us) != 0 {
		t.Fatalf("users = %v", us)
	}
}

func testPending(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	now := time.Now()
	p := domain.PendingImport{ID: "p1", UserName: "anna", FileName: "f.xlsx", CreatedAt: now, ExpiresAt: now.Add(time.Hour), Payload: []byte(`{"a":"<script>"}`)}
	if err := s.SavePending(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Pending(ctx, "p1", now)
	if err != nil || string(got.Payload) != string(p.Payload) || got.FileName != "f.xlsx" {
		t.Fatalf("pending: %+v %v", got, err)
	}
	if _, err := s.Pending(ctx, "p1", now.Add(2*time.Hour)); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("expired pending: %v", err)
	}
	// Re-reading the file keeps the id, with the new payload and expiry.
	q := p
	q.Payload, q.ExpiresAt = []byte(`{"b":1}`), now.Add(3*time.Hour)
	if err := s.ReplacePending(ctx, q); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Pending(ctx, "p1", now.Add(2*time.Hour)); err != nil || string(got.Payload) != `{"b":1}` {
		t.Fatalf("replaced pending: %+v %v", got, err)
	}
	q.ID = "gone"
	if err := s.ReplacePending(ctx, q); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("replacing a missing preview: %v", err)
	}
	if err := s.DeletePending(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pending(ctx, "p1", now); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("deleted pending: %v", err)
	}
}

func testLeases(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	now := time.Now()
	ok, err := s.TryLease(ctx, "scb", "a", now, time.Minute)
	if err != nil || !ok {
		t.Fatalf("a takes: %v %v", ok, err)
	}
	if ok, _ := s.TryLease(ctx, "scb", "b", now.Add(time.Second), time.Minute); ok {
		t.Fatal("b must not take a's unexpired lease")
	}
	if ok, _ := s.TryLease(ctx, "scb", "a", now.Add(time.Second), time.Minute); !ok {
		t.Fatal("a renews its own lease")
	}
	if ok, _ := s.TryLease(ctx, "scb", "b", now.Add(2*time.Minute), time.Minute); !ok {
		t.Fatal("b takes an expired lease")
	}
	if err := s.ReleaseLease(ctx, "scb", "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.TryLease(ctx, "scb", "a", now.Add(2*time.Minute), time.Minute); !ok {
		t.Fatal("a takes a released lease")
	}
}

func testMigrations(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	applied, err := s.Migrate(ctx) // already migrated: nothing to do
	if err != nil || len(applied) != 0 {
		t.Fatalf("re-migrate: %v %v", applied, err)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); !errors.Is(err, sqlstore.ErrDatabaseNewer) {
		t.Fatalf("newer database: %v", err)
	}
	if err := s.CheckSchema(ctx); !errors.Is(err, sqlstore.ErrDatabaseNewer) {
		t.Fatalf("newer database check: %v", err)
	}
}

func sortObs(os []domain.Observation) {
	sort.Slice(os, func(i, j int) bool {
		a, b := os[i], os[j]
		if a.Key() != b.Key() {
			return a.Key().String() < b.Key().String()
		}
		return a.Source.Kind < b.Source.Kind
	})
}

// testPreliminaryThenFinal: a preliminary figure is stored and read as
// such; the final figure replaces it even at the same value (the page's
// "preliminär" mark must go); rolling the final back restores the mark.
func testPreliminaryThenFinal(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	pre := obs(domain.SourceSCB, "TAB3785", "1060", "employed_day", 2025, 5120)
	pre.Source.Preliminary = true
	mustApply(t, s, batch(domain.SourceSCB, "SCB (1 tabell: TAB3785)", pre))
	read := func() domain.Observation {
		t.Helper()
		got, err := s.Observations(ctx, domain.Filter{Indicators: []string{"employed_day"}})
		if err != nil || len(got) != 1 {
			t.Fatalf("observations %+v, %v", got, err)
		}
		return got[0]
	}
	if o := read(); !o.Source.Preliminary || o.Source.Ref != "TAB3785" || o.Value != 5120 {
		t.Fatalf("preliminary figure read back as %+v", o)
	}
	final := obs(domain.SourceSCB, "TAB3204", "1060", "employed_day", 2025, 5120)
	d := mustApply(t, s, batch(domain.SourceSCB, "SCB (1 tabell: TAB3204)", final))
	if d.Changed != 1 || d.Unchanged != 0 {
		t.Errorf("final over preliminary at the same value: diff %+v, want 1 changed", d)
	}
	if o := read(); o.Source.Preliminary || o.Source.Ref != "TAB3204" {
		t.Errorf("final figure read back as %+v", o)
	}
	if err := s.Rollback(ctx, d.BatchID, "admin"); err != nil {
		t.Fatal(err)
	}
	if o := read(); !o.Source.Preliminary || o.Source.Ref != "TAB3785" {
		t.Errorf("after rollback %+v, want the preliminary figure back", o)
	}
}
