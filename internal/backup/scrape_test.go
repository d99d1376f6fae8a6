package backup_test

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// httptestScrape reads /metrics as a scraper would.
func httptestScrape(t *testing.T, reg *metrics.Registry) string {
	t.Helper()
	srv := httptest.NewServer(reg.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
