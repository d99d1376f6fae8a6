package main

import (
	"os"
	"path/filepath"
	"testing"
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
