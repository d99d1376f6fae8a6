package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

func userNames(t *testing.T, inst *servertest.Instance) map[string]domain.Role {
	t.Helper()
	us, err := inst.Store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]domain.Role{}
	for _, u := range us {
		out[u.Name] = u.Role
	}
	return out
}

func TestAdminUsersPage(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	admin := login(t, inst, "ada", domain.RoleAdmin)
	st, page := admin.get("/admin/anvandare")
	if st != http.StatusOK || !strings.Contains(page, "<td>ada</td><td>administratör</td>") || !strings.Contains(page, "(du)") {
		t.Fatalf("users page: %d", st)
	}
	tests := []struct {
		name   string
		vals   url.Values
		status int
		msg    string
		exists bool
	}{
		{"short password", url.Values{"namn": {"bo"}, "roll": {"analyst"}, "losenord": {"kort"}}, http.StatusBadRequest, "minst 10 tecken", false},
		{"unknown role", url.Values{"namn": {"bo"}, "roll": {"root"}, "losenord": {testPassword}}, http.StatusBadRequest, "välj en roll", false},
		{"no name", url.Values{"namn": {""}, "roll": {"analyst"}, "losenord": {testPassword}}, http.StatusBadRequest, "ange ett användarnamn", false},
		{"without CSRF", url.Values{"namn": {"bo"}, "roll": {"analyst"}, "losenord": {testPassword}, "csrf": {""}}, http.StatusForbidden, "", false},
		{"added", url.Values{"namn": {"bo"}, "roll": {"analyst"}, "losenord": {testPassword}}, http.StatusSeeOther, "", true},
		{"duplicate", url.Values{"namn": {"bo"}, "roll": {"viewer"}, "losenord": {testPassword}}, http.StatusConflict, "finns redan", true},
	}
	for _, tt := range tests {
		resp := admin.post("/admin/anvandare", tt.vals)
		body := readBody(t, resp)
		if resp.StatusCode != tt.status || (tt.msg != "" && !strings.Contains(errorText(body), tt.msg)) {
			t.Errorf("%s: %d %q, want %d %q", tt.name, resp.StatusCode, errorText(body), tt.status, tt.msg)
		}
		if _, ok := userNames(t, inst)["bo"]; ok != tt.exists {
			t.Fatalf("%s: user bo exists = %v", tt.name, ok)
		}
	}
	if role := userNames(t, inst)["bo"]; role != domain.RoleAnalyst {
		t.Fatalf("bo has role %q", role)
	}
	// The new user can log in and upload.
	bo := anonymous(t, inst)
	_, lp := bo.get("/logga-in")
	resp := bo.do(http.MethodPost, "/logga-in", "application/x-www-form-urlencoded", strings.NewReader(url.Values{
		"namn": {"bo"}, "losenord": {testPassword}, "csrf": {csrfField.FindStringSubmatch(lp)[1]}, "next": {"/import"}}.Encode()), nil)
	if readBody(t, resp); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/import" {
		t.Fatalf("login as the new user: %d", resp.StatusCode)
	}
	if st, _ := bo.get("/import"); st != http.StatusOK {
		t.Fatalf("new analyst on /import: %d", st)
	}

	resp = admin.post("/admin/anvandare/ta-bort", url.Values{"namn": {"ada"}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "inte ta bort dig själv") {
		t.Fatalf("remove self: %d %q", resp.StatusCode, errorText(body))
	}
	resp = admin.post("/admin/anvandare/ta-bort", url.Values{"namn": {"bo"}, "csrf": {"fel"}})
	if readBody(t, resp); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("remove with a wrong CSRF: %d", resp.StatusCode)
	}
	resp = admin.post("/admin/anvandare/ta-bort", url.Values{"namn": {"bo"}})
	if readBody(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove bo: %d", resp.StatusCode)
	}
	users := userNames(t, inst)
	if _, ok := users["bo"]; ok || users["ada"] != domain.RoleAdmin {
		t.Fatalf("users after removal: %v", users)
	}
	// Bo's session went with the user.
	if st, _ := bo.get("/import"); st != http.StatusSeeOther {
		t.Fatalf("removed user's session still works: %d", st)
	}
	if st, page := admin.get("/admin/anvandare?borttagen=bo"); st != http.StatusOK || !strings.Contains(page, "Användaren bo är borttagen.") {
		t.Fatalf("notice after removal: %d", st)
	}
	if _, page := admin.get("/admin/anvandare?tillagd=mallory"); strings.Contains(page, "mallory") {
		t.Fatal("the page claims a user that does not exist was added")
	}
}
