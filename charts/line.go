package charts

import (
	"fmt"
	"strconv"
	"strings"

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

// lineShapes and sparkShapes are the skeletons of line charts and sparks
// by shape (see skeleton.go).
var lineShapes, sparkShapes shapes

// Lines builds a trend chart. Missing years are gaps, not zeros, and gaps
// are not bridged (connectNulls is false) so a missing year is visible.
func Lines(in LinesInput) (*Chart, error) {
	sk, err := lineShapes.get(linesShape(in), func() (*skeleton, error) { return linesSkeleton(in) })
	if err != nil {
		return nil, err
	}
	b, err := sk.write(make([]byte, 0, 1024+len(in.Lines)*len(in.Years)*12), func(dst []byte, h string) ([]byte, error) {
		switch {
		case h == "title":
			return appendString(dst, in.Title), nil
		case h == "sub":
			return appendString(dst, in.Sub), nil
		case h == "years":
			return appendYears(dst, in.Years), nil
		case h == "fmt":
			return appendFormat(dst, in.Format)
		case h == "breaks":
			return appendBreaks(dst, in.Breaks), nil
		case strings.HasPrefix(h, "name"):
			return appendString(dst, in.Lines[holeIndex(h)].Name), nil
		case strings.HasPrefix(h, "data"):
			l := in.Lines[holeIndex(h)]
			return appendPoints(dst, l.Values, l.Hollow, 6+3)
		}
		return nil, fmt.Errorf("charts: line chart %s: unknown hole %q", in.ID, h)
	})
	if err != nil {
		return nil, err
	}
	h := in.Height
	if h == 0 {
		h = 420
	}
	return &Chart{ID: in.ID, Kind: "line", raw: b, Height: h, Label: in.Title}, nil
}

// holeIndex is the line a "name3" or "data3" hole belongs to.
func holeIndex(h string) int {
	i, _ := strconv.Atoi(strings.TrimLeft(h, "abcdefghijklmnopqrstuvwxyz"))
	return i
}

// linesShape is what a line chart's skeleton depends on: which texts are
// set, whether breaks are marked, and each line's kind and emphasis.
func linesShape(in LinesInput) string {
	var b strings.Builder
	b.WriteString(strconv.FormatBool(in.Title != ""))
	b.WriteString(strconv.FormatBool(in.Sub != ""))
	b.WriteString(strconv.FormatBool(len(in.Breaks) > 0))
	for _, l := range in.Lines {
		b.WriteString("|")
		b.WriteString(string(l.Kind))
		if l.Emphasis {
			b.WriteString("*")
		}
	}
	return b.String()
}

// linesSkeleton builds a line chart of in's shape with go-echarts, with
// holes for its texts and numbers.
func linesSkeleton(in LinesInput) (*skeleton, error) {
	line := charts.NewLine()
	title := opts.Title{}
	if in.Title != "" {
		title.Title = hole("title")
	}
	if in.Sub != "" {
		title.Subtitle = hole("sub")
	}
	line.SetGlobalOptions(
		charts.WithTitleOpts(title),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithToolboxOpts(saveAsImage()),
		charts.WithGridOpts(opts.Grid{Left: "70", Right: "40", Top: "70", Bottom: "60"}),
		charts.WithYAxisOpts(opts.YAxis{Scale: opts.Bool(true)}),
	)
	line.SetXAxis([]string{})
	emphasis := false
	for _, l := range in.Lines {
		emphasis = emphasis || l.Emphasis
	}
	next := 0
	for i, l := range in.Lines {
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
		line.AddSeries(hole("name"+strconv.Itoa(i)), nil,
			charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true), Symbol: symbol, SymbolSize: 6}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colour, Type: dash, Width: width}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
		)
	}
	m, err := fromGoECharts(line)
	if err != nil {
		return nil, err
	}
	series, _ := m["series"].([]any)
	if len(series) != len(in.Lines) {
		return nil, fmt.Errorf("charts: line chart %s: %d series for %d lines", in.ID, len(series), len(in.Lines))
	}
	for i, l := range in.Lines {
		s := series[i].(map[string]any)
		s["data"] = hole("data" + strconv.Itoa(i))
		if l.Emphasis {
			s["z"] = 4 // drawn over the others
		}
	}
	if len(series) > 0 && len(in.Breaks) > 0 {
		series[0].(map[string]any)["markLine"] = map[string]any{
			"symbol": []string{"none", "none"}, "silent": true, "data": hole("breaks"),
			"lineStyle": map[string]any{"color": "#52606d", "type": "dashed", "width": 1},
			"label":     map[string]any{"formatter": "Metodbyte", "position": "insideEndTop"},
		}
	}
	if err := setXAxisData(m); err != nil {
		return nil, err
	}
	m["_fmt"] = hole("fmt")
	m["aria"] = map[string]any{"enabled": true}
	return newSkeleton(m)
}

