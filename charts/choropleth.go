package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
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
	ID       string
	Title    string
	Sub      string
	Format   Format
	GeoURL   string
	Areas    []Area
	Min, Max *float64
}

// sequential is a colour-blind safe sequential scale (viridis, light to
// dark reversed so more is darker).
var sequential = []string{"#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154"}

// Choropleth builds a map of Sweden's municipalities coloured by value,
// members outlined, missing in grey.
func Choropleth(in MapInput) (*Chart, error) {
	mc := charts.NewMap()
	mc.RegisterMapType(MapName)
	lo, hi := 0.0, 1.0
	if in.Min != nil && in.Max != nil {
		lo, hi = *in.Min, *in.Max
		if lo == hi {
			hi = lo + 1
		}
	}
	mc.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: in.Title, Subtitle: in.Sub}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithToolboxOpts(saveAsImage()),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type: "continuous", Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi),
			InRange: &opts.VisualMapInRange{Color: sequential}, Left: "left", Bottom: "20",
		}),
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
	s0["roam"] = true
	s0["itemStyle"] = map[string]any{"areaColor": ColourMissing, "borderColor": "#ffffff", "borderWidth": 0.4}
	s0["emphasis"] = map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#F0E442"}}
	m["_fmt"] = in.Format
	m["aria"] = map[string]any{"enabled": true}
	return &Chart{ID: in.ID, Kind: "map", Option: m, GeoURL: in.GeoURL, Height: 720, Label: in.Title}, nil
}
