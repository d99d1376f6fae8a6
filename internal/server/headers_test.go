package server_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// headerProbe is one request whose answer must carry the policy.
type headerProbe struct {
	method, path string
	// declared, when set, is a Content-Length sent without the body.
	declared int
}

// probes lists a request for every registered route (parameters filled
// with plausible values) plus answers made outside the handlers: not
// found, method not allowed, a body over the limit, a redirect to login.
func probes(t *testing.T, inst *servertest.Instance) []headerProbe {
	t.Helper()
	fill := strings.NewReplacer(":code", "1060", ":id", "1", ":name", "x", "*", "app.js", "+", "app.js")
	var out []headerProbe
	seen := map[string]bool{}
	for _, r := range inst.App.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == http.MethodOptions || r.Method == http.MethodConnect || r.Method == http.MethodTrace {
			continue
		}
		p := fill.Replace(r.Path)
		if p == "" || seen[r.Method+p] {
			continue
		}
		seen[r.Method+p] = true
		out = append(out, headerProbe{method: r.Method, path: p})
	}
	if len(out) < 15 {
		t.Fatalf("only %d routes found; the walk over the routes is broken", len(out))
	}
	return append(out,
		headerProbe{method: http.MethodGet, path: "/finns-inte"},
		headerProbe{method: http.MethodGet, path: "/kommun/9999"},
		headerProbe{method: http.MethodGet, path: "/api/v1/observations?indicator=nope"},
		headerProbe{method: http.MethodDelete, path: "/"},
		headerProbe{method: http.MethodGet, path: "/admin/kallor"},
		// A URL longer than the request buffer: 431 from the server itself.
		headerProbe{method: http.MethodGet, path: "/jamfor?x=" + strings.Repeat("a", 20000)},
		// Over the body limit: refused by Fiber before any handler runs.
		headerProbe{method: http.MethodPost, path: "/import", declared: 65 << 20},
	)
}

func doProbe(t *testing.T, base string, p headerProbe) *http.Response {
	t.Helper()
	if p.declared > 0 {
		// Only the head goes out: the server answers from the declared
		// length, and a client still writing the body would race it.
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", p.method, p.path, p.declared)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s %s: %v", p.method, p.path, err)
		}
		resp.Body.Close()
		return resp
	}
	req, err := http.NewRequest(p.method, base+p.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	// The server answers an over-long head at once and closes; a client
	// still writing it can see the reset before it reads the answer. That
	// is TCP, not the server: ask again, a few times at most.
	for try := 1; try < 5 && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)); try++ {
		resp, err = client.Do(req)
	}
	if err != nil {
		t.Fatalf("%s %s: %v", p.method, p.path, err)
	}
	resp.Body.Close()
	return resp
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	tests := []struct {
		name          string
		configure     func(*server.Deps)
		wantAncestors string
		wantXFO       string
		wantHSTS      string
	}{
		{name: "default: no frames, no HSTS", wantAncestors: "frame-ancestors 'none'", wantXFO: "DENY"},
		{name: "behind TLS: HSTS", configure: func(d *server.Deps) { d.SecureCookies = true },
			wantAncestors: "frame-ancestors 'none'", wantXFO: "DENY", wantHSTS: "max-age=63072000"},
		{name: "embedding allowed on a member's site",
			configure: func(d *server.Deps) {
				d.FrameAncestors = []string{"https://www.olofstrom.se", "https://*.oxelosund.se"}
			},
			wantAncestors: "frame-ancestors 'self' https://www.olofstrom.se https://*.oxelosund.se"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst := servertest.Start(t, servertest.Options{Deps: tt.configure})
			statuses := map[int]bool{}
			for _, p := range probes(t, inst) {
				resp := doProbe(t, inst.URL, p)
				statuses[resp.StatusCode] = true
				where := p.method + " " + p.path
				if len(where) > 60 {
					where = where[:60]
				}
				csp := resp.Header.Get("Content-Security-Policy")
				for _, want := range []string{"default-src 'self'", "script-src 'self';", "object-src 'none'", "base-uri 'self'", tt.wantAncestors} {
					if !strings.Contains(csp, want) {
						t.Errorf("%s (%d): CSP %q lacks %q", where, resp.StatusCode, csp, want)
					}
				}
				if strings.Contains(csp, "unsafe-eval") || regexp.MustCompile(`script-src[^;]*unsafe-inline`).MatchString(csp) {
					t.Errorf("%s: CSP allows inline script or eval: %q", where, csp)
				}
				for h, want := range map[string]string{
					"X-Content-Type-Options":    "nosniff",
					"Referrer-Policy":           "same-origin",
					"X-Frame-Options":           tt.wantXFO,
					"Strict-Transport-Security": tt.wantHSTS,
				} {
					if got := resp.Header.Get(h); got != want {
						t.Errorf("%s (%d): %s = %q, want %q", where, resp.StatusCode, h, got, want)
					}
				}
			}
			// The probes must have reached the error paths, or the test
			// proves less than it says.
			for _, code := range []int{200, 303, 400, 401, 404, 413, 431} {
				if !statuses[code] {
					t.Errorf("no probe answered %d (got %v)", code, statuses)
				}
			}
		})
	}
}

// TestNoInlineScript keeps the CSP honest: templates load script only as
// files; <script> elements without src must be JSON data, and no element
// carries an on* handler or a javascript: URL.
func TestNoInlineScript(t *testing.T) {
	scriptTag := regexp.MustCompile(`(?is)<script\b([^>]*)>`)
	handler := regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range scriptTag.FindAllStringSubmatch(string(b), -1) {
			attrs := m[1]
			if !strings.Contains(attrs, "src=") && !strings.Contains(attrs, `type="application/json"`) {
				t.Errorf("%s: inline script %q", f, m[0])
			}
		}
		if loc := handler.FindIndex(b); loc != nil {
			t.Errorf("%s: inline event handler near %q", f, b[loc[0]:min(len(b), loc[1]+20)])
		}
		if bytes.Contains(bytes.ToLower(b), []byte("javascript:")) {
			t.Errorf("%s: javascript: URL", f)
		}
	}
	// Our own script must not need eval (the CSP forbids it).
	err = fs.WalkDir(os.DirFS("assets"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || strings.HasPrefix(p, "vendor/") {
			return err
		}
		b, err := os.ReadFile(filepath.Join("assets", p))
		if err != nil {
			return err
		}
		if regexp.MustCompile(`\beval\(|new Function\(`).Match(b) {
			t.Errorf("assets/%s uses eval", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The shipped default allows no framing; the config key is the opt-in.
func TestFrameAncestorsDefaultEmpty(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.FrameAncestors) != 0 {
		t.Errorf("frame_ancestors default = %v, want none", cfg.FrameAncestors)
	}
}
