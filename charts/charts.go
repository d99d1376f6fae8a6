// Package charts builds echarts options with go-echarts: pure functions
// from series to an option document, no HTTP and no SQL. The server embeds
// the option as JSON data (never as script text) and a small static script
// draws it, so a name like "</script>" from a spreadsheet can never break
// out of the page: Option escapes <, > and & as JSON \u escapes.
package charts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
)

// Palette is the colours of municipalities' lines, in the order the
// series use them: Martin Krzywinski's 12-colour palette for colour
// blindness (mkweb.bcgsc.ca/colorblind, "12-color palette"; the twelve are
// distinct to deuteranopes and protanopes), ordered so that the darkest and
// most different come first and the pale ones only with many lines. Twelve
// is report.MaxTrendLines: no two lines on a chart share a colour. Each
// line also gets its own point shape (Symbols), so colour is never the
// only difference.
var Palette = []string{
	"#008DF9", "#9F0162", "#FF6E3A", "#8400CD", "#009F81", "#A40122",
	"#00C2F9", "#E20134", "#FFC33B", "#FF5AAF", "#00FCCF", "#FFB2FD",
}

// Symbols are the point shapes of municipalities' lines, in turn.
var Symbols = []string{"circle", "rect", "triangle", "diamond"}

// Colours with a fixed meaning on every page.
const (
	ColourMember    = "#0072B2" // members' bars
	ColourOther     = "#9AA5B1" // a non-member shown for comparison
	ColourSelected  = "#D55E00" // the chosen municipality
	ColourMedian    = "#000000"
	ColourMean      = "#555555"
	ColourCounty    = "#009E73"
	ColourRiket     = "#CC79A7"
	ColourMissing   = "#E5E7EB" // map areas without a figure
	ColourMemberRim = "#111111"
)

// Format tells the page's script how to print numbers in tooltips and
// axes (Swedish style), since functions cannot travel in JSON.
type Format struct {
	Decimals int    `json:"decimals"`
	Unit     string `json:"unit"`
	// Offset is added back to every drawn value before it is printed:
	// bars drawn from a baseline (an index from 100) carry value −
	// baseline, and the reader sees the value.
	Offset float64 `json:"offset,omitempty"`
}

// Chart is a built option, ready to embed.
type Chart struct {
	ID     string
	Kind   string // "bar", "line", "map", "spark"
	Option map[string]any
	// GeoURL is the GeoJSON the map needs registered before drawing.
	GeoURL string
	Height int // pixels
	Label  string
	// raw is the option already written as JSON (line charts and sparks,
	// see skeleton.go); Option is then nil.
	raw []byte
}

// renderable is what go-echarts charts have in common.
type renderable interface {
	Validate()
	JSON() map[string]interface{}
}

// fromGoECharts turns a go-echarts chart into a plain option document we
// can adjust (echarts features go-echarts has no field for).
func fromGoECharts(c renderable) (map[string]any, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return nil, fmt.Errorf("charts: marshal: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("charts: unmarshal: %w", err)
	}
	return m, nil
}

// JSON is the option as JSON safe to place inside a <script
// type="application/json"> element: json.Marshal escapes <, >, & and the
// line separators, so no text in it can end the element.
func (c *Chart) JSON() (template.JS, error) {
	if c.raw != nil {
		return template.JS(c.raw), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(c.Option); err != nil {
		return "", fmt.Errorf("charts: encode %s: %w", c.ID, err)
	}
	return template.JS(bytes.TrimSpace(buf.Bytes())), nil
}

// missing is echarts' own marker for a gap in a series: drawn as nothing,
// never as zero.
const missing = "-"

func val(v *float64) any {
	if v == nil {
		return missing
	}
	return *v
}
