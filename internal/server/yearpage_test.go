package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// On the bundled figures (population only) the one-year pages have no year
// with figures: they say what fills them, and show no year "0", no empty
// year picker, no downloads and no table of dashes.
func TestYearPagesWithoutFigures(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	tests := []struct {
		path, title, heading, notice string
	}{
		{"/statlig-narvaro", "<title>Statlig närvaro", "<h1>Statlig närvaro</h1>", "Det finns inga siffror om statlig närvaro ännu"},
		{"/kandidater", "<title>Kandidater", "<h1>Tänkbara medlemmar</h1>", "Det finns ingen industriandel för kommunerna ännu"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, inst.URL+tc.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			for _, want := range []string{tc.title, tc.heading, tc.notice} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for _, bad := range []string{" 0</h1>", " 0 – ", `name="ar"`, "Ladda ned", `<table class="data">`} {
				if strings.Contains(body, bad) {
					t.Errorf("page without figures holds %q", bad)
				}
			}
		})
	}
}
