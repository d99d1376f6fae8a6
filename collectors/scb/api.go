package scb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
)

// apiConfig is the part of GET /config the collector uses.
type apiConfig struct {
	MaxDataCells          int `json:"maxDataCells"`
	MaxCallsPerTimeWindow int `json:"maxCallsPerTimeWindow"`
	TimeWindow            int `json:"timeWindow"` // seconds
}

// limits are SCB's published limits for one Collect.
type limits struct {
	maxCells int
	calls    int
	window   time.Duration
}

var defaultLimits = limits{DefaultMaxCells, DefaultMaxCalls, DefaultTimeWindow}

// parseAPIConfig reads SCB's /config answer. Missing or non-positive limits
// fall back to the published defaults, field by field.
func parseAPIConfig(b []byte) (limits, error) {
	var c apiConfig
	if err := json.Unmarshal(b, &c); err != nil {
		return defaultLimits, fmt.Errorf("config: %w", err)
	}
	l := defaultLimits
	if c.MaxDataCells > 0 {
		l.maxCells = c.MaxDataCells
	}
	if c.MaxCallsPerTimeWindow > 0 {
		l.calls = c.MaxCallsPerTimeWindow
	}
	if c.TimeWindow > 0 && c.TimeWindow <= 3600 {
		l.window = time.Duration(c.TimeWindow) * time.Second
	}
	return l, nil
}

func (c *Collector) tableURL(id, suffix string, q url.Values) string {
	u := c.base + "/tables/" + url.PathEscape(id) + "/" + suffix
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (c *Collector) getConfig(ctx context.Context, n *int) (limits, error) {
	b, err := c.http.Do(ctx, httpx.Request{URL: c.base + "/config", Header: jsonAccept()}, n)
	if err != nil {
		return defaultLimits, err
	}
	return parseAPIConfig(b)
}

func (c *Collector) getMetadata(ctx context.Context, id string, n *int) (*Dataset, error) {
	b, err := c.http.Do(ctx, httpx.Request{URL: c.tableURL(id, "metadata", url.Values{"lang": {c.lang}}), Header: jsonAccept()}, n)
	if err != nil {
		return nil, err
	}
	meta, err := ParseMetadata(b)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return meta, nil
}

func (c *Collector) postData(ctx context.Context, id string, body []byte, n *int) (*Dataset, error) {
	u := c.tableURL(id, "data", url.Values{"lang": {c.lang}, "outputFormat": {"json-stat2"}})
	b, err := c.http.Do(ctx, httpx.Request{Method: http.MethodPost, URL: u, Body: body, Header: jsonAccept()}, n)
	if err != nil {
		return nil, err
	}
	ds, err := ParseJSONStat(b)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return ds, nil
}

func jsonAccept() http.Header { return http.Header{"Accept": {"application/json"}} }
