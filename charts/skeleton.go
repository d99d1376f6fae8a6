package charts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Line charts and sparks are drawn by the hundred per page (one spark per
// overview cell, one chart per indicator on a profile). Building each
// through go-echarts walks its option structs by reflection and then
// marshals a map: most of a cold overview's cost (docs/benchmarks.md,
// section 8). So go-echarts builds each chart SHAPE once — every style,
// axis and tooltip setting — with named holes where a chart's own texts
// and numbers go, and a chart is that skeleton with its holes filled by
// the writers below. Everything a chart shows is still specified through
// go-echarts; only the per-chart data is written directly.

// holeMark starts a hole's placeholder string in a skeleton's option.
// go-echarts never writes "@@" itself, and texts from files never reach a
// skeleton (they are only ever written into holes).
const holeMark = "@@hole:"

// hole is the placeholder for a named hole, set where the value goes.
func hole(name string) string { return holeMark + name + "@@" }

// skeleton is an option written as JSON with holes: parts[0], hole 0,
// parts[1], ... parts[len(holes)].
type skeleton struct {
	parts [][]byte
	holes []string
}

// newSkeleton writes an option (from fromGoECharts, with hole
// placeholders) and cuts it at its holes.
func newSkeleton(m map[string]any) (*skeleton, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("charts: skeleton: %w", err)
	}
	open := []byte(`"` + holeMark)
	sk := &skeleton{}
	for {
		i := bytes.Index(b, open)
		if i < 0 {
			sk.parts = append(sk.parts, b)
			return sk, nil
		}
		rest := b[i+len(open):]
		j := bytes.Index(rest, []byte(`@@"`))
		if j < 0 {
			return nil, fmt.Errorf("charts: skeleton: unterminated hole in %s", b)
		}
		sk.parts = append(sk.parts, b[:i])
		sk.holes = append(sk.holes, string(rest[:j]))
		b = rest[j+3:]
	}
}

// write appends the option with every hole filled by fill.
func (sk *skeleton) write(dst []byte, fill func(dst []byte, hole string) ([]byte, error)) ([]byte, error) {
	var err error
	for i, h := range sk.holes {
		dst = append(dst, sk.parts[i]...)
		if dst, err = fill(dst, h); err != nil {
			return nil, err
		}
	}
	return append(dst, sk.parts[len(sk.parts)-1]...), nil
}

// shapes memoises skeletons by a chart kind's shape key. The keys come
// from a few enumerations (line kinds, emphasis, which texts are set), so
// the set is small; maxShapes bounds it anyway, and a shape beyond it is
// built each time.
type shapes struct {
	m sync.Map // key -> *skeleton
	n atomic.Int32
}

const maxShapes = 256

func (s *shapes) get(key string, build func() (*skeleton, error)) (*skeleton, error) {
	if sk, ok := s.m.Load(key); ok {
		return sk.(*skeleton), nil
	}
	sk, err := build()
	if err != nil {
		return nil, err
	}
	if s.n.Load() < maxShapes {
		if _, loaded := s.m.LoadOrStore(key, sk); !loaded {
			s.n.Add(1)
		}
	}
	return sk, nil
}

// appendString appends s as a JSON string escaped as encoding/json does
// by default: quotes, backslashes and control characters, and also <, >,
// & and U+2028/U+2029, so no text can end the <script> element the
// option sits in or break a script reading it. Invalid UTF-8 becomes
// U+FFFD.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendFloat appends v as encoding/json writes a float64 (the shortest
// form that reads back the same; exponents only for very small or large
// numbers). NaN and infinities have no JSON form: an error, as
// json.Marshal gives.
func appendFloat(dst []byte, v float64) ([]byte, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("charts: %v has no JSON form", v)
	}
	abs := math.Abs(v)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, v, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// appendPoints appends a series' data: a number per year, echarts' gap
// marker "-" where the value is missing (never 0), and a hollow circle of
// the given size where hollow says so.
func appendPoints(dst []byte, values []*float64, hollow []bool, size int) ([]byte, error) {
	var err error
	dst = append(dst, '[')
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ',')
		}
		if v == nil {
			dst = append(dst, `"`+missing+`"`...)
			continue
		}
		h := i < len(hollow) && hollow[i]
		if h {
			dst = append(dst, `{"symbol":"emptyCircle","symbolSize":`...)
			dst = strconv.AppendInt(dst, int64(size), 10)
			dst = append(dst, `,"value":`...)
		}
		if dst, err = appendFloat(dst, *v); err != nil {
			return nil, err
		}
		if h {
			dst = append(dst, '}')
		}
	}
	return append(dst, ']'), nil
}

// appendYears appends the category axis's years as strings.
func appendYears(dst []byte, years []int) []byte {
	dst = append(dst, '[')
	for i, y := range years {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, int64(y), 10)
		dst = append(dst, '"')
	}
	return append(dst, ']')
}

// appendFormat appends the number format the page's script reads (_fmt).
func appendFormat(dst []byte, f Format) ([]byte, error) {
	dst = append(dst, `{"decimals":`...)
	dst = strconv.AppendInt(dst, int64(f.Decimals), 10)
	dst = append(dst, `,"unit":`...)
	dst = appendString(dst, f.Unit)
	if f.Offset != 0 {
		var err error
		dst = append(dst, `,"offset":`...)
		if dst, err = appendFloat(dst, f.Offset); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}
