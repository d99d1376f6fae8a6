package charts

import (
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// TestRankingFrameWritesRanking checks that a frame filled with bars and
// reference lines writes exactly the option Ranking writes, including
// hostile names, missing values, a baseline and no lines at all.
func TestRankingFrameWritesRanking(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	hundred := 100.0
	hostile := `</script><script>alert("x")</script> & 'Åre'` + "\u2028\x00"
	bars := []Bar{
		{Label: "Kiruna", Value: f(12.5), Member: true},
		{Label: hostile, Value: f(3), Selected: true},
		{Label: "Åre", Value: nil},
		{Label: "Ale", Value: f(-1e-7), Member: true, Selected: true},
		{Label: "Bjuv", Value: f(1234567.891)},
		{Label: "Eda", Value: f(2.5e21), Member: true},
		{Label: "Gnosjö", Value: f(-3e-9)},
		{Label: "Höör", Value: f(0)},
		{Label: "Lund", Value: f(1e20)},
	}
	refs := []RefLine{
		{Kind: domain.RefMedian, Label: "Median " + hostile, Value: f(5)},
		{Kind: domain.RefMean, Label: "Medel", Value: nil},
		{Kind: domain.RefCounty, Label: "Skåne län", Value: f(7.25)},
		{Kind: domain.RefRiket, Label: "Riket", Value: f(8)},
	}
	tests := []struct {
		name string
		in   RankingInput
	}{
		{"bars and lines", RankingInput{ID: "ranking", Title: "Sysselsatta " + hostile, Sub: "per 1 000 · antal", Format: Format{Decimals: 1, Unit: "%"}, Bars: bars, Refs: refs}},
		{"no lines", RankingInput{ID: "ranking", Title: "T", Bars: bars, Refs: []RefLine{{Kind: domain.RefMean, Label: "Medel"}}}},
		{"no refs", RankingInput{ID: "r", Title: "T", Bars: bars[:1]}},
		{"baseline", RankingInput{ID: "ranking", Title: "Index", Baseline: &hundred, Bars: bars, Refs: refs[2:]}},
		{"no bars", RankingInput{ID: "ranking", Title: "T", Refs: refs}},
		{"one bar", RankingInput{ID: "ranking", Title: "T", Bars: bars[2:3], Refs: refs[:1]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Ranking(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := c.JSON()
			if err != nil {
				t.Fatal(err)
			}
			frame, err := NewRankingFrame(RankingInput{ID: tc.in.ID, Title: tc.in.Title, Sub: tc.in.Sub, Format: tc.in.Format, Baseline: tc.in.Baseline})
			if err != nil {
				t.Fatal(err)
			}
			bs, err := drawnBars(frame, tc.in.Bars)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			for range 2 { // the second reuses the encoded lines
				if got, err = frame.AppendJSON(got[:0], bs, tc.in.Refs); err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Fatalf("frame writes\n%s\nRanking writes\n%s", got, want)
				}
			}
			if strings.Contains(string(got), "</script") || strings.Contains(string(got), "\x00") {
				t.Fatal("an unescaped name in the option")
			}
			if RankingHeight(len(tc.in.Bars)) != c.Height {
				t.Errorf("height %d, Ranking's %d", RankingHeight(len(tc.in.Bars)), c.Height)
			}
		})
	}
}

// drawnBars encodes bars given highest first (as RankingInput has them)
// in the drawn order.
func drawnBars(f *RankingFrame, bars []Bar) ([]BarJSON, error) {
	out := make([]BarJSON, len(bars))
	for i := range bars {
		var err error
		if out[i], err = f.Bar(bars[len(bars)-1-i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
