package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Bar is one municipality in a ranking.
type Bar struct {
	Label    string
	Value    *float64
	Member   bool
	Selected bool
}

// RefLine is a horizontal reference: network median, mean, county, riket.
type RefLine struct {
	Kind  domain.RefKind // median, mean, county or riket
	Label string
	Value *float64
}

// RankingInput is a ranking bar chart: bars in the given order (highest
// first), reference lines across them.
type RankingInput struct {
	ID     string
	Title  string
	Sub    string
	Format Format
	Bars   []Bar
	Refs   []RefLine
	// Baseline, when set, is where the bars start (100 for an index): a
	// bar goes right for a value above it and left for one below.
	Baseline *float64
}

// Ranking builds a horizontal bar chart with the highest value on top.
func Ranking(in RankingInput) (*Chart, error) {
	bar := charts.NewBar()
	names := make([]string, len(in.Bars))
	data := make([]opts.BarData, len(in.Bars))
	// echarts draws category axes bottom-up when reversed; feed the
	// bars lowest first so the highest ends up on top.
	for i := range in.Bars {
		b := in.Bars[len(in.Bars)-1-i]
		colour := ColourMember
		if !b.Member {
			colour = ColourOther
		}
		if b.Selected {
			colour = ColourSelected
		}
		names[i] = b.Label
		data[i] = opts.BarData{Name: b.Label, Value: val(in.shift(b.Value)), ItemStyle: &opts.ItemStyle{Color: colour}}
	}
	if in.Baseline != nil {
		in.Format.Offset = *in.Baseline
	}
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: in.Title, Subtitle: in.Sub}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithToolboxOpts(saveAsImage()),
		charts.WithGridOpts(opts.Grid{Left: "150", Right: "60", Top: "70", Bottom: "30"}),
		charts.WithAnimation(true),
	)
	bar.SetXAxis(names)
	bar.AddSeries(in.Format.Unit, data, charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "30%"}))
	bar.XYReversal()
	m, err := fromGoECharts(bar)
	if err != nil {
		return nil, err
	}
	if items := in.markLines(in.Refs); len(items) > 0 {
		// The reference lines are vertical once the axes are swapped:
		// markLine items on xAxis, each in its own colour and dash.
		series := m["series"].([]any)
		s0 := series[0].(map[string]any)
		s0["markLine"] = map[string]any{"symbol": []string{"none", "none"}, "silent": true, "data": items}
	}
	delete(m, "legend") // one series: the title says what it is
	m["_fmt"] = in.Format
	m["aria"] = map[string]any{"enabled": true}
	return &Chart{ID: in.ID, Kind: "bar", Option: m, Height: RankingHeight(len(in.Bars)), Label: in.Title}, nil
}

// markLines are the reference lines with a value, as markLine items.
func (in RankingInput) markLines(refs []RefLine) []any {
	items := make([]any, 0, len(refs))
	for _, r := range refs {
		if r.Value != nil {
			items = append(items, in.markLine(r, len(items)))
		}
	}
	return items
}

// linePosition alternates label ends so neighbouring lines' labels do
// not print over each other.
func linePosition(i int) string {
	if i%2 == 1 {
		return "insideStartTop"
	}
	return "end"
}

// markLine is the i-th drawn reference line as a markLine item.
func (in RankingInput) markLine(r RefLine, i int) map[string]any {
	return map[string]any{
		"name": r.Label, "xAxis": *in.shift(r.Value),
		"lineStyle": map[string]any{"color": refColour(r.Kind), "type": refDash(r.Kind), "width": 2},
		"label":     map[string]any{"formatter": r.Label, "position": linePosition(i), "color": refColour(r.Kind)},
	}
}

// shift moves a value to the baseline: bars are drawn as value −
// baseline and printed with the baseline added back (Format.Offset).
func (in RankingInput) shift(v *float64) *float64 {
	if v == nil || in.Baseline == nil {
		return v
	}
	d := *v - *in.Baseline
	return &d
}

func refColour(kind domain.RefKind) string {
	switch kind {
	case domain.RefMedian:
		return ColourMedian
	case domain.RefMean:
		return ColourMean
	case domain.RefCounty:
		return ColourCounty
	case domain.RefRiket:
		return ColourRiket
	}
	return ColourMean
}

func refDash(kind domain.RefKind) string {
	switch kind {
	case domain.RefMedian:
		return "solid"
	case domain.RefMean:
		return "dashed"
	}
	return "dotted"
}

func saveAsImage() opts.Toolbox {
	return opts.Toolbox{Show: opts.Bool(true), Right: "20", Feature: &opts.ToolBoxFeature{
		SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Title: "Spara som PNG"},
	}}
}
