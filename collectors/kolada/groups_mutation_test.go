package kolada

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
)

// The edges of the group download that mutation testing found unchecked
// (docs/testing.md).

// max_pages pages are followed, one more is refused; a failing page is
// named by its number; exactly minGroups groups are a full list.
func TestGroupsPagesAndMinimum(t *testing.T) {
	ctx := context.Background()
	srv, _ := groupsServer(t, func(s string) string { return s })
	for _, tt := range []struct {
		maxPages int
		ok       bool
	}{{2, true}, {1, false}} {
		c := New(config.Kolada{URL: srv.URL + "/v3", MaxAttempts: 1, MaxPages: tt.maxPages}, nil, WithClock(clocktest.NewFakeClock(t0)), WithHTTPClient(srv.Client()), WithLogger(slog.New(slog.DiscardHandler)))
		if _, err := c.Groups(ctx); (err == nil) != tt.ok {
			t.Errorf("two pages with max_pages %d: err %v", tt.maxPages, err)
		}
	}

	for name, page2 := range map[string]func(string) string{
		"garbage":       func(string) string { return "<html>oops</html>" },
		"link off host": func(string) string { return `{"values":[],"next_url":"https://evil.example/v3/municipality_groups"}` },
	} {
		srv, _ := groupsServer(t, page2)
		if _, err := groupsCollector(srv).Groups(ctx); err == nil || !strings.Contains(err.Error(), "page 2: ") {
			t.Errorf("%s: err %v, want it to name page 2", name, err)
		}
	}

	b, err := os.ReadFile("testdata/kolada_constructed_groups_page1.json")
	if err != nil {
		t.Fatal(err)
	}
	first, _, err := ParseGroupPage(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, total := range []int{minGroups, minGroups - 1} {
		var gs []string
		for i := len(first); i < total; i++ {
			gs = append(gs, fmt.Sprintf(`{"id":"G%d","title":"Grupp %d","members":[{"member_id":"1060"}]}`, 90000+i, i))
		}
		srv, _ := groupsServer(t, func(string) string { return `{"values":[` + strings.Join(gs, ",") + `],"next_url":null}` })
		snap, err := groupsCollector(srv).Groups(ctx)
		if ok := total >= minGroups; (err == nil) != ok || (ok && len(snap.Groups) != total) {
			t.Errorf("%d groups: %d kept, err %v", total, len(snap.Groups), err)
		}
	}
}
