package metrics

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file is a small, strict reader of the text exposition format used
// by the tests: it is what a scraper would refuse, written down. It checks
// the grammar (HELP and TYPE before samples, label syntax and escapes,
// float values), that every sample belongs to the family announced last,
// and the histogram rules (le ascending and ending in +Inf, cumulative
// counts, _count equal to the +Inf bucket).

type parsedSample struct {
	name   string
	labels map[string]string
	value  float64
}

type family struct {
	name, typ, help string
	samples         []parsedSample
}

type exposition map[string]*family

func parseExposition(text string) (exposition, error) {
	out := exposition{}
	var cur *family
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		switch {
		case l == "":
			return nil, fmt.Errorf("line %d: empty line", line)
		case strings.HasPrefix(l, "# HELP "):
			name, help, ok := strings.Cut(strings.TrimPrefix(l, "# HELP "), " ")
			if !ok || !validName(name) {
				return nil, fmt.Errorf("line %d: bad HELP %q", line, l)
			}
			if out[name] != nil {
				return nil, fmt.Errorf("line %d: family %s announced twice", line, name)
			}
			cur = &family{name: name, help: help}
			out[name] = cur
		case strings.HasPrefix(l, "# TYPE "):
			name, typ, ok := strings.Cut(strings.TrimPrefix(l, "# TYPE "), " ")
			if !ok || cur == nil || cur.name != name || cur.typ != "" || len(cur.samples) > 0 {
				return nil, fmt.Errorf("line %d: TYPE %q not right after its HELP", line, l)
			}
			switch typ {
			case "counter", "gauge", "histogram":
			default:
				return nil, fmt.Errorf("line %d: unknown type %q", line, typ)
			}
			cur.typ = typ
		case strings.HasPrefix(l, "#"):
			return nil, fmt.Errorf("line %d: unexpected comment %q", line, l)
		default:
			s, err := parseSample(l)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			if cur == nil || cur.typ == "" || !belongs(cur, s.name) {
				return nil, fmt.Errorf("line %d: sample %s outside its family", line, s.name)
			}
			id := s.name + fmt.Sprint(sortedLabels(s.labels))
			if seen[id] {
				return nil, fmt.Errorf("line %d: duplicate series %s", line, id)
			}
			seen[id] = true
			if cur.typ == "counter" && (s.value < 0 || math.IsNaN(s.value)) {
				return nil, fmt.Errorf("line %d: counter %s is %v", line, s.name, s.value)
			}
			cur.samples = append(cur.samples, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, f := range out {
		if f.typ == "histogram" {
			if err := checkHistogram(f); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		ok := c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')
		if !ok {
			return false
		}
	}
	return true
}

func belongs(f *family, name string) bool {
	if f.typ == "histogram" {
		return name == f.name+"_bucket" || name == f.name+"_sum" || name == f.name+"_count"
	}
	return name == f.name
}

func parseSample(l string) (parsedSample, error) {
	s := parsedSample{labels: map[string]string{}}
	i := strings.IndexAny(l, "{ ")
	if i < 0 {
		return s, fmt.Errorf("no value in %q", l)
	}
	s.name = l[:i]
	if !validName(s.name) {
		return s, fmt.Errorf("bad metric name %q", s.name)
	}
	rest := l[i:]
	if rest[0] == '{' {
		rest = rest[1:]
		for {
			if strings.HasPrefix(rest, "}") {
				rest = rest[1:]
				break
			}
			eq := strings.Index(rest, `="`)
			if eq < 0 || !validName(rest[:eq]) {
				return s, fmt.Errorf("bad label in %q", l)
			}
			name := rest[:eq]
			rest = rest[eq+2:]
			var v strings.Builder
			closed := false
			for j := 0; j < len(rest); j++ {
				c := rest[j]
				if c == '\\' {
					if j+1 == len(rest) {
						return s, fmt.Errorf("dangling escape in %q", l)
					}
					j++
					switch rest[j] {
					case '\\':
						v.WriteByte('\\')
					case '"':
						v.WriteByte('"')
					case 'n':
						v.WriteByte('\n')
					default:
						return s, fmt.Errorf("bad escape \\%c in %q", rest[j], l)
					}
					continue
				}
				if c == '\n' {
					return s, fmt.Errorf("raw line feed in label of %q", l)
				}
				if c == '"' {
					rest = rest[j+1:]
					closed = true
					break
				}
				v.WriteByte(c)
			}
			if !closed {
				return s, fmt.Errorf("unterminated label value in %q", l)
			}
			if _, dup := s.labels[name]; dup {
				return s, fmt.Errorf("label %s twice in %q", name, l)
			}
			s.labels[name] = v.String()
			switch {
			case strings.HasPrefix(rest, ","):
				rest = rest[1:]
			case !strings.HasPrefix(rest, "}"):
				return s, fmt.Errorf("no comma between labels in %q", l)
			}
		}
	}
	if !strings.HasPrefix(rest, " ") {
		return s, fmt.Errorf("no space before value in %q", l)
	}
	val := rest[1:]
	switch val {
	case "+Inf":
		s.value = math.Inf(1)
	case "-Inf":
		s.value = math.Inf(-1)
	case "NaN":
		s.value = math.NaN()
	default:
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return s, fmt.Errorf("value %q: %w", val, err)
		}
		s.value = f
	}
	return s, nil
}

func sortedLabels(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// seriesID is the labels without le, to group a histogram's lines.
func seriesID(labels map[string]string) string {
	c := map[string]string{}
	for k, v := range labels {
		if k != "le" {
			c[k] = v
		}
	}
	return fmt.Sprint(sortedLabels(c))
}

func checkHistogram(f *family) error {
	type series struct {
		les            []float64
		counts         []float64
		count          float64
		hasCnt, hasSum bool
	}
	all := map[string]*series{}
	get := func(id string) *series {
		if all[id] == nil {
			all[id] = &series{}
		}
		return all[id]
	}
	for _, s := range f.samples {
		ser := get(seriesID(s.labels))
		switch s.name {
		case f.name + "_bucket":
			le, ok := s.labels["le"]
			if !ok {
				return fmt.Errorf("%s: bucket without le", f.name)
			}
			b, err := strconv.ParseFloat(le, 64)
			if le == "+Inf" {
				b, err = math.Inf(1), nil
			}
			if err != nil {
				return fmt.Errorf("%s: le %q: %w", f.name, le, err)
			}
			if n := len(ser.les); n > 0 && (b <= ser.les[n-1] || s.value < ser.counts[n-1]) {
				return fmt.Errorf("%s: buckets not ascending and cumulative at le=%s", f.name, le)
			}
			ser.les = append(ser.les, b)
			ser.counts = append(ser.counts, s.value)
		case f.name + "_count":
			ser.count, ser.hasCnt = s.value, true
		case f.name + "_sum":
			ser.hasSum = true
		}
	}
	for id, ser := range all {
		n := len(ser.les)
		if n == 0 || !math.IsInf(ser.les[n-1], 1) {
			return fmt.Errorf("%s%s: no +Inf bucket", f.name, id)
		}
		if !ser.hasCnt || !ser.hasSum {
			return fmt.Errorf("%s%s: _count or _sum missing", f.name, id)
		}
		if ser.count != ser.counts[n-1] {
			return fmt.Errorf("%s%s: _count %v != +Inf bucket %v", f.name, id, ser.count, ser.counts[n-1])
		}
	}
	return nil
}

// find returns the value of the sample with exactly these labels.
func (e exposition) find(name string, labels ...string) (float64, bool) {
	fam := name
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		if f, ok := e[strings.TrimSuffix(name, suf)]; ok && f.typ == "histogram" {
			fam = f.name
		}
	}
	f, ok := e[fam]
	if !ok {
		return 0, false
	}
next:
	for _, s := range f.samples {
		if s.name != name || len(s.labels) != len(labels)/2 {
			continue
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if s.labels[labels[i]] != labels[i+1] {
				continue next
			}
		}
		return s.value, true
	}
	return 0, false
}
