package excel

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Options say what the reader may recognise and how to stamp what it reads.
type Options struct {
	Regions   *domain.Regions
	Catalogue *domain.Catalogue
	// Indicator is an indicator id chosen by the user (the shell's
	// --indicator, or the choice in the preview). It fills in where the file
	// does not say which indicator a figure is; where the file names a
	// different indicator, that part is rejected rather than overridden.
	// "" means: recognise it from the file or ask.
	Indicator string
	// FileName becomes Source.Ref of every observation and names a CSV's
	// only sheet.
	FileName string
	// ImportedAt becomes Source.FetchedAt.
	ImportedAt time.Time
	Limits     Limits
}

// Reject is one cell or row the reader refused, located as Excel shows it,
// so the analyst can find and fix it.
type Reject struct {
	Sheet string
	// Row is 1-based, as Excel numbers rows (for CSV: the record number).
	Row int
	// Column is the column letter ("C") for .xlsx, the header name for CSV;
	// "" when the whole row or sheet is meant.
	Column string
	// Value is the offending text, untrusted and unescaped (truncated when
	// very long).
	Value string
	// Reason says in Swedish what is wrong and how to fix it.
	Reason string
}

// Layout names used in SheetInfo.Layout.
const (
	LayoutLong      = "lång"
	LayoutWide      = "bred"
	LayoutSCBExport = "scb-export"
)

// SheetInfo tells the preview what the reader made of each sheet, including
// the sheets it did not read, so nothing in a file disappears unexplained.
type SheetInfo struct {
	Name string
	// Layout is LayoutLong, LayoutWide, LayoutSCBExport, or "" when the sheet
	// has no recognisable header and was not read.
	Layout string
	// Indicator is the sheet's indicator id when one applies to the whole
	// sheet; "" when rows or columns name their own, or when NeedsIndicator.
	Indicator string
	// Rows counts the non-empty rows below the header.
	Rows int
	// Missing counts cells marked missing ("..", "-", empty) in rows that
	// name a municipality: they give no observation and are not rejects.
	Missing int
	// NeedsIndicator is true when the file does not say which indicator the
	// sheet holds: the sheet yields nothing until Options.Indicator is set.
	NeedsIndicator bool
	// Note explains in Swedish why a sheet was skipped or needs an indicator.
	Note string
	// Totals are the rows (1-based) that sum the others (Summa, Totalt, a
	// bare Riket): skipped, not rejected, and shown in the preview.
	Totals []int `json:",omitempty"`
}

// Result is everything a file gave: the figures, the refused rows and what
// each sheet was taken to be.
type Result struct {
	Observations []domain.Observation
	Rejects      []Reject
	// Warnings are cells that were read but deserve a look before the
	// import is confirmed: formula cells, whose figure is Excel's last
	// computed result. Same shape as a reject.
	Warnings []Reject
	Sheets   []SheetInfo
	// Positions says where each observation stood: Positions[i] is the
	// cell of Observations[i]. The preview lays the figures out like the
	// file with it.
	Positions []Position
	// MissingCells are the cells marked missing ("..", "-", empty) that
	// SheetInfo.Missing counts, at most MaxMissingCells per sheet: the
	// preview shows only the top of each sheet, so a sheet of a million
	// missing markers costs no more than this.
	MissingCells []Position
}

// MaxMissingCells bounds Result.MissingCells per sheet.
const MaxMissingCells = 2000

// Position is one cell of a file.
type Position struct {
	// Sheet indexes Result.Sheets.
	Sheet int `json:"s"`
	// Row is 1-based, as in Reject.Row.
	Row int `json:"r"`
	// Col is the 0-based column index, for ordering; Column is its name as
	// in Reject.Column.
	Col    int    `json:"i"`
	Column string `json:"c"`
}

// Read parses an uploaded .xlsx or CSV file. The format is decided by the
// content (magic bytes), never by the file name, so a renamed file cannot
// reach the wrong parser. Problems with the whole file (too large, not a
// spreadsheet, corrupt, encrypted, over a limit) return a *domain.Error with
// CodeInvalid and a Swedish message, and no observations.
func Read(r io.Reader, opts Options) (Result, error) {
	return read(r, opts, nil)
}

// read is Read with an optional hook that sees raw value cells (tests).
func read(r io.Reader, opts Options, onValueCell func(valueCell)) (Result, error) {
	if opts.Regions == nil || opts.Catalogue == nil {
		return Result{}, errors.New("excel: Options.Regions and Options.Catalogue are required")
	}
	lim := opts.Limits.withDefaults()
	if opts.Indicator != "" {
		if _, ok := opts.Catalogue.Get(opts.Indicator); !ok {
			return Result{}, domain.Errorf(domain.CodeInvalid,
				fmt.Sprintf("Indikatorn %q finns inte i indikatorlistan", opts.Indicator),
				fmt.Errorf("excel: unknown forced indicator %q", opts.Indicator))
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxFileBytes+1))
	if err != nil {
		return Result{}, domain.Errorf(domain.CodeInvalid, "Filen kunde inte läsas",
			fmt.Errorf("excel: read upload: %w", err))
	}
	if int64(len(data)) > lim.MaxFileBytes {
		return Result{}, domain.Errorf(domain.CodeInvalid,
			fmt.Sprintf("Filen är för stor: högst %s tillåts", formatBytes(lim.MaxFileBytes)),
			fmt.Errorf("excel: upload larger than %d bytes", lim.MaxFileBytes))
	}
	kind, err := sniff(data)
	if err != nil {
		return Result{}, err
	}
	b := newBuilder(opts, lim)
	b.onValueCell = onValueCell
	switch kind {
	case kindXLSX:
		err = readXLSX(data, b)
	case kindCSV:
		err = readCSV(data, b)
	}
	if err != nil {
		return Result{}, err
	}
	return b.result(), nil
}

// formatBytes renders a limit the way people say it: "20 MB".
func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	if n >= 1<<10 {
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d byte", n)
}

// invalid builds the whole-file error: a Swedish message for the user and
// the detail, wrapped with the package prefix, for the log.
func invalid(userMsg string, detail error) *domain.Error {
	return domain.Errorf(domain.CodeInvalid, userMsg, fmt.Errorf("excel: %w", detail))
}
