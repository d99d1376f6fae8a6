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
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Collector fetches the configured SCB tables. One Collector holds one rate
// limiter, so all its requests together stay within SCB's call limit.
type Collector struct {
	cfg     Config
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
func New(cfg Config, regions *domain.Regions, opts ...Option) *Collector {
	c := &Collector{cfg: cfg, regions: regions, clock: httpx.RealClock{}, log: slog.Default(), http: &httpx.Client{}}
	c.base = strings.TrimRight(cfg.BaseURL, "/")
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
	c.http.Timeout = cfg.Timeout
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
// seen. It is all or nothing: on any error it returns no observations, so
// a run that fails half-way changes nothing.
func (c *Collector) Collect(ctx context.Context, seen map[string]time.Time) (domain.Collection, error) {
	col := domain.Collection{Stamps: map[string]time.Time{}}
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

	for _, id := range tableOrder(c.cfg.Tables) {
		meta, err := c.getMetadata(ctx, id, &col.Requests)
		if err != nil {
			return domain.Collection{Requests: col.Requests}, fail(id, err)
		}
		if meta.TableID != "" && !strings.EqualFold(meta.TableID, id) {
			return domain.Collection{Requests: col.Requests}, fail(id, fmt.Errorf("metadata is for table %s", meta.TableID))
		}
		if !meta.Updated.IsZero() {
			col.Stamps[id] = meta.Updated
			if prev, ok := seen[id]; ok && prev.Equal(meta.Updated) {
				col.Unchanged = append(col.Unchanged, id)
				c.log.Info("scb: table unchanged, not fetched", "table", id, "updated", meta.UpdatedRaw)
				continue
			}
		}
		for _, spec := range c.cfg.Tables {
			if spec.ID != id {
				continue
			}
			obs, skipped, err := c.collectSpec(ctx, meta, spec, lim.maxCells, fetched, &col.Requests)
			if err != nil {
				return domain.Collection{Requests: col.Requests}, fail(id, err)
			}
			stats.SkippedRegions += skipped
			col.Observations = append(col.Observations, obs...)
		}
	}
	c.mu.Lock()
	c.last = stats
	c.mu.Unlock()
	return col, nil
}

func (c *Collector) collectSpec(ctx context.Context, meta *Dataset, spec TableSpec, maxCells int, fetched time.Time, n *int) ([]domain.Observation, int, error) {
	p, err := buildPlan(meta, spec, c.regions)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", spec.Indicator, err)
	}
	bodies, err := p.queries(maxCells)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", spec.Indicator, err)
	}
	var out []domain.Observation
	unknown := map[string]bool{}
	skipped := 0
	for _, body := range bodies {
		ds, err := c.postData(ctx, spec.ID, body, n)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", spec.Indicator, err)
		}
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
	if skipped > 0 {
		codes := make([]string, 0, len(unknown))
		for u := range unknown {
			codes = append(codes, u)
		}
		c.log.Warn("scb: answer holds region codes the dashboard does not know; skipped",
			"table", spec.ID, "indicator", spec.Indicator, "count", skipped, "codes", strings.Join(first(codes, 10), ","))
	}
	return out, skipped, nil
}

// tableOrder lists each table id once, in config order.
func tableOrder(specs []TableSpec) []string {
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
	switch {
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
