package metrics

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metric names. They are constants so the documentation, alert rules and
// tests spell them the same way as the exposition.
const (
	NameRequestDuration      = "dashboard_http_request_duration_seconds"
	NameCollectorRuns        = "dashboard_collector_runs_total"
	NameCollectorLastSuccess = "dashboard_collector_last_success_timestamp_seconds"
	NameCollectorTables      = "dashboard_collector_tables_total"
	NameImports              = "dashboard_imports_total"
	NameDataVersion          = "dashboard_data_version"
	NameCacheLookups         = "dashboard_page_cache_lookups_total"
	NameBackups              = "dashboard_backups_total"
	NameBackupLastSuccess    = "dashboard_backup_last_success_timestamp_seconds"
	NameBackupLastFailed     = "dashboard_backup_last_failed"
	NamePagesWarmed          = "dashboard_pages_warmed_total"
	NameWarmVersion          = "dashboard_page_warm_version"
	NameWarmSeconds          = "dashboard_page_warm_last_duration_seconds"
)

// Results of warming one page (RecordWarmPage): built into the page
// cache, or failed (logged; the page is then built on its first request).
const (
	WarmBuilt  = "built"
	WarmFailed = "failed"
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

// Registry holds the dashboard's metrics. The zero value is not usable;
// call NewRegistry. A nil *Registry accepts every call and records nothing.
type Registry struct {
	reg *prometheus.Registry

	requests     *prometheus.HistogramVec
	runs         *prometheus.CounterVec
	tables       *prometheus.CounterVec
	lastSuccess  *prometheus.GaugeVec
	imports      *prometheus.CounterVec
	dataVersion  prometheus.Gauge
	cacheHits    prometheus.Counter
	cacheMisses  prometheus.Counter
	lastMu       sync.Mutex
	lastBySource map[string]float64 // the gauge only moves forward
	backups      *prometheus.CounterVec
	backupOK     prometheus.Gauge
	backupFailed prometheus.Gauge
	warmed       *prometheus.CounterVec
	warmVersion  prometheus.Gauge
	warmSeconds  prometheus.Gauge
}

// NewRegistry returns a registry with the dashboard's metrics, the Go
// runtime and the process collectors. Both import kinds and both cache
// results start at zero so a rate() over them is defined from the first
// scrape.
func NewRegistry() *Registry {
	r := &Registry{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: NameRequestDuration,
			Help:    "Time from request to response by route pattern, method and status class.",
			Buckets: DefaultBuckets}, []string{"route", "method", "code"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameCollectorRuns,
			Help: "Finished collector runs by source and status (succeeded, failed, skipped)."}, []string{"source", "status"}),
		tables: prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameCollectorTables,
			Help: "Tables (SCB) and requests (Kolada) of finished collector runs by source, table and outcome (landed, failed, unchanged)."}, []string{"source", "table", "status"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: NameCollectorLastSuccess,
			Help: "Unix time of the source's last run that succeeded or found nothing new; 0 if none on this instance."}, []string{"source"}),
		imports: prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameImports,
			Help: "Uploaded imports by outcome: confirmed (written) or rolled_back."}, []string{"kind"}),
		dataVersion: prometheus.NewGauge(prometheus.GaugeOpts{Name: NameDataVersion,
			Help: "Data version of the store as this instance last read it; it changes whenever figures change on any instance."}),
		lastBySource: map[string]float64{},
		backups: prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameBackups,
			Help: "Scheduled backups of the SQLite store by outcome (ok, failed)."}, []string{"status"}),
		backupOK: prometheus.NewGauge(prometheus.GaugeOpts{Name: NameBackupLastSuccess,
			Help: "Unix time of the last scheduled backup that was written; 0 if none since start."}),
		backupFailed: prometheus.NewGauge(prometheus.GaugeOpts{Name: NameBackupLastFailed,
			Help: "1 if the last scheduled backup failed, else 0."}),
		warmed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: NamePagesWarmed,
			Help: "Pages rebuilt in the background after a data change, by result (built, failed)."}, []string{"result"}),
		warmVersion: prometheus.NewGauge(prometheus.GaugeOpts{Name: NameWarmVersion,
			Help: "Data version whose overview and member profiles were last all rebuilt in the background; 0 if none."}),
		warmSeconds: prometheus.NewGauge(prometheus.GaugeOpts{Name: NameWarmSeconds,
			Help: "How long the last complete background rebuild of the overview and member profiles took."}),
	}
	lookups := prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameCacheLookups,
		Help: "Page and API answers looked up in the page cache, by result (hit or miss)."}, []string{"result"})
	r.cacheHits, r.cacheMisses = lookups.WithLabelValues("hit"), lookups.WithLabelValues("miss")
	r.imports.WithLabelValues(ImportConfirmed)
	r.imports.WithLabelValues(ImportRolledBack)
	r.backups.WithLabelValues("ok")
	r.backups.WithLabelValues("failed")
	r.warmed.WithLabelValues(WarmBuilt)
	r.warmed.WithLabelValues(WarmFailed)
	r.reg.MustRegister(r.requests, r.runs, r.tables, r.lastSuccess, r.imports, r.dataVersion, lookups,
		r.backups, r.backupOK, r.backupFailed, r.warmed, r.warmVersion, r.warmSeconds,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Handler serves the exposition: the text format, or OpenMetrics when the
// scraper asks for it. Compression is left to the server's middleware.
func (r *Registry) Handler() http.Handler {
	g := prometheus.Gatherer(prometheus.NewRegistry())
	if r != nil {
		g = r.reg
	}
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{EnableOpenMetrics: true, DisableCompression: true})
}