// setXAxisData puts the years' hole on the category axis.
func setXAxisData(m map[string]any) error {
	axes, _ := m["xAxis"].([]any)
	if len(axes) != 1 {
		return fmt.Errorf("charts: %d x axes, want 1", len(axes))
	}
	axes[0].(map[string]any)["data"] = hole("years")
	return nil
}

// appendBreaks appends the method-change marks: a line at each year.
func appendBreaks(dst []byte, years []int) []byte {
	dst = append(dst, '[')
	for i, y := range years {
		if i > 0 {
			dst = append(dst, ',')
		}
		ys := strconv.Itoa(y)
		dst = append(dst, `{"name":"Metodbyte `...)
		dst = append(dst, ys...)
		dst = append(dst, `","xAxis":"`...)
		dst = append(dst, ys...)
		dst = append(dst, `"}`...)
	}
	return append(dst, ']')
}

// Spark builds a small trend for a table cell: no axes, no legend. hollow
// (may be nil) marks points drawn as hollow circles, as in Lines; a spark
// shows symbols only where some point is hollow.
func Spark(id string, years []int, values []*float64, hollow []bool, f Format) (*Chart, error) {
	anyHollow := false
	for i, h := range hollow {
		anyHollow = anyHollow || (h && i < len(values) && values[i] != nil)
	}
	sk, err := sparkShapes.get(strconv.FormatBool(anyHollow), func() (*skeleton, error) { return sparkSkeleton(anyHollow) })
	if err != nil {
		return nil, err
	}
	b, err := sk.write(make([]byte, 0, 512+len(values)*12), func(dst []byte, h string) ([]byte, error) {
		switch h {
		case "years":
			return appendYears(dst, years), nil
		case "data":
			return appendPoints(dst, values, hollow, 1+3)
		case "fmt":
			return appendFormat(dst, f)
		}
		return nil, fmt.Errorf("charts: spark %s: unknown hole %q", id, h)
	})
	if err != nil {
		return nil, err
	}
	return &Chart{ID: id, Kind: "spark", raw: b, Height: 32}, nil
}

// sparkSkeleton builds the spark with go-echarts, with holes for its
// years, points and number format.
func sparkSkeleton(showSymbol bool) (*skeleton, error) {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithGridOpts(opts.Grid{Left: "2", Right: "2", Top: "4", Bottom: "4"}),
		charts.WithXAxisOpts(opts.XAxis{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Show: opts.Bool(false), Scale: opts.Bool(true)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithAnimation(false),
	)
	line.SetXAxis([]string{})
	line.AddSeries("", nil,
		charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(showSymbol), Symbol: "none"}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: ColourMember, Width: 1.5}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: ColourMember}),
	)
	m, err := fromGoECharts(line)
	if err != nil {
		return nil, err
	}
	delete(m, "legend")
	delete(m, "title")
	series, _ := m["series"].([]any)
	if len(series) != 1 {
		return nil, fmt.Errorf("charts: spark: %d series", len(series))
	}
	series[0].(map[string]any)["data"] = hole("data")
	if err := setXAxisData(m); err != nil {
		return nil, err
	}
	m["_fmt"] = hole("fmt")
	return newSkeleton(m)
}
