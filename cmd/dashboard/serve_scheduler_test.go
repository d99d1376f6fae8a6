package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

// TestServeRunsACollectorByHand starts `dashboard serve` against the
// replayed SCB answers, presses "Kör nu" as an admin (HTTP basic auth, which
// needs no CSRF token), and checks that the run is recorded, shown on the
// sources page, and that the pages show the new SCB figures at once (the
// scheduler drops the page cache). Cancelling the context stops the server
// and the scheduler cleanly.
func TestServeRunsACollectorByHand(t *testing.T) {
	f := &fakeSCB{t: t}
	scbSrv := httptest.NewServer(f)
	defer scbSrv.Close()
	env, db := collectEnv(t, scbSrv.URL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env["DASHBOARD_ADDR"] = addr
	if code, out, errs := runCLI(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errs)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash, err := domain.HashPassword("ett-långt-lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(context.Background(), domain.User{Name: "ada", Role: domain.RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, io.Discard, func(k string) string { return env[k] })
	}()
	base := "http://" + addr
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, nil)
		req.SetBasicAuth("ada", "ett-långt-lösenord")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	eventually(t, "the server to answer", func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})
	// Before the run the bundled figure is shown (SCB's own page).
	if src := shownSource(t, base); src != "bundled" {
		t.Fatalf("before the run 1060/2024 comes from %q", src)
	}
	resp, _ := do(http.MethodPost, "/admin/kallor/scb/kor")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/kallor?startad=scb" {
		t.Fatalf("run now: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	eventually(t, "the run to finish", func() bool {
		runs, err := st.Runs(context.Background(), "scb", 1)
		return err == nil && len(runs) == 1 && runs[0].Status != domain.RunRunning
	})
	runs, _ := st.Runs(context.Background(), "scb", 1)
	if r := runs[0]; r.Status != domain.RunSucceeded || r.Trigger != "manual" || r.New+r.Changed+r.Unchanged != 8 {
		t.Fatalf("run %+v", r)
	}
	// Pages are read in a browser session (a basic-auth request gets no
	// HTML: the layout needs a session's CSRF token).
	if page := sessionGet(t, base, "ada", "ett-långt-lösenord", "/admin/kallor"); !strings.Contains(page, "Lyckades") || !strings.Contains(page, "TAB638: Folkmängd (från 2000)") {
		t.Errorf("sources page does not show the run")
	}
	// SCB wins over the bundled figure (precedence), at once.
	if src := shownSource(t, base); src != "scb" {
		t.Errorf("after the run 1060/2024 comes from %q", src)
	}
	// /metrics counts the run (one registry for requests and runs).
	if resp, body := do(http.MethodGet, "/metrics"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `source="scb",status="succeeded"} 1`) {
		t.Errorf("metrics: %d, no succeeded scb run counted", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exit %d", code)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// shownSource is the source kind of the figure the API shows for
// Olofström's population 2024.
func shownSource(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/observations?indicator=population&municipality=1060&from=2024&to=2024")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data []struct {
			Value      float64 `json:"value"`
			SourceKind string  `json:"source_kind"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Data) != 1 {
		t.Fatalf("observations: %v %+v", err, out)
	}
	if out.Data[0].Value != 13000 { // rh_beeswarm_2024 and the replayed answer agree
		t.Errorf("1060/2024 = %v", out.Data[0].Value)
	}
	return out.Data[0].SourceKind
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// sessionGet logs in through the login form and fetches path.
func sessionGet(t *testing.T, base, name, password, path string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(p string) string {
		resp, err := c.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, resp.StatusCode)
		}
		return string(b)
	}
	m := csrfInput.FindStringSubmatch(get("/logga-in"))
	if m == nil {
		t.Fatal("no csrf on the login page")
	}
	resp, err := c.PostForm(base+"/logga-in", url.Values{"namn": {name}, "losenord": {password}, "csrf": {m[1]}, "next": {path}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != path {
		t.Fatalf("login: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	return string(b)
}

// eventually polls cond until it holds, failing after a generous bound (a
// hung test, not a timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
