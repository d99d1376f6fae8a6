package server

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/gzsplice"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// The comparison page's fast path (#15). The page cache keys on the whole
// URL, and with 290 municipalities × years × indicators nearly every
// request is a miss that built, escaped and compressed a whole page. But
// pages of one view (indicator, measure, year, base, period, group) differ
// only in the highlighted municipality: its row, option, bar, county line,
// links and sources. So per view and data version the server keeps a
// compareEntry: the ranking (report.CompareBase), the page rendered once
// with nothing highlighted and cut where the highlighted parts go, each
// static piece compressed once, and the long lists (options, rows) in
// precompressed runs. A page is then its view's pieces with the small
// parts written by hand, sent as a gzip stream joined from the pieces
// (gzsplice) or plain. Brotli streams cannot be joined: such pages go out
// gzip even to clients that accept br.

// compareEntry is what every anonymous page of one view shares. Built
// once (once), read-only afterwards.
type compareEntry struct {
	once sync.Once
	err  error

	base       *report.CompareBase
	v0         *report.CompareView // nothing highlighted
	hasData    bool
	rowSources bool
	// statics are the page's shared pieces; marks[i] is the hand-written
	// part between statics[i] and statics[i+1].
	statics []*gzsplice.Segment
	marks   []string
	picker  *picker
	rows    *chunkList[rowKey]
	// rowHTML keeps the group's rows as pages write them (rowKey →
	// []byte): an outsider shifts the ranks below it, so a row has at
	// most two ranks, highlighted or not.
	rowHTML sync.Map
	// rowRuns keeps a small group's runs of rows compressed, by their
	// rows' keys (writeRowRuns): about three per group member.
	rowRuns sync.Map
	frame   *charts.RankingFrame
	bars    map[barKey]charts.BarJSON // the group's bars, plain and highlighted
	etag    string                    // the view's part of the pages' ETags
}

type barKey struct {
	code     string
	selected bool
}

// sameSources reports whether v's rows can use the shared rows: they
// number their sources by the page's source list, which the highlighted
// municipality's county can extend.
func (e *compareEntry) sameSources(v *report.CompareView) bool {
	return !v.RowSources || slices.Equal(v.Sources, e.v0.Sources)
}

// fits reports whether the shared pieces fit v: an outsider with figures
// the group lacks can move the default year or base, give the chart its
// only figure, or bring a second source (a column more).
func (e *compareEntry) fits(v *report.CompareView) bool {
	return v.Params.Year == e.v0.Params.Year && v.Params.Base == e.v0.Params.Base &&
		anyRank(v.Rows) == e.hasData && v.RowSources == e.rowSources
}

// picker is the municipality picker's options, the same on every view:
// rendered once with nothing selected in precompressed runs, and each run
// also cut where each of its options' " selected" goes, so a page sends
// its selection as two precompressed pieces around the word.
type picker struct {
	version int64
	opts    []option
	index   map[string]int // option value → position
	segs    []*gzsplice.Segment
	// before and after are, per option, its run cut where its
	// " selected" goes, each compressed: the page with that option
	// selected sends them around the word.
	before, after []*gzsplice.Segment
}

// pickerRun is the options per precompressed run of the picker.
const pickerRun = chunkSize

func newPicker(version int64, opts []option) *picker {
	pk := &picker{version: version, opts: opts, index: make(map[string]int, len(opts)),
		before: make([]*gzsplice.Segment, len(opts)), after: make([]*gzsplice.Segment, len(opts))}
	for from := 0; from < len(opts); from += pickerRun {
		var w plainWriter
		var at []int
		for i := from; i < min(from+pickerRun, len(opts)); i++ {
			pk.index[opts[i].Value] = i
			writeOption(&w, opts, i, false)
			at = append(at, w.at)
		}
		pk.segs = append(pk.segs, gzsplice.Compress(w.b))
		for i, a := range at {
			pk.before[from+i] = gzsplice.Compress(w.b[:a:a])
			pk.after[from+i] = gzsplice.Compress(w.b[a:])
		}
	}
	return pk
}

