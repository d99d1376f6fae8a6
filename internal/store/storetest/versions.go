package storetest

import (
	"context"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// testIndicatorVersions: each write records the data version it made for
// exactly the indicators it changed, rollbacks included, so a reader can
// keep the tables of the others. An unchanged re-run records nothing.
func testIndicatorVersions(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	versions := func() map[string]int64 {
		t.Helper()
		v, err := s.IndicatorVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	current := func() int64 {
		t.Helper()
		v, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := versions(); len(v) != 0 {
		t.Fatalf("an empty store lists %v", v)
	}
	pop := batch(domain.SourceSCB, "pop", obs(domain.SourceSCB, "TAB638", "1060", "population", 2024, 13000))
	mustApply(t, s, pop)
	vPop := current()
	d := mustApply(t, s, batch(domain.SourceUpload, "jobs",
		obs(domain.SourceUpload, "f", "1060", "state_jobs", 2024, 300), obs(domain.SourceUpload, "f", "0481", "state_jobs", 2024, 120)))
	vJobs := current()
	if got := versions(); len(got) != 2 || got["population"] != vPop || got["state_jobs"] != vJobs || vJobs <= vPop {
		t.Fatalf("after two writes: %v (population written at %d, state_jobs at %d)", got, vPop, vJobs)
	}
	// The same figures again change nothing and record nothing.
	mustApply(t, s, pop)
	if got := versions(); got["population"] != vPop || current() != vJobs {
		t.Errorf("an unchanged write moved a version: %v, data version %d", got, current())
	}
	if err := s.Rollback(ctx, d.BatchID, "test"); err != nil {
		t.Fatal(err)
	}
	if got, v := versions(), current(); got["state_jobs"] != v || got["population"] != vPop || v <= vJobs {
		t.Errorf("after rolling back state_jobs: %v at data version %d", got, v)
	}
}
