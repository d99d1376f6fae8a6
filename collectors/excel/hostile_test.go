package excel

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// smallWorkbook is a valid long-layout workbook with one real figure.
func smallWorkbook(t testing.TB) []byte {
	return buildXLSX(t, sheetSpec{"Data", [][]any{
		{"kommun", "år", "indikator", "värde"},
		{"Olofström", 2024, "population", fig(t, "1060", 2024)},
	}})
}

// oleHeader is the start of an OLE2 compound file (constructed from the
// documented format: magic, then directory entry names in UTF-16LE).
func oleHeader(stream string) []byte {
	b := append([]byte(nil), magicOLE2...)
	b = append(b, make([]byte, 504)...)
	return append(b, utf16le(stream)...)
}

// pngFile is a PNG signature and IHDR chunk (constructed from the PNG
// specification).
func pngFile() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0)
}

type zipPart struct {
	name string
	data []byte
	// claimed, when > 0, is the uncompressed size written in the archive
	// instead of the real one (a lying zip bomb).
	claimed uint64
	// badCRC writes a checksum that does not match the data (a damaged
	// part whose data still inflates).
	badCRC bool
}

// buildZip writes a zip archive part by part with deflate.
func buildZip(t testing.TB, parts ...zipPart) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		var comp bytes.Buffer
		fw, err := flate.NewWriter(&comp, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(p.data); err != nil {
			t.Fatal(err)
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
		size := uint64(len(p.data))
		if p.claimed > 0 {
			size = p.claimed
		}
		crc := crc32.ChecksumIEEE(p.data)
		if p.badCRC {
			crc ^= 1
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: p.name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: size,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(comp.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombSheet is worksheet XML of n bytes that compresses to almost nothing:
// rows of empty cells.
func bombSheet(n int) []byte {
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	tail := `</sheetData></worksheet>`
	row := `<row><c t="inlineStr"><is><t></t></is></c></row>`
	var b strings.Builder
	b.WriteString(head)
	for b.Len() < n-len(tail) {
		b.WriteString(row)
	}
	b.WriteString(tail)
	return []byte(b.String())
}

// workbookParts are the parts of a minimal workbook around a given sheet.
func workbookParts(sheet []byte, claimed uint64) []zipPart {
	return []zipPart{
		{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
		{name: "_rels/.rels", data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{name: "xl/workbook.xml", data: []byte(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{name: "xl/_rels/workbook.xml.rels", data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)},
		{name: "xl/worksheets/sheet1.xml", data: sheet, claimed: claimed},
	}
}

func encryptedWorkbook(t testing.TB) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(smallWorkbook(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "hemligt"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// corruptPart flips bytes in the middle of the largest compressed part so
// inflating it fails or its CRC does not match.
func corruptPart(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var target *zip.File
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			target = f
		}
	}
	off, err := target.DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), data...)
	mid := off + int64(target.CompressedSize64)/2
	for i := mid; i < mid+4 && i < off+int64(target.CompressedSize64); i++ {
		out[i] ^= 0xFF
	}
	return out
}

func csvRows(n int) []byte {
	var b bytes.Buffer
	b.WriteString("kommun;år;värde\n")
	for i := 0; i < n; i++ {
		b.WriteString("1060;2024;..\n") // missing figures: no invented numbers
	}
	return b.Bytes()
}

func TestHostileFiles(t *testing.T) {
	small := Limits{MaxUnzippedBytes: 4 << 20, MaxXMLBytes: 1 << 20}
	tests := []struct {
		name   string
		data   func(t *testing.T) []byte
		limits Limits
		msg    string
	}{
		{"too large", func(*testing.T) []byte { return make([]byte, DefaultLimits().MaxFileBytes+1) }, Limits{}, "Filen är för stor: högst 20 MB"},
		{"too large for a lowered limit", func(t *testing.T) []byte { return smallWorkbook(t) }, Limits{MaxFileBytes: 1024}, "Filen är för stor: högst 1 kB"},
		{"empty", func(*testing.T) []byte { return nil }, Limits{}, "Filen är tom"},
		{"old .xls", func(*testing.T) []byte { return oleHeader("Workbook") }, Limits{}, "Gamla .xls-filer stöds inte, spara som .xlsx"},
		{"encrypted .xlsx", func(t *testing.T) []byte { return encryptedWorkbook(t) }, Limits{}, "lösenordsskyddad"},
		{"PNG named .xlsx", func(*testing.T) []byte { return pngFile() }, Limits{}, "Filen är en PNG-bild"},
		{"PDF", func(*testing.T) []byte { return []byte("%PDF-1.7\n") }, Limits{}, "PDF-fil"},
		{"binary", func(*testing.T) []byte { return []byte{0x01, 0x00, 0x02, 0x00} }, Limits{}, "varken en Excel-fil"},
		{"HTML saved as .xls", func(*testing.T) []byte { return []byte("<html><table><tr><td>1060</td></tr></table></html>") }, Limits{}, "HTML- eller XML-fil"},
		{"zip that is not a workbook", func(t *testing.T) []byte {
			return buildZip(t, zipPart{name: "readme.txt", data: []byte("hej")})
		}, Limits{}, "ingen Excel-arbetsbok"},
		{"OpenDocument", func(t *testing.T) []byte {
			return buildZip(t, zipPart{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.spreadsheet")}, zipPart{name: "content.xml", data: []byte("<x/>")})
		}, Limits{}, ".ods"},
		{"xlsb", func(t *testing.T) []byte {
			return buildZip(t, zipPart{name: "xl/workbook.bin", data: []byte{1, 2, 3}})
		}, Limits{}, ".xlsb"},
		{"truncated zip", func(t *testing.T) []byte { w := smallWorkbook(t); return w[:len(w)/2] }, Limits{}, "zip-arkivet i .xlsx-filen går inte att läsa"},
		{"corrupt part", func(t *testing.T) []byte { return corruptPart(t, smallWorkbook(t)) }, Limits{}, "går inte att packa upp"},
		{"zip bomb", func(t *testing.T) []byte { return buildZip(t, workbookParts(bombSheet(8<<20), 0)...) }, small, "större än 4 MB när den packas upp"},
		{"zip bomb with understated sizes", func(t *testing.T) []byte { return buildZip(t, workbookParts(bombSheet(8<<20), 1024)...) }, small, "Filen"},
		{"too many rows (csv)", func(*testing.T) []byte { return csvRows(11) }, Limits{MaxRows: 10}, "fler än 10 rader"},
		{"too many rows (xlsx)", func(t *testing.T) []byte {
			rows := [][]any{{"kommun", "år", "värde"}}
			for range 11 {
				rows = append(rows, []any{"1060", 2024, ".."})
			}
			return buildXLSX(t, sheetSpec{"Folkmängd", rows})
		}, Limits{MaxRows: 10}, "fler än 10 rader"},
		{"too many cells", func(t *testing.T) []byte {
			// One cell in column XFD makes a row of 16,384 cells.
			f := excelize.NewFile()
			defer func() { _ = f.Close() }()
			for r := 1; r <= 10; r++ {
				cell, _ := excelize.CoordinatesToCellName(16384, r)
				_ = f.SetCellStr("Sheet1", cell, "..")
			}
			buf, _ := f.WriteToBuffer()
			return buf.Bytes()
		}, Limits{MaxCells: 100_000}, "fler än 100000 celler"},
		{"rows far apart", func(t *testing.T) []byte {
			// Two cells a million rows apart: the iterator walks every row
			// between them; the scan budget stops it. The sheet XML is
			// written by hand: excelize takes seconds to write the million
			// empty rows, which every mutation-testing run would pay.
			return buildZip(t, workbookParts([]byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
				`<row r="1"><c r="A1" t="inlineStr"><is><t>..</t></is></c></row>`+
				`<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>..</t></is></c></row></sheetData></worksheet>`), 0)...)
		}, Limits{MaxRows: 1000}, "för många rader"},
		{"unterminated quote", func(*testing.T) []byte { return []byte("kommun;år;värde\n\"Olofström;2024;..\n") }, Limits{}, "citattecken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t)
			opts.Limits = tt.limits
			res, err := Read(bytes.NewReader(tt.data(t)), opts)
			wantInvalid(t, res, err, tt.msg)
		})
	}
}

// The understated-size bomb must not pass as a workbook with a silently
// truncated sheet: whatever the reader says, it gives no figures, and its
// error is the corrupt-file one.
func TestZipBombUnderstatedSizeIsCorrupt(t *testing.T) {
	opts := testOptions(t)
	opts.Limits = Limits{MaxUnzippedBytes: 64 << 20}
	res, err := Read(bytes.NewReader(buildZip(t, workbookParts(bombSheet(2<<20), 1024)...)), opts)
	wantInvalid(t, res, err, "går inte att packa upp")
}

// Text a spreadsheet would run as a formula, and markup, are data to the
// reader: rejected as municipalities and kept verbatim in the reject (the
// server escapes it). In CSV too.
func TestInjectionTextIsRejectedVerbatim(t *testing.T) {
	opts := testOptions(t)
	v := itoa(int(fig(t, "1060", 2024)))
	data := "kommun;år;indikator;värde\n" +
		"\"=cmd|' /C calc'!A0\";2024;population;" + v + "\n" +
		"<script>alert('x')</script>;2024;population;" + v + "\n" +
		"@SUM(1+1)*cmd|' /C calc'!A0;2024;population;" + v + "\n"
	res := mustRead(t, []byte(data), opts)
	if len(res.Observations) != 0 || len(res.Rejects) != 3 {
		t.Fatalf("obs %+v rejects %+v", res.Observations, res.Rejects)
	}
	want := []string{"=cmd|' /C calc'!A0", "<script>alert('x')</script>", "@SUM(1+1)*cmd|' /C calc'!A0"}
	for i, r := range res.Rejects {
		if r.Value != want[i] || r.Column != "kommun" || r.Row != i+2 {
			t.Errorf("reject %d = %+v, want value %q in column kommun", i, r, want[i])
		}
	}
	if !strings.Contains(res.Rejects[0].Reason, "formel") || !strings.Contains(res.Rejects[1].Reason, "finns inte i kommunlistan") {
		t.Errorf("reasons: %q, %q", res.Rejects[0].Reason, res.Rejects[1].Reason)
	}
}

// A formula cell is never evaluated: the reader takes what the file stores
// and nothing else.
func TestFormulaCellsAreNotEvaluated(t *testing.T) {
	opts := testOptions(t)
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	_ = f.SetSheetName("Sheet1", "Folkmängd")
	_ = f.SetSheetRow("Folkmängd", "A1", &[]any{"kommun", 2024})
	_ = f.SetCellStr("Folkmängd", "A2", "Olofström")
	if err := f.SetCellFormula("Folkmängd", "B2", "=1+1"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	res := mustRead(t, buf.Bytes(), opts)
	if len(res.Observations) != 0 {
		t.Errorf("formula evaluated into %+v", res.Observations)
	}
}

func TestUnknownForcedIndicator(t *testing.T) {
	opts := testOptions(t)
	opts.Indicator = "<b>"
	res, err := Read(bytes.NewReader(smallWorkbook(t)), opts)
	wantInvalid(t, res, err, "finns inte i indikatorlistan")
}

func TestReadError(t *testing.T) {
	opts := testOptions(t)
	res, err := Read(io.MultiReader(bytes.NewReader([]byte("kommun;")), errReader{}), opts)
	wantInvalid(t, res, err, "Filen kunde inte läsas")
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
