package charts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// RankingFrame is a ranking chart's option with the bars and reference
// lines cut out: go-echarts builds it once for a view (title, axes,
// format, baseline), and each page that shares the view fills in its own
// bars and lines (AppendJSON), which is a copy of precomputed pieces
// instead of a new go-echarts build and JSON round trip per page (#15).
// AppendJSON writes exactly what Ranking(in).JSON() writes for the same
// input.
type RankingFrame struct {
	in RankingInput
	// with is the option cut where the bar names, the bar data and the
	// reference lines go; without is the option without reference
	// lines, cut where the names and the data go.
	with, without framePieces
	// lines keeps reference lines' JSON items by lineKey: a view's
	// median, mean and riket and the counties of its pages are few.
	lines sync.Map
}

// lineKey is a reference line item's content.
type lineKey struct {
	kind       domain.RefKind
	label, pos string
	value      float64
}

// framePieces is an option cut at slots: pieces[i], then slot i, ...,
// then the last piece.
type framePieces struct {
	pieces [][]byte
	slots  []string
}

// sentinel marks where the frame is cut: a JSON string no option holds
// (the names and labels a chart carries are escaped, and a NUL would be
// written as \u0000 too, so NewRankingFrame checks each cut is unique).
func sentinel(name string) string { return "\x00frame:" + name + "\x00" }

// NewRankingFrame builds the frame for in; its Bars and Refs are ignored.
func NewRankingFrame(in RankingInput) (*RankingFrame, error) {
	zero := 0.0
	probe := in
	probe.Bars = []Bar{{Label: "x", Value: &zero}}
	probe.Refs = []RefLine{{Label: "x", Value: &zero}}
	f := &RankingFrame{in: in}
	for _, lines := range []bool{true, false} {
		c, err := Ranking(probe)
		if err != nil {
			return nil, err
		}
		s0 := c.Option["series"].([]any)[0].(map[string]any)
		c.Option["yAxis"].([]any)[0].(map[string]any)["data"] = sentinel("names")
		s0["data"] = sentinel("data")
		cuts := []string{"names", "data"}
		if lines {
			s0["markLine"].(map[string]any)["data"] = sentinel("lines")
			cuts = append(cuts, "lines")
		} else {
			delete(s0, "markLine")
		}
		j, err := c.JSON()
		if err != nil {
			return nil, err
		}
		pieces, err := cut([]byte(j), cuts)
		if err != nil {
			return nil, err
		}
		if lines {
			f.with = pieces
		} else {
			f.without = pieces
		}
	}
	return f, nil
}

// cut splits j at each sentinel, in the order they occur (JSON objects
// are written with sorted keys, so the series come before the axis).
func cut(j []byte, names []string) (framePieces, error) {
	var fp framePieces
	type at struct {
		name string
		pos  int
		n    int
	}
	var ats []at
	for _, n := range names {
		s, _ := json.Marshal(sentinel(n))
		if c := bytes.Count(j, s); c != 1 {
			return fp, fmt.Errorf("charts: ranking frame: cut %q found %d times", n, c)
		}
		ats = append(ats, at{n, bytes.Index(j, s), len(s)})
	}
	slices.SortFunc(ats, func(a, b at) int { return a.pos - b.pos })
	prev := 0
	for _, a := range ats {
		fp.pieces = append(fp.pieces, j[prev:a.pos])
		fp.slots = append(fp.slots, a.name)
		prev = a.pos + a.n
	}
	fp.pieces = append(fp.pieces, j[prev:])
	return fp, nil
}

// BarJSON is one bar as the frame writes it: its name on the axis and its
// data item.
type BarJSON struct {
	Name, Item []byte
}

// Bar encodes one bar: written by hand in the layout json.Marshal gives
// go-echarts' data item through Chart.JSON (keys sorted, the name
// HTML-safe, numbers as encoding/json writes float64), since an
// outsider's bar is encoded per page.
func (f *RankingFrame) Bar(b Bar) (BarJSON, error) {
	colour := ColourMember
	if !b.Member {
		colour = ColourOther
	}
	if b.Selected {
		colour = ColourSelected
	}
	name, err := json.Marshal(b.Label)
	if err != nil {
		return BarJSON{}, fmt.Errorf("charts: bar %q: %w", b.Label, err)
	}
	item := make([]byte, 0, len(name)+64)
	item = append(item, `{"itemStyle":{"color":"`...)
	item = append(item, colour...)
	item = append(item, `"},"name":`...)
	item = append(item, name...)
	item = append(item, `,"value":`...)
	if v := f.in.shift(b.Value); v == nil {
		item = append(item, `"`+missing+`"`...)
	} else if item, err = appendFloat(item, *v); err != nil {
		return BarJSON{}, fmt.Errorf("charts: bar %q: %w", b.Label, err)
	}
	return BarJSON{Name: name, Item: append(item, '}')}, nil
}

// AppendJSON appends the whole option for bars (from Bar, in the drawn
// order: lowest first) and refs.
func (f *RankingFrame) AppendJSON(dst []byte, bars []BarJSON, refs []RefLine) ([]byte, error) {
	fp := f.without
	if f.hasLines(refs) {
		fp = f.with
	}
	for i, slot := range fp.slots {
		dst = append(dst, fp.pieces[i]...)
		switch slot {
		case "names":
			dst = appendArray(dst, bars, func(b BarJSON) []byte { return b.Name })
		case "data":
			dst = appendArray(dst, bars, func(b BarJSON) []byte { return b.Item })
		case "lines":
			var err error
			if dst, err = f.appendLines(dst, refs); err != nil {
				return nil, err
			}
		}
	}
	return append(dst, fp.pieces[len(fp.pieces)-1]...), nil
}

// appendArray writes a JSON array of one encoded field of each bar.
func appendArray(dst []byte, bars []BarJSON, field func(BarJSON) []byte) []byte {
	dst = append(dst, '[')
	for i, b := range bars {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, field(b)...)
	}
	return append(dst, ']')
}

// appendLines writes the reference lines' markLine items as
// RankingInput.markLines has them, each encoded once per frame.
func (f *RankingFrame) appendLines(dst []byte, refs []RefLine) ([]byte, error) {
	dst = append(dst, '[')
	n := 0
	for _, r := range refs {
		if r.Value == nil {
			continue
		}
		k := lineKey{kind: r.Kind, label: r.Label, pos: linePosition(n), value: *r.Value}
		item, ok := f.lines.Load(k)
		if !ok {
			b, err := json.Marshal(f.in.markLine(r, n))
			if err != nil {
				return nil, fmt.Errorf("charts: reference line %q: %w", r.Label, err)
			}
			item, _ = f.lines.LoadOrStore(k, b)
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, item.([]byte)...)
		n++
	}
	return append(dst, ']'), nil
}

func (f *RankingFrame) hasLines(refs []RefLine) bool {
	for _, r := range refs {
		if r.Value != nil {
			return true
		}
	}
	return false
}

// RankingHeight is the height of a ranking chart of n bars.
func RankingHeight(n int) int { return 80 + 28*max(n, 4) }
