package domain

import (
	"math"
	"testing"
)

func TestPlausibility(t *testing.T) {
	zero, hundred := 0.0, 100.0
	count := Indicator{ID: "population", Name: "Folkmängd", Unit: "personer", Plausible: Plausibility{Min: &zero, Integer: true, MaxChange: 0.5}}
	rate := Indicator{ID: "employment_rate", Name: "Andel", Unit: "%", Plausible: Plausibility{Min: &zero, Max: &hundred}}
	free := Indicator{ID: "net_migration", Name: "Flyttnetto"}
	for _, tt := range []struct {
		ind  Indicator
		v    float64
		fail bool
	}{
		{count, 12000, false}, {count, 0, false}, {count, -5000, true}, {count, math.Copysign(0, -1), true},
		{count, 12.5, true}, {count, math.Inf(1), true}, {count, math.NaN(), true},
		{rate, 79.5, false}, {rate, 100, false}, {rate, 150, true}, {rate, -3, true},
		{free, -250, false}, {free, 1e308, false}, {free, math.Inf(-1), true},
	} {
		if got := tt.ind.Implausible(tt.v) != ""; got != tt.fail {
			t.Errorf("%s %v: implausible %v, want %v (%q)", tt.ind.ID, tt.v, got, tt.fail, tt.ind.Implausible(tt.v))
		}
	}
	for _, tt := range []struct {
		ind    Indicator
		old, v float64
		large  bool
	}{
		{count, 12000, 12500, false}, {count, 12000, 18000, false}, {count, 12000, 18001, true}, {count, 12000, 5999, true},
		{count, 0, 1, true}, {count, 0, 0, false}, {rate, 10, 90, false},
	} {
		if got := tt.ind.LargeChange(tt.old, tt.v); got != tt.large {
			t.Errorf("%s %v→%v: large %v, want %v", tt.ind.ID, tt.old, tt.v, got, tt.large)
		}
	}
}
