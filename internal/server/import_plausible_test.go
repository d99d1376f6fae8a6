package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// TestUploadPlausibility: an implausible figure is a rejected row with its
// reason, never stored over the real one; a plausible figure that differs
// from the shown one by more than max_change is a warning the analyst must
// tick before the confirm writes anything.
func TestUploadPlausibility(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	real := fig(t, "0481", 2016)
	before := snapshot(t, inst)

	// Negative population: rejected, nothing to confirm.
	_, page := an.previewOf("minus.xlsx", workbook(t, longSheet([]any{"0481", 2016, "population", -5000})), nil)
	if rows := tableRows(page, "reject"); len(rows) != 1 || !strings.Contains(strings.Join(rows[0], " "), "mindre än 0") {
		t.Errorf("negative population: rejects %v, want one naming the bound", rows)
	}
	if strings.Contains(page, "Bekräfta import") {
		t.Error("a file with only an implausible row can be confirmed")
	}

	// Half of the real figure: plausible, but a large change.
	half := float64(int(real / 2))
	path, page := an.previewOf("halva.xlsx", workbook(t, longSheet([]any{"0481", 2016, "population", half})), nil)
	if rows := largeChangeRows.FindAllStringSubmatch(page, -1); len(rows) != 1 || !strings.Contains(rows[0][1], "Oxelösund (0481)") {
		t.Fatalf("large change not listed as a warning: %v", rows)
	}
	if !strings.Contains(page, `name="granskat"`) {
		t.Fatal("no box to tick for the large change")
	}
	resp := an.post(path+"/bekrafta", url.Values{"hash": {hiddenHash(t, page)}})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "kryssa i att du har gjort det") {
		t.Errorf("confirm without the tick: status %d, %q", resp.StatusCode, errorText(body))
	}
	if after := snapshot(t, inst); !equalStrings(before, after) {
		t.Fatal("a refused confirm changed the store")
	}
	// The API refuses the same without accept_large_changes.
	id := strings.TrimPrefix(path, "/import/")
	resp = an.do(http.MethodPost, "/api/v1/imports/"+id+"/confirm", "application/x-www-form-urlencoded", strings.NewReader(""), http.Header{"X-Csrf-Token": {an.csrf}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "ändras mer än rimligt") {
		t.Errorf("API confirm without accept_large_changes: %d %s", resp.StatusCode, body)
	}
	if after := snapshot(t, inst); !equalStrings(before, after) {
		t.Fatal("a refused API confirm changed the store")
	}
	// Ticked: written.
	resp = an.post(path+"/bekrafta", url.Values{"hash": {hiddenHash(t, page)}, "granskat": {"1"}})
	if readBody(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm with the tick: status %d", resp.StatusCode)
	}
	if after := snapshot(t, inst); equalStrings(before, after) {
		t.Error("the ticked confirm wrote nothing")
	}
}

var largeChangeRows = regexp.MustCompile(`(?s)<tr class="large-change"[^>]*>(.*?)</tr>`)
