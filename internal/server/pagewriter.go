package server

import (
	"html"
	"html/template"
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/gzsplice"
)

// pageWriter is where a page's hand-written parts go: a plain buffer for a
// page rendered whole, or a gzsplice.Body for a page assembled from
// precompressed static pieces (the comparison page, #15). Static writes a
// piece many pages share; a plain writer copies its bytes.
type pageWriter interface {
	WriteString(s string)
	Write(p []byte) (int, error)
	Static(seg *gzsplice.Segment)
}

// plainWriter collects a part as bytes, for templates and cached pieces.
// at is where writeOption last put (or would put) an option's " selected".
type plainWriter struct {
	b  []byte
	at int
}

func (w *plainWriter) WriteString(s string)         { w.b = append(w.b, s...) }
func (w *plainWriter) Write(p []byte) (int, error)  { w.b = append(w.b, p...); return len(p), nil }
func (w *plainWriter) Static(seg *gzsplice.Segment) { w.b = append(w.b, seg.Plain...) }

// html is the collected part for a template, which inserts it verbatim:
// every writer escapes what it writes.
func (w *plainWriter) html() template.HTML { return template.HTML(w.b) }

// writeEscaped writes text escaped for HTML text and quoted attributes.
func writeEscaped(w pageWriter, s string) { w.WriteString(html.EscapeString(s)) }

// chunkSize is how many list items (table rows, options) share one
// precompressed piece: small enough that the piece holding the one
// highlighted item is cheap to write per page, large enough to compress.
const chunkSize = 32

// chunkList is a long list (a table's rows, a select's options) rendered
// once for a view with nothing highlighted, in precompressed runs of
// chunkSize items. A page writes a run's piece when the run is the same on
// the page (its keys agree) and the items themselves otherwise.
type chunkList[K comparable] struct {
	keys []K
	segs []*gzsplice.Segment
}

// newChunkList renders the n items with render (each item self-contained)
// and compresses them in runs.
func newChunkList[K comparable](keys []K, render func(w pageWriter, i int)) *chunkList[K] {
	c := &chunkList[K]{keys: keys}
	for from := 0; from < len(keys); from += chunkSize {
		var w plainWriter
		for i := from; i < min(from+chunkSize, len(keys)); i++ {
			render(&w, i)
		}
		c.segs = append(c.segs, gzsplice.Compress(w.b))
	}
	return c
}

// write writes a page's list of n items, key(i) saying what item i is:
// each run whose keys all equal the shared list's is its piece, every
// other item is rendered. A nil list renders everything.
func (c *chunkList[K]) write(w pageWriter, n int, key func(i int) K, render func(w pageWriter, i int)) {
	for from := 0; from < n; from += chunkSize {
		to := min(from+chunkSize, n)
		if c != nil && c.same(from, to, key) {
			w.Static(c.segs[from/chunkSize])
			continue
		}
		for i := from; i < to; i++ {
			render(w, i)
		}
	}
}

func (c *chunkList[K]) same(from, to int, key func(i int) K) bool {
	if to > len(c.keys) || (to-from < chunkSize && to != len(c.keys)) {
		return false
	}
	for i := from; i < to; i++ {
		if key(i) != c.keys[i] {
			return false
		}
	}
	return true
}

// writeOption writes option i of a select's list, opening and closing
// its <optgroup> where the group changes, so that a run of options is
// self-contained and the runs joined are the whole list. The
// municipality list has 290 entries on several pages: escaping them by
// hand is many times cheaper than html/template's reflective escaping per
// field, and equally safe (every value and label is escaped).
func writeOption(w pageWriter, opts []option, i int, selected bool) {
	o := opts[i]
	prev := ""
	if i > 0 {
		prev = opts[i-1].Group
	}
	if o.Group != prev {
		if prev != "" {
			w.WriteString("</optgroup>")
		}
		if o.Group != "" {
			w.WriteString(`<optgroup label="`)
			writeEscaped(w, o.Group)
			w.WriteString(`">`)
		}
	}
	w.WriteString(`<option value="`)
	writeEscaped(w, o.Value)
	w.WriteString(`"`)
	if pw, ok := w.(*plainWriter); ok {
		pw.at = len(pw.b)
	}
	if selected {
		w.WriteString(" selected")
	}
	w.WriteString(">")
	writeEscaped(w, o.Label)
	w.WriteString("</option>")
	if i == len(opts)-1 && o.Group != "" {
		w.WriteString("</optgroup>")
	}
}

// optionsHTML writes a select's options.
func optionsHTML(opts []option) template.HTML {
	var w plainWriter
	w.b = make([]byte, 0, len(opts)*48)
	for i := range opts {
		writeOption(&w, opts, i, opts[i].Selected)
	}
	return w.html()
}

// writeChart writes a chart's element and its option as JSON data (the
// "chart" template of every page).
func writeChart(w pageWriter, id, kind, geoURL, label string, height int, option []byte) {
	w.WriteString(`<div class="chart`)
	if kind == "spark" {
		w.WriteString(" spark")
	}
	w.WriteString(`" id="`)
	writeEscaped(w, id)
	w.WriteString(`" data-option="`)
	writeEscaped(w, id+"-opt")
	w.WriteString(`" data-kind="`)
	writeEscaped(w, kind)
	w.WriteString(`"`)
	if geoURL != "" {
		w.WriteString(` data-geo="`)
		writeEscaped(w, geoURL)
		w.WriteString(`" data-map="sverige-kommuner"`)
	}
	w.WriteString(` style="height:`)
	w.WriteString(strconv.Itoa(height))
	w.WriteString(`px" role="img" aria-label="`)
	writeEscaped(w, label)
	if label != "" {
		w.WriteString(". ")
	}
	w.WriteString("Siffrorna finns i tabellen nedan.\"></div>\n<script type=\"application/json\" id=\"")
	writeEscaped(w, id+"-opt")
	w.WriteString(`">`)
	// The option is JSON from charts, which escapes <, > and & inside
	// strings: nothing in it can end the element.
	_, _ = w.Write(option)
	w.WriteString("</script>")
}

// chartHTML is writeChart for the templates.
func chartHTML(c *chartEmbed) template.HTML {
	var w plainWriter
	writeChart(&w, c.ID, c.Kind, c.GeoURL, c.Label, c.Height, []byte(c.JSON))
	return w.html()
}

// writeExports writes a view's permalink and download buttons.
func writeExports(w pageWriter, l links) {
	w.WriteString("<p class=\"actions\">\n<a class=\"button secondary\" href=\"")
	writeEscaped(w, l.Permalink)
	w.WriteString("\" rel=\"bookmark\">Permalänk</a>\n<a class=\"button secondary\" href=\"")
	writeEscaped(w, l.XLSX)
	w.WriteString("\" download>Ladda ned Excel (.xlsx)</a>\n<a class=\"button secondary\" href=\"")
	writeEscaped(w, l.CSV)
	w.WriteString("\" download>Ladda ned CSV</a>\n</p>")
}

// exportsHTML is writeExports for the templates.
func exportsHTML(l links) template.HTML {
	var w plainWriter
	writeExports(&w, l)
	return w.html()
}
