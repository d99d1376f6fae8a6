package derive

import (
	"math"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func TestSeriesOf(t *testing.T) {
	obs := loadFixture(t)
	sameSeries(t, SeriesOf(obs, "1060", domain.IndicatorPopulation), olofstrom)
	if s := SeriesOf(obs, "1060", domain.IndicatorEmployedDay); len(s) != 0 {
		t.Errorf("employed_day is not in the file, got %v", s)
	}
	if s := SeriesOf(obs, "9999", domain.IndicatorPopulation); len(s) != 0 {
		t.Errorf("unknown municipality: got %v", s)
	}
	// Only 2024 for a kommun outside the nine with a time series: the other
	// years are missing, not 0.
	if s := SeriesOf(obs, "0114", domain.IndicatorPopulation); len(s) != 1 || s[2024] != 50323 {
		t.Errorf("0114 Upplands Väsby: got %v, want only 2024 = 50323", s)
	}

	// Constructed edge cases: a duplicate cell keeps the first figure; NaN
	// and Inf are not figures.
	dup := []domain.Observation{
		{Municipality: "1060", Indicator: "population", Year: 2024, Value: 13000},
		{Municipality: "1060", Indicator: "population", Year: 2024, Value: 1},
		{Municipality: "1060", Indicator: "population", Year: 2023, Value: math.NaN()},
		{Municipality: "1060", Indicator: "population", Year: 2022, Value: math.Inf(1)},
	}
	sameSeries(t, SeriesOf(dup, "1060", "population"), Series{2024: 13000})
}

func TestPer1000(t *testing.T) {
	tests := []struct {
		name        string
		values, pop Series
		want        Series
	}{
		{
			// 2 473 307 / 10 587 710 = 0.233601695; × 1000 = 233.6016948
			// inhabitants of Stockholms län per 1 000 inhabitants of riket.
			name: "län per 1000 of riket", values: stockholm, pop: riket,
			want: Series{2024: 233.60169479519},
		},
		{
			// 13 000 / 10 587 710 × 1000 = 1.227838692. Olofström has 2015–2024,
			// riket only 2024: the other nine years are missing, not 0.
			name: "missing years in the denominator", values: olofstrom, pop: riket,
			want: Series{2024: 1.2278386922196},
		},
		{
			// Riket has no 2015 figure, so the only value has no denominator.
			name: "no common year", values: Series{2015: 13170}, pop: riket,
			want: Series{},
		},
		{
			// Constructed edge case: population 0 has no per-capita figure.
			name: "zero population", values: Series{2024: 13000}, pop: Series{2024: 0},
			want: Series{},
		},
		{
			// Constructed edge case: a negative population is not a population.
			name: "negative population", values: Series{2024: 13000}, pop: Series{2024: -1},
			want: Series{},
		},
		{
			// Constructed edge case: a 0 numerator over a real population is a real 0.
			name: "zero value is a figure", values: Series{2024: 0}, pop: riket,
			want: Series{2024: 0},
		},
		{name: "nil inputs", want: Series{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameSeries(t, Per1000(tt.values, tt.pop), tt.want)
		})
	}
}

func TestShare(t *testing.T) {
	tests := []struct {
		name        string
		part, total Series
		want        Series
	}{
		{
			// 2 473 307 / 10 587 710 × 100 = 23.36016948 %
			name: "Stockholms län share of riket", part: stockholm, total: riket,
			want: Series{2024: 23.360169479519},
		},
		{
			// A whole is 100 % of itself: 10 587 710 / 10 587 710 × 100.
			name: "whole", part: riket, total: riket, want: Series{2024: 100},
		},
		{
			// Olofström 2015–2023 have no riket figure in the file.
			name: "missing total years", part: olofstrom, total: riket,
			// 13 000 / 10 587 710 × 100 = 0.1227838692 %
			want: Series{2024: 0.12278386922196},
		},
		{
			// Constructed edge case: total 0.
			name: "zero total", part: Series{2024: 13000}, total: Series{2024: 0},
			want: Series{},
		},
		{
			// Constructed edge case: the part is there but the total is not.
			name: "missing total", part: Series{2024: 13000}, total: nil,
			want: Series{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameSeries(t, Share(tt.part, tt.total), tt.want)
		})
	}
}

func TestIndex(t *testing.T) {
	tests := []struct {
		name string
		s    Series
		base int
		want Series
	}{
		{
			// Olofström, base 2015 = 13 170:
			// 2016: 13 417 / 13 170 × 100 = 101.8754746
			// 2023: 13 061 / 13 170 × 100 =  99.17236143
			// 2024: 13 000 / 13 170 × 100 =  98.70918755
			name: "Olofström base 2015", s: Series{2015: 13170, 2016: 13417, 2023: 13061, 2024: 13000}, base: 2015,
			want: Series{2015: 100, 2016: 101.87547456340, 2023: 99.172361427487, 2024: 98.709187547456},
		},
		{
			// 2018 = 2017 = 26 928, so 2018 is exactly 100 too.
			name: "Oskarshamn flat year", s: oskarshamn, base: 2017,
			want: Series{2017: 100, 2018: 100},
		},
		{name: "base year missing", s: olofstrom, base: 2014, want: Series{}},
		{
			// Constructed edge case: a 0 base would divide by zero.
			name: "zero base", s: Series{2015: 0, 2016: 13417}, base: 2015, want: Series{},
		},
		{name: "empty series", s: Series{}, base: 2015, want: Series{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameSeries(t, Index(tt.s, tt.base), tt.want)
		})
	}
}

// TestIndexBaseIs100 checks the defining property on every real series in
// the fixture and every base year: the base is exactly 100 and the index
// has the same years as the series.
func TestIndexBaseIs100(t *testing.T) {
	obs := loadFixture(t)
	codes := map[string]bool{}
	for _, o := range obs {
		codes[o.Municipality] = true
	}
	checked := 0
	for code := range codes {
		s := SeriesOf(obs, code, domain.IndicatorPopulation)
		for _, base := range s.Years() {
			idx := Index(s, base)
			if idx[base] != 100 {
				t.Errorf("%s base %d: index at base = %v", code, base, idx[base])
			}
			if len(idx) != len(s) {
				t.Errorf("%s base %d: %d years, series has %d", code, base, len(idx), len(s))
			}
			// Rebasing back is the identity: Index(Index(s, b), b) == Index(s, b).
			sameSeries(t, Index(idx, base), idx)
			checked++
		}
	}
	if checked < 312 {
		t.Errorf("checked %d bases, want at least one per region (312)", checked)
	}
}

func TestChange(t *testing.T) {
	tests := []struct {
		name         string
		s            Series
		year, period int
		want         float64
		ok           bool
	}{
		// (13 000 / 13 061 − 1) × 100 = −0.4670392772 %
		{"Olofström 2023–2024", olofstrom, 2024, 1, -0.46703927723758, true},
		// (13 000 / 13 170 − 1) × 100 = −1.290812453 %
		{"Olofström 2015–2024", olofstrom, 2024, 9, -1.2908124525437, true},
		// (13 417 / 13 170 − 1) × 100 = +1.875474563 %
		{"Olofström 2015–2016", olofstrom, 2016, 1, 1.8754745634017, true},
		// 26 928 both years: a real change of exactly 0, which is a figure.
		{"Oskarshamn 2017–2018", oskarshamn, 2018, 1, 0, true},
		{"earlier year missing", olofstrom, 2015, 1, 0, false},
		{"year missing", olofstrom, 2025, 1, 0, false},
		{"zero period", olofstrom, 2024, 0, 0, false},
		{"negative period", olofstrom, 2015, -1, 0, false},
		// Constructed edge case: an earlier figure of 0 would divide by zero.
		{"zero earlier figure", Series{2023: 0, 2024: 13000}, 2024, 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Change(tt.s, tt.year, tt.period)
			if ok != tt.ok || !near(got, tt.want) {
				t.Errorf("Change = %.12g, %v; want %.12g, %v", got, ok, tt.want, tt.ok)
			}
			if math.IsNaN(got) || math.IsInf(got, 0) {
				t.Errorf("Change returned %v", got)
			}
		})
	}
}

