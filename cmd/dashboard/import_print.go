package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/numfmt"
)

// printer writes an import's preview for a terminal, in Swedish, with the
// same facts as the web preview: sheets, counts, changes and every reject.
type printer struct {
	w         io.Writer
	regions   *domain.Regions
	catalogue *domain.Catalogue
}

func (p *printer) line(s string) { fmt.Fprintln(p.w, s) }

func (p *printer) preview(file string, res excel.Result, d domain.Diff) {
	p.line("Fil: " + file)
	for _, s := range res.Sheets {
		ind := "indikator okänd"
		if s.Indicator != "" {
			ind = "indikator " + s.Indicator
		}
		if s.Layout == "" {
			ind = "inte läst"
		}
		l := fmt.Sprintf("Blad %q: %s, %s, %d rader, %d saknade värden", s.Name, layoutName(s.Layout), ind, s.Rows, s.Missing)
		if s.Note != "" {
			l += ". " + s.Note
		}
		p.line(l)
	}
	p.line(fmt.Sprintf("Siffror att importera: %d", len(res.Observations)))
	p.line(fmt.Sprintf("Nya: %d  Ändrade: %d  Oförändrade: %d  Överskuggade: %d  Avvisade rader: %d",
		d.New, d.Changed, d.Unchanged, d.Shadowed, len(res.Rejects)))
	first := true
	for _, c := range d.Changes {
		if c.Kind == domain.ChangeUnchanged {
			continue
		}
		if first {
			p.line("Ändringar (kommun, indikator, år: före → efter, källa före):")
			first = false
		}
		old, from := "–", ""
		if c.Old != nil {
			old = numfmt.Number(*c.Old, -1)
		}
		if c.OldFrom != nil {
			from = " (" + c.OldFrom.String() + ")"
		}
		p.line(fmt.Sprintf("  %s %s, %s, %d: %s → %s [%s]%s", c.Key.Municipality, p.regions.Name(c.Key.Municipality),
			c.Key.Indicator, c.Key.Year, old, numfmt.Number(c.New, -1), kindName(c.Kind), from))
	}
	if len(res.Warnings) > 0 {
		p.line("Varningar (blad, rad, kolumn: värde – varning):")
		for _, r := range res.Warnings {
			p.line(fmt.Sprintf("  %s, rad %s, kolumn %s: %s – %s", r.Sheet, strconv.Itoa(r.Row), r.Column, strconv.Quote(r.Value), r.Reason))
		}
	}
	if len(res.Rejects) > 0 {
		p.line("Avvisade rader (blad, rad, kolumn: värde – orsak):")
		for _, r := range res.Rejects {
			col := r.Column
			if col == "" {
				col = "hela raden"
			}
			p.line(fmt.Sprintf("  %s, rad %s, kolumn %s: %s – %s", r.Sheet, strconv.Itoa(r.Row), col, strconv.Quote(r.Value), r.Reason))
		}
	}
}

// largeChanges lists the changes beyond the indicators' max_change.
func (p *printer) largeChanges(large []domain.Change) {
	if len(large) == 0 {
		return
	}
	p.line(fmt.Sprintf("Varning: %d siffror ändras mer än rimligt mot den som visas nu (kommun, indikator, år: före → efter):", len(large)))
	for _, c := range large {
		p.line(fmt.Sprintf("  %s %s, %s, %d: %s → %s", c.Key.Municipality, p.regions.Name(c.Key.Municipality),
			c.Key.Indicator, c.Key.Year, numfmt.Number(*c.Old, -1), numfmt.Number(c.New, -1)))
	}
}

func layoutName(l string) string {
	switch l {
	case excel.LayoutLong:
		return "lång form"
	case excel.LayoutWide:
		return "bred form"
	case excel.LayoutSCBExport:
		return "SCB-export"
	}
	return "okänt upplägg"
}

func kindName(k domain.ChangeKind) string {
	switch k {
	case domain.ChangeNew:
		return "ny"
	case domain.ChangeChanged:
		return "ändras"
	case domain.ChangeShadowed:
		return "överskuggas"
	}
	return "oförändrad"
}
