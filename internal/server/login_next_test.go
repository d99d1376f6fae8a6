package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// TestLoginNextHostileLocation logs in through the form with hostile next
// values and checks the Location header the browser gets.
func TestLoginNextHostileLocation(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	addUser(t, inst, "anna", domain.RoleAnalyst)
	for _, tt := range []struct{ next, want string }{
		{"/%0D%0ASet-Cookie:%20evil=1", "/"},
		{"/\r\nSet-Cookie: evil=1", "/"},
		{"/\nSet-Cookie: evil=1", "/"},
		{"/\t/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"https://x", "/"},
		{"/jamfor?ar=2024", "/jamfor?ar=2024"},
	} {
		resp := loginWithNext(t, inst, "anna", tt.next)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("next %q: status %d", tt.next, resp.StatusCode)
		}
		if got := resp.Header.Get("Location"); got != tt.want {
			t.Errorf("next %q: Location %q, want %q", tt.next, got, tt.want)
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == "evil" {
				t.Errorf("next %q set cookie %v", tt.next, ck)
			}
		}
		// The session, the spent login token and the browser's mark
		// (login_device.go), nothing else.
		if len(resp.Header.Values("Set-Cookie")) > 3 {
			t.Errorf("next %q: unexpected Set-Cookie headers %q", tt.next, resp.Header.Values("Set-Cookie"))
		}
	}
}

// loginWithNext posts the login form with the given next value and
// returns the answer as sent: no redirect is followed and the Location
// header is not parsed, so a hostile one is seen as the browser would.
func loginWithNext(t *testing.T, inst *servertest.Instance, name, next string) *http.Response {
	t.Helper()
	c := anonymous(t, inst)
	st, body := c.get("/logga-in")
	m := csrfField.FindStringSubmatch(body)
	if st != http.StatusOK || m == nil {
		t.Fatalf("login page: %d, no csrf", st)
	}
	req, err := http.NewRequest(http.MethodPost, inst.URL+"/logga-in",
		strings.NewReader(url.Values{"namn": {name}, "losenord": {testPassword}, "csrf": {m[1]}, "next": {next}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range c.hc.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	return resp
}
