package server_test

import (
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// The tests in this file hold the login, logout and role checks to what
// mutation testing (docs/testing.md) found unchecked.

// postLogin posts the login form as c with the given token.
func postLogin(c *client, name, pw, csrf string) *http.Response {
	c.t.Helper()
	return c.do(http.MethodPost, "/logga-in", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"namn": {name}, "losenord": {pw}, "csrf": {csrf}, "next": {"/import"}}.Encode()), nil)
}

// loginToken fetches the login page as c and returns its form token.
func loginToken(t *testing.T, c *client) string {
	t.Helper()
	st, body := c.get("/logga-in")
	m := csrfField.FindStringSubmatch(body)
	if st != http.StatusOK || m == nil {
		t.Fatalf("login page: %d, no csrf", st)
	}
	return html.UnescapeString(m[1])
}

func hasSession(resp *http.Response) bool {
	for _, ck := range resp.Cookies() {
		if ck.Name == "sik_session" && ck.Value != "" {
			return true
		}
	}
	return false
}

// TestLoginRefusesAFormWithoutItsToken: the login form is accepted only
// with the token the login page set in its cookie: not without the
// cookie (even with an empty token on both sides), not with another
// token.
func TestLoginRefusesAFormWithoutItsToken(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	addUser(t, inst, "anna", domain.RoleAnalyst)

	fresh := anonymous(t, inst) // never saw the login page: no cookie
	for _, tok := range []string{"", "gissad"} {
		resp := postLogin(fresh, "anna", testPassword, tok)
		if body := readBody(t, resp); resp.StatusCode != http.StatusForbidden || hasSession(resp) {
			t.Errorf("no cookie, token %q: %d, session %v: %s", tok, resp.StatusCode, hasSession(resp), errorText(body))
		}
	}
	c := anonymous(t, inst)
	tok := loginToken(t, c)
	for _, bad := range []string{"", "x" + tok} {
		resp := postLogin(c, "anna", testPassword, bad)
		if body := readBody(t, resp); resp.StatusCode != http.StatusForbidden || hasSession(resp) {
			t.Errorf("cookie, token %q: %d, session %v: %s", bad, resp.StatusCode, hasSession(resp), errorText(body))
		}
	}
	resp := postLogin(c, "anna", testPassword, tok)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || !hasSession(resp) || resp.Header.Get("Location") != "/import" {
		t.Fatalf("with its token: %d to %q, session %v", resp.StatusCode, resp.Header.Get("Location"), hasSession(resp))
	}
}

// TestLoginWrongPasswordShowsTheFormAgain: a wrong password or an unknown
// name gets the form back with 401, the same Swedish message for both,
// the name kept and a fresh token that works for the next attempt.
func TestLoginWrongPasswordShowsTheFormAgain(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	addUser(t, inst, "anna", domain.RoleAnalyst)
	for _, name := range []string{"anna", "okand"} {
		c := anonymous(t, inst)
		tok := loginToken(t, c)
		resp := postLogin(c, name, "fel-lösenord-123", tok)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusUnauthorized || errorText(body) != "Fel användarnamn eller lösenord." {
			t.Fatalf("%s, wrong password: %d %q", name, resp.StatusCode, errorText(body))
		}
		if !strings.Contains(body, `name="namn" autocomplete="username" required value="`+name+`"`) {
			t.Errorf("%s: the name is not kept in the form", name)
		}
		m := csrfField.FindStringSubmatch(body)
		if m == nil || html.UnescapeString(m[1]) == tok {
			t.Fatalf("%s: the form after a failure has no new token", name)
		}
		if name != "anna" {
			continue
		}
		resp = postLogin(c, name, testPassword, html.UnescapeString(m[1]))
		readBody(t, resp)
		if resp.StatusCode != http.StatusSeeOther || !hasSession(resp) {
			t.Fatalf("second attempt with the new token: %d", resp.StatusCode)
		}
	}
}

