package charts

import (
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Line is one series over the years.
type Line struct {
	Name   string
	Values []*float64 // aligned with LinesInput.Years; nil = gap
	// Kind picks a fixed style for reference series and the selected
	// municipality; domain.RefNone takes the next palette colour.
	Kind domain.RefKind
	// Hollow, aligned with Values, marks points drawn as hollow circles:
	// a group median that counted fewer than all the group's members.
	// Other points are filled, so the difference shows.
	Hollow []bool
	// Emphasis draws a municipality's line thick and on top; the other
	// municipalities' lines are then thinner.
	Emphasis bool
}

// LinesInput is a line chart over years.
type LinesInput struct {
	ID     string
	Title  string
	Sub    string
	Format Format
	Years  []int
	Lines  []Line
	Height int
	// Breaks marks years where the series changes method (a vertical
	// dashed line labelled "Metodbyte").
	Breaks []int
}

// Lines builds a trend chart. Missing years are gaps, not zeros, and gaps
// are not bridged (connectNulls is false) so a missing year is visible.
func Lines(in LinesInput) (*Chart, error) {
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
		data := lineData(l.Values, l.Hollow, 6)
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
		line.AddSeries(l.Name, data,
			charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true), Symbol: symbol, SymbolSize: 6}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colour, Type: dash, Width: width}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
		)
	}
	m, err := fromGoECharts(line)
	if err != nil {
		return nil, err
	}
	if series, ok := m["series"].([]any); ok && len(series) == len(in.Lines) {
		for i, l := range in.Lines {
			if l.Emphasis {
				series[i].(map[string]any)["z"] = 4 // drawn over the others
			}
		}
	}
	if series, ok := m["series"].([]any); ok && len(series) > 0 && len(in.Breaks) > 0 {
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
	h := in.Height
	if h == 0 {
		h = 420
	}
	return &Chart{ID: in.ID, Kind: "line", Option: m, Height: h, Label: in.Title}, nil
}

// lineData turns values into points; a hollow point is an empty circle,
// a little larger than the filled ones so it reads at a glance.
func lineData(values []*float64, hollow []bool, size int) []opts.LineData {
	data := make([]opts.LineData, len(values))
	for i, v := range values {
		data[i] = opts.LineData{Value: val(v)}
		if i < len(hollow) && hollow[i] && v != nil {
			data[i].Symbol, data[i].SymbolSize = "emptyCircle", size+3
		}
	}
	return data
}

// Spark builds a small trend for a table cell: no axes, no legend. hollow
// (may be nil) marks points drawn as hollow circles, as in Lines; a spark
// shows symbols only where some point is hollow.
func Spark(id string, years []int, values []*float64, hollow []bool, f Format) (*Chart, error) {
	line := charts.NewLine()
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = strconv.Itoa(y)
	}
	data := lineData(values, hollow, 1)
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
	line.AddSeries("", data,
		charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(anyHollow), Symbol: "none"}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: ColourMember, Width: 1.5}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: ColourMember}),
	)
	m, err := fromGoECharts(line)
	if err != nil {
		return nil, err
	}
	delete(m, "legend")
	delete(m, "title")
	m["_fmt"] = f
	return &Chart{ID: id, Kind: "spark", Option: m, Height: 32}, nil
}
