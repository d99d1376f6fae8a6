// Package reporttest builds the SYNTHETIC datasets of the performance
// benchmarks and the load tool (cmd/loadtest): the members case (26
// municipalities × 30 years × 6 indicators) and the whole-country case
// (290 municipalities × 50 years × 50 indicators = 725,000 figures).
//
// The figures are pseudo-random numbers of a plausible size, made so that
// the views do the same work as with real data. They are not statistics of
// any municipality: they go into temporary stores only, are labelled
// "syntetisk" as their source, and must never reach shipped data, tests
// that check figures, or a page anybody reads.
package reporttest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Dataset is the size of a synthetic dataset.
type Dataset struct {
	Name           string
	Municipalities int
	Years          int
	Indicators     int
}

// Figures is the number of observations the dataset holds.
func (d Dataset) Figures() int { return d.Municipalities * d.Years * d.Indicators }

// The two datasets of the performance targets.
var (
	// Members is the network as the pages usually show it.
	Members = Dataset{Name: "members", Municipalities: 26, Years: 30, Indicators: 6}
	// All is every municipality with a long history and a large catalogue.
	All = Dataset{Name: "all", Municipalities: 290, Years: 50, Indicators: 50}
	// Members20 is the network with about twenty indicators, all filled:
	// the shipped catalogue (the six first indicators and the twelve
	// Kolada ones of the network's focus areas) plus synthetic ones up to
	// twenty, for the overview and profile budgets.
	Members20 = Dataset{Name: "members20", Municipalities: 26, Years: 30, Indicators: 20}
	// All5 is every municipality with a long history of the catalogue's
	// first five indicators: issue #15's 72,500 uploaded figures, where
	// the comparison page has about 72,500 distinct URLs (indicator × year
	// × highlighted municipality).
	All5 = Dataset{Name: "all5", Municipalities: 290, Years: 50, Indicators: 5}
)

// All20 is every municipality with a long history and about twenty
// indicators (#15): the overview and profile budgets at the country's
// size with the catalogue a network grows into.
var All20 = Dataset{Name: "all20", Municipalities: 290, Years: 50, Indicators: 20}

// ByName returns the dataset of that name.
func ByName(name string) (Dataset, error) {
	switch name {
	case Members.Name:
		return Members, nil
	case All.Name:
		return All, nil
	case Members20.Name:
		return Members20, nil
	case All5.Name:
		return All5, nil
	case All20.Name:
		return All20, nil
	}
	return Dataset{}, fmt.Errorf("reporttest: unknown dataset %q (members, members20, all, all5 or all20)", name)
}

// LastYear is the newest synthetic year; the dataset covers the Years
// years up to it.
const LastYear = 2025

// SourceRef marks every synthetic figure.
const SourceRef = "syntetisk-benchmark"

// Configure changes a configuration (from config.Default) for the dataset:
// it appends synthetic indicators until the catalogue has d.Indicators
// entries, and makes the member group d.Municipalities strong when the
// dataset is smaller than the whole country (the shipped members first,
// then other municipalities in code order, marked as synthetic members).
func Configure(cfg *config.Config, d Dataset) {
	for i := len(cfg.Indicators) + 1; len(cfg.Indicators) < d.Indicators; i++ {
		cfg.Indicators = append(cfg.Indicators, domain.Indicator{
			ID:         fmt.Sprintf("syntetisk_%02d", i),
			Name:       fmt.Sprintf("Syntetisk indikator %d", i),
			Unit:       "antal",
			Definition: "Påhittade tal för prestandamätning; inga verkliga siffror.",
			Source:     "syntetisk",
		})
	}
	if d.Municipalities >= 290 {
		return
	}
	have := map[string]bool{}
	for _, m := range cfg.Network.Members {
		have[m.Code] = true
	}
	for _, r := range municipalities(cfg) {
		if len(cfg.Network.Members) >= d.Municipalities {
			break
		}
		if !have[r] {
			cfg.Network.Members = append(cfg.Network.Members, config.Member{Code: r, Evidence: "syntetisk medlem för prestandamätning"})
			have[r] = true
		}
	}
}

