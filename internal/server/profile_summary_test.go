package server_test

import (
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// Olofström's profile opens with the summary, before any chart: 2024,
// 13 000, rank 11 of 12, 12 753 below the network median, Blekinge's sum,
// riket, and the quartile in words; the indicators without figures are
// named in one line.
func TestProfileOpensWithSummary(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	resp, body := get(t, inst.URL+"/kommun/1060")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	sum := strings.Index(body, `id="sammanfattning"`)
	chart := strings.Index(body, `data-option=`)
	if sum < 0 || chart < 0 || sum > chart {
		t.Fatalf("summary at %d, first chart at %d: the summary must come first", sum, chart)
	}
	block := body[sum:chart]
	for _, want := range []string{"13\u00a0000", "11 av 12", "−12\u00a0753", "157\u00a0223", "summa av kommunerna", "10\u00a0587\u00a0710", "Nedersta fjärdedelen", "Inga siffror ännu för"} {
		if !strings.Contains(block, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	// Olofström has population figures only after no break: no break note.
	if strings.Contains(body, "Metodbyte 2020:") {
		t.Error("a series break is noted although no figures straddle it")
	}
}
