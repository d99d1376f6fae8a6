package charts

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

// optionOf reads a chart's option back from the JSON the page gets.
func optionOf(t *testing.T, c *Chart) map[string]any {
	t.Helper()
	js, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	return m
}

// Real populations 31 Dec 2024 (internal/bundled/observations.csv).
var bars = []Bar{
	{Label: "Oskarshamn", Value: f(26923), Member: true},
	{Label: "Finspång", Value: f(21623), Member: true},
	{Label: "Olofström", Value: f(13000), Member: true, Selected: true},
	{Label: "Oxelösund", Value: nil, Member: true},
}

func TestRankingMissingIsAGapAndHighestOnTop(t *testing.T) {
	c, err := Ranking(RankingInput{ID: "r", Title: "Folkmängd 2024", Format: Format{Unit: "personer"}, Bars: bars,
		Refs: []RefLine{{Kind: "median", Label: "Median", Value: f(21623)}, {Kind: "riket", Label: "Riket", Value: nil}}})
	if err != nil {
		t.Fatal(err)
	}
	series := c.Option["series"].([]any)[0].(map[string]any)
	data := series["data"].([]any)
	// Fed bottom-up: the last item is the top bar.
	top := data[len(data)-1].(map[string]any)
	if top["name"] != "Oskarshamn" || top["value"] != 26923.0 {
		t.Errorf("top bar = %v", top)
	}
	bottom := data[0].(map[string]any)
	if bottom["name"] != "Oxelösund" || bottom["value"] != "-" {
		t.Errorf("a missing value must be echarts' gap marker, got %v", bottom)
	}
	sel := data[1].(map[string]any)
	if sel["itemStyle"].(map[string]any)["color"] != ColourSelected {
		t.Errorf("selected bar colour = %v", sel["itemStyle"])
	}
	lines := series["markLine"].(map[string]any)["data"].([]any)
	if len(lines) != 1 {
		t.Errorf("a missing reference must not be drawn: %v", lines)
	}
}

func TestOptionJSONCannotCloseTheScriptElement(t *testing.T) {
	hostile := `</script><script>alert(1)</script>`
	c, err := Ranking(RankingInput{ID: "r", Title: hostile, Bars: []Bar{{Label: hostile, Value: f(1), Member: true}}})
	if err != nil {
		t.Fatal(err)
	}
	js, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	s := string(js)
	if strings.Contains(strings.ToLower(s), "</script") || strings.Contains(s, "<script") {
		t.Fatalf("option JSON contains raw markup: %s", s)
	}
	var back map[string]any
	if err := json.Unmarshal([]byte(s), &back); err != nil {
		t.Fatal(err)
	}
	if back["title"].(map[string]any)["text"] != hostile {
		t.Error("escaping must not change the text the chart shows")
	}
}

func TestLinesGapsAndBreaks(t *testing.T) {
	c, err := Lines(LinesInput{ID: "l", Years: []int{2019, 2020, 2021}, Breaks: []int{2020},
		Lines: []Line{{Name: "Olofström", Values: []*float64{f(13426), nil, f(13263)}, Kind: "selected"}}})
	if err != nil {
		t.Fatal(err)
	}
	s0 := optionOf(t, c)["series"].([]any)[0].(map[string]any)
	data := s0["data"].([]any)
	if data[1] != "-" || data[0] != 13426.0 {
		t.Errorf("missing year = %v, want a gap", data[1])
	}
	if s0["connectNulls"] != false {
		t.Errorf("gaps must not be bridged: connectNulls = %v", s0["connectNulls"])
	}
	ml := s0["markLine"].(map[string]any)["data"].([]any)
	if ml[0].(map[string]any)["xAxis"] != "2020" {
		t.Errorf("break line = %v", ml)
	}
}

func TestChoroplethMatchesCodesAndOutlinesMembers(t *testing.T) {
	c, err := Choropleth(MapInput{ID: "m", Areas: []Area{
		{Code: "1060", Name: "Olofström", Value: f(13000), Member: true},
		{Code: "1080", Name: "Karlskrona", Value: f(67000)},
		{Code: "1081", Name: "Ronneby", Value: nil},
	}})
	if err != nil {
		t.Fatal(err)
	}
	s0 := c.Option["series"].([]any)[0].(map[string]any)
	if s0["nameProperty"] != "id" || s0["map"] != MapName {
		t.Errorf("series must match GeoJSON ids: %v %v", s0["nameProperty"], s0["map"])
	}
	data := s0["data"].([]any)
	ol := data[0].(map[string]any)
	if ol["name"] != "1060" || ol["kommun"] != "Olofström" || ol["itemStyle"] == nil {
		t.Errorf("member area = %v", ol)
	}
	if data[1].(map[string]any)["itemStyle"] != nil {
		t.Error("a non-member must not be outlined")
	}
	if data[2].(map[string]any)["value"] != "-" {
		t.Error("a missing value must be a gap, not 0")
	}
}

func TestQuantileClasses(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   int // classes
	}{
		{"none", nil, 0},
		{"one value", []float64{5}, 1},
		{"all equal", []float64{5, 5, 5, 5, 5, 5}, 1},
		{"ten distinct", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := QuantileClasses(tt.values, Format{})
			if len(got) != tt.want {
				t.Fatalf("%d classes, want %d: %+v", len(got), tt.want, got)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Min != got[i-1].Max {
					t.Errorf("classes %d and %d do not meet: %v", i-1, i, got)
				}
			}
			// Every value falls in a class.
			for _, v := range tt.values {
				in := false
				for _, p := range got {
					if v >= p.Min && v <= p.Max {
						in = true
					}
				}
				if !in {
					t.Errorf("%v is in no class", v)
				}
			}
		})
	}
	if got := QuantileClasses([]float64{1000, 2500.5}, Format{Decimals: 1, Unit: "%"}); got[0].Label != "1\u00a0000,0\u00a0%–2\u00a0500,5\u00a0%" {
		t.Errorf("label = %q", got[0].Label)
	}
}

