package server_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// Where pages need a login, a script logged in by HTTP Basic (no session
// cookie) gets a page naming it in the header. Such a page must never be
// shared: the next user, or an anonymous visitor, must not see the first
// one's name or menu.
func TestBasicAuthPagesAreNotShared(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{Private: true})
	addUser(t, inst, "ada", domain.RoleAdmin)
	addUser(t, inst, "bertil", domain.RoleViewer)
	basic := func(name string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(name+":"+testPassword))
	}
	for _, path := range []string{"/", "/jamfor?indikator=population&ar=2024&kommun=1060", "/kommun/1060"} {
		_, first := get(t, inst.URL+path, "Authorization", basic("ada"))
		if !strings.Contains(first, "Inloggad som ada") {
			t.Fatalf("%s: ada's page does not name her", path)
		}
		resp, second := get(t, inst.URL+path, "Authorization", basic("bertil"))
		if resp.StatusCode != http.StatusOK || strings.Contains(second, "Inloggad som ada") || !strings.Contains(second, "Inloggad som bertil") {
			t.Errorf("%s: bertil's page (status %d) shows ada's, or not his own name", path, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
			t.Errorf("%s: a logged-in page is %q", path, cc)
		}
	}
}
