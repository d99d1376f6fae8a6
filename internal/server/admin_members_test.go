package server_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// An admin adds and removes a member with evidence; the change is stored
// with who and when and shows on the pages at once, without a restart.
func TestAdminMembersPage(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	// Before: Karlskrona is not a member; the overview lists 12 members.
	if _, body := get(t, inst.URL+"/jamfor?indikator=population&ar=2024"); strings.Contains(body, `data-code="1080"`) {
		t.Fatal("Karlskrona is a member before any edit")
	}
	_, about := get(t, inst.URL+"/om-data")
	for _, want := range []string{"Nätverket uppger 24 medlemmar", "här finns 12 med belägg", "2018-12-06", "Trollhättan"} {
		if !strings.Contains(about, want) {
			t.Errorf("/om-data lacks %q", want)
		}
	}
	analyst := login(t, inst, "ana", domain.RoleAnalyst)
	if st, _ := analyst.get("/admin/medlemmar"); st != http.StatusForbidden {
		t.Errorf("an analyst reached the member page: %d", st)
	}
	admin := login(t, inst, "ada", domain.RoleAdmin)
	st, page := admin.get("/admin/medlemmar")
	if st != http.StatusOK || !strings.Contains(page, `data-code="1488"`) || !strings.Contains(page, "från konfigurationen") {
		t.Fatalf("member page: %d", st)
	}
	tests := []struct {
		name   string
		path   string
		vals   url.Values
		status int
		msg    string
	}{
		{"no evidence", "/admin/medlemmar", url.Values{"kod": {"1080"}, "belagg": {""}}, http.StatusBadRequest, "ange belägg"},
		{"bad date", "/admin/medlemmar", url.Values{"kod": {"1080"}, "belagg": {"x"}, "datum": {"igår"}}, http.StatusBadRequest, "ÅÅÅÅ"},
		{"not a year", "/admin/medlemmar", url.Values{"kod": {"1080"}, "belagg": {"x"}, "intradesar": {"tjugo"}}, http.StatusBadRequest, "årtal"},
		{"already a member", "/admin/medlemmar", url.Values{"kod": {"1060"}, "belagg": {"x"}}, http.StatusConflict, "redan medlem"},
		{"without CSRF", "/admin/medlemmar", url.Values{"kod": {"1080"}, "belagg": {"x"}, "csrf": {""}}, http.StatusForbidden, ""},
		{"added", "/admin/medlemmar", url.Values{"kod": {"1080"}, "belagg": {"Protokoll från årsmötet"}, "datum": {"2026-04"}, "intradesar": {"2026"}}, http.StatusSeeOther, ""},
		{"removed", "/admin/medlemmar/ta-bort", url.Values{"kod": {"2584"}, "belagg": {"Utträde enligt protokoll"}}, http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		resp := admin.post(tt.path, tt.vals)
		body := readBody(t, resp)
		if resp.StatusCode != tt.status || (tt.msg != "" && !strings.Contains(errorText(body), tt.msg)) {
			t.Errorf("%s: %d %q, want %d %q", tt.name, resp.StatusCode, errorText(body), tt.status, tt.msg)
		}
	}
	ms, err := inst.Store.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]domain.Member{}
	for _, m := range ms {
		got[m.Code] = m
	}
	if m := got["1080"]; !m.Active || m.ChangedBy != "ada" || m.Joined != 2026 || m.EvidenceDate != "2026-04" || m.ChangedAt.IsZero() {
		t.Errorf("added member stored as %+v", m)
	}
	if m := got["2584"]; m.Active || m.ChangedBy != "ada" || m.Evidence != "Utträde enligt protokoll" {
		t.Errorf("removed member stored as %+v", m)
	}
	if len(ms) != 13 || got["1060"].ChangedBy != "konfiguration" {
		t.Errorf("the first edit must store the whole configured list: %d entries", len(ms))
	}
	// Every page follows at once.
	_, body := get(t, inst.URL+"/jamfor?indikator=population&ar=2024")
	if !strings.Contains(body, `data-code="1080"`) || strings.Contains(body, `data-code="2584"`) {
		t.Error("/jamfor does not follow the edited member list")
	}
	_, about = get(t, inst.URL+"/om-data")
	if !strings.Contains(about, "Karlskrona") || strings.Contains(about, ">Kiruna<") {
		t.Error("/om-data does not follow the edited member list")
	}
	_, page = admin.get("/admin/medlemmar")
	if !strings.Contains(page, "Borttagna") || !strings.Contains(page, "Utträde enligt protokoll") {
		t.Error("the removal is not on record on the page")
	}
}

// A member added on one instance shows on another sharing the database,
// without a restart: the edit moves the data version, and the other
// instance reloads the list when it first sees the new version.
func TestMemberEditShowsOnEveryInstance(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	open := func() *sqlstore.Store {
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a := servertest.Start(t, servertest.Options{Store: open()})
	b := servertest.Start(t, servertest.Options{Store: open()})
	if _, body := get(t, b.URL+"/jamfor?indikator=population&ar=2024"); strings.Contains(body, `data-code="1080"`) {
		t.Fatal("Karlskrona is a member before the edit")
	}
	admin := login(t, a, "ada", domain.RoleAdmin)
	if resp := admin.post("/admin/medlemmar", url.Values{"kod": {"1080"}, "belagg": {"Protokoll"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if _, body := get(t, b.URL+"/jamfor?indikator=population&ar=2024"); !strings.Contains(body, `data-code="1080"`) {
		t.Error("the other instance does not show the new member")
	}
}
