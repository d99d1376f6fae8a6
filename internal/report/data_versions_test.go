package report

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// versionedReader is memReader that also says, per indicator, the data
// version of its last write (as the SQL store does), and counts the loads
// per indicator.
type versionedReader struct {
	memReader
	written map[string]int64
	err     error
	loads   map[string]int
}

func (r *versionedReader) Observations(ctx context.Context, f domain.Filter) ([]domain.Observation, error) {
	r.loads[f.Indicators[0]]++
	return r.memReader.Observations(ctx, f)
}

func (r *versionedReader) IndicatorVersions(context.Context) (map[string]int64, error) {
	return r.written, r.err
}

// A new data version reloads the tables of the indicators written since
// they were loaded, and keeps the others; one that is not listed, or a
// failing list, reloads.
func TestDataReloadsOnlyChangedTables(t *testing.T) {
	obs := []domain.Observation{
		{Municipality: "1060", Indicator: "population", Year: 2024, Value: 13000, Source: domain.Source{Kind: domain.SourceSCB, Ref: "TAB638", FetchedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}},
		{Municipality: "1060", Indicator: "state_jobs", Year: 2024, Value: 300, Source: domain.Source{Kind: domain.SourceUpload, Ref: "f.xlsx"}},
	}
	env, _, _ := setup(t)
	r := &versionedReader{memReader: memReader{obs: obs, version: 5}, written: map[string]int64{"population": 3, "state_jobs": 5}, loads: map[string]int{}}
	d := NewData(r, env.Catalogue, 0)
	ctx := context.Background()
	load := func(ind string) *Table {
		t.Helper()
		tb, err := d.Table(ctx, ind)
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	load("population")
	load("state_jobs")
	load("employed_day") // listed nowhere: never written since versions were kept

	// An upload of state_jobs makes version 6.
	r.version, r.written["state_jobs"] = 6, 6
	r.obs[1].Value = 310
	if v, _ := load("state_jobs").Value("1060", 2024); v != 310 {
		t.Errorf("state_jobs after its write: %v, want 310", v)
	}
	load("population")
	load("employed_day")
	want := map[string]int{"population": 1, "state_jobs": 2, "employed_day": 2}
	for ind, n := range want {
		if r.loads[ind] != n {
			t.Errorf("%s loaded %d times, want %d", ind, r.loads[ind], n)
		}
	}

	// A failing list reloads everything rather than risk a stale table.
	r.version, r.err = 7, errors.New("meta unreadable")
	load("population")
	if r.loads["population"] != 2 {
		t.Errorf("population kept with an unreadable list of versions: %d loads", r.loads["population"])
	}
}