// write writes the options with value selected (none when no option
// has it).
func (pk *picker) write(w pageWriter, selected string) {
	k, ok := pk.index[selected]
	for j, seg := range pk.segs {
		if !ok || k/pickerRun != j {
			w.Static(seg)
			continue
		}
		w.Static(pk.before[k])
		w.WriteString(" selected")
		w.Static(pk.after[k])
	}
}

// compareCache holds the entries of the views asked for most recently.
// Keys carry the data version, so a change of data never serves an old
// entry; Invalidate empties it after a local write.
type compareCache struct {
	mu     sync.Mutex
	max    int
	ll     *list.List
	items  map[string]*list.Element
	picker *picker // the latest data version's
}

// pickerFor returns the picker of the data version, building it with
// opts when the version is new (members can change with the data).
func (cc *compareCache) pickerFor(version int64, opts func() []option) *picker {
	cc.mu.Lock()
	pk := cc.picker
	cc.mu.Unlock()
	if pk != nil && pk.version == version {
		return pk
	}
	pk = newPicker(version, opts())
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.picker == nil || cc.picker.version <= version {
		cc.picker = pk
	}
	return pk
}

type compareItem struct {
	key   string
	entry *compareEntry
}

func newCompareCache(max int) *compareCache {
	return &compareCache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

// get returns the key's entry, adding an empty one (to be built by the
// caller's once) when there is none.
func (cc *compareCache) get(key string) *compareEntry {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if el, ok := cc.items[key]; ok {
		cc.ll.MoveToFront(el)
		return el.Value.(*compareItem).entry
	}
	e := &compareEntry{}
	cc.items[key] = cc.ll.PushFront(&compareItem{key, e})
	for cc.ll.Len() > cc.max {
		last := cc.ll.Back()
		cc.ll.Remove(last)
		delete(cc.items, last.Value.(*compareItem).key)
	}
	return e
}

// drop removes the key's entry if it is still e (a failed build is not
// kept: the next request tries again).
func (cc *compareCache) drop(key string, e *compareEntry) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if el, ok := cc.items[key]; ok && el.Value.(*compareItem).entry == e {
		cc.ll.Remove(el)
		delete(cc.items, key)
	}
}

func (cc *compareCache) clear() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.ll.Init()
	cc.items = map[string]*list.Element{}
	cc.picker = nil
}

// templatesVersion changes with the embedded templates, so that a new
// build's pages get new ETags even when the data did not change.
var templatesVersion = func() string {
	h := sha256.New()
	_ = fs.WalkDir(templatesFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(templatesFS, path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)[:8])
}()

// compareFast answers an anonymous comparison page from its view's entry.
// It reports false (and no error) when the entry does not fit the page,
// which the caller then renders whole.
func (s *Server) compareFast(c *fiber.Ctx, q viewParams) (bool, error) {
	version, err := s.dataVersion(c)
	if err != nil {
		return true, err
	}
	g, err := s.deps.Env.ResolveGroup(q.Group, q.Kommun)
	if err != nil {
		return true, err
	}
	p := report.CompareParams{Indicator: q.Indicator, Year: q.Year, Measure: q.Measure, Base: q.Base, Period: q.Period, Group: g}
	notice := s.startupNotice()
	key := compareKey(version, notice, p)
	e := s.compares.get(key)
	built := false
	e.once.Do(func() { built, e.err = true, s.buildCompareEntry(c, e, p, key, version) })
	if e.err != nil {
		s.compares.drop(key, e)
		return true, e.err
	}
	v, err := e.base.View(q.Kommun)
	if err != nil {
		return true, err
	}
	if !e.fits(v) {
		return false, nil
	}
	// The view is what is cached here: a lookup that built it is a miss.
	if built {
		s.deps.Metrics.CacheMiss()
	} else {
		s.deps.Metrics.CacheHit()
	}
	etag := `"` + e.etag + "-" + v.Params.Kommun + `"`
	c.Set(fiber.HeaderCacheControl, "public, max-age=0, must-revalidate")
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderVary, "Cookie, Accept-Encoding")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return true, c.SendStatus(fiber.StatusNotModified)
	}
	body := bodies.Get().(*gzsplice.Body)
	defer func() { body.Reset(); bodies.Put(body) }()
	if err := s.compareBody(body, e, v); err != nil {
		return true, err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// Written into the response's own pooled buffer.
	c.Response().ResetBody()
	if c.Request().Header.HasAcceptEncoding("gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return true, body.WriteGzip(c.Response().BodyWriter())
	}
	return true, body.WritePlain(c.Response().BodyWriter())
}

