package excel

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxZipEntries bounds the parts of a workbook; real ones have dozens.
const maxZipEntries = 10_000

// readXLSX checks the zip container, then streams every sheet with
// excelize's row iterator.
func readXLSX(data []byte, b *builder) (err error) {
	zr, err := checkZip(data, b.lim)
	if err != nil {
		return err
	}
	// excelize is a large parser fed untrusted input; a panic inside it must
	// become a refused file, not a crashed server.
	defer func() {
		if r := recover(); r != nil {
			slog.Error("excel: excelize panicked on an upload", "panic", r, "file", b.src.Ref)
			err = invalid("Filen är skadad och kunde inte läsas", fmt.Errorf("excelize panic: %v", r))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    b.lim.MaxUnzippedBytes,
		UnzipXMLSizeLimit: b.lim.MaxXMLBytes,
		// Raw values: a number formatted "# ##0" must arrive as the number,
		// not as locale-dependent display text. Percent formats, which
		// change what the number means, are read from the styles
		// (readFormats) and applied exactly.
		RawCellValue: true,
	})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return invalid("Filen är ingen Excel-arbetsbok (.xlsx)", fmt.Errorf("open workbook: %w", err))
		}
		return invalid("Filen är skadad och kunde inte läsas som .xlsx", fmt.Errorf("open workbook: %w", err))
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			slog.Warn("excel: closing workbook", "err", cerr)
		}
	}()
	fmts, err := readFormats(f, zr)
	if err != nil {
		return err
	}
	for _, name := range f.GetSheetList() {
		if err := readSheet(f, name, b, fmts); err != nil {
			return err
		}
	}
	return nil
}

// workbookFormats is what the reader needs to know of the workbook's parts:
// which cell styles show numbers as percentages (styles is nil when no style
// does, and then no sheet's formats are read) and where each sheet's part is.
type workbookFormats struct {
	parts  xlsxParts
	styles []pctClass
	paths  map[string]string
}

func readFormats(f *excelize.File, zr *zip.Reader) (workbookFormats, error) {
	w := workbookFormats{parts: indexParts(zr)}
	var err error
	if w.styles, err = percentStyles(w.parts); err != nil {
		if errors.Is(err, errTooManyStyles) {
			return w, invalid("Filen har fler cellformat än Excel tillåter och läses inte", err)
		}
		return w, invalid("Filen är skadad: cellformaten (xl/styles.xml) går inte att läsa", err)
	}
	if w.paths, err = worksheetPaths(f, w.parts); err != nil {
		return w, invalid("Filen är skadad: arbetsbokens innehållsförteckning går inte att läsa", err)
	}
	return w, nil
}

// formatScanner opens the second reading of a sheet's part when the
// workbook has percent formats; nil otherwise.
func (w workbookFormats) formatScanner(name string) (*cellStyleScanner, error) {
	if w.styles == nil {
		return nil, nil
	}
	part, ok := sheetPath(w.paths, name)
	if !ok {
		return nil, fmt.Errorf("sheet %q: no worksheet part", name)
	}
	return openCellStyleScanner(w.parts, part, w.styles)
}

func readSheet(f *excelize.File, name string, b *builder, fmts workbookFormats) error {
	p := newSheetParser(b, name, false)
	part, ok := sheetPath(fmts.paths, name)
	if !ok {
		return brokenSheet(name, fmt.Errorf("no worksheet part"))
	}
	check := startSheetCheck(fmts.parts, part)
	if err := readRows(f, name, p, b, fmts, check); err != nil {
		check.stop()
		// A broken part explains whatever went wrong while reading it.
		if cerr := check.wait(); cerr != nil && !errors.Is(cerr, errCheckStopped) {
			return brokenSheet(name, cerr)
		}
		return err
	}
	if err := check.wait(); err != nil {
		return brokenSheet(name, err)
	}
	p.finish()
	return nil
}

