// Package report turns stored observations into what a page shows: the
// numbers of a chart, its table and its sources, for the comparison,
// profile, trend, map and overview views. The HTML pages, the JSON API and
// the Excel/CSV exports all read the same View, so a download holds exactly
// the numbers on the screen. It knows neither HTTP nor SQL.
package report

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Reader is what report needs of the store.
type Reader interface {
	Observations(ctx context.Context, f domain.Filter) ([]domain.Observation, error)
	DataVersion(ctx context.Context) (int64, error)
}

// IndicatorVersioner is a Reader that also knows, per indicator, the data
// version of the last write that changed its figures (the SQL store does).
// With it a new data version reloads only the tables that changed: an
// upload of one indicator no longer makes every page re-read all of them.
// An indicator it does not list counts as changed.
type IndicatorVersioner interface {
	IndicatorVersions(ctx context.Context) (map[string]int64, error)
}

// Table is one indicator's effective figures for every region and year,
// with the provenance of each. Built once per data version and shared
// read-only between requests.
type Table struct {
	Indicator domain.Indicator
	Years     []int // years with at least one figure, ascending
	// loadedAt is the data version read before the figures were: they
	// hold every write up to it (and maybe later ones).
	loadedAt int64
	values   map[string]derive.Series
	sources  map[string]map[int]int32 // code -> year -> index into srcs
	srcs     []domain.Source

	// sums memoises county and riket series completed with sums of their
	// municipalities (see Env.regionSeries): a Table never changes, and
	// re-summing 290 municipalities on every request was most of a
	// comparison's cost.
	sumMu sync.Mutex
	sums  map[string]summed
}

type summed struct {
	series derive.Series
	years  map[int]bool // the years that are sums, not the region's own figures
}

// Series returns a region's values by year (nil if it has none). Callers
// must not modify it.
func (t *Table) Series(code string) derive.Series { return t.values[code] }

// Value returns a region's figure for a year.
func (t *Table) Value(code string, year int) (float64, bool) {
	v, ok := t.values[code][year]
	return v, ok
}

// Source returns the provenance of a region's figure for a year.
func (t *Table) Source(code string, year int) (domain.Source, bool) {
	i, ok := t.sources[code][year]
	if !ok {
		return domain.Source{}, false
	}
	return t.srcs[i], true
}

// Sources lists the distinct sources behind the given regions' figures in
// the given years (all years if years is nil), for a page's source note.
func (t *Table) Sources(codes []string, years map[int]bool) []domain.Source {
	seen := map[int32]bool{}
	for _, c := range codes {
		for y, i := range t.sources[c] {
			if years == nil || years[y] {
				seen[i] = true
			}
		}
	}
	out := make([]domain.Source, 0, len(seen))
	for i := range seen {
		out = append(out, t.srcs[i])
	}
	sortSources(out)
	return out
}

// sortSources orders sources by kind, then reference.
func sortSources(out []domain.Source) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Ref < out[j].Ref
	})
}

func newTable(ind domain.Indicator, obs []domain.Observation) *Table {
	t := &Table{Indicator: ind, values: map[string]derive.Series{}, sources: map[string]map[int]int32{}}
	srcIdx := map[domain.Source]int32{}
	years := map[int]bool{}
	for _, o := range obs {
		if t.values[o.Municipality] == nil {
			t.values[o.Municipality] = derive.Series{}
			t.sources[o.Municipality] = map[int]int32{}
		}
		t.values[o.Municipality][o.Year] = o.Value
		i, ok := srcIdx[o.Source]
		if !ok {
			i = int32(len(t.srcs))
			srcIdx[o.Source] = i
			t.srcs = append(t.srcs, o.Source)
		}
		t.sources[o.Municipality][o.Year] = i
		years[o.Year] = true
	}
	for y := range years {
		t.Years = append(t.Years, y)
	}
	sort.Ints(t.Years)
	return t
}

// Data caches one Table per indicator for the current data version. The
// version is read from the store at most once per poll interval, so pages
// do not query the database on every request while several instances still
// see each other's writes within that interval.
type Data struct {
	reader  Reader
	cat     *domain.Catalogue
	poll    time.Duration
	now     func() time.Time
	mu      sync.Mutex
	version int64
	checked time.Time
	tables  map[string]*Table
	loading map[string]*sync.WaitGroup
	// derived holds results computed from several tables (the
	// cross-source checks), for the same data version as the tables.
	derived map[string]derivedResult
}

