// Package metrics keeps the dashboard's operational counters and writes
// them in the Prometheus text exposition format (version 0.0.4), so an
// operator can scrape /metrics with a stock Prometheus and alert on a
// refresh that stopped succeeding or pages that got slow.
//
// It has no dependency beyond the standard library: the dashboard needs a
// handful of counters, one histogram and a few gauges, and a client
// library would add a module and a global registry for that. Every method
// is safe for concurrent use and does nothing on a nil *Registry, so code
// that may run without metrics (tests, sub-commands) needs no checks.
//
// Label values are bounded by construction: routes are the server's route
// patterns (never raw paths), statuses are classes ("2xx"), sources and
// import kinds come from code and config, not from requests.
package metrics
