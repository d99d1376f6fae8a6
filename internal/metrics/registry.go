package metrics

import (
	"sync"
	"sync/atomic"
	"time"
)

// Metric names. They are constants so the documentation, alert rules and
// tests spell them the same way as the exposition.
const (
	NameRequestDuration      = "dashboard_http_request_duration_seconds"
	NameCollectorRuns        = "dashboard_collector_runs_total"
	NameCollectorLastSuccess = "dashboard_collector_last_success_timestamp_seconds"
	NameImports              = "dashboard_imports_total"
	NameDataVersion          = "dashboard_data_version"
	NameCacheLookups         = "dashboard_page_cache_lookups_total"
)

// Import kinds for RecordImport: an analyst's upload written to the store,
// or a batch taken back out.
const (
	ImportConfirmed  = "confirmed"
	ImportRolledBack = "rolled_back"
)

// Run statuses that count as the source having answered: a run that found
// nothing new ("skipped") still proves the source is reachable and current,
// so it moves the last-success time like a run that wrote figures. The
// values are domain.RunSucceeded and domain.RunSkipped; they are repeated
// here so the package imports nothing of the project.
const (
	runSucceeded = "succeeded"
	runSkipped   = "skipped"
)

// DefaultBuckets are the request-duration histogram's upper bounds in
// seconds: a cached page answers in well under a millisecond, a cold
// comparison page over all municipalities in tens of milliseconds, and
// anything near the upper buckets is worth an alert.
var DefaultBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type requestKey struct {
	route, method, class string
}

type runKey struct {
	source, status string
}

// Registry holds the dashboard's metrics. The zero value is not usable;
// call NewRegistry. A nil *Registry accepts every call and records nothing.
type Registry struct {
	buckets []float64

	mu          sync.RWMutex
	requests    map[requestKey]*histogram
	runs        map[runKey]*atomic.Uint64
	lastSuccess map[string]float64
	imports     map[string]*atomic.Uint64

	dataVersion atomic.Int64
	cacheHits   atomic.Uint64
	cacheMisses atomic.Uint64
}

// NewRegistry returns an empty registry with DefaultBuckets. Both import
// kinds start at zero so a rate() over them is defined from the first
// scrape.
func NewRegistry() *Registry {
	r := &Registry{
		buckets:     DefaultBuckets,
		requests:    map[requestKey]*histogram{},
		runs:        map[runKey]*atomic.Uint64{},
		lastSuccess: map[string]float64{},
		imports:     map[string]*atomic.Uint64{},
	}
	r.imports[ImportConfirmed] = new(atomic.Uint64)
	r.imports[ImportRolledBack] = new(atomic.Uint64)
	return r
}

// AddSources makes each source's last-success gauge exist (at 0, "never")
// before its first run, so an alert on "no success for 40 days" also fires
// for a source that has never succeeded on this instance.
func (r *Registry) AddSources(names ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		if _, ok := r.lastSuccess[n]; !ok {
			r.lastSuccess[n] = 0
		}
	}
}

// ObserveRequest records one answered request. route must be a route
// pattern ("/kommun/:code"), never the raw path, so the label set stays
// bounded whatever URLs clients invent.
func (r *Registry) ObserveRequest(route, method string, status int, d time.Duration) {
	if r == nil {
		return
	}
	k := requestKey{route: route, method: method, class: StatusClass(status)}
	r.mu.RLock()
	h, ok := r.requests[k]
	r.mu.RUnlock()
	if !ok {
		r.mu.Lock()
		if h, ok = r.requests[k]; !ok {
			h = newHistogram(len(r.buckets))
			r.requests[k] = h
		}
		r.mu.Unlock()
	}
	h.observe(r.buckets, d.Seconds())
}

// RecordRun records a finished collector run. status is the run's
// domain.RunStatus ("succeeded", "failed", "skipped"); a succeeded or
// skipped run sets the source's last-success time to finished.
func (r *Registry) RecordRun(source, status string, finished time.Time) {
	if r == nil {
		return
	}
	k := runKey{source: source, status: status}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.runs[k]
	if !ok {
		c = new(atomic.Uint64)
		r.runs[k] = c
	}
	c.Add(1)
	if status == runSucceeded || status == runSkipped {
		ts := float64(finished.UnixNano()) / 1e9
		if ts > r.lastSuccess[source] {
			r.lastSuccess[source] = ts
		}
	} else if _, ok := r.lastSuccess[source]; !ok {
		r.lastSuccess[source] = 0
	}
}

// RecordImport counts an upload confirmed (ImportConfirmed) or a batch
// rolled back (ImportRolledBack).
func (r *Registry) RecordImport(kind string) {
	if r == nil {
		return
	}
	r.mu.RLock()
	c, ok := r.imports[kind]
	r.mu.RUnlock()
	if !ok {
		r.mu.Lock()
		if c, ok = r.imports[kind]; !ok {
			c = new(atomic.Uint64)
			r.imports[kind] = c
		}
		r.mu.Unlock()
	}
	c.Add(1)
}

// SetDataVersion publishes the store's data version; instances that show
// different versions for long are not seeing each other's writes.
func (r *Registry) SetDataVersion(v int64) {
	if r == nil {
		return
	}
	r.dataVersion.Store(v)
}

// CacheHit counts a page or API answer served from the page cache.
func (r *Registry) CacheHit() {
	if r != nil {
		r.cacheHits.Add(1)
	}
}

// CacheMiss counts a page or API answer that had to be built.
func (r *Registry) CacheMiss() {
	if r != nil {
		r.cacheMisses.Add(1)
	}
}

// StatusClass is the status label: "2xx", "4xx", ...; "other" outside
// 100-599.
func StatusClass(status int) string {
	switch status / 100 {
	case 1:
		return "1xx"
	case 2:
		return "2xx"
	case 3:
		return "3xx"
	case 4:
		return "4xx"
	case 5:
		return "5xx"
	}
	return "other"
}
