package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// fakeScheduler lists two sources and records the runs it is asked for.
type fakeScheduler struct {
	mu       sync.Mutex
	checks   []string
	triggers []string
	busy     map[string]bool
}

func (f *fakeScheduler) Sources() []server.SourceInfo {
	return []server.SourceInfo{
		{Name: "scb", Kind: domain.SourceSCB, Spec: "CRON_TZ=Europe/Stockholm 0 4 2 * *", Schedule: "den 2 varje månad kl. 04:00 (Europe/Stockholm)",
			Enabled: true, Next: time.Date(2025, 12, 2, 3, 0, 0, 0, time.UTC), Items: []string{"TAB638: Folkmängd (från 2000)"}},
		{Name: "kolada", Kind: domain.SourceKolada, Spec: "CRON_TZ=Europe/Stockholm 30 4 2 * *", Schedule: "den 2 varje månad kl. 04:30 (Europe/Stockholm)",
			Enabled: true, Running: true, Next: time.Date(2025, 12, 2, 3, 30, 0, 0, time.UTC), Items: []string{"N00914: Förvärvsarbetande 20–64 år, andel (från 2010)"}},
	}
}

// Check answers as the real check would for the old wrong sector code:
// SCB has one wrong item, Kolada none.
func (f *fakeScheduler) Check(_ context.Context, name string) (domain.ConfigCheck, error) {
	f.mu.Lock()
	f.checks = append(f.checks, name)
	f.mu.Unlock()
	if name == "scb" {
		return domain.ConfigCheck{Source: "scb", Items: []domain.CheckItem{
			{Ref: "TAB638", Indicator: "population", Lines: []domain.CheckLine{{Subject: "ContentsCode", Want: "BE0101N1", Found: "BE0101N1 (Folkmängd)", OK: true}}},
			{Ref: "TAB5838", Indicator: "state_jobs", Lines: []domain.CheckLine{{Subject: "ArbetsSektor", Want: "12", Found: "saknas; närmast: 11 (statlig förvaltning) <i>x</i>"}}},
		}}, nil
	}
	return domain.ConfigCheck{Source: name, Items: []domain.CheckItem{{Ref: "N02267", Indicator: "employment_rate", Lines: []domain.CheckLine{{Subject: "nyckeltal", Want: "N02267", Found: "Sysselsättningsgrad 20-64 år, andel (%)", OK: true}}}}}, nil
}

func (f *fakeScheduler) Trigger(name, actor string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case name != "scb" && name != "kolada":
		return domain.NotFound("källan %q finns inte", name)
	case f.busy[name]:
		return domain.Errorf(domain.CodeConflict, "Hämtningen från Kolada pågår redan.", nil)
	}
	f.triggers = append(f.triggers, name+" by "+actor)
	return nil
}

func (f *fakeScheduler) Triggers() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.triggers...)
}

// recordRun stores a finished run as the scheduler would.
func recordRun(t *testing.T, inst *servertest.Instance, r domain.Run) {
	t.Helper()
	ctx := context.Background()
	run, err := inst.Store.StartRun(ctx, r.Source, r.Trigger)
	if err != nil {
		t.Fatal(err)
	}
	run.Status, run.New, run.Changed, run.Unchanged, run.Error, run.Tables = r.Status, r.New, r.Changed, r.Unchanged, r.Error, r.Tables
	if err := inst.Store.FinishRun(ctx, run); err != nil {
		t.Fatal(err)
	}
}

func startWithScheduler(t *testing.T, sched server.Scheduler) *servertest.Instance {
	return servertest.Start(t, servertest.Options{Deps: func(d *server.Deps) { d.Scheduler = sched }})
}

func TestAdminSourcesNeedsAnAdmin(t *testing.T) {
	sched := &fakeScheduler{}
	inst := startWithScheduler(t, sched)
	anon := anonymous(t, inst)
	resp := anon.do(http.MethodGet, "/admin/kallor", "", nil, nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logga-in?next="+url.QueryEscape("/admin/kallor") {
		t.Errorf("anonymous: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := anon.post("/admin/kallor/scb/kor", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous post: %d", resp.StatusCode)
	}
	analyst := login(t, inst, "ana", domain.RoleAnalyst)
	if st, _ := analyst.get("/admin/kallor"); st != http.StatusForbidden {
		t.Errorf("analyst: %d", st)
	}
	if resp := analyst.post("/admin/kallor/scb/kor", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst post: %d", resp.StatusCode)
	}
	if got := sched.Triggers(); len(got) != 0 {
		t.Errorf("runs started without an admin: %v", got)
	}
}

