// Package metrics keeps the dashboard's operational metrics in a
// Prometheus client registry, so an operator can scrape /metrics with a
// stock Prometheus and alert on a refresh that stopped succeeding or pages
// that got slow.
//
// Each Registry wraps its own prometheus.Registry (never the global one),
// so two servers in one process (tests, the load test) do not mix their
// figures. It also carries the Go runtime and process collectors. The
// exposition (text format, or OpenMetrics when the scraper asks for it)
// is client_golang's promhttp.
//
// Every recording method is safe for concurrent use and does nothing on a
// nil *Registry, so code that may run without metrics (tests,
// sub-commands) needs no checks.
//
// Label values are bounded by construction: routes are the server's route
// patterns (never raw paths), statuses are classes ("2xx"), sources and
// import kinds come from code and config, not from requests.
//
// Adding a metric: add its Name constant, a field made and registered in
// NewRegistry (children with a fixed label set made there too, so they
// read 0 before the first event), and a nil-safe recording method that
// passes label values through labelValue; then test it through scrape in
// registry_test.go.
package metrics