// bodies are reused page assemblies (their buffers grow to a page's
// hand-written parts once).
var bodies = sync.Pool{New: func() any { return &gzsplice.Body{} }}

// compareKey names a view: the data version, the startup notice (part of
// the layout), and the parameters with the group resolved (a county or
// similar-municipalities group follows the highlighted municipality).
func compareKey(version int64, notice string, p report.CompareParams) string {
	b := make([]byte, 0, 128+len(notice)+5*len(p.Group.Codes))
	b = strconv.AppendInt(b, version, 10)
	for _, f := range []string{notice, p.Indicator, string(p.Measure), p.Group.Key, p.Group.Name} {
		b = append(append(b, 0), f...)
	}
	for _, n := range []int{p.Year, p.Base, p.Period} {
		b = strconv.AppendInt(append(b, 0), int64(n), 10)
	}
	b = append(b, 0)
	for i, c := range p.Group.Codes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c...)
	}
	return string(b)
}

// compareBody assembles v's page from e's pieces.
func (s *Server) compareBody(body *gzsplice.Body, e *compareEntry, v *report.CompareView) error {
	content := &compareContent{V: v, Frame: e.frame, Links: compareLinks(v), fast: e}
	for i, seg := range e.statics {
		body.Static(seg)
		if i < len(e.marks) {
			if err := s.writeCompareDyn(body, e.marks[i], content); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildCompareEntry ranks the view, renders its page with nothing
// highlighted and markers where the highlighted parts go, and cuts and
// compresses the pieces.
func (s *Server) buildCompareEntry(c *fiber.Ctx, e *compareEntry, p report.CompareParams, key string, version int64) error {
	base, err := report.NewCompareBase(c.UserContext(), s.deps.Env, s.deps.Data, p)
	if err != nil {
		return err
	}
	v0, err := base.View("")
	if err != nil {
		return err
	}
	content, err := s.compareContent(v0)
	if err != nil {
		return err
	}
	content.marks = true
	page, err := s.execute("compare", s.comparePageData(content))
	if err != nil {
		return err
	}
	parts := bytes.Split(page, []byte{0})
	if len(parts)%2 != 1 {
		return fmt.Errorf("server: compare page: %d markers, a name holds a NUL", len(parts)-1)
	}
	for i, part := range parts {
		if i%2 == 0 {
			e.statics = append(e.statics, gzsplice.Compress(part))
			continue
		}
		name := string(part)
		if err := s.writeCompareDyn(&plainWriter{}, name, content); err != nil || !slices.Contains([]string{"heading", "kommuner", "chart", "exports", "rows", "sources"}, name) {
			return fmt.Errorf("server: compare page: unknown part %q (%v)", name, err)
		}
		e.marks = append(e.marks, name)
	}
	e.base, e.v0, e.hasData, e.rowSources, e.frame = base, v0, content.HasData, v0.RowSources, content.Frame
	e.picker = s.compares.pickerFor(version, func() []option { return s.municipalityOptions("\x00", true) })
	keys := make([]rowKey, len(v0.Rows))
	e.bars = make(map[barKey]charts.BarJSON, 2*len(v0.Rows))
	for i, r := range v0.Rows {
		keys[i] = rowKey{r.Code, r.Rank, false}
		for _, sel := range []bool{false, true} {
			r.Selected = sel
			if e.bars[barKey{r.Code, sel}], err = e.frame.Bar(compareBar(r)); err != nil {
				return err
			}
		}
	}
	e.rows = newChunkList(keys, func(w pageWriter, i int) { s.writeCompareRow(w, v0, v0.Rows[i]) })
	sum := sha256.Sum256([]byte(key + "\x00" + templatesVersion + "\x00" + assetVersion))
	e.etag = "c" + hex.EncodeToString(sum[:10])
	return nil
}

// compareEntries is the number of views kept: the default view of 5
// indicators × 50 years is 250.
const compareEntries = 300
