package reporttest

import (
	"context"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func TestDatasets(t *testing.T) {
	tests := []struct {
		ds                       Dataset
		figures, members, indics int
	}{
		// The catalogue keeps its shipped indicators (18 since #13); the
		// dataset fills the first indics of them.
		{Members, 26 * 30 * 6, 26, 6},
		{Members20, 26 * 30 * 20, 26, 20},
		{All, 725_000, 11, 50}, // all municipalities; the shipped members stay as they are
		{All5, 72_500, 11, 5},
	}
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range tests {
		t.Run(tc.ds.Name, func(t *testing.T) {
			cfg, err := config.Default()
			if err != nil {
				t.Fatal(err)
			}
			shipped, shippedInds := len(cfg.Network.Members), len(cfg.Indicators)
			Configure(cfg, tc.ds)
			// Configure adds indicators and members up to the dataset's
			// size; the shipped ones stay as they are.
			if len(cfg.Indicators) != max(shippedInds, tc.indics) || len(cfg.Network.Members) != max(shipped, tc.members) {
				t.Fatalf("%d indicators, %d members", len(cfg.Indicators), len(cfg.Network.Members))
			}
			obs := Observations(cfg, tc.ds, at)
			if len(obs) != tc.figures || tc.ds.Figures() != tc.figures {
				t.Fatalf("%d figures, want %d", len(obs), tc.figures)
			}
			seen := map[domain.Key]bool{}
			for _, o := range obs {
				if seen[o.Key()] || o.Value <= 0 || o.Source.Ref != SourceRef || o.Source.Kind != domain.SourceUpload {
					t.Fatalf("bad or repeated figure %+v", o)
				}
				seen[o.Key()] = true
			}
			again := Observations(cfg, tc.ds, at)
			for i := range obs {
				if obs[i] != again[i] {
					t.Fatalf("figure %d differs between calls", i)
				}
			}
			batches := Batches(obs)
			n := 0
			for _, b := range batches {
				n += len(b.Observations)
			}
			if len(batches) != tc.indics || n != tc.figures {
				t.Errorf("%d batches with %d figures", len(batches), n)
			}
			r := NewReader(obs)
			got, err := r.Observations(context.Background(), domain.Filter{Indicators: []string{"population"}, FromYear: LastYear, Municipalities: Codes(cfg, tc.ds)[:3]})
			if err != nil || len(got) != 3 {
				t.Errorf("reader: %d figures, %v", len(got), err)
			}
		})
	}
}

func TestByName(t *testing.T) {
	for _, name := range []string{"members", "members20", "all", "all5"} {
		if ds, err := ByName(name); err != nil || ds.Name != name {
			t.Errorf("%s: %+v %v", name, ds, err)
		}
	}
	if _, err := ByName("alla"); err == nil {
		t.Error("unknown name accepted")
	}
}
