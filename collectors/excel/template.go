package excel

import (
	"fmt"
	"io"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/xuri/excelize/v2"
)

// Template sheet names. Data is where figures go; the others are reference
// lists the reader passes over (they have no data header).
const (
	sheetInstructions = "Instruktioner"
	sheetData         = "Data"
	sheetMembers      = "Medlemmar"
	sheetIndicators   = "Indikatorer"
)

// templateRows bounds the indicator drop-down on the Data sheet.
const templateRows = 10_000

// WriteTemplate writes the upload template analysts download: instructions,
// an empty Data sheet in the long layout (kommun, år, indikator, värde) and
// the member and indicator lists to copy codes from. It holds no figures:
// an example number would be an invented one.
func WriteTemplate(w io.Writer, members []domain.Region, cat *domain.Catalogue) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := f.SetSheetName("Sheet1", sheetInstructions); err != nil {
		return fmt.Errorf("excel: template: %w", err)
	}
	for _, s := range []string{sheetData, sheetMembers, sheetIndicators} {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("excel: template: sheet %s: %w", s, err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("excel: template: style: %w", err)
	}
	textFmt, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": codes keep their leading zero
	if err != nil {
		return fmt.Errorf("excel: template: style: %w", err)
	}
	var inds []domain.Indicator
	if cat != nil {
		inds = cat.All()
	}
	steps := []func() error{
		func() error { return writeInstructions(f, bold) },
		func() error { return writeDataSheet(f, bold, textFmt, len(inds)) },
		func() error { return writeMembers(f, bold, textFmt, members) },
		func() error { return writeIndicators(f, bold, inds) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("excel: template: %w", err)
		}
	}
	f.SetActiveSheet(1) // Data
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("excel: template: write: %w", err)
	}
	return nil
}

func instructionLines() []string {
	d := DefaultLimits()
	return []string{
		"Mall för uppladdning av siffror till Svenska Industrikommuners indikatorer",
		"",
		"Så fyller du i",
		"Skriv en siffra per rad på bladet Data: kommun, år, indikator och värde.",
		"Kommun: kommunkod (t.ex. 1060) eller namn (t.ex. Olofström). Riket skrivs 00 eller Riket, län med länskod (t.ex. 10).",
		"År: fyra siffror mellan 1900 och 2100.",
		"Indikator: id eller namn från bladet Indikatorer.",
		"Värde: ett tal. Decimalkomma eller decimalpunkt går bra, mellanslag som tusentalsavgränsare också. Skriv inte enheten i cellen.",
		"Saknas en siffra: lämna cellen tom eller skriv .. (två punkter) eller -. Det blir ingen siffra, aldrig 0.",
		"Samma kommun, indikator och år får bara finnas en gång i filen. Står de två gånger med olika värden används ingen av dem.",
		"",
		"Andra upplägg som också kan läsas",
		"Lång form: en rad per siffra med kolumnerna kommun, år, indikator och värde i valfri ordning (svenska eller engelska rubriker). Kolumnen indikator kan utelämnas om bladets namn eller en rubrik över tabellen är indikatorns namn.",
		"Bred form: en rad per kommun och en kolumn per år. Indikatorn anges med bladets namn, en rubrikrad över tabellen eller genom att väljas vid uppladdningen.",
		"Export från SCB:s Statistikdatabasen (.xlsx eller CSV): rubrikrader, kommuner som \"1060 Olofström\", .. och - för saknade uppgifter och fotnoter läses som de är.",
		"",
		"Gränser",
		fmt.Sprintf("Filen får vara högst %s och ha högst %d rader.", formatBytes(d.MaxFileBytes), d.MaxRows),
		"Endast .xlsx och CSV (komma, semikolon eller tabb; UTF-8 eller Latin-1). Gamla .xls-filer och lösenordsskyddade filer kan inte läsas.",
		"Formler räknas inte om: skriv in värdena som tal.",
		"",
		"Innan något sparas visas vad uppladdningen ändrar och vilka rader som inte kunde läsas och varför.",
	}
}

func writeInstructions(f *excelize.File, bold int) error {
	for i, line := range instructionLines() {
		cell := fmt.Sprintf("A%d", i+1)
		if err := f.SetCellStr(sheetInstructions, cell, line); err != nil {
			return err
		}
		if i == 0 || line == "Så fyller du i" || line == "Andra upplägg som också kan läsas" || line == "Gränser" {
			if err := f.SetCellStyle(sheetInstructions, cell, cell, bold); err != nil {
				return err
			}
		}
	}
	return f.SetColWidth(sheetInstructions, "A", "A", 120)
}

func writeDataSheet(f *excelize.File, bold, textFmt, nInd int) error {
	if err := f.SetSheetRow(sheetData, "A1", &[]any{"kommun", "år", "indikator", "värde"}); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheetData, "A1", "D1", bold); err != nil {
		return err
	}
	if err := f.SetColStyle(sheetData, "A", textFmt); err != nil {
		return err
	}
	if err := f.SetColWidth(sheetData, "A", "D", 18); err != nil {
		return err
	}
	if err := f.SetPanes(sheetData, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if nInd == 0 {
		return nil
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("C2:C%d", templateRows))
	dv.SetSqrefDropList(fmt.Sprintf("'%s'!$A$2:$A$%d", sheetIndicators, nInd+1))
	return f.AddDataValidation(sheetData, dv)
}

func writeMembers(f *excelize.File, bold, textFmt int, members []domain.Region) error {
	if err := f.SetSheetRow(sheetMembers, "A1", &[]any{"kod", "namn"}); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheetMembers, "A1", "B1", bold); err != nil {
		return err
	}
	if err := f.SetColStyle(sheetMembers, "A", textFmt); err != nil {
		return err
	}
	for i, m := range members {
		if err := f.SetSheetRow(sheetMembers, fmt.Sprintf("A%d", i+2), &[]any{m.Code, m.Name}); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheetMembers, "B", "B", 24)
}

func writeIndicators(f *excelize.File, bold int, inds []domain.Indicator) error {
	if err := f.SetSheetRow(sheetIndicators, "A1", &[]any{"id", "namn", "enhet", "definition"}); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheetIndicators, "A1", "D1", bold); err != nil {
		return err
	}
	for i, ind := range inds {
		if err := f.SetSheetRow(sheetIndicators, fmt.Sprintf("A%d", i+2), &[]any{ind.ID, ind.Name, ind.Unit, ind.Definition}); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheetIndicators, "A", "C", 18); err != nil {
		return err
	}
	return f.SetColWidth(sheetIndicators, "D", "D", 90)
}