// readRows feeds excelize's rows of the sheet to p, with each row's formula
// cells from the check running beside it.
func readRows(f *excelize.File, name string, p *sheetParser, b *builder, fmts workbookFormats, check *sheetCheck) error {
	rows, err := f.Rows(name)
	if err != nil {
		return invalid(fmt.Sprintf("Bladet '%s' är skadat och kunde inte läsas", short(name)), fmt.Errorf("sheet %q: %w", name, err))
	}
	defer func() { _ = rows.Close() }()
	scan, err := fmts.formatScanner(name)
	if err != nil {
		return invalid(fmt.Sprintf("Bladet '%s' är skadat och kunde inte läsas", short(name)), fmt.Errorf("sheet %q formats: %w", name, err))
	}
	defer scan.close()
	n := 0
	for rows.Next() {
		n++
		// Empty rows between filled ones cost an iteration each; a file of
		// many sheets with cells a million rows apart must not spin.
		b.scanned++
		if b.scanned > b.scanBudget() {
			return invalid(fmt.Sprintf("Filen har för många rader (bladet '%s'). Ta bort tomma rader eller dela upp filen", short(name)),
				fmt.Errorf("scanned more than %d rows", b.scanBudget()))
		}
		cells, err := rows.Columns()
		if err != nil {
			return invalid(fmt.Sprintf("Bladet '%s' är skadat (rad %d) och kunde inte läsas", short(name), n),
				fmt.Errorf("sheet %q row %d: %w", name, n, err))
		}
		if scan != nil {
			if p.pct, err = scan.percentCols(n, cells, p.pct[:0]); err != nil {
				return invalid(fmt.Sprintf("Bladet '%s' kunde inte läsas säkert: cellernas format går inte att para ihop med värdena (rad %d). Öppna filen i Excel och spara den igen", short(name), n),
					fmt.Errorf("sheet %q formats: %w", name, err))
			}
		}
		p.formulas = check.row(n)
		if err := p.row(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return invalid(fmt.Sprintf("Bladet '%s' har för många rader eller är skadat", short(name)), fmt.Errorf("sheet %q: %w", name, err))
	}
	if scan != nil {
		if err := scan.finish(); err != nil {
			return invalid(fmt.Sprintf("Bladet '%s' kunde inte läsas säkert: cellernas format går inte att para ihop med värdena (efter rad %d). Öppna filen i Excel och spara den igen", short(name), n),
				fmt.Errorf("sheet %q formats: %w", name, err))
		}
	}
	return nil
}

// checkZip verifies the container before excelize sees it: it must be a
// readable zip holding an Excel workbook, its parts must unpack within the
// limit (counting the bytes actually inflated, not the sizes the archive
// claims) and every part must pass its CRC. excelize ignores read errors
// inside parts, so a damaged part would otherwise lose rows silently.
func checkZip(data []byte, lim Limits) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalid("Filen är skadad: zip-arkivet i .xlsx-filen går inte att läsa", fmt.Errorf("zip: %w", err))
	}
	if len(zr.File) > maxZipEntries {
		return nil, invalid("Filen innehåller för många delar för att vara en vanlig Excel-fil", fmt.Errorf("zip has %d entries", len(zr.File)))
	}
	var declared uint64
	workbook := false
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		switch name {
		case "xl/workbook.xml":
			workbook = true
		case "xl/workbook.bin":
			return nil, invalid("Binära Excel-filer (.xlsb) stöds inte, spara som .xlsx", errors.New("xlsb workbook"))
		}
		declared += zf.UncompressedSize64
	}
	if !workbook && hasODSMimetype(zr) {
		return nil, invalid("OpenDocument-filer (.ods) stöds inte, spara som .xlsx", errors.New("OpenDocument spreadsheet"))
	}
	if !workbook {
		return nil, invalid("Filen är ett zip-arkiv men ingen Excel-arbetsbok (.xlsx)", errors.New("zip without xl/workbook.xml"))
	}
	if declared > uint64(lim.MaxUnzippedBytes) {
		return nil, unzipTooLarge(lim)
	}
	var total int64
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, invalid("Filen är skadad: en del av .xlsx-filen går inte att packa upp", fmt.Errorf("zip part %q: %w", zf.Name, err))
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, lim.MaxUnzippedBytes-total+1))
		_ = rc.Close()
		total += n
		if total > lim.MaxUnzippedBytes {
			return nil, unzipTooLarge(lim)
		}
		if err != nil {
			return nil, invalid("Filen är skadad: en del av .xlsx-filen går inte att packa upp", fmt.Errorf("zip part %q: %w", zf.Name, err))
		}
	}
	return zr, nil
}

func unzipTooLarge(lim Limits) error {
	return invalid(fmt.Sprintf("Filen blir större än %s när den packas upp och läses inte", formatBytes(lim.MaxUnzippedBytes)),
		fmt.Errorf("unzipped size over %d bytes", lim.MaxUnzippedBytes))
}

// hasODSMimetype reports OpenDocument's first entry "mimetype" naming a
// spreadsheet.
func hasODSMimetype(zr *zip.Reader) bool {
	for _, zf := range zr.File {
		if zf.Name != "mimetype" || zf.UncompressedSize64 > 128 {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return false
		}
		b, _ := io.ReadAll(io.LimitReader(rc, 128))
		_ = rc.Close()
		return strings.HasPrefix(string(b), "application/vnd.oasis.opendocument")
	}
	return false
}
