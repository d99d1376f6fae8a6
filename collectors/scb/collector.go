package scb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Collector fetches the configured SCB tables. One Collector holds one rate
// limiter, so all its requests together stay within SCB's call limit.
type Collector struct {
	cfg     config.SCB
	regions *domain.Regions
	base    string
	lang    string
	http    *httpx.Client
	limiter *httpx.Limiter
	clock   httpx.Clock
	log     *slog.Logger

	mu   sync.Mutex
	last Stats
}

// Stats describes the last Collect beyond what domain.Collection carries.
type Stats struct {
	// SkippedRegions counts region codes in answers that the dashboard
	// does not know (say, a code SCB added after a merger), once per
	// answer; their figures are logged, not stored.
	SkippedRegions int
	// Limits are the limits used: from SCB's /config, or the defaults.
	MaxCells, MaxCalls int
	TimeWindow         time.Duration
}

// Option adjusts a Collector, mainly for tests.
type Option func(*Collector)

// WithHTTPClient sets the HTTP client (httptest servers, proxies).
func WithHTTPClient(hc *http.Client) Option { return func(c *Collector) { c.http.HTTP = hc } }

// WithClock sets the clock of the rate limiter, the backoff and FetchedAt,
// so tests never wait real seconds.
func WithClock(clock httpx.Clock) Option { return func(c *Collector) { c.clock = clock } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(c *Collector) { c.log = l } }

// WithBackoff sets the first and the longest retry wait.
func WithBackoff(base, max time.Duration) Option {
	return func(c *Collector) { c.http.BaseDelay, c.http.MaxDelay = base, max }
}

// New builds a collector. regions is the dashboard's code list: SCB
// figures for codes outside it are skipped.
func New(cfg config.SCB, regions *domain.Regions, opts ...Option) *Collector {
	c := &Collector{cfg: cfg, regions: regions, clock: httpx.RealClock{}, log: slog.Default(), http: &httpx.Client{}}
	c.base = strings.TrimRight(cfg.URL, "/")
	if c.base == "" {
		c.base = DefaultBaseURL
	}
	c.lang = cfg.Language
	if c.lang == "" {
		c.lang = "sv"
	}
	for _, o := range opts {
		o(c)
	}
	if c.regions == nil {
		c.regions = domain.NewRegions(nil)
	}
	c.limiter = httpx.NewLimiter(DefaultMaxCalls, DefaultTimeWindow, c.clock)
	c.http.Limiter = c.limiter
	c.http.Clock = c.clock
	c.http.Logger = c.log
	c.http.Timeout = cfg.Timeout.Std()
	c.http.MaxAttempts = cfg.MaxAttempts
	c.http.UserAgent = "svenskaindustrikommuner-dashboard (+scb collector)"
	return c
}

// Name is the source id in config and on the admin page.
func (c *Collector) Name() string { return "scb" }

// LastStats reports the last Collect's skipped regions and limits.
func (c *Collector) LastStats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Collect fetches every configured table whose SCB stamp differs from
// seen. Each table is one domain.Unit that lands whole or not at all: a
// table that fails (its metadata, a value the config names, its data
// answer) is reported with its error and the other tables go on. Collect
// itself fails only when the whole source cannot be asked: bad config or
// the run cancelled.
func (c *Collector) Collect(ctx context.Context, seen map[string]time.Time) (domain.Collection, error) {
	col := domain.Collection{}
	if err := c.cfg.Validate(); err != nil {
		return col, domain.Errorf(domain.CodeInvalid, "SCB-konfigurationen är felaktig.", err)
	}
	fetched := c.clock.Now().UTC()
	stats := Stats{}
	lim, err := c.getConfig(ctx, &col.Requests)
	if err != nil {
		if ctx.Err() != nil {
			return domain.Collection{Requests: col.Requests}, fail("", ctx.Err())
		}
		c.log.Warn("scb: /config not readable, using published defaults", "err", err)
		lim = defaultLimits
	}
	c.limiter.SetLimit(lim.calls, lim.window)
	stats.MaxCells, stats.MaxCalls, stats.TimeWindow = lim.maxCells, lim.calls, lim.window

	metas := metaCache{c: c, n: &col.Requests, got: map[string]metaResult{}}
	for _, id := range tableOrder(c.cfg.Tables) {
		u, skipped := c.collectTable(ctx, id, seen, &metas, lim.maxCells, fetched, &col.Requests)
		if ctx.Err() != nil {
			return domain.Collection{Requests: col.Requests}, fail("", ctx.Err())
		}
		stats.SkippedRegions += skipped
		col.Units = append(col.Units, u)
	}
	c.mu.Lock()
	c.last = stats
	c.mu.Unlock()
	return col, nil
}

// metaCache reads each table's metadata once per run: a table named by
// another's newer_than is read for both.
type metaCache struct {
	c   *Collector
	n   *int
	got map[string]metaResult
}

type metaResult struct {
	meta *Dataset
	err  error
}

func (m *metaCache) get(ctx context.Context, id string) (*Dataset, error) {
	if r, ok := m.got[id]; ok {
		return r.meta, r.err
	}
	meta, err := m.c.getMetadata(ctx, id, m.n)
	if err == nil && meta.TableID != "" && !strings.EqualFold(meta.TableID, id) {
		meta, err = nil, fmt.Errorf("metadata is for table %s", meta.TableID)
	}
	m.got[id] = metaResult{meta, err}
	return meta, err
}

