package derive

import (
	"math"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Real population figures (31 Dec) copied from the bundled data
// (internal/bundled/observations.csv); TestFixtureLiterals fails if any
// drifts from it.
var (
	// 1060 Olofström, 2015–2024.
	olofstrom = Series{2015: 13170, 2016: 13417, 2017: 13482, 2018: 13516, 2019: 13426,
		2020: 13311, 2021: 13263, 2022: 13159, 2023: 13061, 2024: 13000}
	// 0882 Oskarshamn, 2017–2018 (the same figure both years: a real 0 % change).
	oskarshamn = Series{2017: 26928, 2018: 26928}
	// 00 Riket and 01 Stockholms län, 2024 (SCB's page).
	riket     = Series{2024: 10587710}
	stockholm = Series{2024: 2473307}
	// 2024 figures of four members: Oxelösund, Finspång, Oskarshamn, Olofström.
	members2024 = map[string]float64{"0481": 12031, "0562": 21623, "0882": 26923, "1060": 13000}
)

// loadFixture is the bundled real figures (internal/bundled).
func loadFixture(t testing.TB) []domain.Observation {
	t.Helper()
	obs, err := bundled.Observations(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// fixturePopulation2024 maps every region code to its 2024 population.
func fixturePopulation2024(t testing.TB) map[string]float64 {
	m := map[string]float64{}
	for _, o := range loadFixture(t) {
		if o.Indicator == domain.IndicatorPopulation && o.Year == 2024 {
			m[o.Municipality] = o.Value
		}
	}
	return m
}

func TestFixtureLiterals(t *testing.T) {
	obs := loadFixture(t)
	check := func(name, code string, want Series) {
		got := SeriesOf(obs, code, domain.IndicatorPopulation)
		for y, v := range want {
			if g, ok := got[y]; !ok || g != v {
				t.Errorf("%s %s %d: literal %v, file %v (present %v)", name, code, y, v, g, ok)
			}
		}
	}
	check("olofstrom", "1060", olofstrom)
	check("oskarshamn", "0882", oskarshamn)
	check("riket", "00", riket)
	check("stockholm", "01", stockholm)
	for code, v := range members2024 {
		check("members2024", code, Series{2024: v})
	}
}

// near compares with a relative tolerance: expectations are hand-worked to
// about ten significant digits.
func near(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// sameSeries compares two series year by year with near.
func sameSeries(t *testing.T, got, want Series) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d years %v, want %d years %v", len(got), got, len(want), want)
		return
	}
	for y, w := range want {
		g, ok := got[y]
		if !ok {
			t.Errorf("year %d missing, want %v", y, w)
			continue
		}
		if !near(g, w) {
			t.Errorf("year %d = %.12g, want %.12g", y, g, w)
		}
	}
	assertFinite(t, got)
}

// assertFinite fails on any NaN or Inf: a derived figure is a number or absent.
func assertFinite(t testing.TB, s Series) {
	t.Helper()
	for y, v := range s {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("year %d is %v", y, v)
		}
	}
}
