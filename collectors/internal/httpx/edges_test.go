package httpx_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
)

// The tests in this file pin the edges that mutation testing found
// unchecked (docs/testing.md): defaults of a zero Client, limits taken
// at exactly their value, and what a request carries.

// A zero BaseDelay and MaxDelay mean the defaults, and the backoff doubles
// up to a set MaxDelay and stays there.
func TestBackoffDefaultsAndCap(t *testing.T) {
	tests := []struct {
		name string
		c    httpx.Client
		want []time.Duration
	}{
		{"defaults", httpx.Client{MaxAttempts: 3}, []time.Duration{httpx.DefaultBaseDelay, 2 * httpx.DefaultBaseDelay}},
		{"capped", httpx.Client{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 3 * time.Second}, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(status(503))
			defer srv.Close()
			clock := clocktest.NewFakeClock(t0)
			c := tt.c
			c.HTTP, c.Clock = srv.Client(), clock
			if _, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil); err == nil {
				t.Fatal("no error after only 503 answers")
			}
			if got := clock.Sleeps(); !slices.Equal(got, tt.want) {
				t.Errorf("waits %v, want %v", got, tt.want)
			}
		})
	}
}

// A Retry-After of exactly the allowed maximum is waited, not refused.
func TestRetryAfterAtTheLimitIsWaited(t *testing.T) {
	h, _ := seq(status(429, "Retry-After", "5"), ok("ja"))
	srv := httptest.NewServer(h)
	defer srv.Close()
	clock := clocktest.NewFakeClock(t0)
	c := &httpx.Client{HTTP: srv.Client(), Clock: clock, MaxRetryAfter: 5 * time.Second}
	body, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
	if err != nil || string(body) != "ja" {
		t.Fatalf("body %q, err %v", body, err)
	}
	if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{5 * time.Second}) {
		t.Errorf("waits %v, want [5s]", got)
	}
}

// The error says how many attempts were made only when there were several.
func TestErrorNamesAttempts(t *testing.T) {
	for _, tt := range []struct {
		code       int
		attempts   string
		statusText string
	}{
		{404, "", "HTTP 404 from "},
		{500, "after 2 attempts: ", "HTTP 500 from "},
	} {
		srv := httptest.NewServer(status(tt.code))
		c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0), MaxAttempts: 2}
		_, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
		srv.Close()
		want := tt.attempts + tt.statusText + srv.URL + ": " + http.StatusText(tt.code)
		if err == nil || err.Error() != want {
			t.Errorf("%d: error %v, want %q", tt.code, err, want)
		}
	}
	if got := (&httpx.StatusError{Code: 502, URL: "http://x"}).Error(); got != "HTTP 502 from http://x" {
		t.Errorf("without a body: %q", got)
	}
}

// recorder is a transport that notes that it was used.
type recorder struct{ used int }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.used++
	return http.DefaultTransport.RoundTrip(req)
}

// The request goes through the configured HTTP client, as GET unless told
// otherwise, with the configured User-Agent.
func TestRequestCarriesMethodAndUserAgent(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.UserAgent())
	}))
	defer srv.Close()
	rt := &recorder{}
	c := &httpx.Client{HTTP: &http.Client{Transport: rt}, Clock: clocktest.NewFakeClock(t0), UserAgent: "sik-dashboard/1"}
	for _, r := range []httpx.Request{{URL: srv.URL}, {Method: http.MethodPost, URL: srv.URL, Body: []byte("{}")}} {
		if _, err := c.Do(context.Background(), r, nil); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"GET sik-dashboard/1", "POST sik-dashboard/1"}; !slices.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
	if rt.used != 2 {
		t.Errorf("configured transport used %d times, want 2", rt.used)
	}
}

// An answer of exactly MaxBody bytes is read whole; a 300 answer is not a
// success.
func TestBodyAtTheLimitAndStatus300(t *testing.T) {
	srv := httptest.NewServer(ok(strings.Repeat("x", 1000)))
	defer srv.Close()
	c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0), MaxBody: 1000}
	if body, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil); err != nil || len(body) != 1000 {
		t.Errorf("%d bytes, err %v", len(body), err)
	}
	srv300 := httptest.NewServer(status(300))
	defer srv300.Close()
	c.HTTP = srv300.Client()
	var se *httpx.StatusError
	if _, err := c.Do(context.Background(), httpx.Request{URL: srv300.URL}, nil); !errors.As(err, &se) || se.Code != 300 {
		t.Errorf("300 answer: err %v, want StatusError 300", err)
	}
}

// The start of an error answer is kept whole up to 200 characters.
func TestErrorBodySnippet(t *testing.T) {
	for _, n := range []int{200, 201} {
		body := strings.Repeat("a", n)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			_, _ = w.Write([]byte(body))
		}))
		c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0)}
		_, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
		srv.Close()
		var se *httpx.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("err %v", err)
		}
		want := body
		if n > 200 {
			want = body[:200] + "…"
		}
		if se.Body != want {
			t.Errorf("%d bytes: snippet of %d bytes, want %d", n, len(se.Body), len(want))
		}
	}
}

// A character that straddles the 200-byte cut is left out whole, so the
// snippet stays valid text (docs/testing.md, mutation testing).
func TestErrorBodySnippetCutsWholeCharacters(t *testing.T) {
	body := strings.Repeat("a", 199) + "ööö"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0)}
	_, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
	var se *httpx.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("err %v", err)
	}
	if want := strings.Repeat("a", 199) + "…"; se.Body != want {
		t.Errorf("snippet %q, want %q", se.Body, want)
	}
}

// Either half of the limit at zero means no limit.
func TestLimiterZeroMeansNoLimit(t *testing.T) {
	for _, l := range []struct {
		n      int
		window time.Duration
	}{{0, time.Second}, {3, 0}, {-1, time.Second}} {
		clock := clocktest.NewFakeClock(t0)
		lim := httpx.NewLimiter(l.n, l.window, clock)
		for range 10 {
			if err := lim.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if clock.Slept() != 0 {
			t.Errorf("limit %d per %s waited %s", l.n, l.window, clock.Slept())
		}
	}
}

// A call that does not fit waits only until the oldest call in the window
// leaves it.
func TestLimiterWaitsForTheRestOfTheWindow(t *testing.T) {
	clock := clocktest.NewFakeClock(t0)
	l := httpx.NewLimiter(2, 10*time.Second, clock)
	ctx := context.Background()
	_ = l.Wait(ctx)                     // t0
	_ = clock.Sleep(ctx, 4*time.Second) // t0+4s
	_ = l.Wait(ctx)
	if err := l.Wait(ctx); err != nil { // must wait until t0+10s
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{4 * time.Second, 6 * time.Second}) {
		t.Errorf("waits %v, want [4s 6s]", got)
	}
}