// AddSources makes each source's last-success gauge exist (at 0, "never")
// before its first run, so an alert on "no success for 40 days" also fires
// for a source that has never succeeded on this instance.
func (r *Registry) AddSources(names ...string) {
	if r == nil {
		return
	}
	r.lastMu.Lock()
	defer r.lastMu.Unlock()
	for _, n := range names {
		n = labelValue(n)
		if _, ok := r.lastBySource[n]; !ok {
			r.lastBySource[n] = 0
			r.lastSuccess.WithLabelValues(n).Set(0)
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
	r.requests.WithLabelValues(labelValue(route), labelValue(method), StatusClass(status)).Observe(d.Seconds())
}

// RecordRun records a finished collector run. status is the run's
// domain.RunStatus ("succeeded", "failed", "skipped"); a succeeded or
// skipped run sets the source's last-success time to finished, unless an
// earlier call recorded a later one.
func (r *Registry) RecordRun(source, status string, finished time.Time) {
	if r == nil {
		return
	}
	source = labelValue(source)
	r.runs.WithLabelValues(source, labelValue(status)).Inc()
	r.lastMu.Lock()
	defer r.lastMu.Unlock()
	last, known := r.lastBySource[source]
	if status == runSucceeded || status == runSkipped {
		if ts := float64(finished.UnixNano()) / 1e9; ts > last {
			last = ts
		}
	} else if known {
		return
	}
	r.lastBySource[source] = last
	r.lastSuccess.WithLabelValues(source).Set(last)
}

// RecordTable counts the outcome of one table (or Kolada request) of a
// finished run: status is a domain.TableStatus ("landed", "failed",
// "unchanged"). Table ids come from config, so the label set is bounded.
func (r *Registry) RecordTable(source, table, status string) {
	if r == nil {
		return
	}
	r.tables.WithLabelValues(labelValue(source), labelValue(table), labelValue(status)).Inc()
}

// RecordImport counts an upload confirmed (ImportConfirmed) or a batch
// rolled back (ImportRolledBack).
func (r *Registry) RecordImport(kind string) {
	if r != nil {
		r.imports.WithLabelValues(labelValue(kind)).Inc()
	}
}

// RecordBackup counts a scheduled backup; a written one sets the
// last-success time, a failed one raises the failed flag until the next
// success, so an alert can fire on either "failed" or "too old".
func (r *Registry) RecordBackup(ok bool, at time.Time) {
	if r == nil {
		return
	}
	if ok {
		r.backups.WithLabelValues("ok").Inc()
		r.backupOK.Set(float64(at.UnixNano()) / 1e9)
		r.backupFailed.Set(0)
		return
	}
	r.backups.WithLabelValues("failed").Inc()
	r.backupFailed.Set(1)
}

// SetDataVersion publishes the store's data version; instances that show
// different versions for long are not seeing each other's writes.
func (r *Registry) SetDataVersion(v int64) {
	if r != nil {
		r.dataVersion.Set(float64(v))
	}
}

// CacheHit counts a page or API answer served from the page cache.
func (r *Registry) CacheHit() {
	if r != nil {
		r.cacheHits.Inc()
	}
}

// CacheMiss counts a page or API answer that had to be built.
func (r *Registry) CacheMiss() {
	if r != nil {
		r.cacheMisses.Inc()
	}
}

// RecordWarmPage counts a page rebuilt in the background (WarmBuilt or
// WarmFailed).
func (r *Registry) RecordWarmPage(result string) {
	if r != nil {
		r.warmed.WithLabelValues(labelValue(result)).Inc()
	}
}

// RecordWarmPass records a complete background rebuild: the data version
// it was for and how long it took.
func (r *Registry) RecordWarmPass(version int64, took time.Duration) {
	if r != nil {
		r.warmVersion.Set(float64(version))
		r.warmSeconds.Set(took.Seconds())
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

// labelValue replaces invalid UTF-8, which the client library refuses
// (it panics), so a source name from a config file can never break the
// exposition; the library escapes the rest.
func labelValue(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