func municipalities(cfg *config.Config) []string {
	var out []string
	for _, r := range cfg.Regions {
		if r.Kind() == domain.KindMunicipality {
			out = append(out, r.Code)
		}
	}
	sort.Strings(out)
	return out
}

// Codes lists the municipalities the dataset fills: the members (after
// Configure) for a dataset smaller than the country, otherwise all.
func Codes(cfg *config.Config, d Dataset) []string {
	if d.Municipalities >= 290 {
		return municipalities(cfg)
	}
	out := make([]string, 0, d.Municipalities)
	for _, m := range cfg.Network.Members {
		out = append(out, m.Code)
	}
	return out
}

// Observations generates the dataset's figures for a configuration made
// by Configure, the same on every call. Each municipality gets a
// population between 2,500 and 1,000,000 that drifts by up to ±2 % a
// year; counts of jobs are fractions of it; rates lie between 40 and 90.
func Observations(cfg *config.Config, d Dataset, fetchedAt time.Time) []domain.Observation {
	rng := rand.New(rand.NewPCG(2025, uint64(d.Figures())))
	src := domain.Source{Kind: domain.SourceUpload, Ref: SourceRef, FetchedAt: fetchedAt}
	inds := cfg.Indicators[:d.Indicators]
	first := LastYear - d.Years + 1
	out := make([]domain.Observation, 0, d.Figures())
	for _, code := range Codes(cfg, d) {
		base := 2500 + rng.Float64()*997500
		for _, ind := range inds {
			share := 0.05 + rng.Float64()*0.5
			v := base * share
			if ind.ID == domain.IndicatorPopulation {
				v = base
			}
			if ind.Rate {
				v = 40 + rng.Float64()*50
			}
			for y := first; y <= LastYear; y++ {
				v *= 1 + (rng.Float64()-0.5)*0.04
				val := v
				if !ind.Rate {
					val = float64(int64(v + 0.5))
				}
				out = append(out, domain.Observation{Municipality: code, Indicator: ind.ID, Year: y, Value: val, Source: src})
			}
		}
	}
	return out
}

// Batches splits the observations into one upload batch per indicator, the
// size of batch an analyst's large upload or a collector run writes.
func Batches(obs []domain.Observation) []domain.Batch {
	by := map[string][]domain.Observation{}
	var order []string
	for _, o := range obs {
		if _, ok := by[o.Indicator]; !ok {
			order = append(order, o.Indicator)
		}
		by[o.Indicator] = append(by[o.Indicator], o)
	}
	out := make([]domain.Batch, 0, len(order))
	for _, id := range order {
		out = append(out, domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: SourceRef + " " + id, Actor: "benchmark", Observations: by[id]})
	}
	return out
}

// Reader serves observations from memory, for report benchmarks that
// should measure the views and not the database.
type Reader struct {
	byIndicator map[string][]domain.Observation
	version     int64
}

// NewReader indexes the observations by indicator, at data version 1.
func NewReader(obs []domain.Observation) *Reader {
	r := &Reader{byIndicator: map[string][]domain.Observation{}, version: 1}
	for _, o := range obs {
		r.byIndicator[o.Indicator] = append(r.byIndicator[o.Indicator], o)
	}
	return r
}

// Observations returns the figures of the filter's indicators (all if
// none), within its years and municipalities.
func (r *Reader) Observations(_ context.Context, f domain.Filter) ([]domain.Observation, error) {
	ids := f.Indicators
	if len(ids) == 0 {
		for id := range r.byIndicator {
			ids = append(ids, id)
		}
		sort.Strings(ids)
	}
	codes := map[string]bool{}
	for _, c := range f.Municipalities {
		codes[c] = true
	}
	var out []domain.Observation
	for _, id := range ids {
		for _, o := range r.byIndicator[id] {
			if (f.FromYear == 0 || o.Year >= f.FromYear) && (f.ToYear == 0 || o.Year <= f.ToYear) && (len(codes) == 0 || codes[o.Municipality]) {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// DataVersion is constant: the data never changes.
func (r *Reader) DataVersion(context.Context) (int64, error) { return r.version, nil }
