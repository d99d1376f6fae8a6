package storetest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// The tests in this file hold the store to what mutation testing
// (docs/testing.md) found unchecked: the order pages get figures in, the
// year bounds of a batch, what a diff says of a shadowed figure, default
// list limits and how errors are reported.

// testObservationsOrder: figures come back by indicator, municipality and
// year whatever order they were stored in; tables and charts rely on it.
// The data is chosen so that each of the three keys decides some pair.
func testObservationsOrder(t *testing.T, s *sqlstore.Store) {
	var in []domain.Observation
	for _, ind := range []string{"population", "employed_day"} {
		for _, m := range []string{"1060", "0481"} {
			for _, y := range []int{2024, 2023} {
				in = append(in, obs(domain.SourceSCB, "TAB638", m, ind, y, float64(y)))
			}
		}
	}
	mustApply(t, s, batch(domain.SourceSCB, "scb", in...))
	got, err := s.Observations(context.Background(), domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range got {
		keys = append(keys, o.Key().String())
	}
	want := []string{
		"0481/employed_day/2023", "0481/employed_day/2024", "1060/employed_day/2023", "1060/employed_day/2024",
		"0481/population/2023", "0481/population/2024", "1060/population/2023", "1060/population/2024",
	}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Fatalf("order\n got %v\nwant %v", keys, want)
	}
}

// testBatchYearBounds: the years 1800 and 2200 are the last accepted at
// each end; one year beyond is refused and nothing is written.
func testBatchYearBounds(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		year int
		ok   bool
	}{{1799, false}, {1800, true}, {2200, true}, {2201, false}} {
		b := batch(domain.SourceUpload, fmt.Sprint(tc.year), obs(domain.SourceUpload, "f.xlsx", "1060", "population", tc.year, 1))
		_, err := s.Apply(ctx, b)
		if tc.ok && err != nil {
			t.Errorf("year %d refused: %v", tc.year, err)
		}
		if !tc.ok && domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("year %d: err = %v, want invalid", tc.year, err)
		}
	}
	got := values(t, s, domain.Filter{})
	want := map[string]string{"1060/population/1800": "1 upload", "1060/population/2200": "1 upload"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := s.Apply(ctx, batch(domain.SourceUpload, "nan", obs(domain.SourceUpload, "f", "1060", "population", 2024, v))); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("value %g: err = %v, want invalid", v, err)
		}
	}
}

// testShadowedChange: a figure that a higher-precedence source hides is
// listed with the batch's own figure as New and the shown one as Old, so
// the preview says what was uploaded and what stays on the pages.
func testShadowedChange(t *testing.T, s *sqlstore.Store) {
	mustApply(t, s, batch(domain.SourceSCB, "scb", obs(domain.SourceSCB, "TAB638", "1060", "population", 2024, 13000)))
	d, err := s.Preview(context.Background(), batch(domain.SourceUpload, "up", obs(domain.SourceUpload, "up", "1060", "population", 2024, 12999)))
	if err != nil || len(d.Changes) != 1 {
		t.Fatalf("preview = %+v, %v", d, err)
	}
	c := d.Changes[0]
	if c.Kind != domain.ChangeShadowed || c.New != 12999 || c.Old == nil || *c.Old != 13000 || c.OldFrom == nil || c.OldFrom.Kind != domain.SourceSCB {
		t.Fatalf("shadowed change = %+v (old %v from %+v)", c, c.Old, c.OldFrom)
	}
}

// testListLimits: a limit of zero or less lists with the default limit,
// not nothing; an empty source lists the runs of every source.
func testListLimits(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	for i := range 3 {
		mustApply(t, s, batch(domain.SourceUpload, fmt.Sprint(i), obs(domain.SourceUpload, "f", "1060", "population", 2020+i, 1)))
	}
	for _, src := range []string{"scb", "kolada"} {
		if _, err := s.StartRun(ctx, src, "schedule"); err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{0, -1} {
		if bs, err := s.Batches(ctx, limit); err != nil || len(bs) != 3 {
			t.Errorf("batches with limit %d: %d, %v; want 3", limit, len(bs), err)
		}
		rs, err := s.Runs(ctx, "", limit)
		if err != nil || len(rs) != 2 || rs[0].Source != "kolada" || rs[1].Source != "scb" {
			t.Errorf("runs with limit %d: %+v, %v; want kolada then scb", limit, rs, err)
		}
	}
	if bs, err := s.Batches(ctx, 2); err != nil || len(bs) != 2 || bs[0].Label != "2" {
		t.Errorf("batches with limit 2: %+v, %v; want the two newest", bs, err)
	}
}

// testErrorsNameTheirBatch: a refusal reaches the caller as the coded
// error with its Swedish message and nothing else; a database failure is
// wrapped with the import it hit, so the log says which one.
func testErrorsNameTheirBatch(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	d := mustApply(t, s, batch(domain.SourceUpload, "kvartal.xlsx", obs(domain.SourceUpload, "f", "1060", "population", 2024, 1)))
	_, err := s.Apply(ctx, batch(domain.SourceUpload, "fel.xlsx", obs(domain.SourceUpload, "f", "10600", "population", 2024, 1)))
	if err == nil || err.Error() != `okänd regionkod "10600"` {
		t.Errorf("refused batch: %v", err)
	}
	if err := s.Rollback(ctx, d.BatchID, "anna"); err != nil {
		t.Fatal(err)
	}
	err = s.Rollback(ctx, d.BatchID, "anna")
	if want := fmt.Sprintf("import %d är redan ångrad", d.BatchID); err == nil || err.Error() != want {
		t.Errorf("second rollback: %v, want %q", err, want)
	}

	s.Close()
	_, err = s.Apply(ctx, batch(domain.SourceUpload, "kvartal2.xlsx", obs(domain.SourceUpload, "f", "1060", "population", 2024, 2)))
	if err == nil || !strings.Contains(err.Error(), `store: apply "kvartal2.xlsx"`) {
		t.Errorf("apply on a closed store: %v", err)
	}
	err = s.Rollback(ctx, d.BatchID, "anna")
	if want := fmt.Sprintf("store: rollback %d:", d.BatchID); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("rollback on a closed store: %v, want it to start %q", err, want)
	}
}