type derivedResult struct {
	version int64
	value   any
}

// DataOption configures NewData.
type DataOption func(*Data)

// WithClock sets the clock that times the poll; the default is the wall
// clock.
func WithClock(c clock.Clock) DataOption { return func(d *Data) { d.now = c.Now } }

// NewData builds the cache. poll is how stale another instance's write may
// look; 0 checks on every call.
func NewData(r Reader, cat *domain.Catalogue, poll time.Duration, opts ...DataOption) *Data {
	d := &Data{reader: r, cat: cat, poll: poll, now: clock.Real{}.Now, tables: map[string]*Table{}, loading: map[string]*sync.WaitGroup{}}
	for _, o := range opts {
		o(d)
	}
	return d
}

// Invalidate forgets the cached tables and version, for the instance that
// just wrote.
func (d *Data) Invalidate() {
	d.mu.Lock()
	d.checked = time.Time{}
	d.mu.Unlock()
}

// Version returns the current data version, polling the store when the
// last check is older than the poll interval. A new version empties the
// cache.
func (d *Data) Version(ctx context.Context) (int64, error) {
	d.mu.Lock()
	if !d.checked.IsZero() && d.now().Sub(d.checked) < d.poll {
		v := d.version
		d.mu.Unlock()
		return v, nil
	}
	d.mu.Unlock()
	v, err := d.reader.DataVersion(ctx)
	if err != nil {
		return 0, err
	}
	d.mu.Lock()
	moved := v != d.version
	d.mu.Unlock()
	var changed map[string]int64 // nil: drop every table
	if iv, ok := d.reader.(IndicatorVersioner); ok && moved {
		// Read after the version, so it holds at least the writes up to
		// v; a later write it also holds only reloads one table more.
		if changed, err = iv.IndicatorVersions(ctx); err != nil {
			changed = nil
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if v != d.version {
		d.version = v
		d.keepUnchanged(changed)
		d.derived = nil
	}
	d.checked = d.now()
	return v, nil
}

// keepUnchanged drops the tables whose indicator was written after the
// table was loaded (or is not listed in versions, or versions is nil);
// the caller holds mu.
func (d *Data) keepUnchanged(versions map[string]int64) {
	for ind, t := range d.tables {
		if w, ok := versions[ind]; !ok || w > t.loadedAt {
			delete(d.tables, ind)
		}
	}
}

// Table returns the indicator's figures for all regions and years.
func (d *Data) Table(ctx context.Context, indicator string) (*Table, error) {
	ind, ok := d.cat.Get(indicator)
	if !ok {
		return nil, domain.NotFound("indikatorn %q finns inte", indicator)
	}
	for {
		v, err := d.Version(ctx)
		if err != nil {
			return nil, err
		}
		d.mu.Lock()
		if t, ok := d.tables[indicator]; ok && d.version == v {
			d.mu.Unlock()
			return t, nil
		}
		if wg, busy := d.loading[indicator]; busy {
			// Another request is loading it: wait instead of loading twice.
			d.mu.Unlock()
			wg.Wait()
			continue
		}
		wg := &sync.WaitGroup{}
		wg.Add(1)
		d.loading[indicator] = wg
		d.mu.Unlock()

		obs, err := d.reader.Observations(ctx, domain.Filter{Indicators: []string{indicator}})
		d.mu.Lock()
		delete(d.loading, indicator)
		wg.Done()
		if err != nil {
			d.mu.Unlock()
			return nil, fmt.Errorf("report: load %s: %w", indicator, err)
		}
		t := newTable(ind, obs)
		t.loadedAt = v
		if d.version == v {
			d.tables[indicator] = t
		}
		d.mu.Unlock()
		return t, nil
	}
}

// memo returns what build gives for key, computed at most once per data
// version (two requests at once may both compute it; both get a correct
// answer).
func (d *Data) memo(ctx context.Context, key string, build func() (any, error)) (any, error) {
	v, err := d.Version(ctx)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	if r, ok := d.derived[key]; ok && r.version == v {
		d.mu.Unlock()
		return r.value, nil
	}
	d.mu.Unlock()
	val, err := build()
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	if d.version == v {
		if d.derived == nil {
			d.derived = map[string]derivedResult{}
		}
		d.derived[key] = derivedResult{version: v, value: val}
	}
	d.mu.Unlock()
	return val, nil
}
