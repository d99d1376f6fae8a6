package report

import (
	"strconv"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/export"
)

// Describer names a source for readers (bundled sources have publishers
// the kind alone does not say).
type Describer func(domain.Source) string

func notes(srcs []domain.Source, describe Describer) []export.SourceNote {
	out := make([]export.SourceNote, 0, len(srcs))
	for _, s := range srcs {
		name := s.Kind.Label()
		if describe != nil {
			if d := describe(s); d != "" {
				name = d
			}
		}
		n := export.SourceNote{Source: name, Ref: s.Ref, FetchedAt: s.FetchedAt}
		if s.BatchID != 0 {
			n.Note = "import " + strconv.FormatInt(s.BatchID, 10)
		}
		out = append(out, n)
	}
	return out
}

func num(v *float64) export.Value {
	if v == nil {
		return export.Missing()
	}
	return export.Number(*v)
}

func measureHeader(ind domain.Indicator, m derive.Measure, unit string) string {
	if m == derive.MeasureAbsolute {
		return ind.Name + " (" + unit + ")"
	}
	return ind.Name + ", " + m.Label()
}

// ExportTables is the Jämför page's table, as shown: the indicator's own
// figure only beside a derived measure, a source column only when the
// rows' sources differ (else the one source is in the notes).
func (v *CompareView) ExportTables(describe Describer) []export.Table {
	year := ""
	if v.HasFigures() {
		year = " " + strconv.Itoa(v.Params.Year)
	}
	cols := []export.Column{
		{Header: "Rang", Numeric: true},
		{Header: "Kommunkod"},
		{Header: "Kommun"},
		{Header: measureHeader(v.Indicator, v.Measure, v.Unit), Numeric: true, Decimals: v.Decimals},
	}
	if v.ShowRaw() {
		cols = append(cols, export.Column{Header: v.Indicator.Name + year + " (" + v.Indicator.Unit + ")", Numeric: true, Decimals: v.Indicator.Decimals})
	}
	cols = append(cols, export.Column{Header: "Medlem"})
	if v.RowSources {
		cols = append(cols, export.Column{Header: "Källa"})
	}
	cols = append(cols, export.Column{Header: "Preliminär"})
	t := export.Table{
		Title:   v.Indicator.Name + year + ", " + v.Measure.Label(),
		Sheet:   "Jämförelse",
		Columns: cols,
		Sources: notes(v.Sources, describe),
		Notes:   withNote([]string{v.Precedence, "Jämförelsegrupp: " + v.Group.Name + " (" + v.Group.Source + ")."}, v.MeasureNote),
	}
	if v.Measure == derive.MeasureIndex {
		t.Notes = append(t.Notes, "Index: basår "+strconv.Itoa(v.Params.Base)+" = 100.")
	}
	if v.Measure == derive.MeasureChange {
		t.Notes = append(t.Notes, "Förändring i procent över "+strconv.Itoa(v.Params.Period)+" år.")
	}
	for _, r := range v.Rows {
		rank := export.Missing()
		if r.Rank > 0 {
			rank = export.Number(float64(r.Rank))
		}
		member := "nej"
		if r.Member {
			member = "ja"
		}
		row := []export.Value{rank, export.Text(r.Code), export.Text(r.Name), num(r.Value)}
		if v.ShowRaw() {
			row = append(row, num(r.Raw))
		}
		row = append(row, export.Text(member))
		if v.RowSources {
			src := export.Missing()
			if r.Source != nil {
				src = export.Text(describeOr(describe, *r.Source))
			}
			row = append(row, src)
		}
		row = append(row, preliminary(r.Source))
		t.Rows = append(t.Rows, row)
	}
	for _, ref := range v.Refs {
		label := ref.Label
		if ref.Note != "" {
			label += " (" + ref.Note + ")"
		}
		row := []export.Value{export.Missing(), export.Missing(), export.Text(label), num(ref.Value)}
		for len(row) < len(cols) {
			row = append(row, export.Missing())
		}
		t.Rows = append(t.Rows, row)
	}
	return []export.Table{t}
}

// preliminary is the export's "Preliminär" cell: "ja" for a figure its
// source publishes as preliminary, "nej" for a final one, empty for none.
func preliminary(s *domain.Source) export.Value {
	switch {
	case s == nil:
		return export.Missing()
	case s.Preliminary:
		return export.Text("ja")
	}
	return export.Text("nej")
}

