package derive

import (
	"math"
	"testing"
)

func TestMedianMean(t *testing.T) {
	tests := []struct {
		name         string
		vals         []float64
		median, mean float64
		ok           bool
	}{
		{
			// Four members 2024, sorted: 12 031, 13 000, 21 623, 26 923.
			// Even count: median = (13 000 + 21 623) / 2 = 17 311.5
			// Mean = 73 577 / 4 = 18 394.25
			name: "even count", vals: []float64{26923, 12031, 21623, 13000},
			median: 17311.5, mean: 18394.25, ok: true,
		},
		{
			// Without Oskarshamn, sorted: 12 031, 13 000, 21 623.
			// Odd count: median = 13 000; mean = 46 654 / 3 = 15 551.33333
			name: "odd count", vals: []float64{21623, 12031, 13000},
			median: 13000, mean: 15551.333333333, ok: true,
		},
		{
			// One member: Olofström 13 000 is both.
			name: "single", vals: []float64{13000}, median: 13000, mean: 13000, ok: true,
		},
		{
			// Oskarshamn 2017 and 2018, both 26 928.
			name: "ties", vals: []float64{26928, 26928}, median: 26928, mean: 26928, ok: true,
		},
		{name: "empty", vals: nil, ok: false},
		{
			// Constructed edge case: NaN and Inf are not figures and are left out.
			name: "non-finite ignored", vals: []float64{math.NaN(), 13000, math.Inf(1), math.Inf(-1)},
			median: 13000, mean: 13000, ok: true,
		},
		{name: "only NaN", vals: []float64{math.NaN()}, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]float64(nil), tt.vals...)
			med, ok := Median(tt.vals)
			if ok != tt.ok || (ok && !near(med, tt.median)) {
				t.Errorf("Median = %v, %v; want %v, %v", med, ok, tt.median, tt.ok)
			}
			mean, ok := Mean(tt.vals)
			if ok != tt.ok || (ok && !near(mean, tt.mean)) {
				t.Errorf("Mean = %v, %v; want %v, %v", mean, ok, tt.mean, tt.ok)
			}
			if math.IsNaN(med) || math.IsNaN(mean) || math.IsInf(med, 0) || math.IsInf(mean, 0) {
				t.Errorf("non-finite result: median %v mean %v", med, mean)
			}
			for i := range in {
				if in[i] != tt.vals[i] && !(math.IsNaN(in[i]) && math.IsNaN(tt.vals[i])) {
					t.Fatalf("input reordered: %v, was %v", tt.vals, in)
				}
			}
		})
	}
}

func TestMeanOverflowIsMissing(t *testing.T) {
	// Constructed edge case: two finite values whose sum overflows.
	if m, ok := Mean([]float64{math.MaxFloat64, math.MaxFloat64}); ok {
		t.Errorf("Mean = %v, want missing", m)
	}
}

func TestSumComplete(t *testing.T) {
	pop := fixturePopulation2024(t)
	var stockholmsLan []string
	for code := range pop {
		if len(code) == 4 && code[:2] == "01" {
			stockholmsLan = append(stockholmsLan, code)
		}
	}
	if len(stockholmsLan) != 26 {
		t.Fatalf("Stockholms län has 26 kommuner, fixture has %d", len(stockholmsLan))
	}
	// The 26 kommuner of Stockholms län add up to SCB's own figure for län 01,
	// 2 473 307 (checked independently in the data's CHECKS.txt).
	got, ok := SumComplete(pop, stockholmsLan)
	if !ok || got != stockholm[2024] {
		t.Errorf("sum = %v, %v; want %v", got, ok, stockholm[2024])
	}

	tests := []struct {
		name  string
		codes []string
		want  float64
		ok    bool
	}{
		// 12 031 + 13 000 = 25 031
		{"two members", []string{"0481", "1060"}, 25031, true},
		// Listing a code twice must not count it twice.
		{"duplicate code", []string{"0481", "1060", "0481"}, 25031, true},
		// 0499 is no kommun: one missing part means no sum, not a smaller one.
		{"one missing", []string{"0481", "0499"}, 0, false},
		{"no codes", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := SumComplete(pop, tt.codes)
			if got != tt.want || ok != tt.ok {
				t.Errorf("SumComplete = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	// The file has 2023 figures for only nine kommuner: Stockholms län has
	// none, so there is no 2023 county sum (rather than a sum of nothing).
	pop2023 := map[string]float64{}
	for _, o := range loadFixture(t) {
		if o.Year == 2023 {
			pop2023[o.Municipality] = o.Value
		}
	}
	if got, ok := SumComplete(pop2023, stockholmsLan); ok {
		t.Errorf("2023 Stockholms län sum = %v, want missing", got)
	}
	// Constructed edge case: a NaN part is missing.
	if _, ok := SumComplete(map[string]float64{"a": math.NaN()}, []string{"a"}); ok {
		t.Error("NaN part gave a sum")
	}
}

func TestNetworkStats(t *testing.T) {
	tests := []struct {
		name    string
		members map[string]float64
		want    Stats
		ok      bool
	}{
		// Same four members as TestMedianMean: median 17 311.5, mean 18 394.25.
		{"four members", members2024, Stats{Median: 17311.5, Mean: 18394.25, N: 4}, true},
		// One member: Olofström's own figure, N = 1.
		{"single member", map[string]float64{"1060": 13000}, Stats{Median: 13000, Mean: 13000, N: 1}, true},
		{"no member has a figure", map[string]float64{}, Stats{}, false},
		// Constructed edge case: NaN is not counted in N.
		{"NaN member", map[string]float64{"1060": 13000, "0481": math.NaN()}, Stats{Median: 13000, Mean: 13000, N: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NetworkStats(tt.members)
			if ok != tt.ok || got.N != tt.want.N || !near(got.Median, tt.want.Median) || !near(got.Mean, tt.want.Mean) {
				t.Errorf("NetworkStats = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
