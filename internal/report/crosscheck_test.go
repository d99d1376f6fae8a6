package report

import (
	"context"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Constructed figures: each case is one municipality's SCB counts and
// Kolada share for 2023, and whether it must be listed.
func TestDiscrepancies(t *testing.T) {
	scb := domain.Source{Kind: domain.SourceSCB, Ref: "TAB3204"}
	upload := domain.Source{Kind: domain.SourceUpload, Ref: "fil.xlsx"}
	kolada := domain.Source{Kind: domain.SourceKolada, Ref: "N02206"}
	tests := []struct {
		name              string
		part, total, ref  float64
		partSrc, totalSrc domain.Source
		want              bool
	}{
		{"over the threshold", 600, 10000, 5.3, scb, scb, true}, // 6.0 vs 5.3
		{"under it", 600, 10000, 5.6, scb, scb, false},          // 0.4
		{"exactly 0.5 is no discrepancy", 600, 10000, 5.5, scb, scb, false},
		{"below the published share", 400, 10000, 5.0, scb, scb, true}, // −1.0
		{"counts from an upload are not SCB's", 600, 10000, 5.3, upload, scb, false},
		{"no jobs at all", 0, 0, 5.3, scb, scb, false},
	}
	codes := []string{"1060", "0481", "0562", "0882", "1493", "2081"}
	env, d, r := setup(t)
	env.Checks = []domain.CrossCheck{{ID: "state_share", Part: "state_jobs", Total: "employed_day", PartSource: domain.SourceSCB,
		Reference: "state_share", ReferenceSource: domain.SourceKolada, Threshold: 0.5}}
	for i, tt := range tests {
		c := codes[i]
		r.obs = append(r.obs,
			domain.Observation{Municipality: c, Indicator: "state_jobs", Year: 2023, Value: tt.part, Source: tt.partSrc},
			domain.Observation{Municipality: c, Indicator: "employed_day", Year: 2023, Value: tt.total, Source: tt.totalSrc},
			domain.Observation{Municipality: c, Indicator: "state_share", Year: 2023, Value: tt.ref, Source: kolada})
	}
	list, err := Discrepancies(context.Background(), env, d)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Discrepancy{}
	for _, x := range list {
		got[x.Municipality] = x
	}
	for i, tt := range tests {
		x, listed := got[codes[i]]
		if listed != tt.want {
			t.Errorf("%s: listed %v, want %v (%+v)", tt.name, listed, tt.want, x)
		}
	}
	if x := got[codes[3]]; !near(x.Difference, -1) || !near(x.Computed, 4) || x.Reference != 5 {
		t.Errorf("below: %+v", x)
	}
	// Computed once per data version.
	before := r.calls
	if _, err := Discrepancies(context.Background(), env, d); err != nil || r.calls != before {
		t.Errorf("second call read the store again (%d → %d calls), err %v", before, r.calls, err)
	}
}