func BenchmarkRanking(b *testing.B) {
	many := make([]Bar, 290)
	for i := range many {
		many[i] = Bar{Label: "Kommun", Value: f(float64(i * 100)), Member: i%10 == 0}
	}
	for b.Loop() {
		c, err := Ranking(RankingInput{ID: "r", Bars: many})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestHollowPointsForPartialMedians(t *testing.T) {
	// A median over 4 of 12 members in 2023 is hollow, over all 12 in 2024
	// filled; a missing year stays a gap whatever its flag says.
	c, err := Lines(LinesInput{ID: "l", Years: []int{2022, 2023, 2024},
		Lines: []Line{{Name: "Median", Kind: "median", Values: []*float64{nil, f(17377.5), f(25753)}, Hollow: []bool{true, true, false}}}})
	if err != nil {
		t.Fatal(err)
	}
	s0 := optionOf(t, c)["series"].([]any)[0].(map[string]any)
	if s0["symbol"] != "circle" {
		t.Errorf("series symbol = %v, want filled circles", s0["symbol"])
	}
	data := s0["data"].([]any)
	want := []any{nil, "emptyCircle", nil}
	for i, w := range want {
		var got any
		if p, ok := data[i].(map[string]any); ok {
			got = p["symbol"]
		}
		if got != w {
			t.Errorf("point %d symbol = %v, want %v", i, got, w)
		}
	}
	sp, err := Spark("s", []int{2023, 2024}, []*float64{f(1), f(2)}, []bool{true, false}, Format{})
	if err != nil {
		t.Fatal(err)
	}
	sd := optionOf(t, sp)["series"].([]any)[0].(map[string]any)["data"].([]any)
	if p, ok := sd[0].(map[string]any); !ok || p["symbol"] != "emptyCircle" || sd[1] != 2.0 {
		t.Errorf("spark points = %v", sd)
	}
}

func TestIndexBarsStartFrom100(t *testing.T) {
	// Olofström's 2024 population indexed to 2015 (13 000 / 13 170 × 100
	// = 98.709…) is below 100, Oxelösund's constructed 103 above: bars
	// carry the distance from 100, the format adds 100 back.
	base := 100.0
	c, err := Ranking(RankingInput{ID: "r", Baseline: &base, Format: Format{Decimals: 1, Unit: "index"},
		Bars: []Bar{{Label: "Oxelösund", Value: f(103)}, {Label: "Olofström", Value: f(98.5)}, {Label: "Luleå"}},
		Refs: []RefLine{{Kind: "median", Label: "Median", Value: f(101)}}})
	if err != nil {
		t.Fatal(err)
	}
	s0 := c.Option["series"].([]any)[0].(map[string]any)
	data := s0["data"].([]any)
	// Fed lowest first: Luleå (missing), Olofström, Oxelösund.
	if data[0].(map[string]any)["value"] != "-" || data[1].(map[string]any)["value"] != -1.5 || data[2].(map[string]any)["value"] != 3.0 {
		t.Errorf("bars = %v", data)
	}
	if ml := s0["markLine"].(map[string]any)["data"].([]any); ml[0].(map[string]any)["xAxis"] != 1.0 {
		t.Errorf("median line at %v, want 1 (101 − 100)", ml[0])
	}
	if fm := c.Option["_fmt"].(Format); fm.Offset != 100 {
		t.Errorf("format offset %v", fm.Offset)
	}
}

// TestLinesTwelveDistinctStyles draws the most lines a trend allows: no
// two municipalities share a colour, the emphasised one is thickest and
// on top, the others thinner than usual, and reference lines keep their
// fixed colours and dashes.
func TestLinesTwelveDistinctStyles(t *testing.T) {
	var lines []Line
	for i := range 12 {
		lines = append(lines, Line{Name: "k" + strconv.Itoa(i), Values: []*float64{f(1), f(2)}, Emphasis: i == 0})
	}
	lines = append(lines, Line{Name: "Riket", Values: []*float64{f(1), f(2)}, Kind: "riket"})
	c, err := Lines(LinesInput{ID: "t", Years: []int{2023, 2024}, Lines: lines})
	if err != nil {
		t.Fatal(err)
	}
	series := optionOf(t, c)["series"].([]any)
	colours := map[string]string{}
	for i, s := range series[:12] {
		m := s.(map[string]any)
		colour := m["lineStyle"].(map[string]any)["color"].(string)
		if other, ok := colours[colour]; ok {
			t.Errorf("%s and %s share colour %s", other, m["name"], colour)
		}
		colours[colour] = m["name"].(string)
		width := m["lineStyle"].(map[string]any)["width"].(float64)
		switch {
		case i == 0 && (width != 4 || fmt.Sprint(m["z"]) != "4"):
			t.Errorf("the emphasised line: width %v, z %v; want 4 and on top", width, m["z"])
		case i > 0 && width >= 2:
			t.Errorf("%s: width %v, want thinner than the emphasised one's neighbours' usual 2", m["name"], width)
		}
		if want := Symbols[i%len(Symbols)]; m["symbol"] != want {
			t.Errorf("%s: symbol %v, want %s", m["name"], m["symbol"], want)
		}
	}
	ref := series[12].(map[string]any)["lineStyle"].(map[string]any)
	if ref["color"] != ColourRiket || ref["type"] != "dotted" {
		t.Errorf("riket line %v", ref)
	}
	if len(Palette) < 12 {
		t.Errorf("palette has %d colours; a trend can have 12 lines", len(Palette))
	}
}
