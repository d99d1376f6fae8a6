package excel

import (
	"bytes"
	"strings"
	"testing"
)

// TestFormulaCells: a formula's stored result is read, and listed as a
// warning so the analyst knows it is Excel's last computed value; a
// formula without a stored result is rejected with that reason instead of
// silently counting as missing.
func TestFormulaCells(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Kommun</t></is></c><c r="B1" t="inlineStr"><is><t>År</t></is></c><c r="C1" t="inlineStr"><is><t>Folkmängd</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>0481</t></is></c><c r="B2"><v>2023</v></c><c r="C2"><f>12000+106</f><v>12106</v></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>1060</t></is></c><c r="B3"><v>2023</v></c><c r="C3"><f>13000+61</f></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>0562</t></is></c><c r="B4"><v>2023</v></c><c r="C4"><v>21694</v></c></row>` +
		`</sheetData></worksheet>`
	res, err := Read(bytes.NewReader(buildZip(t, workbookParts([]byte(sheet), 0)...)), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Observations) != 2 {
		t.Errorf("%d observations, want the stored formula result and the plain number: %+v", len(res.Observations), res.Observations)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Row != 2 || res.Warnings[0].Column != "C" || !strings.Contains(res.Warnings[0].Reason, "Excels senast beräknade värde används") {
		t.Errorf("warnings %+v, want one for C2", res.Warnings)
	}
	if len(res.Rejects) != 1 || res.Rejects[0].Row != 3 || !strings.Contains(res.Rejects[0].Reason, "formel utan sparat resultat") {
		t.Errorf("rejects %+v, want C3 rejected as a formula without a result", res.Rejects)
	}
}
