package scb

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// An error names its table when there is one (docs/testing.md, mutation
// testing).
func TestFailNamesTheTable(t *testing.T) {
	base := errors.New("boom")
	if got := fail("TAB638", base).Error(); !strings.Contains(got, "scb: table TAB638: boom") {
		t.Errorf("with a table: %q", got)
	}
	if got := fail("", base).Error(); !strings.Contains(got, "scb: boom") || strings.Contains(got, "table") {
		t.Errorf("without a table: %q", got)
	}
}

// Region codes the dashboard does not know are logged, and only then.
func TestUnknownRegionCodesAreLogged(t *testing.T) {
	for _, known := range []*domain.Regions{regionsFromMeta(t), domain.NewRegions([]domain.Region{{Code: "1060", Name: "Olofström", CountyCode: "10"}})} {
		f := newFake(t)
		srv := httptest.NewServer(f)
		var buf bytes.Buffer
		cfg := config.SCB{URL: srv.URL + "/api/v2", Tables: []config.SCBTable{populationSpec}, MaxAttempts: 1}
		c := New(cfg, known, WithHTTPClient(srv.Client()), WithClock(clocktest.NewFakeClock(t0)), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))), WithBackoff(time.Second, time.Second))
		_, err := c.Collect(context.Background(), nil)
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		logged := strings.Contains(buf.String(), "does not know")
		if all := len(known.All()) > 1; all == logged {
			t.Errorf("all regions known %v, unknown codes logged %v:\n%s", all, logged, buf.String())
		}
	}
}
