package derive

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func TestParseMeasure(t *testing.T) {
	tests := []struct {
		in   string
		want Measure
		ok   bool
	}{
		{"", MeasureAbsolute, true},
		{"absolut", MeasureAbsolute, true},
		{"per1000", MeasurePer1000, true},
		{"andel", MeasureShare, true},
		{"forandring", MeasureChange, true},
		{"index", MeasureIndex, true},
		{" Index ", MeasureIndex, true},
		{"PER1000", MeasurePer1000, true},
		{"förändring", "", false},
		{"procent", "", false},
		{"<script>", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMeasure(tt.in)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Errorf("ParseMeasure(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
				t.Fatalf("ParseMeasure(%q) error = %v, want *domain.Error CodeInvalid", tt.in, err)
			}
			if !strings.Contains(de.Message, tt.in) || !strings.Contains(de.Message, "Okänt mått") {
				t.Errorf("message %q does not name the value %q in Swedish", de.Message, tt.in)
			}
		})
	}
}

// TestParseMeasureLongValueIsCut: an unknown value is echoed whole up to
// 40 characters (runes, so å counts once) and cut with "…" beyond, so a
// long URL cannot make a long message; the boundary itself is not cut.
func TestParseMeasureLongValueIsCut(t *testing.T) {
	tests := []struct {
		name string
		in   string
		echo string // what the message quotes
	}{
		{"39 runes, whole", strings.Repeat("å", 39), strings.Repeat("å", 39)},
		{"40 runes, whole", strings.Repeat("å", 40), strings.Repeat("å", 40)},
		{"41 runes, cut", strings.Repeat("å", 41), strings.Repeat("å", 40) + "…"},
		{"10 000 bytes, cut", strings.Repeat("x", 10000), strings.Repeat("x", 40) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMeasure(tt.in)
			msg := domain.UserMessage(err, "")
			want := fmt.Sprintf("Okänt mått %q.", tt.echo)
			if !strings.HasPrefix(msg, want) {
				t.Errorf("message %q, want it to begin %q", msg, want)
			}
		})
	}
}

func TestMeasureLabel(t *testing.T) {
	want := map[Measure]string{
		MeasureAbsolute: "Antal",
		MeasurePer1000:  "Per 1 000 invånare",
		MeasureShare:    "Andel av alla sysselsatta (%)",
		MeasureChange:   "Förändring (%)",
		MeasureIndex:    "Index (bas = 100)",
	}
	for _, m := range Measures() {
		if m.Label() != want[m] {
			t.Errorf("%s.Label() = %q, want %q", m, m.Label(), want[m])
		}
		// Every listed measure parses back to itself (permalinks round-trip).
		if p, err := ParseMeasure(string(m)); err != nil || p != m {
			t.Errorf("ParseMeasure(%q) = %q, %v", m, p, err)
		}
	}
	if len(want) != len(Measures()) {
		t.Errorf("Measures() has %d entries, labels for %d", len(Measures()), len(want))
	}
}

func TestApplies(t *testing.T) {
	pop := domain.Indicator{ID: domain.IndicatorPopulation}
	jobsAll := domain.Indicator{ID: domain.IndicatorEmployedDay, Jobs: true}
	industrial := domain.Indicator{ID: "industrial_jobs", Jobs: true}
	rate := domain.Indicator{ID: "employment_rate", Rate: true}
	offices := domain.Indicator{ID: "state_offices"}
	// A net figure can be negative: its source's definition leaves only
	// the figure and per 1 000 (config lists them).
	netMigration := domain.Indicator{ID: "net_migration", Measures: []string{"absolut", "per1000"}}
	// Listing a measure the rules forbid does not make it apply.
	rateListed := domain.Indicator{ID: "x", Rate: true, Measures: []string{"absolut", "per1000"}}
	tests := []struct {
		m    Measure
		ind  domain.Indicator
		want bool
	}{
		{MeasureAbsolute, rate, true},
		{MeasureIndex, rate, true},
		{MeasureChange, rate, true},
		{MeasurePer1000, rate, false},
		{MeasureShare, rate, false},
		{MeasurePer1000, industrial, true},
		{MeasureShare, industrial, true},
		{MeasurePer1000, offices, true},
		{MeasureShare, offices, false}, // not jobs
		{MeasurePer1000, pop, false},   // always 1 000
		{MeasureShare, pop, false},
		{MeasureShare, jobsAll, false}, // always 100 %
		{MeasurePer1000, jobsAll, true},
		{MeasureChange, pop, true},
		{Measure("okänt"), industrial, false},
		{MeasureAbsolute, netMigration, true},
		{MeasurePer1000, netMigration, true},
		{MeasureIndex, netMigration, false},
		{MeasureChange, netMigration, false},
		{MeasurePer1000, rateListed, false},
		{MeasureAbsolute, rateListed, true},
	}
	for _, tt := range tests {
		if got := tt.m.Applies(tt.ind); got != tt.want {
			t.Errorf("%s.Applies(%s) = %v, want %v", tt.m, tt.ind.ID, got, tt.want)
		}
	}
}

