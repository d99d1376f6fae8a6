package charts

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// The skeleton path must give the option go-echarts gives when it builds
// the whole chart itself, data and all (the way Lines and Spark were
// built before #15). referenceLines and referenceSpark are that way.

func referenceLines(t *testing.T, in LinesInput) map[string]any {
	line := charts.NewLine()
	years := make([]string, len(in.Years))
	for i, y := range in.Years {
		years[i] = strconv.Itoa(y)
	}
	line.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: in.Title, Subtitle: in.Sub}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithToolboxOpts(saveAsImage()),
		charts.WithGridOpts(opts.Grid{Left: "70", Right: "40", Top: "70", Bottom: "60"}),
		charts.WithYAxisOpts(opts.YAxis{Scale: opts.Bool(true)}),
	)
	line.SetXAxis(years)
	emphasis := false
	for _, l := range in.Lines {
		emphasis = emphasis || l.Emphasis
	}
	next := 0
	for _, l := range in.Lines {
		colour, dash, width, symbol := "", "solid", float32(2), "circle"
		switch l.Kind {
		case domain.RefSelected:
			colour, width = ColourSelected, 3
		case domain.RefMedian, domain.RefMean, domain.RefCounty, domain.RefRiket:
			colour, dash = refColour(l.Kind), refDash(l.Kind)
		default:
			colour, symbol = Palette[next%len(Palette)], Symbols[next%len(Symbols)]
			next++
			switch {
			case l.Emphasis:
				width = 4
			case emphasis:
				width = 1.5
			}
		}
		line.AddSeries(l.Name, referenceData(l.Values, l.Hollow, 6),
			charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true), Symbol: symbol, SymbolSize: 6}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colour, Type: dash, Width: width}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
		)
	}
	m, err := fromGoECharts(line)
	if err != nil {
		t.Fatal(err)
	}
	series, _ := m["series"].([]any)
	for i, l := range in.Lines {
		if l.Emphasis {
			series[i].(map[string]any)["z"] = 4
		}
	}
	if len(series) > 0 && len(in.Breaks) > 0 {
		items := make([]any, 0, len(in.Breaks))
		for _, y := range in.Breaks {
			items = append(items, map[string]any{"xAxis": strconv.Itoa(y), "name": "Metodbyte " + strconv.Itoa(y)})
		}
		series[0].(map[string]any)["markLine"] = map[string]any{
			"symbol": []string{"none", "none"}, "silent": true, "data": items,
			"lineStyle": map[string]any{"color": "#52606d", "type": "dashed", "width": 1},
			"label":     map[string]any{"formatter": "Metodbyte", "position": "insideEndTop"},
		}
	}
	m["_fmt"] = in.Format
	m["aria"] = map[string]any{"enabled": true}
	return normalised(t, m)
}

func referenceSpark(t *testing.T, years []int, values []*float64, hollow []bool, f Format) map[string]any {
	line := charts.NewLine()
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = strconv.Itoa(y)
	}
	anyHollow := false
	for i, h := range hollow {
		anyHollow = anyHollow || (h && i < len(values) && values[i] != nil)
	}
	line.SetGlobalOptions(
		charts.WithGridOpts(opts.Grid{Left: "2", Right: "2", Top: "4", Bottom: "4"}),
		charts.WithXAxisOpts(opts.XAxis{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Show: opts.Bool(false), Scale: opts.Bool(true)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithAnimation(false),
	)
	line.SetXAxis(ys)
	line.AddSeries("", referenceData(values, hollow, 1),
		charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(anyHollow), Symbol: "none"}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: ColourMember, Width: 1.5}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: ColourMember}),
	)
	m, err := fromGoECharts(line)
	if err != nil {
		t.Fatal(err)
	}
	delete(m, "legend")
	delete(m, "title")
	m["_fmt"] = f
	return normalised(t, m)
}

