package server

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/numfmt"
)

// Pages show at most this many changes and rejects; the API and the CSV of
// rejects carry all of them.
const (
	maxShownChanges = 2000
	maxShownRejects = 5000
)

// localTime is a batch time as Swedish readers expect it.
func localTime(t time.Time) string { return t.In(clock.Stockholm).Format("2006-01-02 15:04") }

func batchKindLabel(k domain.BatchKind) string {
	switch k {
	case domain.BatchUpload:
		return "Uppladdning"
	case domain.BatchRun:
		return "Hämtning"
	case domain.BatchBundled:
		return "Medföljande data"
	}
	return string(k)
}

// batchRow is one line of the batch list.
type batchRow struct {
	domain.BatchInfo
	When, KindLabel, StatusLabel string
	CanRollback                  bool
}

func canRollback(u *domain.User, b domain.BatchInfo) bool {
	if u == nil {
		return false
	}
	return u.Role.AtLeast(domain.RoleAdmin) || (b.Kind == domain.BatchUpload && b.Actor == u.Name)
}

func batchRows(list []domain.BatchInfo, u *domain.User) []batchRow {
	out := make([]batchRow, 0, len(list))
	for _, b := range list {
		r := batchRow{BatchInfo: b, When: localTime(b.CreatedAt), KindLabel: batchKindLabel(b.Kind), StatusLabel: "Sparad"}
		if b.Status == domain.BatchRolledBack {
			r.StatusLabel = "Ångrad"
			if b.RolledBackAt != nil {
				r.StatusLabel += " " + localTime(*b.RolledBackAt)
			}
			if b.RolledBackBy != "" {
				r.StatusLabel += " av " + b.RolledBackBy
			}
		} else {
			r.CanRollback = canRollback(u, b)
		}
		out = append(out, r)
	}
	return out
}

// importListContent is the upload form and the batch list.
type importListContent struct {
	Indicators []option
	Batches    []batchRow
	MaxSize    string
	Notice     string
	Error      string
	// CompareLink shows a confirmed upload's main indicator and year on
	// Jämför ("" when unknown).
	CompareLink, CompareLabel string
}

// changeRow is one changed cell as the preview shows it.
type changeRow struct {
	Code, Name, Indicator string
	Year                  int
	Kind, KindLabel       string
	Old, New, OldFrom     string
}

func changeKindLabel(k domain.ChangeKind) string {
	switch k {
	case domain.ChangeNew:
		return "ny"
	case domain.ChangeChanged:
		return "ändras"
	case domain.ChangeUnchanged:
		return "oförändrad"
	case domain.ChangeShadowed:
		return "överskuggas"
	}
	return string(k)
}

// exact writes a figure with all its decimals, Swedish style: the preview
// must show what will be stored, not a rounded version.
func exact(v float64) string { return numfmt.Number(v, -1) }

// sheetRow is what the reader made of one sheet.
type sheetRow struct {
	excel.SheetInfo
	LayoutLabel, IndicatorName string
	// TotalsNote says which summing rows were skipped ("" for none).
	TotalsNote string
}

// previewContent is the preview page.
type previewContent struct {
	ID, FileName, Uploader, When string
	Figures                      int
	Diff                         domain.Diff
	Changes                      []changeRow
	HiddenChanges                int
	// LargeChanges are the warnings the analyst must tick before confirming.
	LargeChanges []changeRow
	Rejects      []excel.Reject
	// CellWarnings are cells read with a caveat (formula results).
	CellWarnings               []excel.Reject
	RejectCount, HiddenRejects int
	Sheets                     []sheetRow
	NeedsIndicator             bool
	Indicators                 []option
	CanConfirm                 bool
	Hash                       string
	Notice                     string
	Error                      string
	// Precedence says which source wins when several give the same figure;
	// Shadowed lists the file's figures an SCB or Kolada figure will hide.
	Precedence     string
	Shadowed       []changeRow
	HiddenShadowed int
	// Grids show each sheet laid out like the file (import_grid.go).
	Grids []sheetGrid
}

