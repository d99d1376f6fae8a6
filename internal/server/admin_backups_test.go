package server_test

import (
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

type fakeBackups struct{ info server.BackupInfo }

func (f fakeBackups) BackupStatus() server.BackupInfo { return f.info }

func TestAdminSourcesShowsBackups(t *testing.T) {
	at := time.Date(2026, 3, 2, 2, 30, 0, 0, time.UTC) // 03:30 in Stockholm
	tests := []struct {
		name    string
		backups server.Backups
		want    []string
		alert   bool
	}{
		{name: "not scheduled", backups: nil,
			want: []string{"Schemalagda säkerhetskopior är avstängda", "dashboard backup FIL"}},
		{name: "written",
			backups: fakeBackups{server.BackupInfo{Spec: "CRON_TZ=Europe/Stockholm 30 3 * * *", Schedule: "varje dag kl. 03:30 (Europe/Stockholm)",
				Next: at.Add(24 * time.Hour), Keep: 7, Dir: "/var/lib/dashboard",
				LastAt: at, LastFile: "/var/lib/dashboard/dashboard.db.backup-20260302T023000Z", LastSuccess: at}},
			want: []string{"varje dag kl. 03:30 (Europe/Stockholm)", "2026-03-03 03:30 (svensk tid)", "de 7 senaste, i /var/lib/dashboard",
				"Skrevs 2026-03-02 03:30 (svensk tid): dashboard.db.backup-20260302T023000Z."}},
		{name: "failed after an earlier success",
			backups: fakeBackups{server.BackupInfo{Spec: "@daily", Schedule: "@daily", Keep: 3, Dir: "/data",
				LastAt: at, LastError: "backup: sqlite: backup: vacuum into /data/x: disk I/O error <b>", LastSuccess: at.Add(-24 * time.Hour)}},
			want:  []string{"Misslyckades 2026-03-02 03:30 (svensk tid): sqlite: backup: vacuum into /data/x: disk I/O error <b>.", "Senaste lyckade: 2026-03-01 03:30."},
			alert: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst := servertest.Start(t, servertest.Options{Deps: func(d *server.Deps) { d.Backups = tt.backups }})
			admin := login(t, inst, "ada", domain.RoleAdmin)
			st, page := admin.get("/admin/kallor")
			if st != http.StatusOK {
				t.Fatalf("status %d", st)
			}
			i := strings.Index(page, `id="sakerhetskopior"`)
			j := strings.Index(page, `id="avvikelser"`)
			if i < 0 || j < i {
				t.Fatal("no backups section")
			}
			section := page[i:j]
			for _, w := range tt.want {
				if !strings.Contains(html.UnescapeString(section), w) {
					t.Errorf("section lacks %q:\n%s", w, section)
				}
			}
			if got := strings.Contains(section, `role="alert"`); got != tt.alert {
				t.Errorf("alert shown = %v, want %v", got, tt.alert)
			}
			if strings.Contains(section, "<b>") {
				t.Error("the error text reached the page unescaped")
			}
		})
	}
}
