package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Defaults used when a Client field is zero.
const (
	DefaultTimeout     = 60 * time.Second
	DefaultMaxAttempts = 4
	DefaultBaseDelay   = 2 * time.Second
	DefaultMaxDelay    = 60 * time.Second
	DefaultMaxBody     = 64 << 20 // 64 MiB: a full 150,000-cell json-stat2 answer is a few MB
)

// Client sends requests with a rate limit, a per-request timeout and
// bounded retries. The zero value works (no rate limit, real clock,
// http.DefaultClient); collectors set the fields from their config.
type Client struct {
	HTTP    *http.Client
	Limiter *Limiter // shared by every request of one collector; nil = no limit
	Clock   Clock
	Logger  *slog.Logger
	// Timeout bounds one attempt (connect, headers and body).
	Timeout time.Duration
	// MaxAttempts bounds the tries of one request, the first included.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per retry up to MaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxRetryAfter is the longest Retry-After the client will wait; a
	// longer demand ends the request with an error instead of parking a run
	// for hours. Zero means MaxDelay.
	MaxRetryAfter time.Duration
	// MaxBody caps the bytes read from one answer, because answers are
	// untrusted input.
	MaxBody   int64
	UserAgent string
}

// Request is one HTTP call. Body is resent on every attempt.
type Request struct {
	Method string
	URL    string
	Body   []byte
	Header http.Header
}

// StatusError is a non-2xx answer that was not (or no longer) retried.
type StatusError struct {
	Code int
	URL  string
	Body string // the start of the answer, for the log
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("HTTP %d from %s", e.Code, e.URL)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// ErrBodyTooLarge is returned when an answer exceeds MaxBody.
var ErrBodyTooLarge = errors.New("answer larger than the configured limit")

// Do sends r until it succeeds, fails permanently or runs out of attempts,
// and returns the body of the 2xx answer. Every HTTP attempt made is added
// to *count (when count is non-nil), so callers can report requests made.
// 429 and 5xx answers, network errors, attempt timeouts and bodies cut off
// half-way are retried; other 4xx answers are not. Cancelling ctx stops at
// once, also during a backoff wait.
func (c *Client) Do(ctx context.Context, r Request, count *int) ([]byte, error) {
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	var lastErr error
	tries := 0
	for attempt := 1; attempt <= attempts; attempt++ {
		tries = attempt
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if c.Limiter != nil {
			if err := c.Limiter.Wait(ctx); err != nil {
				return nil, err
			}
		}
		if count != nil {
			*count++
		}
		body, retryAfter, retry, err := c.once(ctx, r)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		lastErr = err
		if !retry || attempt == attempts {
			break
		}
		delay := c.backoff(attempt)
		if retryAfter > 0 {
			limit := c.MaxRetryAfter
			if limit <= 0 {
				limit = c.maxDelay()
			}
			if retryAfter > limit {
				return nil, fmt.Errorf("%w (the server asks to wait %s, more than the %s allowed)", err, retryAfter, limit)
			}
			delay = retryAfter
		}
		c.logger().Warn("retrying request", "url", r.URL, "attempt", attempt, "wait", delay, "err", err)
		if err := c.clock().Sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
	if tries == 1 {
		return nil, lastErr
	}
	return nil, fmt.Errorf("after %d attempts: %w", tries, lastErr)
}

// once makes one attempt. retry says whether a failure is worth another try.
func (c *Client) once(ctx context.Context, r Request) (body []byte, retryAfter time.Duration, retry bool, err error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var rd io.Reader
	if r.Body != nil {
		rd = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(actx, method, r.URL, rd)
	if err != nil {
		return nil, 0, false, err
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if r.Body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, true, err
	}
	defer resp.Body.Close()
	limit := c.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		// A body cut off half-way (connection reset, attempt timeout).
		return nil, 0, true, fmt.Errorf("reading answer from %s: %w", r.URL, err)
	}
	if int64(len(body)) > limit {
		return nil, 0, false, fmt.Errorf("%s: %w (%d bytes)", r.URL, ErrBodyTooLarge, limit)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, 0, false, nil
	}
	serr := &StatusError{Code: resp.StatusCode, URL: r.URL, Body: snippet(body)}
	retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	if retry {
		retryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), c.clock().Now())
	}
	return nil, retryAfter, retry, serr
}

func (c *Client) backoff(attempt int) time.Duration {
	base := c.BaseDelay
	if base <= 0 {
		base = DefaultBaseDelay
	}
	d := base
	for i := 1; i < attempt; i++ {
		d *= 2
		if d >= c.maxDelay() {
			return c.maxDelay()
		}
	}
	return min(d, c.maxDelay())
}

func (c *Client) maxDelay() time.Duration {
	if c.MaxDelay <= 0 {
		return DefaultMaxDelay
	}
	return c.MaxDelay
}

func (c *Client) clock() Clock {
	if c.Clock == nil {
		return RealClock{}
	}
	return c.Clock
}

func (c *Client) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

// ParseRetryAfter reads a Retry-After header: delay seconds or an HTTP
// date (RFC 9110). It returns 0 when the header is absent, malformed or in
// the past.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if d := t.Sub(now); d > 0 {
		return d
	}
	return 0
}

// snippet keeps the first bytes of an error answer for the log, as text.
func snippet(b []byte) string {
	const limit = 200
	s := strings.ToValidUTF8(string(b), "?")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
