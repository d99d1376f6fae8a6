package kolada

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// groupsServer serves the two group pages, with their links pointed at
// the test server, and mutate's version of page 2.
func groupsServer(t *testing.T, page2 func(string) string) (*httptest.Server, *[]string) {
	t.Helper()
	p1, err := os.ReadFile("testdata/kolada_constructed_groups_page1.json")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := os.ReadFile("testdata/kolada_constructed_groups_page2.json")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.RequestURI())
		if r.URL.Path != "/v3/municipality_groups" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("page") == "2" {
			_, _ = w.Write([]byte(page2(string(p2))))
			return
		}
		_, _ = w.Write([]byte(strings.ReplaceAll(string(p1), realBase, srv.URL+"/v3")))
	}))
	t.Cleanup(srv.Close)
	return srv, &paths
}

func groupsCollector(srv *httptest.Server) *Collector {
	return New(config.Kolada{URL: srv.URL + "/v3", MaxAttempts: 1}, nil, WithClock(clocktest.NewFakeClock(t0)), WithHTTPClient(srv.Client()), WithLogger(slog.New(slog.DiscardHandler)))
}

func TestGroupsFollowsPages(t *testing.T) {
	srv, paths := groupsServer(t, func(s string) string { return s })
	snap, err := groupsCollector(srv).Groups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Groups) != 301 || len(*paths) != 2 || !snap.FetchedAt.Equal(t0) {
		t.Fatalf("%d groups in %d requests at %v", len(snap.Groups), len(*paths), snap.FetchedAt)
	}
	last := snap.Groups[len(snap.Groups)-1]
	if last.ID != "G37489" || strings.Join(last.Members, ",") != "1435,1442,1763,1766,1861,1862,2460" {
		t.Errorf("Olofström's similar group = %+v", last)
	}
}

func TestGroupsAllOrNothing(t *testing.T) {
	tests := []struct {
		name  string
		page2 func(string) string
	}{
		{"garbage page", func(string) string { return "<html>oops</html>" }},
		{"error document", func(string) string { return `{"error":"x"}` }},
		{"half a list", func(string) string { return `{"values":[],"next_url":null}` }},
		{"group without id", func(string) string { return `{"values":[{"id":"","title":"x"}]}` }},
		{"link off host", func(string) string { return `{"values":[],"next_url":"https://evil.example/v3/municipality_groups"}` }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := groupsServer(t, tt.page2)
			snap, err := groupsCollector(srv).Groups(context.Background())
			if err == nil || len(snap.Groups) != 0 {
				t.Fatalf("got %d groups, err %v; want none and an error", len(snap.Groups), err)
			}
			if domain.ErrorCode(err) != domain.CodeUnavailable || !strings.Contains(domain.UserMessage(err, ""), "kommungrupper") {
				t.Errorf("error %v, want a Swedish unavailable message", err)
			}
		})
	}
}

func FuzzParseGroupPage(f *testing.F) {
	f.Add([]byte(`{"values":[{"id":"G1","title":"A","members":[{"member_id":"0114"}]}],"next_url":null}`))
	f.Add([]byte(`{"values":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		gs, _, err := ParseGroupPage(b)
		if err != nil {
			return
		}
		for _, g := range gs {
			if g.ID == "" {
				t.Fatal("group without id accepted")
			}
		}
	})
}
