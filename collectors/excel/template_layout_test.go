package excel

import (
	"fmt"
	"testing"
)

// The template's look is part of what it tells the analyst: headings in
// bold, the indicator drop-down over exactly the indicator list, columns
// wide enough to read (docs/testing.md, mutation testing, fifth run).
func TestTemplateLayout(t *testing.T) {
	cat := testCatalogue()
	f, _ := openTemplate(t, cat)
	headings := map[string]bool{"Så fyller du i": true, "Andra upplägg som också kan läsas": true, "Gränser": true}
	for i, line := range instructionLines() {
		cell := fmt.Sprintf("A%d", i+1)
		id, err := f.GetCellStyle(sheetInstructions, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		bold := st.Font != nil && st.Font.Bold
		if want := i == 0 || headings[line]; bold != want {
			t.Errorf("Instruktioner %s %q: bold %v, want %v", cell, line, bold, want)
		}
	}
	dvs, err := f.GetDataValidations(sheetData)
	if err != nil || len(dvs) != 1 {
		t.Fatalf("drop-downs %+v, %v", dvs, err)
	}
	if want := fmt.Sprintf("'%s'!$A$2:$A$%d", sheetIndicators, len(cat.All())+1); dvs[0].Formula1 != want {
		t.Errorf("drop-down list %q, want %q", dvs[0].Formula1, want)
	}
	for _, w := range []struct {
		sheet, col string
		want       float64
	}{{sheetInstructions, "A", 120}, {sheetData, "D", 18}, {sheetMembers, "B", 24}, {sheetIndicators, "C", 18}, {sheetIndicators, "D", 90}} {
		if got, err := f.GetColWidth(w.sheet, w.col); err != nil || got != w.want {
			t.Errorf("%s column %s: width %v, %v; want %v", w.sheet, w.col, got, err, w.want)
		}
	}
}
