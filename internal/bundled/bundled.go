// Package bundled holds the real published figures shipped inside the
// binary, so a fresh install shows real comparisons with no network. Every
// figure keeps the id of its published source (SOURCES.md says where each
// came from and how it was checked); nothing here is estimated.
package bundled

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

//go:embed observations.csv
var observationsCSV []byte

// Publisher describes one bundled source for the pages.
type Publisher struct {
	ID   string
	Text string // Swedish, shown as the figure's source
}

// Sources names the publishers of the bundled figures (see SOURCES.md).
var Sources = map[string]Publisher{
	"scb_folkmangd_2024": {ID: "scb_folkmangd_2024",
		Text: "SCB, Folkmängd i riket, län och kommuner 31 december 2024 (medföljande data)"},
	"rh_beeswarm_2024": {ID: "rh_beeswarm_2024",
		Text: "SCB:s folkmängd 31 dec 2024, publicerad av Region Halland (medföljande data)"},
	"rh_utv_alla_kommuner": {ID: "rh_utv_alla_kommuner",
		Text: "SCB:s folkmängd 31 dec, publicerad av Region Halland (medföljande data)"},
}

// Describe names a bundled source; "" for other sources.
func Describe(s domain.Source) string {
	if s.Kind != domain.SourceBundled {
		return ""
	}
	if p, ok := Sources[s.Ref]; ok {
		return p.Text
	}
	return ""
}

// Observations parses the bundled figures. importedAt becomes each
// figure's fetched-at time: when this installation took them in.
func Observations(importedAt time.Time) ([]domain.Observation, error) {
	recs, err := csv.NewReader(bytes.NewReader(observationsCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("bundled: %w", err)
	}
	if len(recs) == 0 || fmt.Sprint(recs[0]) != "[municipality_code indicator year value source]" {
		return nil, fmt.Errorf("bundled: unexpected header %v", recs[:min(1, len(recs))])
	}
	out := make([]domain.Observation, 0, len(recs)-1)
	for i, r := range recs[1:] {
		year, err1 := strconv.Atoi(r[2])
		value, err2 := strconv.ParseFloat(r[3], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bundled: line %d: bad year or value", i+2)
		}
		if _, ok := Sources[r[4]]; !ok {
			return nil, fmt.Errorf("bundled: line %d: unknown source %q", i+2, r[4])
		}
		out = append(out, domain.Observation{Municipality: r[0], Indicator: r[1], Year: year, Value: value,
			Source: domain.Source{Kind: domain.SourceBundled, Ref: r[4], FetchedAt: importedAt}})
	}
	return out, nil
}

// Store is what loading needs.
type Store interface {
	Batches(ctx context.Context, limit int) ([]domain.BatchInfo, error)
	Apply(ctx context.Context, b domain.Batch) (domain.Diff, error)
}

// LoadIfEmpty writes the bundled figures as one batch when the store has
// never had a batch. A store that has (even one whose batches were all
// rolled back) is left alone: an operator's rollback is respected.
func LoadIfEmpty(ctx context.Context, s Store, now time.Time) (loaded bool, err error) {
	bs, err := s.Batches(ctx, 1)
	if err != nil {
		return false, fmt.Errorf("bundled: %w", err)
	}
	if len(bs) > 0 {
		return false, nil
	}
	obs, err := Observations(now)
	if err != nil {
		return false, err
	}
	if _, err := s.Apply(ctx, domain.Batch{Kind: domain.BatchBundled, Source: domain.SourceBundled,
		Label: "Medföljande data (se README)", Actor: "system", Observations: obs}); err != nil {
		return false, fmt.Errorf("bundled: %w", err)
	}
	return true, nil
}
