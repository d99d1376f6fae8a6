package groups

import (
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func snapshot(t testing.TB) *Set {
	t.Helper()
	s, err := Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSnapshotLookups(t *testing.T) {
	s := snapshot(t)
	if s.Len() != 3630 {
		t.Errorf("%d groups, the snapshot has 3 630", s.Len())
	}
	// Rows copied from the file (recorded).
	tests := []struct {
		name    string
		get     func() (domain.MunicipalityGroup, bool)
		id      string
		members string
	}{
		{"Olofström övergripande", func() (domain.MunicipalityGroup, bool) { return s.Similar(ThemeOverall, "Olofström") },
			"G37489", "1435,1442,1763,1766,1861,1862,2460"},
		{"Olofström arbetsmarknad", func() (domain.MunicipalityGroup, bool) { return s.Similar(ThemeLabour, "Olofström") },
			"G216259", "0684,0760,0821,0860,1315,1960,1983"},
		{"by id", func() (domain.MunicipalityGroup, bool) { return s.Get("G37489") }, "G37489", "1435,1442,1763,1766,1861,1862,2460"},
		{"Storstäder", func() (domain.MunicipalityGroup, bool) { return s.ByTitle("Storstäder") }, "G92787", "0180,1280,1480"},
		{"Pendlingskommun nära storstad", func() (domain.MunicipalityGroup, bool) { return s.ByTitle("Pendlingskommun nära storstad") }, "G92793", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := tt.get()
			if !ok || g.ID != tt.id {
				t.Fatalf("got %q %v, want %s", g.ID, ok, tt.id)
			}
			if tt.members != "" && strings.Join(g.Members, ",") != tt.members {
				t.Errorf("members %v, want %s", g.Members, tt.members)
			}
		})
	}
	if _, ok := s.Get("G0"); ok {
		t.Error("unknown id found")
	}
	if _, ok := s.ByTitle("Storst"); ok {
		t.Error("a bare prefix must not match")
	}
}

// Every one of the 290 municipalities finds its overall and labour-market
// similar groups by SCB's name, and every member code is a municipality.
func TestEveryMunicipalityHasSimilarGroups(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	regions := cfg.RegionIndex()
	s := snapshot(t)
	for _, r := range regions.Municipalities() {
		for _, theme := range []string{ThemeOverall, ThemeLabour} {
			g, ok := s.Similar(theme, r.Name)
			if !ok {
				t.Errorf("%s %s: no %s group", r.Code, r.Name, theme)
				continue
			}
			for _, c := range g.Members {
				if reg, ok := regions.Get(c); !ok || reg.Kind() != domain.KindMunicipality || c == r.Code {
					t.Errorf("%s %s: member %q", g.ID, g.Title, c)
				}
			}
		}
	}
}

func TestParseTSVRejectsBrokenFiles(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"header", "x\ty\n", "header"},
		{"count mismatch", "id\ttitle\tn\tids\nG1\tA\t3\t0114,0115\n", "2 members"},
		{"fields", "id\ttitle\tn\tids\nG1\tA\n", "fields"},
		{"empty id", "id\ttitle\tn\tids\n\tA\t1\t0114\n", "empty id"},
		{"no groups", "id\ttitle\tn\tids\n", "no groups"},
		{"bad n", "id\ttitle\tn\tids\nG1\tA\t-1\t\n", "member count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTSV(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	g, err := ParseTSV(strings.NewReader("id\ttitle\tn\tids\r\nG1\tA, b\t2\t0114,0115\r\n"))
	if err != nil || len(g) != 1 || len(g[0].Members) != 2 || g[0].Title != "A, b" {
		t.Errorf("CRLF file: %v %v", g, err)
	}
}

func TestRegistrySwapsWholeSets(t *testing.T) {
	a := snapshot(t)
	r := NewRegistry(a)
	b := NewSet(domain.GroupSnapshot{Groups: []domain.MunicipalityGroup{{ID: "G1", Title: "Liknande kommuner, övergripande, Olofström, 2026", Members: []string{"0114"}}}, Source: "test"})
	r.Replace(b)
	g, ok := r.Current().Similar(ThemeOverall, "olofström")
	if !ok || g.ID != "G1" || r.Current().Len() != 1 {
		t.Errorf("after replace: %v %v", g, ok)
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add("id\ttitle\tn\tids\nG1\tA\t1\t0114\n")
	f.Add("id\ttitle\tn\tids\nG1\tA\t0\t\n")
	f.Fuzz(func(t *testing.T, in string) {
		gs, err := ParseTSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, g := range gs {
			if g.ID == "" {
				t.Fatal("group without id accepted")
			}
		}
		NewSet(domain.GroupSnapshot{Groups: gs})
	})
}
