package report

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Equal figures share a rank and the next figure's rank skips past them
// (competition ranking, "1, 2, 2, 2, 5"), on the ranking page and in the
// profile alike. The figures are constructed so that ties fall at the top,
// in the middle and at the end of the ranked members.
func TestRankTies(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	figures := map[string]float64{
		"2580": 500,
		"2482": 300, "2284": 300, "2081": 300,
		"0882": 200,
		"1493": 100, "2584": 100,
	}
	var obs []domain.Observation
	for code, v := range figures {
		obs = append(obs, domain.Observation{Municipality: code, Indicator: "population", Year: 2024, Value: v,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "ties.xlsx", BatchID: 1, FetchedAt: at}})
	}
	env := &Env{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Members: cfg.MemberCodes(), NetworkName: "Nätverket", Precedence: domain.DefaultPrecedence}
	d := NewData(&memReader{obs: obs, version: 1}, env.Catalogue, 0)

	want := map[string]int{
		"2580": 1,
		"2482": 2, "2284": 2, "2081": 2,
		"0882": 5,
		"1493": 6, "2584": 6,
	}
	// The other members have no figure and are unranked.
	for _, code := range env.Members {
		if _, ok := figures[code]; !ok {
			want[code] = 0
		}
	}
	if len(want) != len(env.Members) || len(want) <= len(figures) {
		t.Fatalf("test figures %v are not all members' (members %v)", figures, env.Members)
	}
	v, err := Compare(context.Background(), env, d, CompareParams{Indicator: "population", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(v.Rows), len(want))
	}
	prev := 0
	for i, r := range v.Rows {
		if r.Rank != want[r.Code] {
			t.Errorf("row %d %s: rank %d, want %d", i, r.Code, r.Rank, want[r.Code])
		}
		if r.Rank != 0 && r.Rank < prev {
			t.Errorf("row %d %s: rank %d after rank %d", i, r.Code, r.Rank, prev)
		}
		if r.Rank != 0 {
			prev = r.Rank
		}
		// Equal figures, and the members without one (last), stand in
		// name order.
		if i > 0 {
			a, b := v.Rows[i-1], r
			same := (a.Value == nil && b.Value == nil) || (a.Value != nil && b.Value != nil && *a.Value == *b.Value)
			if same && a.Name >= b.Name {
				t.Errorf("rows %d and %d: %s before %s with the same figure", i-1, i, a.Name, b.Name)
			}
			if a.Value == nil && b.Value != nil {
				t.Errorf("row %d %s has a figure after a missing one", i, b.Code)
			}
		}
	}

	for _, code := range []string{"2580", "2284", "0882", "2584", "0481"} {
		t.Run("profile "+code, func(t *testing.T) {
			p, err := Profile(context.Background(), env, d, code, Group{}, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, pi := range p.Indicators {
				if pi.Indicator.ID != "population" {
					continue
				}
				i := sort.SearchInts(pi.Years, 2024)
				if i == len(pi.Years) || pi.Years[i] != 2024 {
					t.Fatalf("years %v lack 2024", pi.Years)
				}
				if pi.Ranks[i] != want[code] || pi.Ranked[i] != len(figures) {
					t.Errorf("rank %d of %d, want %d of %d", pi.Ranks[i], pi.Ranked[i], want[code], len(figures))
				}
				return
			}
			t.Fatal("no population in the profile")
		})
	}
}