func (s *Server) previewView(pi domain.PendingImport, p *importPayload, diff domain.Diff) previewContent {
	env := s.deps.Env
	v := previewContent{ID: pi.ID, FileName: p.FileName, Uploader: pi.UserName, When: localTime(pi.CreatedAt),
		Figures: len(p.Observations), Diff: diff, RejectCount: len(p.Rejects), NeedsIndicator: p.needsIndicator(),
		CanConfirm: len(p.Observations) > 0, Hash: diffHash(diff)}
	for _, c := range diff.Changes {
		if c.Kind == domain.ChangeUnchanged {
			continue
		}
		if len(v.Changes) >= maxShownChanges {
			v.HiddenChanges++
			continue
		}
		v.Changes = append(v.Changes, s.changeRowOf(c))
	}
	v.Precedence = env.Precedence.Describe()
	for _, c := range diff.Changes {
		if c.Kind != domain.ChangeShadowed {
			continue
		}
		if len(v.Shadowed) >= maxShownChanges {
			v.HiddenShadowed++
			continue
		}
		v.Shadowed = append(v.Shadowed, s.changeRowOf(c))
	}
	for _, c := range domain.LargeChanges(diff, env.Catalogue) {
		v.LargeChanges = append(v.LargeChanges, s.changeRowOf(c))
	}
	v.CellWarnings = p.Warnings
	if len(v.CellWarnings) > maxShownRejects {
		v.CellWarnings = v.CellWarnings[:maxShownRejects]
	}
	v.Rejects = p.Rejects
	if len(v.Rejects) > maxShownRejects {
		v.Rejects, v.HiddenRejects = v.Rejects[:maxShownRejects], len(p.Rejects)-maxShownRejects
	}
	for _, sh := range p.Sheets {
		r := sheetRow{SheetInfo: sh, LayoutLabel: layoutLabel(sh.Layout), IndicatorName: "–"}
		if ind, ok := env.Catalogue.Get(sh.Indicator); ok {
			r.IndicatorName = ind.Name
		}
		if n := len(sh.Totals); n > 0 {
			rows := make([]string, n)
			for i, row := range sh.Totals {
				rows[i] = strconv.Itoa(row)
			}
			r.TotalsNote = fmt.Sprintf("%d summarader (Summa, Totalt, Riket) hoppades över, rad %s: de är summor av andra rader, inte kommuner.", n, strings.Join(rows, ", "))
		}
		v.Sheets = append(v.Sheets, r)
	}
	v.Indicators = s.indicatorOptions(p.Indicator, nil)
	v.Grids = s.fileGrids(p, diff)
	return v
}

// changeRowOf is one change as the preview's tables show it.
func (s *Server) changeRowOf(c domain.Change) changeRow {
	env := s.deps.Env
	row := changeRow{Code: c.Key.Municipality, Name: env.Regions.Name(c.Key.Municipality), Indicator: c.Key.Indicator,
		Year: c.Key.Year, Kind: string(c.Kind), KindLabel: changeKindLabel(c.Kind), New: exact(c.New), Old: "–", OldFrom: "–"}
	if ind, ok := env.Catalogue.Get(c.Key.Indicator); ok {
		row.Indicator = ind.Name
	}
	if c.Old != nil {
		row.Old = exact(*c.Old)
	}
	if c.OldFrom != nil {
		row.OldFrom = s.shortSource(c.OldFrom)
	}
	return row
}

func layoutLabel(l string) string {
	switch l {
	case excel.LayoutLong:
		return "lång form (en rad per siffra)"
	case excel.LayoutWide:
		return "bred form (en kolumn per år)"
	case excel.LayoutSCBExport:
		return "export från SCB:s statistikdatabas"
	case "":
		return "inte läst"
	}
	return l
}

// savedNotice tells the analyst what a confirm wrote, from the stored batch.
func savedNotice(b domain.BatchInfo) string {
	return fmt.Sprintf("Import %d (%s) är sparad: %s nya, %s ändrade, %s oförändrade och %s överskuggade siffror.",
		b.ID, b.Label, strconv.Itoa(b.New), strconv.Itoa(b.Changed), strconv.Itoa(b.Unchanged), strconv.Itoa(b.Shadowed))
}
