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

// tryLogin posts the login form once and returns the status and page.
func tryLogin(t *testing.T, inst *servertest.Instance, name, pw string) (int, string) {
	t.Helper()
	c := anonymous(t, inst)
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
// correct password for a name that has not failed itself, however many
// other names failed from the same address (behind a proxy that is every
// client).
func TestLoginThrottleNeverLocksOut(t *testing.T) {
	fc := clocktest.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	inst := servertest.Start(t, servertest.Options{NoBundled: true, Deps: func(d *server.Deps) { d.Clock = fc }})
	addUser(t, inst, "admin", domain.RoleAdmin)
	addUser(t, inst, "bertil", domain.RoleAnalyst)

	// Thirty failures for other names from this address.
	for i := range 30 {
		if st, _ := tryLogin(t, inst, fmt.Sprintf("mallory%d", i), "fel-lösenord-123"); st != http.StatusUnauthorized && st != http.StatusTooManyRequests {
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
