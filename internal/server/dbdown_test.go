package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// TestDatabaseDownIs503: with the database gone a logged-in analyst gets
// 503 "Databasen svarar inte just nu" on every kind of request, never a
// login prompt or a generic 500.
func TestDatabaseDownIs503(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	if err := inst.Store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, path string
	}{
		{http.MethodGet, "/import"},
		{http.MethodPost, "/import/abc/bekrafta"},
		{http.MethodGet, "/kommun/0481"},
		{http.MethodGet, "/api/v1/observations?indicator=population&municipality=0481"},
	} {
		var resp *http.Response
		if tt.method == http.MethodPost {
			resp = an.post(tt.path, url.Values{"hash": {"x"}})
		} else {
			resp = an.do(tt.method, tt.path, "", nil, nil)
		}
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Databasen svarar inte just nu") {
			t.Errorf("%s %s: %d %q", tt.method, tt.path, resp.StatusCode, errorText(body))
		}
		if strings.Contains(body, "logga in") && !strings.Contains(body, "Databasen svarar inte") {
			t.Errorf("%s %s: asks to log in", tt.method, tt.path)
		}
	}
}
