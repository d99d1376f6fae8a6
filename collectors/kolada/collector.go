package kolada

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Kolada publishes no rate limit; this keeps the collector polite (and
// below SCB's, which Kolada's host is no part of).
const (
	defaultCalls  = 10
	defaultWindow = 10 * time.Second
	maxBody       = 32 << 20 // a full page of 5,000 values is about 1 MB
)

// Collector fetches the configured Kolada KPIs.
type Collector struct {
	cfg     config.Kolada
	regions *domain.Regions
	base    *url.URL
	baseErr error
	http    *httpx.Client
	clock   httpx.Clock
	log     *slog.Logger

	rateCalls  int
	rateWindow time.Duration

	mu   sync.Mutex
	last Stats
}

// Stats describes the last Collect beyond what domain.Collection carries.
type Stats struct {
	// SkippedRegions counts rows for ids that are not a region the
	// dashboard knows (Kolada's municipality groups, retired codes).
	SkippedRegions int
	Pages          int
}

// Option adjusts a Collector, mainly for tests.
type Option func(*Collector)

// WithHTTPClient sets the HTTP client (httptest servers, proxies).
func WithHTTPClient(hc *http.Client) Option { return func(c *Collector) { c.http.HTTP = hc } }

// WithClock sets the clock of the rate limiter, the backoff, FetchedAt
// and "this year", so tests never wait real seconds.
func WithClock(clock httpx.Clock) Option { return func(c *Collector) { c.clock = clock } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(c *Collector) { c.log = l } }

// WithBackoff sets the first and the longest retry wait.
func WithBackoff(base, max time.Duration) Option {
	return func(c *Collector) { c.http.BaseDelay, c.http.MaxDelay = base, max }
}

// WithRateLimit sets the calls allowed per window.
func WithRateLimit(calls int, window time.Duration) Option {
	return func(c *Collector) { c.rateCalls, c.rateWindow = calls, window }
}

// New builds a collector. regions is the dashboard's code list: rows for
// other ids are skipped.
func New(cfg config.Kolada, regions *domain.Regions, opts ...Option) *Collector {
	c := &Collector{cfg: cfg, regions: regions, clock: httpx.RealClock{}, log: slog.Default(), http: &httpx.Client{},
		rateCalls: defaultCalls, rateWindow: defaultWindow}
	raw := strings.TrimRight(cfg.URL, "/")
	if raw == "" {
		raw = DefaultBaseURL
	}
	c.base, c.baseErr = url.Parse(raw)
	if c.baseErr == nil && (c.base.Scheme != "https" && c.base.Scheme != "http" || c.base.Host == "") {
		c.baseErr = fmt.Errorf("base URL %q is not an http(s) URL", raw)
	}
	for _, o := range opts {
		o(c)
	}
	if c.regions == nil {
		c.regions = domain.NewRegions(nil)
	}
	c.http.Limiter = httpx.NewLimiter(c.rateCalls, c.rateWindow, c.clock)
	c.http.Clock = c.clock
	c.http.Logger = c.log
	c.http.Timeout = cfg.Timeout.Std()
	c.http.MaxAttempts = cfg.MaxAttempts
	c.http.MaxBody = maxBody
	c.http.UserAgent = "svenskaindustrikommuner-dashboard (+kolada collector)"
	return c
}

// Name is the source id in config and on the admin page.
func (c *Collector) Name() string { return "kolada" }

// LastStats reports the last Collect's skipped rows and pages.
func (c *Collector) LastStats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Collect fetches every configured KPI in as few requests as Kolada's
// limits allow: up to MaxListItems KPIs share one request (one path, the
// union of their years, pages of PageSize rows). Kolada gives no
// last-updated stamp per KPI that a run could compare, so every KPI is
// fetched each time and seen is not used. Each request (its KPIs, all
// their years and pages) is one domain.Unit that lands whole or not at
// all; Collect itself fails only for bad config or a cancelled run.
func (c *Collector) Collect(ctx context.Context, _ map[string]time.Time) (domain.Collection, error) {
	col := domain.Collection{}
	if err := c.cfg.Validate(); err != nil {
		return col, domain.Errorf(domain.CodeInvalid, "Kolada-konfigurationen är felaktig.", err)
	}
	if c.baseErr != nil {
		return col, domain.Errorf(domain.CodeInvalid, "Kolada-konfigurationen är felaktig.", fmt.Errorf("kolada: %w", c.baseErr))
	}
	now := c.clock.Now().UTC()
	stats := Stats{}
	for _, req := range requests(c.cfg.KPIs) {
		u := domain.Unit{Ref: req.ref()}
		obs, st, err := c.collectRequest(ctx, req, now, &col.Requests)
		stats.SkippedRegions += st.SkippedRegions
		stats.Pages += st.Pages
		if err != nil {
			u.Err = fail(u.Ref, err)
		} else {
			u.Observations = obs
		}
		if ctx.Err() != nil {
			return domain.Collection{Requests: col.Requests}, fail(u.Ref, ctx.Err())
		}
		col.Units = append(col.Units, u)
	}
	c.mu.Lock()
	c.last = stats
	c.mu.Unlock()
	return col, nil
}

// PageSize is the rows asked for per page: Kolada's largest page.
const PageSize = 5000

// request is the KPIs one Kolada request covers (at most MaxListItems
// distinct ids); it lands or fails as one unit.
type request []config.KoladaKPI

// ids lists the request's distinct KPI ids in config order.
func (r request) ids() []string {
	var out []string
	for _, k := range r {
		if !slices.Contains(out, k.ID) {
			out = append(out, k.ID)
		}
	}
	return out
}

func (r request) ref() string { return strings.Join(r.ids(), ",") }

// requests packs the specs into requests of at most MaxListItems distinct
// KPI ids, in the order the ids first appear in config. A KPI that feeds
// two indicators is asked for once.
func requests(specs []config.KoladaKPI) []request {
	var ids []string
	byID := map[string]request{}
	for _, s := range specs {
		if _, seen := byID[s.ID]; !seen {
			ids = append(ids, s.ID)
		}
		byID[s.ID] = append(byID[s.ID], s)
	}
	var out []request
	for start := 0; start < len(ids); start += MaxListItems {
		var r request
		for _, id := range ids[start:min(start+MaxListItems, len(ids))] {
			r = append(r, byID[id]...)
		}
		out = append(out, r)
	}
	return out
}

type cell struct {
	code      string
	indicator string
	year      int
}

// series is one stored series a KPI's rows fill: the spec's gender (the
// total by default) fills its indicator, each further split its variant.
type series struct {
	kpi, gender, indicator string
	from, to               int
}

func specSeries(spec config.KoladaKPI, thisYear int) series {
	s := series{kpi: spec.ID, gender: spec.Gender, indicator: spec.Indicator, from: spec.From, to: thisYear}
	if s.gender == "" {
		s.gender = "T"
	}
	if s.from == 0 {
		s.from = DefaultFrom
	}
	if spec.To != 0 && spec.To < s.to {
		s.to = spec.To
	}
	return s
}

// collectRequest fetches every year of the request's KPIs for every
// region and sorts the rows into the specs' series. The year list is
// split only because Kolada takes at most MaxListItems items per path
// segment; all parts belong to the one unit.
func (c *Collector) collectRequest(ctx context.Context, req request, now time.Time, n *int) ([]domain.Observation, Stats, error) {
	byKPI := map[string][]series{}
	from, to := 0, 0
	for _, spec := range req {
		s := specSeries(spec, now.Year())
		if s.from > s.to {
			return nil, Stats{}, fmt.Errorf("KPI %s: from %d is after %d", spec.ID, s.from, s.to)
		}
		if from == 0 || s.from < from {
			from = s.from
		}
		to = max(to, s.to)
		id := strings.ToUpper(spec.ID)
		byKPI[id] = append(byKPI[id], s)
		for _, g := range spec.Genders {
			v := s
			v.gender, v.indicator = g, domain.GenderVariant(spec.Indicator, g)
			byKPI[id] = append(byKPI[id], v)
		}
	}
	var years []string
	for y := from; y <= to; y++ {
		years = append(years, strconv.Itoa(y))
	}
	ids := req.ids()
	var st Stats
	values := map[cell]float64{}
	var order []cell
	source := map[cell]string{}
	unknown := map[string]bool{}
	for start := 0; start < len(years); start += MaxListItems {
		chunk := years[start:min(start+MaxListItems, len(years))]
		u := c.base.JoinPath("data", "kpi", strings.Join(ids, ","), "year", strings.Join(chunk, ","))
		u.RawQuery = url.Values{"per_page": {strconv.Itoa(PageSize)}}.Encode()
		rows, pages, err := c.fetchAll(ctx, u.String(), n)
		st.Pages += pages
		if err != nil {
			return nil, st, err
		}
		for _, r := range rows {
			kpi := r.KPI
			if kpi == "" && len(ids) == 1 {
				kpi = ids[0] // an answer for one KPI may leave it out
			}
			targets, ok := byKPI[strings.ToUpper(kpi)]
			if !ok {
				return nil, st, fmt.Errorf("%w: row for KPI %q in the answer for %s", ErrFormat, r.KPI, req.ref())
			}
			code, ok := scbCode(r.Municipality, c.regions)
			if !ok {
				unknown[r.Municipality] = true
				st.SkippedRegions++
				continue
			}
			for _, s := range targets {
				if r.Period < s.from || r.Period > s.to {
					continue // a year not asked for this KPI
				}
				v, ok := pick(r.Values, s.gender)
				if !ok {
					continue // missing is missing: no observation, never 0
				}
				k := cell{code, s.indicator, r.Period}
				if prev, dup := values[k]; dup {
					if prev != v {
						return nil, st, fmt.Errorf("%w: two different values for %s %s %s %d", ErrFormat, s.indicator, code, s.gender, r.Period)
					}
					continue
				}
				values[k] = v
				source[k] = s.kpi
				order = append(order, k)
			}
		}
	}
	if len(unknown) > 0 {
		list := make([]string, 0, len(unknown))
		for id := range unknown {
			list = append(list, id)
			if len(list) == 10 {
				break
			}
		}
		c.log.Info("kolada: rows for ids that are not known regions skipped (groups, retired codes)",
			"kpis", req.ref(), "rows", st.SkippedRegions, "ids", strings.Join(list, ","))
	}
	obs := make([]domain.Observation, 0, len(order))
	for _, k := range order {
		obs = append(obs, domain.Observation{
			Municipality: k.code,
			Indicator:    k.indicator,
			Year:         k.year,
			Value:        values[k],
			Source:       domain.Source{Kind: domain.SourceKolada, Ref: source[k], FetchedAt: now},
		})
	}
	return obs, st, nil
}

// pick returns the figure for gender, if Kolada has one.
func pick(vs []Value, gender string) (float64, bool) {
	for _, v := range vs {
		if v.Gender == gender {
			if v.Value == nil {
				return 0, false
			}
			return *v.Value, true
		}
	}
	return 0, false
}

// fetchAll follows the page chain from first to the end. Any break
// (an error, a page that does not parse, a loop, a link to another host,
// too many pages) fails the whole chain.
func (c *Collector) fetchAll(ctx context.Context, first string, n *int) ([]Row, int, error) {
	maxPages := c.cfg.MaxPages
	if maxPages <= 0 {
		maxPages = 1000
	}
	var rows []Row
	seen := map[string]bool{}
	next := first
	pages := 0
	for next != "" {
		if seen[next] {
			return nil, pages, fmt.Errorf("%w: page chain loops back to %s", ErrFormat, next)
		}
		if pages >= maxPages {
			return nil, pages, fmt.Errorf("%w: more than %d pages", ErrFormat, maxPages)
		}
		seen[next] = true
		b, err := c.http.Do(ctx, httpx.Request{URL: next, Header: http.Header{"Accept": {"application/json"}}}, n)
		if err != nil {
			return nil, pages, fmt.Errorf("page %d: %w", pages+1, err)
		}
		pages++
		p, err := ParsePage(b)
		if err != nil {
			return nil, pages, fmt.Errorf("page %d: %w", pages, err)
		}
		rows = append(rows, p.Values...)
		next, err = c.resolveNext(next, p.Next)
		if err != nil {
			return nil, pages, fmt.Errorf("page %d: %w", pages, err)
		}
	}
	return rows, pages, nil
}

// resolveNext makes the next link absolute and refuses links that leave
// the configured host: the link is untrusted input.
func (c *Collector) resolveNext(current, next string) (string, error) {
	if next == "" {
		return "", nil
	}
	cur, err := url.Parse(current)
	if err != nil {
		return "", err
	}
	u, err := cur.Parse(next)
	if err != nil {
		return "", fmt.Errorf("%w: next link %q: %v", ErrFormat, next, err)
	}
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return "", fmt.Errorf("%w: next link %q leaves %s", ErrFormat, next, c.base.Host)
	}
	return u.String(), nil
}

// fail wraps an error with a Swedish message for people and the details
// for the log.
func fail(kpi string, err error) error {
	err = fmt.Errorf("kolada: KPI %s: %w", kpi, err)
	msg := "Hämtningen från Kolada misslyckades (nyckeltal " + kpi + ")."
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		msg = "Kolada svarade inte i tid; hämtningen gavs upp (nyckeltal " + kpi + ")."
	case errors.Is(err, context.Canceled):
		msg = "Hämtningen från Kolada avbröts."
	case errors.Is(err, ErrFormat):
		msg = "Kolada svarade med data som inte kunde tolkas (nyckeltal " + kpi + ")."
	}
	return domain.Errorf(domain.CodeUnavailable, msg, err)
}
