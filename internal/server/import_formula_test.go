package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

var cellWarningRows = regexp.MustCompile(`(?s)<tr class="cell-warning">(.*?)</tr>`)

// TestUploadFormulaCells: the preview lists a formula's stored result as a
// warning and rejects a formula without one, with that reason.
func TestUploadFormulaCells(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for i, row := range [][]any{{"kommun", "år", "indikator", "värde"}, {"0481", 2030, "population", 12106}, {"1060", 2030, "population", nil}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	// D2 keeps its stored value 12106 under a formula; D3 has a formula and no result.
	if err := f.SetCellFormula("Sheet1", "D2", "12000+106"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula("Sheet1", "D3", "13000+61"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	_, page := an.previewOf("formler.xlsx", buf.Bytes(), nil)
	rejects := tableRows(page, "reject")
	if len(rejects) != 1 || rejects[0][1] != "3" || !strings.Contains(strings.Join(rejects[0], " "), "formel utan sparat resultat") {
		t.Errorf("rejects %v, want row 3 as a formula without a result", rejects)
	}
	warn := cellWarningRows.FindAllStringSubmatch(page, -1)
	if len(warn) != 1 || !strings.Contains(warn[0][1], "Excels senast beräknade värde används") {
		t.Errorf("warnings %v, want one for D2", warn)
	}
}
