package report

import (
	"context"
	"sort"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// SparkYears is how many years the overview's small trends show.
const SparkYears = 10

// OverviewCell is one indicator for one row of the overview.
type OverviewCell struct {
	Latest     *float64
	Year       int
	Change1    *float64
	Change5    *float64
	SparkYears []int
	Spark      []*float64
	Source     *domain.Source
	// Discrepancy notes another source's differing figure for the latest
	// year ("" when none does).
	Discrepancy string
	// For the network median row only: how many members each figure
	// counted (Of is the network's size). The median of the changes is the
	// median of the members' own changes, over the members with both
	// years; it is never the change of the median.
	N, Change1N, Change5N, Of int
	SparkN                    []int // aligned with Spark
}

// Partial reports whether the median figure counted fewer than all members.
func (c OverviewCell) Partial() bool { return c.Of > 0 && c.N < c.Of }

// Change1Partial and Change5Partial: the same for the changes.
func (c OverviewCell) Change1Partial() bool { return c.Of > 0 && c.Change1N < c.Of }

// Change5Partial: see Change1Partial.
func (c OverviewCell) Change5Partial() bool { return c.Of > 0 && c.Change5N < c.Of }

// SparkPartial reports per spark point whether it counted fewer than all.
func (c OverviewCell) SparkPartial() []bool {
	if c.Of == 0 {
		return nil
	}
	out := make([]bool, len(c.SparkN))
	for i, n := range c.SparkN {
		out[i] = n < c.Of
	}
	return out
}

// OverviewRow is a member, the network median or riket.
type OverviewRow struct {
	Code  string
	Name  string
	Kind  domain.RefKind // RefMember, RefMedian or RefRiket
	Cells []OverviewCell // aligned with OverviewView.Indicators
}

// OverviewView is the Översikt page.
type OverviewView struct {
	// Theme is the theme shown ("" = all); Groups are the themes shown
	// with how many of Indicators (in order) each has, for the heading
	// row that groups the columns.
	Theme      string
	Groups     []ColumnGroup
	Indicators []domain.Indicator
	Rows       []OverviewRow // members, sorted as asked
	Refs       []OverviewRow // network median, riket
	SortBy     string        // "namn" or an indicator id
	Desc       bool
	Sources    []domain.Source
	Precedence string
	// Empty are the theme's indicators without a single figure for any
	// member, the median or riket: the page names them once instead of
	// showing columns of "–".
	Empty []domain.Indicator
}

// ColumnGroup is a theme heading over Span consecutive indicator columns.
type ColumnGroup struct {
	Theme domain.Theme
	Span  int
}

// themeGroups is the catalogue's theme groups, all or the one asked for;
// an unknown theme id is a CodeInvalid error (it comes from the URL).
func themeGroups(env *Env, theme string) ([]domain.ThemeGroup, error) {
	groups := env.Catalogue.Groups()
	if theme == "" {
		return groups, nil
	}
	for _, g := range groups {
		if g.Theme.ID == theme {
			return []domain.ThemeGroup{g}, nil
		}
	}
	return nil, domain.Invalid("temat %q finns inte", truncateRunes(theme, 40))
}

// Overview builds the latest figure, 1- and 5-year change and a small trend
// of every indicator of the theme (all themes when theme is "") for every
// member, plus the network median and riket, with the columns grouped by
// theme.
func Overview(ctx context.Context, env *Env, d *Data, sortBy string, desc bool, theme string) (*OverviewView, error) {
	groups, err := themeGroups(env, theme)
	if err != nil {
		return nil, err
	}
	v := &OverviewView{Theme: theme, SortBy: sortBy, Desc: desc, Precedence: env.Precedence.Describe()}
	for _, g := range groups {
		v.Groups = append(v.Groups, ColumnGroup{Theme: g.Theme, Span: len(g.Indicators)})
		v.Indicators = append(v.Indicators, g.Indicators...)
	}
	if sortBy == "" {
		v.SortBy = "namn"
	}
	sortCol := -1
	for i, ind := range v.Indicators {
		if ind.ID == v.SortBy {
			sortCol = i
		}
	}
	if v.SortBy != "namn" && sortCol < 0 {
		return nil, domain.Invalid("kan inte sortera på %q", sortBy)
	}
	tables := make([]*Table, len(v.Indicators))
	for i, ind := range v.Indicators {
		t, err := d.Table(ctx, ind.ID)
		if err != nil {
			return nil, err
		}
		tables[i] = t
		v.Sources = mergeSources(v.Sources, t.Sources(append(append([]string(nil), env.MemberCodes()...), domain.RiketCode), nil))
	}
	disc, err := env.discrepancies(ctx, d)
	if err != nil {
		return nil, err
	}
	for _, c := range env.MemberCodes() {
		row := OverviewRow{Code: c, Name: env.Regions.Name(c), Kind: domain.RefMember}
		for _, t := range tables {
			cell := cellOf(t, t.Series(c))
			if src, ok := t.Source(c, cell.Year); ok && cell.Latest != nil {
				cell.Source = &src
				cell.Discrepancy = disc.note(t.Indicator, c, cell.Year)
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	med := OverviewRow{Code: "median", Name: env.NetworkName + ", median", Kind: domain.RefMedian}
	riket := OverviewRow{Code: domain.RiketCode, Name: "Riket", Kind: domain.RefRiket}
	net := env.Network()
	for _, t := range tables {
		med.Cells = append(med.Cells, medianCell(env, net, t))
		rs, _ := env.regionSeries(t, domain.RiketCode)
		cell := cellOf(t, rs)
		if src, ok := t.Source(domain.RiketCode, cell.Year); ok && cell.Latest != nil {
			cell.Source = &src
		}
		riket.Cells = append(riket.Cells, cell)
	}
	v.Refs = []OverviewRow{med, riket}
	sort.SliceStable(v.Rows, func(i, j int) bool {
		a, b := v.Rows[i], v.Rows[j]
		if sortCol < 0 {
			if desc {
				return a.Name > b.Name
			}
			return a.Name < b.Name
		}
		x, y := a.Cells[sortCol].Latest, b.Cells[sortCol].Latest
		switch {
		case x == nil && y == nil:
			return a.Name < b.Name
		case x == nil:
			return false // missing last, whichever the order
		case y == nil:
			return true
		case desc:
			return *x > *y
		}
		return *x < *y
	})
	v.dropEmpty()
	return v, nil
}

// dropEmpty moves the indicators without any figure out of the columns
// into Empty, keeping cells and theme headings aligned.
func (v *OverviewView) dropEmpty() {
	rows := append(append([]OverviewRow(nil), v.Rows...), v.Refs...)
	keep := make([]bool, len(v.Indicators))
	for i := range v.Indicators {
		for _, r := range rows {
			if i < len(r.Cells) && r.Cells[i].Latest != nil {
				keep[i] = true
				break
			}
		}
	}
	filter := func(cells []OverviewCell) []OverviewCell {
		out := cells[:0:0]
		for i, c := range cells {
			if i < len(keep) && keep[i] {
				out = append(out, c)
			}
		}
		return out
	}
	for i := range v.Rows {
		v.Rows[i].Cells = filter(v.Rows[i].Cells)
	}
	for i := range v.Refs {
		v.Refs[i].Cells = filter(v.Refs[i].Cells)
	}
	var inds []domain.Indicator
	var groups []ColumnGroup
	i := 0
	for _, g := range v.Groups {
		span := 0
		for range g.Span {
			if keep[i] {
				inds = append(inds, v.Indicators[i])
				span++
			} else {
				v.Empty = append(v.Empty, v.Indicators[i])
			}
			i++
		}
		if span > 0 {
			groups = append(groups, ColumnGroup{Theme: g.Theme, Span: span})
		}
	}
	v.Indicators, v.Groups = inds, groups
}

// cellOf summarises a series for the overview: latest figure, changes
// and the last SparkYears years.
func cellOf(t *Table, s derive.Series) OverviewCell {
	var c OverviewCell
	ys := sortedYears(s)
	if len(ys) == 0 {
		return c
	}
	c.Year = ys[len(ys)-1]
	c.Latest = ptr(s[c.Year], true)
	c.Change1 = changeOf(t.Indicator, s, c.Year, 1)
	c.Change5 = changeOf(t.Indicator, s, c.Year, 5)
	for _, y := range t.Years {
		if y > c.Year-SparkYears && y <= c.Year {
			c.SparkYears = append(c.SparkYears, y)
			c.Spark = append(c.Spark, ptr(s[y], hasYear(s, y)))
		}
	}
	return c
}

// medianCell is the network median's cell: the median level of the
// members with a figure in the latest year, the median of the members'
// own 1- and 5-year changes over the members with both years, and the
// yearly medians for the spark, each with how many members it counted.
func medianCell(env *Env, g Group, t *Table) OverviewCell {
	in := inputs{values: t}
	levels := aggregateSeries(env.groupSeries(g, in, derive.MeasureAbsolute, 0, 0), t.Years)
	c := cellOf(t, medianSeries(levels))
	c.Of = len(g.Codes)
	if c.Latest == nil {
		return c
	}
	c.N = levels[c.Year].N
	c.Change1, c.Change1N = nil, 0
	c.Change5, c.Change5N = nil, 0
	if a, ok := aggregateYear(memberChanges(env, g, in, c.Year, 1), c.Year); ok {
		c.Change1, c.Change1N = ptr(a.Median, true), a.N
	}
	if a, ok := aggregateYear(memberChanges(env, g, in, c.Year, 5), c.Year); ok {
		c.Change5, c.Change5N = ptr(a.Median, true), a.N
	}
	for _, y := range c.SparkYears {
		c.SparkN = append(c.SparkN, levels[y].N)
	}
	return c
}

// memberChanges is each member's own change to year over period years, in
// the unit ChangeUnit gives the indicator: a percent change, or the
// difference (percentage points, persons) where a percent change does not
// fit.
func memberChanges(env *Env, g Group, in inputs, year, period int) []derive.Series {
	if ChangeUnit(in.values.Indicator) == "%" {
		return env.groupSeries(g, in, derive.MeasureChange, 0, period)
	}
	out := make([]derive.Series, len(g.Codes))
	for i, code := range g.Codes {
		out[i] = derive.Series{}
		if c := changeOf(in.values.Indicator, in.values.Series(code), year, period); c != nil {
			out[i][year] = *c
		}
	}
	return out
}