// collectTable is one table: its metadata, one request per shape of its
// specs (one per table in the shipped config), and every spec's figures.
func (c *Collector) collectTable(ctx context.Context, id string, seen map[string]time.Time, metas *metaCache, maxCells int, fetched time.Time, n *int) (domain.Unit, int) {
	u := domain.Unit{Ref: id}
	meta, err := metas.get(ctx, id)
	if err != nil {
		u.Err = fail(id, err)
		return u, 0
	}
	if !meta.Updated.IsZero() {
		u.Stamp = meta.Updated
		if prev, ok := seen[id]; ok && prev.Equal(meta.Updated) {
			c.log.Info("scb: table unchanged, not fetched", "table", id, "updated", meta.UpdatedRaw)
			u.Unchanged = true
			return u, 0
		}
	}
	var specs []config.SCBTable
	for _, spec := range c.cfg.Tables {
		if spec.ID != id {
			continue
		}
		spec, err := c.prepare(ctx, meta, spec, metas)
		if err != nil {
			u.Err = fail(id, fmt.Errorf("%s: %w", spec.Indicator, err))
			return u, 0
		}
		if spec.ID != "" {
			specs = append(specs, spec)
		}
	}
	if len(specs) == 0 {
		u.Unchanged = true // nothing newer than the table it follows
		return u, 0
	}
	skipped := 0
	for _, group := range groupByShape(specs) {
		obs, sk, err := c.collectGroup(ctx, meta, group, maxCells, fetched, n)
		if err != nil {
			u.Err = fail(id, err)
			return domain.Unit{Ref: id, Err: u.Err}, skipped
		}
		skipped += sk
		u.Observations = append(u.Observations, obs...)
	}
	return u, skipped
}

// prepare resolves the spec's values against the metadata and applies
// NewerThan. A spec with nothing newer than its final table comes back
// with an empty ID: it has nothing to give this run.
func (c *Collector) prepare(ctx context.Context, meta *Dataset, spec config.SCBTable, metas *metaCache) (config.SCBTable, error) {
	if spec.NewerThan != "" {
		final, err := metas.get(ctx, spec.NewerThan)
		if err != nil {
			return spec, fmt.Errorf("newer_than %s: %w", spec.NewerThan, err)
		}
		if after := newestYear(final, spec.Month) + 1; after > spec.From {
			spec.From = after
		}
		if newestYear(meta, spec.Month) < spec.From || spec.To != 0 && spec.To < spec.From {
			c.log.Info("scb: no year newer than the final table; nothing taken", "table", spec.ID, "indicator", spec.Indicator, "final", spec.NewerThan)
			return config.SCBTable{Indicator: spec.Indicator}, nil
		}
	}
	return resolveSpec(meta, spec)
}

// groupByShape splits a table's specs into the groups one request serves,
// in config order.
func groupByShape(specs []config.SCBTable) [][]config.SCBTable {
	idx := map[string]int{}
	var out [][]config.SCBTable
	for _, s := range specs {
		k := shape(s)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], s)
	}
	return out
}

func (c *Collector) collectGroup(ctx context.Context, meta *Dataset, specs []config.SCBTable, maxCells int, fetched time.Time, n *int) ([]domain.Observation, int, error) {
	p, err := planFor(meta, specs, c.regions)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", indicators(specs), err)
	}
	bodies, err := p.queries(maxCells)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", indicators(specs), err)
	}
	var out []domain.Observation
	unknown := map[string]bool{}
	skipped := 0
	id := specs[0].ID
	for _, body := range bodies {
		ds, err := c.postData(ctx, id, body, n)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", indicators(specs), err)
		}
		for _, spec := range specs {
			obs, unk, err := extract(ds, spec, c.regions, fetched)
			if err != nil {
				return nil, 0, fmt.Errorf("%s: %w", spec.Indicator, err)
			}
			out = append(out, obs...)
			for _, u := range unk {
				unknown[u] = true
			}
			skipped += len(unk)
		}
	}
	if skipped > 0 {
		codes := make([]string, 0, len(unknown))
		for u := range unknown {
			codes = append(codes, u)
		}
		c.log.Warn("scb: answer holds region codes the dashboard does not know; skipped",
			"table", id, "indicators", indicators(specs), "count", skipped, "codes", strings.Join(first(codes, 10), ","))
	}
	return out, skipped, nil
}

func indicators(specs []config.SCBTable) string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Indicator
	}
	return strings.Join(names, "+")
}

// tableOrder lists each table id once, in config order.
func tableOrder(specs []config.SCBTable) []string {
	seen := map[string]bool{}
	var ids []string
	for _, s := range specs {
		if !seen[s.ID] {
			seen[s.ID] = true
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// fail wraps an error for the run log and the admin page: a Swedish
// message for people, the details for the log.
func fail(table string, err error) error {
	if table != "" {
		err = fmt.Errorf("scb: table %s: %w", table, err)
	} else {
		err = fmt.Errorf("scb: %w", err)
	}
	msg := "Hämtningen från SCB misslyckades."
	var re *ResolveError
	switch {
	case errors.As(err, &re):
		msg = "Tabell " + table + " hos SCB passar inte konfigurationen: " + re.Swedish() + "."
	case errors.Is(err, context.DeadlineExceeded):
		msg = "SCB svarade inte i tid; hämtningen gavs upp."
	case errors.Is(err, context.Canceled):
		msg = "Hämtningen från SCB avbröts."
	case errors.Is(err, ErrFormat):
		msg = "SCB svarade med data som inte kunde tolkas"
		if table != "" {
			msg += " (tabell " + table + ")"
		}
		msg += "."
	case table != "":
		msg = "Hämtningen från SCB misslyckades (tabell " + table + ")."
	}
	return domain.Errorf(domain.CodeUnavailable, msg, err)
}
