package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// tryLogin posts the login form once from a new browser and returns the
// status and page.
func tryLogin(t *testing.T, inst *servertest.Instance, name, pw string) (int, string) {
	t.Helper()
	return loginWith(t, anonymous(t, inst), name, pw)
}

// loginWith posts the login form once from the browser c (its cookies
// kept) and returns the status and page.
func loginWith(t *testing.T, c *client, name, pw string) (int, string) {
	t.Helper()
	_, body := c.get("/logga-in")
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("login page without csrf")
	}
	resp := c.do(http.MethodPost, "/logga-in", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"namn": {name}, "losenord": {pw}, "csrf": {m[1]}, "next": {"/"}}.Encode()), nil)
	return resp.StatusCode, readBody(t, resp)
}

// TestLoginThrottleNeverLocksOut: failed logins slow down the name that
// failed, for a while that grows with the failures, and never refuse a
// correct password for long: a minute at most.
func TestLoginThrottleNeverLocksOut(t *testing.T) {
	fc := clocktest.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	inst := servertest.Start(t, servertest.Options{NoBundled: true, Deps: func(d *server.Deps) { d.Clock = fc }})
	addUser(t, inst, "admin", domain.RoleAdmin)
	addUser(t, inst, "bertil", domain.RoleAnalyst)

	// A few failures for other names from this address hold nobody up.
	for i := range 10 {
		if st, _ := tryLogin(t, inst, fmt.Sprintf("mallory%d", i), "fel-lösenord-123"); st != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i, st)
		}
	}
	if st, body := tryLogin(t, inst, "admin", testPassword); st != http.StatusSeeOther {
		t.Fatalf("admin with the right password after others' failures: %d %s", st, errorText(body))
	}

	// Bertil's own failures: after a few, the next attempt must wait, and
	// the page says how long.
	var last int
	var page string
	for range 6 {
		last, page = tryLogin(t, inst, "bertil", "fel-lösenord-123")
	}
	if last != http.StatusTooManyRequests || !strings.Contains(page, "Vänta") || !strings.Contains(page, "sekunder") {
		t.Fatalf("sixth failure in a row: status %d, %q", last, errorText(page))
	}
	// A minute later the right password works: slowed, never locked.
	_ = fc.Sleep(context.Background(), time.Minute+time.Second)
	if st, body := tryLogin(t, inst, "bertil", testPassword); st != http.StatusSeeOther {
		t.Fatalf("bertil with the right password a minute later: %d %s", st, errorText(body))
	}
}

// TestPasswordSprayingIsSlowed: one password tried against many names from
// one address slows every name from it, except in a browser that has
// logged in as that name before; nobody waits longer than a minute.
func TestPasswordSprayingIsSlowed(t *testing.T) {
	fc := clocktest.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	inst := servertest.Start(t, servertest.Options{NoBundled: true, Deps: func(d *server.Deps) { d.Clock = fc }})
	addUser(t, inst, "admin", domain.RoleAdmin)
	addUser(t, inst, "bertil", domain.RoleAnalyst)
	adminsBrowser := anonymous(t, inst)
	if st, body := loginWith(t, adminsBrowser, "admin", testPassword); st != http.StatusSeeOther {
		t.Fatalf("first login: %d %s", st, errorText(body))
	}
	// A day later the session has ended; the browser keeps its mark.
	_ = fc.Sleep(context.Background(), 24*time.Hour)
	if st, _ := adminsBrowser.get("/admin/kallor"); st != http.StatusSeeOther {
		t.Fatalf("the session outlived a day: %d", st)
	}

	// Each name is tried once: no name fails twice, so only the address
	// can tell. The first twenty pass; then the attacker waits.
	statuses := map[int]int{}
	for i := range 25 {
		st, page := tryLogin(t, inst, fmt.Sprintf("namn%d", i), "Sommar2026!")
		statuses[st]++
		if i < 20 && st != http.StatusUnauthorized {
			t.Fatalf("spray attempt %d: status %d before the address's limit: %s", i, st, errorText(page))
		}
	}
	if statuses[http.StatusTooManyRequests] == 0 {
		t.Fatalf("25 names tried from one address, none slowed: %v", statuses)
	}
	// The admin's own browser logs in at once; a new browser for a name
	// that never failed waits, with the wait stated.
	st, page := tryLogin(t, inst, "bertil", testPassword)
	if st != http.StatusTooManyRequests || !strings.Contains(page, "Vänta") {
		t.Errorf("a new browser during the attack: %d %q", st, errorText(page))
	}
	// Another name's mark does not count: the mark is for the admin only.
	if st, _ := loginWith(t, adminsBrowser, "bertil", testPassword); st != http.StatusTooManyRequests {
		t.Errorf("the admin's browser logging in as bertil: %d, want the address's wait", st)
	}
	if st, body := loginWith(t, adminsBrowser, "admin", testPassword); st != http.StatusSeeOther {
		t.Errorf("the admin's known browser during the attack: %d %s", st, errorText(body))
	}
	// A minute later the right password works from anywhere.
	_ = fc.Sleep(context.Background(), time.Minute+time.Second)
	if st, body := tryLogin(t, inst, "bertil", testPassword); st != http.StatusSeeOther {
		t.Errorf("bertil a minute later: %d %s", st, errorText(body))
	}
}