func TestChangeSeries(t *testing.T) {
	// Olofström, period 1: 2015 has no 2014 figure, so nine changes remain.
	got := ChangeSeries(olofstrom, 1)
	if len(got) != 9 {
		t.Fatalf("got %d years, want 9: %v", len(got), got)
	}
	if _, ok := got[2015]; ok {
		t.Error("2015 has no earlier figure and must be missing")
	}
	// (13 417 / 13 170 − 1) × 100 = 1.875474563; (13 000 / 13 061 − 1) × 100 = −0.4670392772
	if !near(got[2016], 1.8754745634017) || !near(got[2024], -0.46703927723758) {
		t.Errorf("2016 = %v, 2024 = %v", got[2016], got[2024])
	}
	// Period 9: only 2024 has a figure nine years earlier.
	sameSeries(t, ChangeSeries(olofstrom, 9), Series{2024: -1.2908124525437})
	sameSeries(t, ChangeSeries(olofstrom, 0), Series{})
	// Constructed edge case: a 0 in the middle removes only the year after it;
	// the year of the 0 itself is a real fall of (0 / 13 159 − 1) × 100 = −100 %.
	sameSeries(t, ChangeSeries(Series{2022: 13159, 2023: 0, 2024: 13000}, 1), Series{2023: -100})
}