// TestLoginEndsWithLogout: logging out needs the session's token; with it
// the session ends in the store, so replaying the old cookie is
// anonymous. Logging out without a session just clears the cookie.
func TestLoginEndsWithLogout(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	base, _ := url.Parse(inst.URL)
	var old *http.Cookie
	for _, ck := range an.hc.Jar.Cookies(base) {
		if ck.Name == "sik_session" {
			old = ck
		}
	}
	if old == nil {
		t.Fatal("no session cookie after login")
	}
	resp := an.post("/logga-ut", url.Values{"csrf": {"x" + an.csrf}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout with a wrong token: %d %s", resp.StatusCode, errorText(body))
	}
	if st, _ := an.get("/import"); st != http.StatusOK {
		t.Fatalf("still logged in after a refused logout? GET /import: %d", st)
	}
	resp = an.post("/logga-ut", nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	replay := anonymous(t, inst)
	replay.hc.Jar.SetCookies(base, []*http.Cookie{{Name: old.Name, Value: old.Value, Path: "/"}})
	resp = replay.do(http.MethodGet, "/import", "", nil, nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logga-in") {
		t.Fatalf("old session cookie after logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	resp = anonymous(t, inst).post("/logga-ut", nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("logout without a session: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestLoginUnknownSessionIsAnonymous: a session cookie the store does not
// know is an anonymous visitor (sent to the login), not a database fault;
// on a private instance the API answers 401 instead of redirecting.
func TestLoginUnknownSessionIsAnonymous(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true, Private: true})
	c := anonymous(t, inst)
	base, _ := url.Parse(inst.URL)
	c.hc.Jar.SetCookies(base, []*http.Cookie{{Name: "sik_session", Value: "okand-session", Path: "/"}})
	resp := c.do(http.MethodGet, "/om-data", "", nil, nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logga-in?next=%2Fom-data" {
		t.Errorf("unknown session, page: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp = c.do(http.MethodGet, "/api/v1/indicators", "", nil, nil)
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unknown session, API: %d %.200s", resp.StatusCode, body)
	}
}

// TestBasicAuthMalformed: credentials that are not "Basic base64(name:password)"
// of a known user with the right password are refused with 401, on a
// page as well as in the API; another scheme is no credentials at all.
func TestBasicAuthMalformed(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true, Private: true})
	addUser(t, inst, "skript", domain.RoleAnalyst)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		name, header string
		page, api    int
	}{
		{"not base64", "Basic !!!", http.StatusUnauthorized, http.StatusUnauthorized},
		{"no colon", "Basic " + b64("skript"), http.StatusUnauthorized, http.StatusUnauthorized},
		{"wrong password", "Basic " + b64("skript:fel"), http.StatusUnauthorized, http.StatusUnauthorized},
		{"unknown user", "Basic " + b64("okand:"+testPassword), http.StatusUnauthorized, http.StatusUnauthorized},
		{"another scheme", "Bearer " + b64("skript:"+testPassword), http.StatusSeeOther, http.StatusUnauthorized},
		{"right", "Basic " + b64("skript:"+testPassword), http.StatusOK, http.StatusOK},
	} {
		c := anonymous(t, inst)
		h := http.Header{"Authorization": {tc.header}}
		resp := c.do(http.MethodGet, "/om-data", "", nil, h)
		readBody(t, resp)
		if resp.StatusCode != tc.page {
			t.Errorf("%s, page: %d, want %d", tc.name, resp.StatusCode, tc.page)
		}
		resp = c.do(http.MethodGet, "/api/v1/indicators", "", nil, h)
		readBody(t, resp)
		if resp.StatusCode != tc.api {
			t.Errorf("%s, API: %d, want %d", tc.name, resp.StatusCode, tc.api)
		}
	}
}

// TestLoginCookiesAreDeleted: the spent login token after a login and the
// session cookie after a logout are deleted (an expiry in the past), not
// left in the browser as empty cookies.
func TestLoginCookiesAreDeleted(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	addUser(t, inst, "anna", domain.RoleAnalyst)
	deleted := func(resp *http.Response, name string) {
		t.Helper()
		for _, ck := range resp.Cookies() {
			if ck.Name != name {
				continue
			}
			if ck.Value != "" || ck.MaxAge > 0 || ck.Expires.IsZero() || ck.Expires.Year() > 1970 {
				t.Errorf("%s: value %q, max-age %d, expires %v; want deleted", name, ck.Value, ck.MaxAge, ck.Expires)
			}
			return
		}
		t.Errorf("%s: not in the answer", name)
	}
	c := anonymous(t, inst)
	resp := postLogin(c, "anna", testPassword, loginToken(t, c))
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	deleted(resp, "sik_login_csrf")
	_, page := c.get("/om-data")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no session token on the page")
	}
	resp = c.post("/logga-ut", url.Values{"csrf": {html.UnescapeString(m[1])}})
	readBody(t, resp)
	deleted(resp, "sik_session")
}