func TestAdminSourcesPage(t *testing.T) {
	sched := &fakeScheduler{}
	inst := startWithScheduler(t, sched)
	recordRun(t, inst, domain.Run{Source: "scb", Trigger: "schedule", Status: domain.RunSucceeded, New: 8})
	recordRun(t, inst, domain.Run{Source: "scb", Trigger: "cli", Status: domain.RunFailed,
		Error: `Hämtningen från SCB misslyckades (tabell TAB638). Tekniskt: HTTP 500: <script>alert(1)</script>`})
	recordRun(t, inst, domain.Run{Source: "kolada", Trigger: "manual", Status: domain.RunSkipped})
	recordRun(t, inst, domain.Run{Source: "scb", Trigger: "schedule", Status: domain.RunPartial, New: 3,
		Error: "Hämtningen från SCB lyckades delvis: 1 av 2 tabeller misslyckades (TAB5838); de övriga sparades.",
		Tables: []domain.RunTable{{Ref: "TAB638", Status: domain.TableLanded, Rows: 3},
			{Ref: "TAB5838", Status: domain.TableFailed, Error: `Tabell TAB5838 hos SCB passar inte konfigurationen: variabeln ArbetsSektor har inget värde "12" (närmast: 11 (statlig förvaltning), 1110 (statliga affärsverk)).`}}})
	admin := login(t, inst, "ada", domain.RoleAdmin)
	st, page := admin.get("/admin/kallor")
	if st != http.StatusOK {
		t.Fatalf("admin: %d %s", st, errorText(page))
	}
	text := html.UnescapeString(page)
	for _, want := range []string{
		"<h2 id=\"rubrik-scb\">SCB</h2>", "<h2 id=\"rubrik-kolada\">Kolada</h2>",
		"den 2 varje månad kl. 04:00 (Europe/Stockholm)", "CRON_TZ=Europe/Stockholm 0 4 2 * *",
		"2025-12-02 04:00 (svensk tid)", "2025-12-02 04:30 (svensk tid)", // 03:00 UTC is 04:00 in Stockholm in winter
		"TAB638: Folkmängd (från 2000)", "N00914: Förvärvsarbetande 20–64 år, andel (från 2010)",
		"Källa: Kolada",
		"När flera källor anger samma siffra visas den från SCB före Kolada före Uppladdad fil före Medföljande data.",
		"Lyckades", "Misslyckades", "Inget nytt (tabellerna oförändrade)", "kommandorad", "Kör nu",
		"Hämtningen från SCB misslyckades (tabell TAB638). Tekniskt: HTTP 500: <script>alert(1)</script>",
		`action="/admin/kallor/scb/kor"`,
		"Delvis (någon tabell misslyckades)", "TAB638</strong>: sparad (3 siffror)",
		`TAB5838</strong>: misslyckades – Tabell TAB5838 hos SCB passar inte konfigurationen: variabeln ArbetsSektor har inget värde "12" (närmast: 11 (statlig förvaltning), 1110 (statliga affärsverk)).`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Error texts quote sources' answers: they are escaped, never markup.
	if strings.Contains(page, "<script>alert(1)</script>") {
		t.Error("a run's error text reached the page unescaped")
	}
	// The run's new count is in its row; the running Kolada has its
	// button disabled.
	if !strings.Contains(page, `<td class="num">8</td>`) || !strings.Contains(page, `<button type="submit" disabled>Kör nu</button> <span class="badge">pågår</span>`) {
		t.Error("run counts or the running state missing")
	}
	if strings.Count(page, `name="csrf"`) < 2 {
		t.Error("the run-now forms carry no CSRF token")
	}
}

func TestAdminRunNow(t *testing.T) {
	sched := &fakeScheduler{busy: map[string]bool{"kolada": true}}
	inst := startWithScheduler(t, sched)
	admin := login(t, inst, "ada", domain.RoleAdmin)

	resp := admin.post("/admin/kallor/scb/kor", url.Values{"csrf": {""}})
	if readBody(t, resp); resp.StatusCode != http.StatusForbidden || len(sched.Triggers()) != 0 {
		t.Fatalf("without CSRF: %d, runs %v", resp.StatusCode, sched.Triggers())
	}
	resp = admin.post("/admin/kallor/scb/kor", url.Values{"csrf": {"not-the-token"}})
	if readBody(t, resp); resp.StatusCode != http.StatusForbidden || len(sched.Triggers()) != 0 {
		t.Fatalf("wrong CSRF: %d, runs %v", resp.StatusCode, sched.Triggers())
	}
	resp = admin.post("/admin/kallor/scb/kor", nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/kallor?startad=scb" {
		t.Fatalf("run now: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := sched.Triggers(); len(got) != 1 || got[0] != "scb by ada" {
		t.Fatalf("runs %v", got)
	}
	_, page := admin.get("/admin/kallor?startad=scb")
	if !strings.Contains(page, "Körningen har startat för SCB.") {
		t.Error("no notice after the redirect")
	}
	// A crafted link cannot put words on the page.
	_, page = admin.get("/admin/kallor?startad=" + url.QueryEscape("<b>hackad</b>"))
	if strings.Contains(page, "Körningen har startat") || strings.Contains(html.UnescapeString(page), "hackad") {
		t.Error("notice for a source that does not exist")
	}

	resp = admin.post("/admin/kallor/kolada/kor", nil)
	if body := readBody(t, resp); resp.StatusCode != http.StatusConflict || !strings.Contains(errorText(body), "pågår redan") {
		t.Errorf("busy source: %d %q", resp.StatusCode, errorText(body))
	}
	resp = admin.post("/admin/kallor/smhi/kor", nil)
	if readBody(t, resp); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown source: %d", resp.StatusCode)
	}
	if got := sched.Triggers(); len(got) != 1 {
		t.Errorf("runs %v", got)
	}
}

func TestAdminSourcesWithoutScheduler(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	admin := login(t, inst, "ada", domain.RoleAdmin)
	st, page := admin.get("/admin/kallor")
	if st != http.StatusOK || !strings.Contains(page, "Schemaläggaren är inte igång på den här instansen.") {
		t.Errorf("page: %d", st)
	}
	resp := admin.post("/admin/kallor/scb/kor", nil)
	if body := readBody(t, resp); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(errorText(body), "Schemaläggaren är inte igång") {
		t.Errorf("post: %d %q", resp.StatusCode, errorText(body))
	}
}

func TestAdminCheckButton(t *testing.T) {
	sched := &fakeScheduler{}
	inst := startWithScheduler(t, sched)
	admin := login(t, inst, "ada", domain.RoleAdmin)
	if _, page := admin.get("/admin/kallor"); !strings.Contains(page, `action="/admin/kallor/kontroll"`) {
		t.Fatal("the page has no check button")
	}
	if resp := admin.post("/admin/kallor/kontroll", url.Values{"csrf": {""}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF: %d", resp.StatusCode)
	}
	analyst := login(t, inst, "ana", domain.RoleAnalyst)
	if resp := analyst.post("/admin/kallor/kontroll", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst: %d", resp.StatusCode)
	}
	sched.mu.Lock()
	n := len(sched.checks)
	sched.mu.Unlock()
	if n != 0 {
		t.Fatalf("checks run without an admin and a token: %d", n)
	}
	resp := admin.post("/admin/kallor/kontroll", nil)
	page := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("check: %d %s", resp.StatusCode, errorText(page))
	}
	text := html.UnescapeString(page)
	for _, want := range []string{"Kontroll: SCB", "1 av 2 poster stämmer inte.", "TAB5838 → state_jobs", "<strong>FEL</strong>",
		"saknas; närmast: 11 (statlig förvaltning) <i>x</i>", "Kontroll: Kolada", "Allt stämmer (1 poster)."} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<i>x</i>") {
		t.Error("a source's text reached the page unescaped")
	}
	if len(sched.Triggers()) != 0 {
		t.Error("the check started a run")
	}
}
