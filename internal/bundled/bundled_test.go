package bundled

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

// The published SCB figures for Olofström (checked as SOURCES.md says).
var olofstrom = map[int]float64{2015: 13170, 2016: 13417, 2017: 13482, 2018: 13516, 2019: 13426, 2020: 13311, 2021: 13263, 2022: 13159, 2023: 13061, 2024: 13000}

func TestObservations(t *testing.T) {
	obs, err := Observations(time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var kommuner, sum2024 float64
	got := map[int]float64{}
	for _, o := range obs {
		if o.Indicator != "population" {
			t.Errorf("unexpected indicator %q", o.Indicator)
		}
		if o.Year == 2024 && domain.KindOf(o.Municipality) == domain.KindMunicipality {
			kommuner++
			sum2024 += o.Value
		}
		if o.Municipality == "1060" {
			got[o.Year] = o.Value
		}
		if Describe(o.Source) == "" {
			t.Errorf("%s has no described source", o.Key())
		}
	}
	if kommuner != 290 {
		t.Errorf("2024 figures for %v municipalities, want 290", kommuner)
	}
	// SOURCES.md: the 290 values sum to SCB's riket total.
	if sum2024 != 10587710 {
		t.Errorf("sum of municipalities 2024 = %v, want SCB's 10 587 710", sum2024)
	}
	for y, v := range olofstrom {
		if got[y] != v {
			t.Errorf("Olofström %d = %v, want %v", y, got[y], v)
		}
	}
}

func TestLoadIfEmpty(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadIfEmpty(ctx, s, time.Now())
	if err != nil || !loaded {
		t.Fatalf("first load: %v %v", loaded, err)
	}
	bs, _ := s.Batches(ctx, 5)
	if err := s.Rollback(ctx, bs[0].ID, "admin"); err != nil {
		t.Fatal(err)
	}
	loaded, err = LoadIfEmpty(ctx, s, time.Now())
	if err != nil || loaded {
		t.Fatalf("a store that had batches must not be reloaded: %v %v", loaded, err)
	}
}
