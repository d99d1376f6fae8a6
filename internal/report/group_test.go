package report

import (
	"context"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
)

func withGroups(t *testing.T, env *Env) {
	t.Helper()
	set, err := groups.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	env.Groups = groups.NewRegistry(set)
}

// Olofström among Kolada's seven similar municipalities (G37489, shipped
// snapshot), 2024 populations (bundled, real):
//
//	Hallsberg 16 120, Sunne 13 356, Olofström 13 000, Tanum 12 773,
//	Vårgårda 12 474, Forshaga 11 520, Degerfors 9 278, Vännäs 9 132
//
// Olofström ranks 3 of 8. The group's median is over the seven (Olofström
// is not in its own group): 12 474; mean 84 653 / 7.
func TestCompareWithSimilarMunicipalities(t *testing.T) {
	env, d, _ := setup(t)
	withGroups(t, env)
	g, err := env.ResolveGroup(GroupSimilar, "1060")
	if err != nil {
		t.Fatal(err)
	}
	v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "population", Year: 2024, Kommun: "1060", Group: g})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1861", "1766", "1060", "1435", "1442", "1763", "1862", "2460"}
	if len(v.Rows) != len(want) {
		t.Fatalf("%d rows, want 8", len(v.Rows))
	}
	for i, r := range v.Rows {
		if r.Code != want[i] || r.Rank != i+1 {
			t.Errorf("row %d = %s rank %d, want %s rank %d", i, r.Code, r.Rank, want[i], i+1)
		}
		if r.InGroup == (r.Code == "1060") {
			t.Errorf("%s in group = %v", r.Code, r.InGroup)
		}
	}
	if m := v.Refs[0]; m.Value == nil || *m.Value != 12474 || m.Note != "" {
		t.Errorf("median = %v %q, want 12 474 over all seven", m.Value, m.Note)
	}
	if m := v.Refs[1]; m.Value == nil || !near(*m.Value, 84653.0/7) {
		t.Errorf("mean = %v", m.Value)
	}
	if v.Group.Name != "Liknande kommuner, övergripande, Olofström, 2025" {
		t.Errorf("group name %q", v.Group.Name)
	}
}

func TestResolveGroup(t *testing.T) {
	env, _, _ := setup(t)
	withGroups(t, env)
	tests := []struct {
		key, code string
		name      string
		n         int
		code2     domain.Code // 0: no error
	}{
		{"", "", "Nätverket", 12, 0},
		{"natverk", "1060", "Nätverket", 12, 0},
		{"lan", "1060", "Blekinge län", 5, 0},
		{"liknande-arbetsmarknad", "1060", "Liknande kommuner arbetsmarknad, Olofström, 2024", 7, 0},
		{"G92787", "", "Storstäder (ovägt medel)", 3, 0},
		{"lan", "", "", 0, domain.CodeInvalid},
		{"liknande", "0100", "", 0, domain.CodeInvalid},
		{"G1", "", "", 0, domain.CodeNotFound},
		{"<script>", "1060", "", 0, domain.CodeInvalid},
	}
	for _, tt := range tests {
		g, err := env.ResolveGroup(tt.key, tt.code)
		if tt.code2 != 0 {
			if domain.ErrorCode(err) != tt.code2 {
				t.Errorf("%q/%q: err %v, want %v", tt.key, tt.code, err, tt.code2)
			}
			continue
		}
		if err != nil || g.Name != tt.name || len(g.Codes) != tt.n {
			t.Errorf("%q/%q = %q with %d, %v; want %q with %d", tt.key, tt.code, g.Name, len(g.Codes), err, tt.name, tt.n)
		}
	}
}