// testLeaseInspection: the scheduler reads who holds a lease and takes
// it over from a holder it found dead, and only from that holder: if
// another took the lease meanwhile, the take-over does nothing.
func testLeaseInspection(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	if _, _, found, err := s.Lease(ctx, "scb"); err != nil || found {
		t.Fatalf("no lease yet: found %v, %v", found, err)
	}
	if ok, err := s.TryLease(ctx, "scb", "a", t0, time.Minute); err != nil || !ok {
		t.Fatalf("a takes: %v %v", ok, err)
	}
	holder, exp, found, err := s.Lease(ctx, "scb")
	if err != nil || !found || holder != "a" || !exp.Equal(t0.Add(time.Minute)) {
		t.Fatalf("lease = %q until %v, found %v, %v", holder, exp, found, err)
	}
	if ok, err := s.TakeOverLease(ctx, "scb", "x", "b", t0, time.Minute); err != nil || ok {
		t.Fatalf("take-over from a holder that does not hold it: %v %v", ok, err)
	}
	if ok, err := s.TakeOverLease(ctx, "scb", "a", "b", t0.Add(time.Second), 2*time.Minute); err != nil || !ok {
		t.Fatalf("take-over from the holder: %v %v", ok, err)
	}
	if holder, exp, _, _ := s.Lease(ctx, "scb"); holder != "b" || !exp.Equal(t0.Add(time.Second+2*time.Minute)) {
		t.Fatalf("after the take-over: %q until %v", holder, exp)
	}
}

// testCheckWritable: a writable store passes the readiness write check
// without changing anything; a closed one fails it.
func testCheckWritable(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	if err := s.CheckWritable(ctx); err != nil {
		t.Fatalf("writable store: %v", err)
	}
	s.Close()
	if err := s.CheckWritable(ctx); err == nil || !strings.HasPrefix(err.Error(), "store: write check:") {
		t.Fatalf("closed store: %v", err)
	}
}

// testSummary: the backup report's counts are the store's rows, every
// source, and the schema version is the newest migration applied.
func testSummary(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	mustApply(t, s, batch(domain.SourceSCB, "scb", obs(domain.SourceSCB, "TAB638", "1060", "population", 2024, 13000)))
	mustApply(t, s, batch(domain.SourceUpload, "up", obs(domain.SourceUpload, "up", "1060", "population", 2024, 13005),
		obs(domain.SourceUpload, "up", "0481", "population", 2024, 9000)))
	if _, err := s.CreateUser(ctx, domain.User{Name: "anna", Role: domain.RoleAnalyst, PasswordHash: "h"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRun(ctx, "scb", "schedule"); err != nil {
		t.Fatal(err)
	}
	_, known, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Summary(ctx)
	want := sqlstore.Summary{SchemaVersion: known, Figures: 3, Batches: 2, Users: 1, Runs: 1}
	if err != nil || got != want || known == 0 {
		t.Fatalf("summary = %+v, %v; want %+v", got, err, want)
	}
	for _, q := range []string{`DROP TABLE run_tables`, `DROP TABLE runs`} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Summary(ctx); err == nil || !strings.Contains(err.Error(), "store: summary: runs") {
		t.Fatalf("summary without the runs table: %v", err)
	}
}

// testUsersList: the user admin page lists every user by name, with role
// and creation time as stored.
func testUsersList(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	for _, u := range []domain.User{
		{Name: "bertil", Role: domain.RoleAdmin, PasswordHash: "h1", CreatedAt: t0},
		{Name: "anna", Role: domain.RoleViewer, PasswordHash: "h2", CreatedAt: t0.Add(time.Hour)},
	} {
		if _, err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	us, err := s.Users(ctx)
	if err != nil || len(us) != 2 {
		t.Fatalf("users = %+v, %v", us, err)
	}
	if a, b := us[0], us[1]; a.Name != "anna" || a.Role != domain.RoleViewer || !a.CreatedAt.Equal(t0.Add(time.Hour)) ||
		b.Name != "bertil" || b.Role != domain.RoleAdmin || b.PasswordHash != "h1" || !b.CreatedAt.Equal(t0) {
		t.Fatalf("users = %+v", us)
	}
}

// testDeleteSession: logging out deletes the session, and only that one.
func testDeleteSession(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	u, err := s.CreateUser(ctx, domain.User{Name: "anna", Role: domain.RoleAnalyst, PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, th := range []string{"th1", "th2"} {
		if err := s.CreateSession(ctx, domain.Session{TokenHash: th, UserID: u.ID, CSRFToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteSession(ctx, "th1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, "th1", now); domain.ErrorCode(err) != domain.CodeUnauthorized {
		t.Errorf("deleted session: %v", err)
	}
	if _, gu, err := s.SessionUser(ctx, "th2", now); err != nil || gu.Name != "anna" {
		t.Errorf("the other session: %+v, %v", gu, err)
	}
}
