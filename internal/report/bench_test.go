package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
	"github.com/svenskaindustrikommuner/dashboard/internal/report/reporttest"
)

// The views without HTTP or SQL, on the SYNTHETIC datasets of reporttest
// held in memory:
//
//	go test -run '^$' -bench . -benchmem ./internal/report/
//
// "warm" reuses the per-indicator tables, as every request does between
// two data changes; "cold" builds them from the observations first, as the
// first request after a data change does.

type fixture struct {
	env    *report.Env
	reader *reporttest.Reader
	cfg    *config.Config
}

func newFixture(b *testing.B, ds reporttest.Dataset) fixture {
	b.Helper()
	cfg, err := config.Default()
	if err != nil {
		b.Fatal(err)
	}
	reporttest.Configure(cfg, ds)
	obs := reporttest.Observations(cfg, ds, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))
	if len(obs) != ds.Figures() {
		b.Fatalf("%d figures, want %d", len(obs), ds.Figures())
	}
	env := &report.Env{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Members: cfg.MemberCodes(),
		NetworkName: cfg.Network.Name, Precedence: domain.DefaultPrecedence, Checks: cfg.CrossChecks}
	return fixture{env: env, reader: reporttest.NewReader(obs), cfg: cfg}
}

func BenchmarkCompare(b *testing.B) {
	for _, ds := range []reporttest.Dataset{reporttest.Members, reporttest.All} {
		f := newFixture(b, ds)
		p := report.CompareParams{Indicator: "industrial_jobs", Year: reporttest.LastYear - 1, Measure: derive.MeasurePer1000, Kommun: f.cfg.Network.Members[0].Code}
		run := func(b *testing.B, cold bool) {
			d := report.NewData(f.reader, f.env.Catalogue, time.Hour)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if cold {
					d = report.NewData(f.reader, f.env.Catalogue, time.Hour)
				}
				v, err := report.Compare(ctx, f.env, d, p)
				if err != nil {
					b.Fatal(err)
				}
				if len(v.Rows) == 0 {
					b.Fatal("no rows")
				}
			}
		}
		b.Run(ds.Name+"/warm", func(b *testing.B) { run(b, false) })
		b.Run(ds.Name+"/cold", func(b *testing.B) { run(b, true) })
	}
}

func BenchmarkOverview(b *testing.B) {
	for _, ds := range []reporttest.Dataset{reporttest.Members, reporttest.Members20, reporttest.All20, reporttest.All} {
		f := newFixture(b, ds)
		run := func(b *testing.B, cold bool) {
			d := report.NewData(f.reader, f.env.Catalogue, time.Hour)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if cold {
					d = report.NewData(f.reader, f.env.Catalogue, time.Hour)
				}
				v, err := report.Overview(ctx, f.env, d, "", false, "")
				if err != nil {
					b.Fatal(err)
				}
				if len(v.Rows) == 0 {
					b.Fatal("no rows")
				}
			}
		}
		b.Run(ds.Name+"/warm", func(b *testing.B) { run(b, false) })
		b.Run(ds.Name+"/cold", func(b *testing.B) { run(b, true) })
	}
}

// BenchmarkProfile is one member's page: every indicator over time against
// the network, its county and riket.
func BenchmarkProfile(b *testing.B) {
	for _, ds := range []reporttest.Dataset{reporttest.Members, reporttest.Members20, reporttest.All20} {
		f := newFixture(b, ds)
		code := f.cfg.Network.Members[0].Code
		run := func(b *testing.B, cold bool) {
			d := report.NewData(f.reader, f.env.Catalogue, time.Hour)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if cold {
					d = report.NewData(f.reader, f.env.Catalogue, time.Hour)
				}
				v, err := report.Profile(ctx, f.env, d, code, report.Group{}, "")
				if err != nil {
					b.Fatal(err)
				}
				if len(v.Indicators) == 0 {
					b.Fatal("no indicators")
				}
			}
		}
		b.Run(ds.Name+"/warm", func(b *testing.B) { run(b, false) })
		b.Run(ds.Name+"/cold", func(b *testing.B) { run(b, true) })
	}
}