func TestApply(t *testing.T) {
	// Olofström's population as the values; riket's 2024 population as the
	// denominator for per1000 and andel (the arithmetic does not care what
	// the numbers mean).
	in := Inputs{Values: olofstrom, Population: riket, TotalJobs: riket, Base: 2015, Period: 1}
	tests := []struct {
		name string
		m    Measure
		in   Inputs
		want Series
	}{
		{"absolut is the series", MeasureAbsolute, in, olofstrom},
		// 13 000 / 10 587 710 × 1000 = 1.227838692
		{"per1000", MeasurePer1000, in, Series{2024: 1.2278386922196}},
		// 13 000 / 10 587 710 × 100 = 0.1227838692
		{"andel", MeasureShare, in, Series{2024: 0.12278386922196}},
		// see TestIndex: 13 000 / 13 170 × 100 = 98.70918755
		{"index", MeasureIndex, Inputs{Values: Series{2015: 13170, 2024: 13000}, Base: 2015},
			Series{2015: 100, 2024: 98.709187547456}},
		// see TestChange: (13 000 / 13 170 − 1) × 100 = −1.290812453
		{"forandring over 9 years", MeasureChange, Inputs{Values: olofstrom, Period: 9},
			Series{2024: -1.2908124525437}},
		{"index without base", MeasureIndex, Inputs{Values: olofstrom}, Series{}},
		{"forandring without period", MeasureChange, Inputs{Values: olofstrom}, Series{}},
		{"per1000 without population", MeasurePer1000, Inputs{Values: olofstrom}, Series{}},
		{"unknown measure", Measure("x"), in, Series{}},
		{"absolut drops NaN", MeasureAbsolute, Inputs{Values: Series{2024: 13000, 2023: math.NaN()}}, Series{2024: 13000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameSeries(t, Apply(tt.m, tt.in), tt.want)
		})
	}

	// The absolute series is a copy: editing it must not touch the input.
	out := Apply(MeasureAbsolute, in)
	out[2015] = -1
	if olofstrom[2015] != 13170 {
		t.Fatal("Apply(absolut) aliased its input")
	}
}

// TestNeverNonFinite feeds every measure the awkward inputs (zeros,
// negatives, NaN, ±Inf, huge and tiny values) and checks that nothing
// non-finite ever comes out.
func TestNeverNonFinite(t *testing.T) {
	awkward := []float64{0, math.Copysign(0, -1), -1, 1, math.NaN(), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64}
	s := Series{}
	for i, v := range awkward {
		s[2000+i] = v
	}
	for _, m := range Measures() {
		for base := 2000; base < 2000+len(awkward); base++ {
			got := Apply(m, Inputs{Values: s, Population: s, TotalJobs: s, Base: base, Period: 1})
			for y, v := range got {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%s base %d: year %d = %v", m, base, y, v)
				}
			}
		}
	}
	if v, ok := Median(awkward); !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		t.Errorf("Median = %v, %v", v, ok)
	}
	if v, ok := Mean(awkward); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
		t.Errorf("Mean = %v", v)
	}
}

// FuzzParseMeasure: any query value either parses to a listed measure or
// gives a coded invalid-input error; never a panic, never an unlisted one.
func FuzzParseMeasure(f *testing.F) {
	for _, s := range []string{"", "absolut", "per1000", "andel", "forandring", "index", "förändring", "\x00", strings.Repeat("ö", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMeasure(s)
		if err != nil {
			if domain.ErrorCode(err) != domain.CodeInvalid {
				t.Fatalf("error without CodeInvalid: %v", err)
			}
			return
		}
		for _, k := range Measures() {
			if m == k {
				return
			}
		}
		t.Fatalf("ParseMeasure(%q) = unlisted %q", s, m)
	})
}

// FuzzApply: whatever the figures, every measure gives finite values and
// only for years the inputs have.
func FuzzApply(f *testing.F) {
	// Seeds: Olofström 2015 and 2016, riket 2024 and the zero edge case.
	f.Add(13170.0, 13417.0, 10587710.0, 0.0)
	f.Add(0.0, 13000.0, 0.0, 10587710.0)
	f.Fuzz(func(t *testing.T, a, b, c, d float64) {
		vals := Series{2015: a, 2016: b}
		den := Series{2015: c, 2016: d}
		for _, m := range Measures() {
			got := Apply(m, Inputs{Values: vals, Population: den, TotalJobs: den, Base: 2015, Period: 1})
			for y, v := range got {
				if _, ok := vals[y]; !ok {
					t.Fatalf("%s: year %d not in the input", m, y)
				}
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s(%v,%v,%v,%v): year %d = %v", m, a, b, c, d, y, v)
				}
			}
		}
	})
}

// BenchmarkApply runs every measure for 290 municipalities over 50 years,
// what a ranking page over all of Sweden computes per request. The inputs
// are synthetic load, not figures.
func BenchmarkApply(b *testing.B) {
	const kommuner, years = 290, 50
	ins := make([]Inputs, kommuner)
	for k := range ins {
		v, p, j := Series{}, Series{}, Series{}
		for y := 1975; y < 1975+years; y++ {
			p[y] = float64(10000 + k*100 + y)
			j[y] = float64(5000 + k*50 + y)
			v[y] = float64(1000 + k*10 + y%7)
		}
		ins[k] = Inputs{Values: v, Population: p, TotalJobs: j, Base: 1975, Period: 5}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range Measures() {
			for _, in := range ins {
				if len(Apply(m, in)) == 0 {
					b.Fatal("empty result")
				}
			}
		}
	}
}
