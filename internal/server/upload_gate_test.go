package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// TestUploadGate: with every turn taken an upload waits its short while
// and is then refused with 503 "försök igen om en stund", before any
// parsing; a freed turn lets the next one in.
func TestUploadGate(t *testing.T) {
	s := &Server{uploads: newUploadGate(2, 20*time.Millisecond)}
	var releases []func()
	for range 2 {
		r, err := s.uploads.enter()
		if err != nil {
			t.Fatalf("turn within the bound refused: %v", err)
		}
		releases = append(releases, r)
	}
	_, err := s.readUpload([]byte("kommun;år;värde\n0481;2024;1\n"), "x.csv", "population", time.Now())
	if domain.ErrorCode(err) != domain.CodeUnavailable || statusOf(err) != http.StatusServiceUnavailable ||
		!strings.Contains(domain.UserMessage(err, ""), "Försök igen om en stund") {
		t.Fatalf("third parse while two run: %v", err)
	}
	releases[0]()
	r, err := s.uploads.enter()
	if err != nil {
		t.Fatalf("turn after a release refused: %v", err)
	}
	r()
	releases[1]()
	if got := cap(newUploadGate(0, 0).slots); got != 2 {
		t.Errorf("default parallel %d, want 2", got)
	}
}
