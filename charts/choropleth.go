package charts

import (
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/svenskaindustrikommuner/dashboard/internal/numfmt"
)

// MapName is the name the municipal boundaries are registered under.
const MapName = "sverige-kommuner"

// Area is one municipality on the map, keyed by its four-digit code (the
// GeoJSON's `id` property).
type Area struct {
	Code   string
	Name   string
	Value  *float64
	Member bool
}

// MapInput is a choropleth.
type MapInput struct {
	ID     string
	Title  string
	Sub    string
	Format Format
	GeoURL string
	Areas  []Area
}

// sequential is a colour-blind safe sequential scale (viridis from light
// to dark, so more is darker), one colour per class.
var sequential = []string{"#fde725", "#7ad151", "#22a884", "#2a788e", "#414487"}

// Piece is one class of the map's legend: values in [Min, Max].
type Piece struct {
	Min, Max float64
	Colour   string
	Label    string
}

// QuantileClasses splits the values into up to len(sequential) classes of
// about equal count. Equal-count classes keep one large municipality from
// painting every other one the same colour, as equal-width classes would
// with population. Labels are Swedish ("12 000–25 000").
func QuantileClasses(values []float64, f Format) []Piece {
	if len(values) == 0 {
		return nil
	}
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	n := min(len(sequential), len(v))
	var cuts []float64
	for i := 1; i < n; i++ {
		c := v[i*len(v)/n]
		if len(cuts) == 0 || c > cuts[len(cuts)-1] {
			cuts = append(cuts, c)
		}
	}
	lo := v[0]
	var out []Piece
	for i := 0; i <= len(cuts); i++ {
		hi := v[len(v)-1]
		if i < len(cuts) {
			hi = cuts[i]
		}
		if hi <= lo && i < len(cuts) {
			continue
		}
		out = append(out, Piece{Min: lo, Max: hi, Colour: sequential[min(len(out), len(sequential)-1)],
			Label: numfmt.WithUnit(lo, f.Decimals, f.Unit) + "–" + numfmt.WithUnit(hi, f.Decimals, f.Unit)})
		lo = hi
	}
	return out
}

// Choropleth builds a map of Sweden's municipalities coloured by value,
// members outlined, missing in grey.
func Choropleth(in MapInput) (*Chart, error) {
	mc := charts.NewMap()
	mc.RegisterMapType(MapName)
	var vals []float64
	for _, a := range in.Areas {
		if a.Value != nil {
			vals = append(vals, *a.Value)
		}
	}
	classes := QuantileClasses(vals, in.Format)
	mc.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: in.Title, Subtitle: in.Sub}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithToolboxOpts(saveAsImage()),
	)
	data := make([]opts.MapData, 0, len(in.Areas))
	for _, a := range in.Areas {
		data = append(data, opts.MapData{Name: a.Code, Value: val(a.Value)})
	}
	mc.AddSeries("karta", data)
	m, err := fromGoECharts(mc)
	if err != nil {
		return nil, err
	}
	// go-echarts' MapData has no item style or display name: add the
	// member outline, the readable name and match areas on the code.
	items := make([]any, 0, len(in.Areas))
	for _, a := range in.Areas {
		it := map[string]any{"name": a.Code, "value": val(a.Value), "kommun": a.Name}
		if a.Member {
			it["itemStyle"] = map[string]any{"borderColor": ColourMemberRim, "borderWidth": 2.5}
		}
		items = append(items, it)
	}
	series := m["series"].([]any)
	s0 := series[0].(map[string]any)
	s0["data"] = items
	s0["nameProperty"] = "id"
	s0["showLegendSymbol"] = false
	delete(m, "legend")
	s0["roam"] = true
	s0["itemStyle"] = map[string]any{"areaColor": ColourMissing, "borderColor": "#ffffff", "borderWidth": 0.4}
	s0["emphasis"] = map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#F0E442"}}
	// go-echarts' Piece holds float32 bounds and no label: exact bounds
	// matter at class edges, so the legend is written here.
	if len(classes) > 0 {
		pieces := make([]any, len(classes))
		for i, c := range classes {
			pieces[i] = map[string]any{"gte": c.Min, "lte": c.Max, "color": c.Colour, "label": c.Label}
		}
		m["visualMap"] = []any{map[string]any{"type": "piecewise", "pieces": pieces, "left": "left", "top": "middle",
			"outOfRange": map[string]any{"color": ColourMissing}}}
	}
	m["_fmt"] = in.Format
	m["aria"] = map[string]any{"enabled": true}
	return &Chart{ID: in.ID, Kind: "map", Option: m, GeoURL: in.GeoURL, Height: 720, Label: in.Title}, nil
}
