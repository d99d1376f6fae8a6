package httpx_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// seq answers each call with the next handler; the last one repeats.
func seq(hs ...http.HandlerFunc) (http.HandlerFunc, *atomic.Int32) {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(hs) {
			i = len(hs) - 1
		}
		hs[i](w, r)
	}, &n
}

func status(code int, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(http.StatusText(code)))
	}
}

func ok(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }
}

func TestDo(t *testing.T) {
	tests := []struct {
		name      string
		handlers  []http.HandlerFunc
		wantBody  string
		wantErr   bool
		wantCalls int32
		wantWaits []time.Duration
	}{
		{"success", []http.HandlerFunc{ok("a")}, "a", false, 1, nil},
		{"500 then success", []http.HandlerFunc{status(500), ok("b")}, "b", false, 2, []time.Duration{time.Second}},
		{"persistent 500", []http.HandlerFunc{status(503)}, "", true, 3, []time.Duration{time.Second, 2 * time.Second}},
		{"429 with Retry-After seconds", []http.HandlerFunc{status(429, "Retry-After", "7"), ok("c")}, "c", false, 2, []time.Duration{7 * time.Second}},
		{"429 with Retry-After date", []http.HandlerFunc{status(429, "Retry-After", t0.Add(5*time.Second).Format(http.TimeFormat)), ok("d")}, "d", false, 2, []time.Duration{5 * time.Second}},
		{"Retry-After longer than allowed", []http.HandlerFunc{status(429, "Retry-After", "3600"), ok("e")}, "", true, 1, nil},
		{"404 is not retried", []http.HandlerFunc{status(404), ok("f")}, "", true, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, calls := seq(tt.handlers...)
			srv := httptest.NewServer(h)
			defer srv.Close()
			clock := clocktest.NewFakeClock(t0)
			c := &httpx.Client{HTTP: srv.Client(), Clock: clock, MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: 10 * time.Second}
			n := 0
			body, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, &n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if string(body) != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
			if calls.Load() != tt.wantCalls || int32(n) != tt.wantCalls {
				t.Errorf("calls = %d, counted %d, want %d", calls.Load(), n, tt.wantCalls)
			}
			waits := clock.Sleeps()
			if len(waits) != len(tt.wantWaits) {
				t.Fatalf("waits = %v, want %v", waits, tt.wantWaits)
			}
			for i := range waits {
				if waits[i] != tt.wantWaits[i] {
					t.Errorf("wait %d = %s, want %s", i, waits[i], tt.wantWaits[i])
				}
			}
		})
	}
}

func TestDoStatusErrorKeepsCode(t *testing.T) {
	srv := httptest.NewServer(status(400))
	defer srv.Close()
	c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0)}
	_, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
	var se *httpx.StatusError
	if !errors.As(err, &se) || se.Code != 400 {
		t.Fatalf("err = %v, want StatusError 400", err)
	}
}

func TestDoTimeoutIsRetried(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	h, calls := seq(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, ok("late"))
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0), Timeout: 50 * time.Millisecond, MaxAttempts: 2}
	body, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
	if err != nil || string(body) != "late" {
		t.Fatalf("body %q err %v, want success on the second attempt", body, err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls = %d, want 2", calls.Load())
	}
}

func TestDoTruncatedBodyIsRetried(t *testing.T) {
	h, calls := seq(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte(`{"cut`))
	}, ok(`{"whole":1}`))
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0)}
	body, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
	if err != nil || string(body) != `{"whole":1}` {
		t.Fatalf("body %q err %v", body, err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls = %d, want 2", calls.Load())
	}
}

func TestDoBodyLimit(t *testing.T) {
	srv := httptest.NewServer(ok(strings.Repeat("x", 2000)))
	defer srv.Close()
	c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0), MaxBody: 1000}
	_, err := c.Do(context.Background(), httpx.Request{URL: srv.URL}, nil)
	if !errors.Is(err, httpx.ErrBodyTooLarge) {
		t.Fatalf("err = %v, want ErrBodyTooLarge", err)
	}
}

// cancelClock cancels the context when the client starts a backoff wait.
type cancelClock struct {
	*clocktest.FakeClock
	cancel context.CancelFunc
}

func (c cancelClock) Sleep(ctx context.Context, d time.Duration) error {
	c.cancel()
	return c.FakeClock.Sleep(ctx, d)
}

func TestDoStopsOnCancel(t *testing.T) {
	srv := httptest.NewServer(status(500))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &httpx.Client{HTTP: srv.Client(), Clock: cancelClock{clocktest.NewFakeClock(t0), cancel}, MaxAttempts: 10}
	n := 0
	_, err := c.Do(ctx, httpx.Request{URL: srv.URL}, &n)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n != 1 {
		t.Errorf("attempts = %d, want 1 (no retry after cancel)", n)
	}
}

func TestDoSendsBodyAgainOnRetry(t *testing.T) {
	var bodies []string
	h, _ := seq(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 64)
		n, _ := r.Body.Read(b)
		bodies = append(bodies, string(b[:n]))
		w.WriteHeader(502)
	}, func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 64)
		n, _ := r.Body.Read(b)
		bodies = append(bodies, string(b[:n]))
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &httpx.Client{HTTP: srv.Client(), Clock: clocktest.NewFakeClock(t0)}
	if _, err := c.Do(context.Background(), httpx.Request{Method: http.MethodPost, URL: srv.URL, Body: []byte(`{"q":1}`)}, nil); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 2 || bodies[0] != `{"q":1}` || bodies[1] != `{"q":1}` {
		t.Errorf("bodies = %q", bodies)
	}
}

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-3", 0},
		{"12", 12 * time.Second},
		{" 3 ", 3 * time.Second},
		{"soon", 0},
		{t0.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{t0.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"99999999999", 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := httpx.ParseRetryAfter(tt.in, t0); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
