package server

import "testing"

func TestWarmDue(t *testing.T) {
	tests := []struct {
		name                                     string
		version, gen, lastVersion, lastGen, seen int64
		kicked                                   bool
		want                                     bool
	}{
		{"at start", 5, 0, -1, -1, -1, false, true},
		{"nothing changed", 5, 0, 5, 0, 5, false, false},
		{"nothing changed, woken", 5, 0, 5, 0, 5, true, false},
		{"new version at this check: a run may still write", 6, 0, 5, 0, 5, false, false},
		{"new version held since the last check", 6, 0, 5, 0, 6, false, true},
		{"versions moving at every check", 8, 0, 5, 0, 7, false, false},
		{"a local write woke the warmer", 6, 1, 5, 0, 5, true, true},
		{"a purge without a new version (member edit)", 5, 1, 5, 0, 5, true, true},
	}
	for _, tc := range tests {
		if got := due(tc.version, tc.gen, tc.lastVersion, tc.lastGen, tc.seen, tc.kicked); got != tc.want {
			t.Errorf("%s: due = %v, want %v", tc.name, got, tc.want)
		}
	}
}
