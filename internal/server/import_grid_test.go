package server_test

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

var (
	gridTableRe = regexp.MustCompile(`(?s)<table class="data filvy" id="filvy-(\d+)">(.*?)</table>`)
	gridHeadRe  = regexp.MustCompile(`(?s)<th scope="col">(.*?)</th>`)
	gridRowRe   = regexp.MustCompile(`(?s)<tr data-row="(\d+)"([^>]*)>(.*?)</tr>`)
	gridCellRe  = regexp.MustCompile(`(?s)<td class="cell ?([^"]*)"[^>]*>(.*?)</td>`)
	tagRe       = regexp.MustCompile(`<[^>]*>`)
	spaceRe     = regexp.MustCompile(`[ \t\n]+`)
)

// gridCell is one cell of the preview's sheet view: its class and its
// text (marker, value and the hidden words), unescaped.
type gridCellText struct{ class, text string }

// fileGrid reads the first sheet view of a preview: cells keyed by
// "row/column" and the row classes.
func fileGrid(t *testing.T, page string) (map[string]gridCellText, map[int]string) {
	t.Helper()
	m := gridTableRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the preview has no sheet view (table.filvy)")
	}
	var cols []string
	for _, h := range gridHeadRe.FindAllStringSubmatch(m[2], -1) {
		cols = append(cols, html.UnescapeString(h[1]))
	}
	cells, rows := map[string]gridCellText{}, map[int]string{}
	for _, r := range gridRowRe.FindAllStringSubmatch(m[2], -1) {
		n, _ := strconv.Atoi(r[1])
		rows[n] = r[2]
		for i, c := range gridCellRe.FindAllStringSubmatch(r[3], -1) {
			text := strings.TrimSpace(spaceRe.ReplaceAllString(html.UnescapeString(tagRe.ReplaceAllString(c[2], "")), " "))
			col := "*"
			if i+1 < len(cols) && !strings.Contains(r[2], "total-row") {
				col = cols[i+1]
			}
			cells[r[1]+"/"+col] = gridCellText{c[1], text}
		}
	}
	return cells, rows
}

// TestPreviewSheetView: the preview lays a small workbook out like the
// file, with each figure marked new, changed, unchanged, rejected or
// missing, and the Summa row marked skipped, by words as well as class.
func TestPreviewSheetView(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	known := figures(t)["1060"]
	newYear := 0
	for y := 2024; y > 1950 && newYear == 0; y-- {
		if _, ok := known[y]; !ok {
			newYear = y
		}
	}
	if newYear == 0 {
		t.Fatal("no year without a bundled figure for Olofström")
	}
	v24, v23 := fig(t, "1060", 2024), fig(t, "1060", 2023)
	data := workbook(t, longSheet(
		[]any{"1060", 2024, "population", v24},       // row 2: unchanged
		[]any{"1060", 2023, "population", v23 + 7},   // row 3: changed
		[]any{"0562", 2024, "population", ".."},      // row 4: missing
		[]any{"Summa", 2024, "population", 99999},    // row 5: total, skipped
		[]any{"Atlantis", 2024, "population", 12345}, // row 6: rejected
		[]any{"1060", newYear, "population", v24},    // row 7: new
	))
	_, page := an.previewOf("rutnat.xlsx", data, nil)
	cells, rows := fileGrid(t, page)
	for _, tc := range []struct {
		cell, class, text string
	}{
		{"2/D", "cell-unchanged", "= " + swedish(v24) + " (Oförändrad)"},
		{"3/D", "cell-changed", "≠ " + swedish(v23) + " → " + swedish(v23+7) + " (Ändras från " + swedish(v23) + ")"},
		{"4/D", "cell-missing", ".. saknas (Saknat värde i filen; ingen siffra importeras)"},
		{"5/*", "cell-total", "Σ Summarad, hoppades över"},
		{"6/A", "cell-rejected", "✕ Atlantis (Avvisad: "},
		{"7/D", "cell-new", "+ " + swedish(v24) + " (Ny siffra)"},
		{"2/A", "", ""},
	} {
		got, ok := cells[tc.cell]
		if !ok {
			t.Errorf("cell %s missing from the sheet view (have %v)", tc.cell, cells)
			continue
		}
		if got.class != tc.class || !strings.HasPrefix(got.text, tc.text) {
			t.Errorf("cell %s = %q %q, want %q %q…", tc.cell, got.class, got.text, tc.class, tc.text)
		}
	}
	if !strings.Contains(rows[5], "total-row") || strings.Contains(rows[2], "total-row") {
		t.Errorf("row classes %v", rows)
	}
	if _, ok := cells["1/A"]; ok {
		t.Error("the header row is shown as a data row")
	}
	if !strings.Contains(page, `<div class="scroll" tabindex="0" role="region" aria-label="Bladet Data som i filen">`) {
		t.Error("the sheet view is not in a keyboard-reachable, labelled scroll region")
	}
	if !strings.Contains(page, `<th scope="row">2 Olofström</th>`) {
		t.Error("row 2 is not labelled with its row number and municipality")
	}
}

// TestPreviewSheetViewEscapes: markup from a file's cells is text in the
// sheet view too.
func TestPreviewSheetViewEscapes(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	_, page := an.previewOf(xssFile, hostileUpload(t), nil)
	checkNoRawMarkup(t, "preview", page)
	cells, _ := fileGrid(t, page)
	if c := cells["3/A"]; c.class != "cell-rejected" || !strings.HasPrefix(c.text, "✕ "+xss1) {
		t.Errorf("cell 3/A = %+v, want the markup as rejected text", c)
	}
	m := gridTableRe.FindString(page)
	if !strings.Contains(m, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(m, "&lt;/script&gt;&lt;script&gt;alert(2)") {
		t.Error("the sheet view does not hold the hostile strings escaped")
	}
	if !strings.Contains(page, `aria-label="Bladet Data som i filen"`) {
		t.Error("no sheet view region")
	}
}
