package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// nbsp is the thousands separator the pages write.
const nbsp = "\u00a0"

// swedish writes a whole number as the preview does ("13 061").
func swedish(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestImportChangedUnchangedAndRollback walks the life of two uploads of
// one cell. The scenario is an analyst's slip: Olofström's 2023 figure
// typed into the 2024 row (both real figures from observations.csv), then
// the corrected file. The preview must show old → new each time, a repeat
// upload must be unchanged, an overwritten import cannot be rolled back
// before the later one, and rolling both back restores exactly the figures
// there were.
func TestImportChangedUnchangedAndRollback(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	ctx := context.Background()
	olof2023, olof2024 := fig(t, "1060", 2023), fig(t, "1060", 2024)
	wrong := workbook(t, longSheet([]any{"1060", 2024, "population", olof2023}))
	right := workbook(t, longSheet([]any{"Olofström", 2024, "population", olof2024}))
	original := snapshot(t, inst)
	an := login(t, inst, "anna", domain.RoleAnalyst)

	// 1. The slip: the shown (bundled) figure changes.
	path, page := an.previewOf("olofstrom_fel.xlsx", wrong, nil)
	if c := counts(t, page); c["changed"] != 1 || c["new"] != 0 || c["unchanged"] != 0 || c["figures"] != 1 {
		t.Fatalf("first upload counts %v, want 1 changed", c)
	}
	rows := tableRows(page, "change")
	if len(rows) != 1 || rows[0][0] != "Olofström (1060)" || rows[0][2] != "2024" || rows[0][3] != "ändras" ||
		rows[0][4] != swedish(olof2024) || rows[0][5] != swedish(olof2023) || !strings.Contains(rows[0][6], "Region Halland") {
		t.Fatalf("change row %q, want Olofström 2024 %s → %s from the bundled figure", rows, swedish(olof2024), swedish(olof2023))
	}
	first := an.confirm(path, page)

	// 2. The same file again: nothing changes, and cancelling writes
	// nothing.
	path, page = an.previewOf("olofstrom_fel.xlsx", wrong, nil)
	if c := counts(t, page); c["unchanged"] != 1 || c["changed"] != 0 || c["new"] != 0 {
		t.Fatalf("repeat upload counts %v, want 1 unchanged", c)
	}
	if len(tableRows(page, "change")) != 0 {
		t.Fatal("an unchanged figure is listed as a change")
	}
	w := countWrites(t, inst)
	resp := an.post(path+"/avbryt", nil)
	if readBody(t, resp); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/import?avbruten=1" {
		t.Fatalf("cancel: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := countWrites(t, inst); got.batches != w.batches || got.pending != w.pending-1 {
		t.Fatalf("cancel: %+v → %+v", w, got)
	}
	if st, _ := an.get(path); st != http.StatusNotFound {
		t.Fatalf("cancelled preview still answers %d", st)
	}

	// 3. The correction: old is the first upload's figure.
	path, page = an.previewOf("olofstrom_rattad.xlsx", right, nil)
	rows = tableRows(page, "change")
	if len(rows) != 1 || rows[0][4] != swedish(olof2023) || rows[0][5] != swedish(olof2024) ||
		!strings.Contains(rows[0][6], fmt.Sprintf("Uppladdad fil olofstrom_fel.xlsx (import %d)", first)) {
		t.Fatalf("correction row %q", rows)
	}
	second := an.confirm(path, page)
	if got := observations(t, inst, []string{"1060"}, 2024, 2024)["1060/2024"]; got.Value != olof2024 || got.BatchID != second {
		t.Fatalf("after the correction the API shows %+v", got)
	}

	// 4. The first import was overwritten: it cannot be undone first.
	resp = an.post(fmt.Sprintf("/import/batch/%d/angra", first), nil)
	body := readBody(t, resp)
	want := fmt.Sprintf("import %d kan inte ångras eftersom import %d senare ändrade samma siffror", first, second)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(errorText(body), want) {
		t.Fatalf("rollback of the overwritten import: %d %q, want 409 %q", resp.StatusCode, errorText(body), want)
	}

	// 5. Undo in order: the confirm step, then the post.
	if st, page := an.get(fmt.Sprintf("/import/batch/%d/angra", second)); st != http.StatusOK || !strings.Contains(page, "återställs exakt de siffror som fanns före") {
		t.Fatalf("rollback confirm page: %d", st)
	}
	for _, id := range []int64{second, first} {
		resp = an.post(fmt.Sprintf("/import/batch/%d/angra", id), nil)
		if body := readBody(t, resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("rollback %d: %d %s", id, resp.StatusCode, errorText(body))
		}
	}
	if got := snapshot(t, inst); !equalStrings(got, original) {
		t.Fatalf("after rolling back both imports the store differs from before:\n%v", diffLines(original, got))
	}
	got := observations(t, inst, []string{"1060"}, 2024, 2024)["1060/2024"]
	if got.Value != olof2024 || got.SourceKind != "bundled" {
		t.Fatalf("after rollback the API shows %+v, want the bundled %v", got, olof2024)
	}
	b, err := inst.Store.Batch(ctx, first)
	if err != nil || b.Status != domain.BatchRolledBack || b.RolledBackBy != "anna" {
		t.Fatalf("batch %d = %+v, %v", first, b, err)
	}
	if _, list := an.get("/import"); !strings.Contains(list, "Ångrad") {
		t.Fatal("the batch list does not show the rollback")
	}
}

// TestImportConfirmSeesChangedData: another write to the same cell
// between preview and confirm makes the confirm show the new preview (409)
// instead of writing; confirming that one writes.
func TestImportConfirmSeesChangedData(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	olof2023, olof2024 := fig(t, "1060", 2023), fig(t, "1060", 2024)
	an := login(t, inst, "anna", domain.RoleAnalyst)
	bo := login(t, inst, "bo", domain.RoleAnalyst)

	path, page := an.previewOf("olofstrom_fel.xlsx", workbook(t, longSheet([]any{"1060", 2024, "population", olof2023})), nil)
	// Bo uploads Olofström's real 2024 figure meanwhile.
	bpath, bpage := bo.previewOf("olofstrom.xlsx", workbook(t, longSheet([]any{"1060", 2024, "population", olof2024})), nil)
	bo.confirm(bpath, bpage)

	w := countWrites(t, inst)
	resp := an.post(path+"/bekrafta", url.Values{"hash": {hiddenHash(t, page)}})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "har ändrats sedan förhandsgranskningen") {
		t.Fatalf("stale confirm: %d %s", resp.StatusCode, errorText(body))
	}
	if got := countWrites(t, inst); got.batches != w.batches {
		t.Fatal("a stale confirm wrote a batch")
	}
	rows := tableRows(body, "change")
	if len(rows) != 1 || !strings.Contains(rows[0][6], "Uppladdad fil olofstrom.xlsx") {
		t.Fatalf("the new preview does not show Bo's figure as the old one: %q", rows)
	}
	id := an.confirm(path, body)
	if got := observations(t, inst, []string{"1060"}, 2024, 2024)["1060/2024"]; got.BatchID != id || got.Value != olof2023 {
		t.Fatalf("after the second confirm: %+v", got)
	}
}

// diffLines shows what differs between two snapshots.
func diffLines(a, b []string) string {
	in := map[string]int{}
	for _, s := range a {
		in[s]++
	}
	for _, s := range b {
		in[s]--
	}
	var out []string
	for s, n := range in {
		if n > 0 {
			out = append(out, "- "+s)
		} else if n < 0 {
			out = append(out, "+ "+s)
		}
	}
	return strings.Join(out, "\n")
}
