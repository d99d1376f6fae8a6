package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/config"
)

func TestPeakRSS(t *testing.T) {
	for _, tc := range []struct {
		name, status string
		want         int
		err          bool
	}{
		{"kernel layout", "Name:\tdashboard\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n", 123456, false},
		{"no VmHWM (not Linux-like)", "Name:\tdashboard\nVmRSS:\t 1 kB\n", 0, true},
		{"garbage value", "VmHWM:\tmany kB\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "status")
			if err := os.WriteFile(p, []byte(tc.status), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := peakRSS(p)
			if (err != nil) != tc.err || got != tc.want {
				t.Fatalf("peakRSS = %d, %v; want %d, error %v", got, err, tc.want, tc.err)
			}
		})
	}
	if kb, err := peakRSS("/proc/self/status"); err != nil || kb <= 0 {
		t.Fatalf("this process: %d kB, %v", kb, err)
	}
}

// The upload benchmarks' workbook must read without a single reject, or
// they measure the reject path and fail (the reader refuses any reject):
// every indicator of the shipped catalogue, with the plausibility rules
// the catalogue has today.
func TestBenchWorkbookReadsWithoutRejects(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	rows := 3 * len(cfg.Indicators) * 1000 // every indicator, across its thousand steps
	path := filepath.Join(t.TempDir(), "bench.xlsx")
	if err := writeWorkbook(cfg, path, rows); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := excel.Read(bytes.NewReader(data), excel.Options{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(),
		FileName: "bench.xlsx", ImportedAt: time.Now(), Limits: excel.DefaultLimits()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Observations) != rows || len(res.Rejects) != 0 {
		t.Fatalf("%d observations of %d rows, %d rejects (first: %+v)", len(res.Observations), rows, len(res.Rejects), res.Rejects[:min(1, len(res.Rejects))])
	}
}