func describeOr(describe Describer, s domain.Source) string {
	if describe != nil {
		if d := describe(s); d != "" {
			return d
		}
	}
	return s.String()
}

// ExportTables is the Trend page's table: one row per year, one column per
// region.
func (v *TrendView) ExportTables(describe Describer) []export.Table {
	cols := []export.Column{{Header: "År", Numeric: true}}
	for _, s := range v.Series {
		cols = append(cols, export.Column{Header: s.Name + " (" + s.Code + ")", Numeric: true, Decimals: v.Decimals})
	}
	for _, s := range v.Refs {
		cols = append(cols, export.Column{Header: s.Name, Numeric: true, Decimals: v.Decimals})
		if s.Kind == domain.RefMedian {
			cols = append(cols, export.Column{Header: s.Name + ": medlemmar med siffra (av " + strconv.Itoa(s.Of) + ")", Numeric: true})
		}
	}
	t := export.Table{
		Title:   v.Indicator.Name + ", " + v.Params.Measure.Label(),
		Sheet:   "Trend",
		Columns: cols,
		Sources: notes(v.Sources, describe),
		Notes:   withNote([]string{v.Precedence}, v.MeasureNote),
	}
	if v.Params.Measure == derive.MeasureIndex {
		t.Notes = append(t.Notes, "Index: basår "+strconv.Itoa(v.Params.Base)+" = 100.")
	}
	t.Notes = append(t.Notes, "Medianen tas varje år över de medlemmar i "+v.Group.Name+" som har en siffra; län och riket utan egen siffra är summan av kommunerna när alla har en siffra.")
	for i, y := range v.Years {
		row := []export.Value{export.Number(float64(y))}
		for _, s := range v.Series {
			row = append(row, num(s.Values[i]))
		}
		for _, s := range v.Refs {
			row = append(row, num(s.Values[i]))
			if s.Kind == domain.RefMedian {
				row = append(row, export.Number(float64(s.N[i])))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return []export.Table{t}
}

// ExportTables is the Karta page's table: every municipality.
func (v *MapView) ExportTables(describe Describer) []export.Table {
	t := export.Table{
		Title: v.Indicator.Name + " " + strconv.Itoa(v.Params.Year) + ", " + v.Params.Measure.Label(),
		Sheet: "Karta",
		Columns: []export.Column{
			{Header: "Kommunkod"}, {Header: "Kommun"},
			{Header: measureHeader(v.Indicator, v.Params.Measure, v.Unit), Numeric: true, Decimals: v.Decimals},
			{Header: "Medlem"},
		},
		Sources: notes(v.Sources, describe),
		Notes:   withNote([]string{v.Precedence}, v.MeasureNote),
	}
	for _, it := range v.Items {
		member := "nej"
		if it.Member {
			member = "ja"
		}
		t.Rows = append(t.Rows, []export.Value{export.Text(it.Code), export.Text(it.Name), num(it.Value), export.Text(member)})
	}
	return []export.Table{t}
}

// ExportTables is the profile: one sheet per indicator with the
// municipality, its county, the network median and riket by year.
func (v *ProfileView) ExportTables(describe Describer) []export.Table {
	var out []export.Table
	for _, pi := range v.Indicators {
		t := export.Table{
			Title: v.Region.Name + ": " + pi.Indicator.Name,
			Sheet: pi.Indicator.Name,
			Columns: []export.Column{
				{Header: "År", Numeric: true},
				{Header: v.Region.Name + " (" + pi.Indicator.Unit + ")", Numeric: true, Decimals: pi.Indicator.Decimals},
				{Header: "Rang i gruppen", Numeric: true},
				{Header: "Antal i gruppen med siffra", Numeric: true},
				{Header: "Median, " + v.Group.Name, Numeric: true, Decimals: pi.Indicator.Decimals},
				{Header: "Medlemmar i medianen (av " + strconv.Itoa(pi.GroupSize) + ")", Numeric: true},
				{Header: v.County.Name, Numeric: true, Decimals: pi.Indicator.Decimals},
				{Header: "Riket", Numeric: true, Decimals: pi.Indicator.Decimals},
			},
			Sources: notes(pi.Sources, describe),
		}
		for i, y := range pi.Years {
			rank := export.Missing()
			if pi.Ranks[i] > 0 {
				rank = export.Number(float64(pi.Ranks[i]))
			}
			t.Rows = append(t.Rows, []export.Value{export.Number(float64(y)), num(pi.Own[i]), rank, export.Number(float64(pi.Ranked[i])), num(pi.Median[i]), export.Number(float64(pi.MedianN[i])), num(pi.County[i]), num(pi.Riket[i])})
		}
		out = append(out, t)
	}
	return out
}

func changeDecimals(ind domain.Indicator) int {
	if u := ChangeUnit(ind); u == "%" || u == "p.e." {
		return 1
	}
	return ind.Decimals
}

// ExportTables is the overview: one row per member and reference, the
// latest figure, its year and the changes of every indicator.
func (v *OverviewView) ExportTables(describe Describer) []export.Table {
	cols := []export.Column{{Header: "Kommunkod"}, {Header: "Kommun"}}
	for _, ind := range v.Indicators {
		cols = append(cols,
			export.Column{Header: ind.Name + " (" + ind.Unit + ")", Numeric: true, Decimals: ind.Decimals},
			export.Column{Header: ind.Name + ": år", Numeric: true},
			export.Column{Header: ind.Name + ": preliminär"},
			export.Column{Header: ind.Name + ": förändring 1 år (" + ChangeUnit(ind) + ")", Numeric: true, Decimals: changeDecimals(ind)},
			export.Column{Header: ind.Name + ": förändring 5 år (" + ChangeUnit(ind) + ")", Numeric: true, Decimals: changeDecimals(ind)},
		)
	}
	t := export.Table{Title: "Översikt", Sheet: "Översikt", Columns: cols, Sources: notes(v.Sources, describe), Notes: []string{v.Precedence,
		"Nätverkets median av förändringen är medianen av medlemmarnas egna förändringar, bara bland medlemmar med siffror för båda åren."}}
	t.Notes = append(t.Notes, medianCountNotes(v)...)
	rows := append(append([]OverviewRow(nil), v.Rows...), v.Refs...)
	for _, r := range rows {
		code := export.Text(r.Code)
		if r.Kind == domain.RefMedian {
			code = export.Missing()
		}
		name := r.Name
		if r.Kind == domain.RefMedian && len(r.Cells) > 0 && r.Cells[0].Of > 0 {
			name += " (" + strconv.Itoa(r.Cells[0].Of) + " medlemmar)"
		}
		row := []export.Value{code, export.Text(name)}
		for _, c := range r.Cells {
			year := export.Missing()
			if c.Latest != nil {
				year = export.Number(float64(c.Year))
			}
			var src *domain.Source
			if c.Latest != nil {
				src = c.Source
			}
			row = append(row, num(c.Latest), year, preliminary(src), num(c.Change1), num(c.Change5))
		}
		t.Rows = append(t.Rows, row)
	}
	return []export.Table{t}
}

// medianCountNotes says, per indicator, over how many members the network
// median's figures were taken when fewer than all counted, so the export
// carries the page's "n av N medlemmar".
func medianCountNotes(v *OverviewView) []string {
	var out []string
	for _, r := range v.Refs {
		if r.Kind != "median" {
			continue
		}
		for i, c := range r.Cells {
			if c.Latest == nil || i >= len(v.Indicators) {
				continue
			}
			var parts []string
			if c.Partial() {
				parts = append(parts, strconv.Itoa(c.Year)+": "+strconv.Itoa(c.N)+" av "+strconv.Itoa(c.Of)+" medlemmar")
			}
			if c.Change1 != nil && c.Change1Partial() {
				parts = append(parts, "förändring 1 år: "+strconv.Itoa(c.Change1N)+" av "+strconv.Itoa(c.Of))
			}
			if c.Change5 != nil && c.Change5Partial() {
				parts = append(parts, "förändring 5 år: "+strconv.Itoa(c.Change5N)+" av "+strconv.Itoa(c.Of))
			}
			if len(parts) > 0 {
				out = append(out, v.Indicators[i].Name+", nätverkets median: "+strings.Join(parts, "; ")+".")
			}
		}
	}
	return out
}

// withNote appends note to notes unless it is empty.
func withNote(notes []string, note string) []string {
	if note == "" {
		return notes
	}
	return append(notes, note)
}
