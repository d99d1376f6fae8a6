package scb

import (
	"strings"
	"testing"
)

// FuzzResolve feeds hostile labels and wanted values (they come from SCB's
// answers and from config): resolution must never panic, a found value is
// one of the dimension's codes, and the candidates are bounded.
func FuzzResolve(f *testing.F) {
	f.Add("staten", "Staten ", "010")
	f.Add("12", "statlig förvaltning", "11")
	f.Add("", "", "")
	f.Add(strings.Repeat("å", 300), "x", "y")
	f.Fuzz(func(t *testing.T, want, label, code string) {
		if code == "" {
			code = "c"
		}
		d := &Dimension{ID: "V", Codes: []string{code, code + "2"}, Labels: []string{label, strings.ToUpper(label)}}
		d.pos = map[string]int{code: 0, code + "2": 1}
		r := resolveValue(d, want)
		if r.Found() && r.Code != code && r.Code != code+"2" {
			t.Fatalf("found %q, not a code of the dimension", r.Code)
		}
		if len(r.Candidates) > 5 {
			t.Fatalf("%d candidates", len(r.Candidates))
		}
		if !r.Found() && r.Err() == nil {
			t.Fatal("not found without an error")
		}
	})
}
