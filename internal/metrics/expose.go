package metrics

import (
	"bytes"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// ContentType is the media type of the text exposition format that
// Prometheus (and every compatible scraper) reads.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// WriteTo writes every metric in the text exposition format: a HELP and a
// TYPE line per family, then its samples in a stable order (sorted by
// label values), so two scrapes diff cleanly.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	if r == nil {
		return 0, nil
	}
	var b bytes.Buffer
	r.writeRequests(&b)
	r.writeRuns(&b)
	r.writeImports(&b)

	header(&b, NameDataVersion, "gauge", "Data version of the store as this instance last read it; it changes whenever figures change on any instance.")
	sample(&b, NameDataVersion, nil, float64(r.dataVersion.Load()))

	header(&b, NameCacheLookups, "counter", "Page and API answers looked up in the page cache, by result (hit or miss).")
	sample(&b, NameCacheLookups, []string{"result", "hit"}, float64(r.cacheHits.Load()))
	sample(&b, NameCacheLookups, []string{"result", "miss"}, float64(r.cacheMisses.Load()))
	return b.WriteTo(w)
}

func (r *Registry) writeRequests(b *bytes.Buffer) {
	r.mu.RLock()
	keys := make([]requestKey, 0, len(r.requests))
	hs := make(map[requestKey]*histogram, len(r.requests))
	for k, h := range r.requests {
		keys = append(keys, k)
		hs[k] = h
	}
	r.mu.RUnlock()
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		}
		if a.method != c.method {
			return a.method < c.method
		}
		return a.class < c.class
	})
	header(b, NameRequestDuration, "histogram", "Time from request to response by route pattern, method and status class.")
	for _, k := range keys {
		cum, sum := hs[k].snapshot()
		labels := []string{"route", k.route, "method", k.method, "code", k.class}
		for i, bound := range r.buckets {
			sample(b, NameRequestDuration+"_bucket", append(labels, "le", formatFloat(bound)), float64(cum[i]))
		}
		total := cum[len(cum)-1]
		sample(b, NameRequestDuration+"_bucket", append(labels, "le", "+Inf"), float64(total))
		sample(b, NameRequestDuration+"_sum", labels, sum)
		sample(b, NameRequestDuration+"_count", labels, float64(total))
	}
}

func (r *Registry) writeRuns(b *bytes.Buffer) {
	r.mu.RLock()
	runs := make(map[runKey]uint64, len(r.runs))
	keys := make([]runKey, 0, len(r.runs))
	for k, c := range r.runs {
		keys = append(keys, k)
		runs[k] = c.Load()
	}
	last := make(map[string]float64, len(r.lastSuccess))
	sources := make([]string, 0, len(r.lastSuccess))
	for s, v := range r.lastSuccess {
		sources = append(sources, s)
		last[s] = v
	}
	r.mu.RUnlock()
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].source != keys[j].source {
			return keys[i].source < keys[j].source
		}
		return keys[i].status < keys[j].status
	})
	sort.Strings(sources)
	header(b, NameCollectorRuns, "counter", "Finished collector runs by source and status (succeeded, failed, skipped).")
	for _, k := range keys {
		sample(b, NameCollectorRuns, []string{"source", k.source, "status", k.status}, float64(runs[k]))
	}
	header(b, NameCollectorLastSuccess, "gauge", "Unix time of the source's last run that succeeded or found nothing new; 0 if none on this instance.")
	for _, s := range sources {
		sample(b, NameCollectorLastSuccess, []string{"source", s}, last[s])
	}
}

func (r *Registry) writeImports(b *bytes.Buffer) {
	r.mu.RLock()
	kinds := make([]string, 0, len(r.imports))
	counts := make(map[string]uint64, len(r.imports))
	for k, c := range r.imports {
		kinds = append(kinds, k)
		counts[k] = c.Load()
	}
	r.mu.RUnlock()
	sort.Strings(kinds)
	header(b, NameImports, "counter", "Uploaded imports by outcome: confirmed (written) or rolled_back.")
	for _, k := range kinds {
		sample(b, NameImports, []string{"kind", k}, float64(counts[k]))
	}
}

func header(b *bytes.Buffer, name, typ, help string) {
	b.WriteString("# HELP ")
	b.WriteString(name)
	b.WriteByte(' ')
	b.WriteString(escapeHelp(help))
	b.WriteString("\n# TYPE ")
	b.WriteString(name)
	b.WriteByte(' ')
	b.WriteString(typ)
	b.WriteByte('\n')
}

// sample writes one line; labels alternate name, value.
func sample(b *bytes.Buffer, name string, labels []string, v float64) {
	b.WriteString(name)
	if len(labels) > 0 {
		b.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(labels[i])
			b.WriteString(`="`)
			b.WriteString(EscapeLabelValue(labels[i+1]))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// EscapeLabelValue escapes a label value as the text format requires
// (backslash, double quote, line feed) and replaces invalid UTF-8, so a
// source name from a config file can never break the exposition.
func EscapeLabelValue(s string) string {
	return labelEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeHelp(s string) string { return helpEscaper.Replace(s) }

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