func referenceData(values []*float64, hollow []bool, size int) []opts.LineData {
	data := make([]opts.LineData, len(values))
	for i, v := range values {
		data[i] = opts.LineData{Value: val(v)}
		if i < len(hollow) && hollow[i] && v != nil {
			data[i].Symbol, data[i].SymbolSize = "emptyCircle", size+3
		}
	}
	return data
}

// normalised is the option as JSON reads it back, with a point that only
// has a value ({"value": 3}) written as the value (3): echarts reads both
// alike, and the skeleton writes the shorter.
func normalised(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	series, _ := out["series"].([]any)
	for _, s := range series {
		data, _ := s.(map[string]any)["data"].([]any)
		for i, p := range data {
			if pm, ok := p.(map[string]any); ok && len(pm) == 1 {
				if v, ok := pm["value"]; ok {
					data[i] = v
				}
			}
		}
	}
	return out
}

func TestSkeletonChartsMatchGoECharts(t *testing.T) {
	hostile := "</script><script>alert(\"x\")</script> & \u2028 \\ \t Åre"
	lines := []LinesInput{
		{ID: "a", Title: "Folkmängd", Sub: "Index, 2010 = 100", Format: Format{Decimals: 1, Unit: "index"}, Years: []int{2019, 2020, 2021}, Height: 340,
			Breaks: []int{2020, 2021},
			Lines: []Line{
				{Name: "Olofström", Values: []*float64{f(13426), nil, f(13263.25)}, Kind: domain.RefSelected},
				{Name: "Nätverket, median", Values: []*float64{f(1e-7), f(2.5e21), f(-3)}, Kind: domain.RefMedian, Hollow: []bool{true, false, true}},
				{Name: "Blekinge län", Values: []*float64{nil, nil, nil}, Kind: domain.RefCounty},
				{Name: "Riket", Values: []*float64{f(0), f(1), f(2)}, Kind: domain.RefRiket},
			}},
		{ID: "b", Title: hostile, Years: []int{2024}, Format: Format{Unit: hostile, Offset: 100},
			Lines: []Line{{Name: hostile, Values: []*float64{f(1)}}, {Name: "b", Values: []*float64{f(2)}, Emphasis: true}, {Name: "c", Values: []*float64{nil}}}},
		{ID: "c", Years: nil, Lines: nil},
	}
	for _, in := range lines {
		c, err := Lines(in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := optionOf(t, c), referenceLines(t, in); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", in.ID, got, want)
		}
		js, _ := c.JSON()
		if !json.Valid([]byte(js)) {
			t.Errorf("%s: invalid JSON %s", in.ID, js)
		}
	}
	for _, hollow := range [][]bool{nil, {false, true, true}, {true}} {
		values := []*float64{f(1.5), nil, f(3)}
		c, err := Spark("s", []int{2022, 2023, 2024}, values, hollow, Format{Decimals: 1, Unit: "%"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := optionOf(t, c), referenceSpark(t, []int{2022, 2023, 2024}, values, hollow, Format{Decimals: 1, Unit: "%"}); !reflect.DeepEqual(got, want) {
			t.Errorf("spark %v:\n got %v\nwant %v", hollow, got, want)
		}
	}
}

func TestSkeletonRefusesWhatJSONCannotSay(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := Spark("s", []int{2024}, []*float64{&v}, nil, Format{}); err == nil {
			t.Errorf("%v: no error", v)
		}
	}
}

// FuzzAppendString: every string is written as encoding/json writes it
// (HTML-escaped), so the option stays data inside its <script> element.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "Åre", "</script>", "a\u2028b\u2029", "\x00\x1f\"\\", "\xff\xfe", "&<>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	})
}

// FuzzAppendFloat: numbers are written as encoding/json writes them.
func FuzzAppendFloat(f *testing.F) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, 13263.25, 1e-7, 2.5e21, 1e20, -1e-6, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		want, werr := json.Marshal(v)
		got, gerr := appendFloat(nil, v)
		if (werr == nil) != (gerr == nil) || string(got) != string(want) {
			t.Errorf("%v: got %s (%v), want %s (%v)", v, got, gerr, want, werr)
		}
	})
}
