package excel

import (
	"bytes"
	"errors"
)

type fileKind int

const (
	kindXLSX fileKind = iota + 1
	kindCSV
)

var (
	magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicZip  = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06"), []byte("PK\x07\x08")}
	// An encrypted .xlsx is an OLE2 container holding an "EncryptionInfo"
	// stream; directory entry names are UTF-16LE.
	encryptionInfoUTF16 = utf16le("EncryptionInfo")
	// Formats people upload by mistake, named so the message can say what
	// the file really is.
	otherMagic = []struct {
		magic []byte
		what  string
	}{
		{[]byte("\x89PNG\r\n\x1a\n"), "en PNG-bild"},
		{[]byte{0xFF, 0xD8, 0xFF}, "en JPEG-bild"},
		{[]byte("GIF87a"), "en GIF-bild"},
		{[]byte("GIF89a"), "en GIF-bild"},
		{[]byte("%PDF-"), "en PDF-fil"},
		{[]byte{0x1F, 0x8B}, "en gzip-komprimerad fil"},
		{[]byte("Rar!\x1A\x07"), "ett RAR-arkiv"},
		{[]byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}, "ett 7z-arkiv"},
		{[]byte("{\\rtf"), "ett RTF-dokument"},
	}
)

func utf16le(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, s[i], 0)
	}
	return out
}

// sniff decides the parser from the content. Anything that is neither a zip
// container nor plain text is refused here, before any parser sees it.
func sniff(data []byte) (fileKind, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return 0, invalid("Filen är tom", errors.New("empty upload"))
	}
	if bytes.HasPrefix(data, magicOLE2) {
		if bytes.Contains(data, encryptionInfoUTF16) {
			return 0, invalid("Filen är lösenordsskyddad (krypterad). Spara den utan lösenord som .xlsx och ladda upp den igen",
				errors.New("OLE2 container with EncryptionInfo (encrypted workbook)"))
		}
		return 0, invalid("Gamla .xls-filer stöds inte, spara som .xlsx",
			errors.New("OLE2 compound file (legacy .xls)"))
	}
	for _, m := range magicZip {
		if bytes.HasPrefix(data, m) {
			return kindXLSX, nil
		}
	}
	for _, o := range otherMagic {
		if bytes.HasPrefix(data, o.magic) {
			return 0, invalid("Filen är "+o.what+", inte en Excel-fil (.xlsx) eller CSV-fil",
				errors.New("not a spreadsheet: "+o.what))
		}
	}
	head := data[:min(len(data), 8192)]
	isUTF16 := bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})
	if !isUTF16 && bytes.IndexByte(head, 0) >= 0 {
		return 0, invalid("Filen är varken en Excel-fil (.xlsx) eller en CSV-fil",
			errors.New("binary content (NUL bytes) in a file that is not a zip"))
	}
	if !isUTF16 {
		t := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")))
		if len(t) > 0 && t[0] == '<' {
			return 0, invalid("Filen är en HTML- eller XML-fil, inte en Excel-fil (.xlsx) eller CSV-fil. Öppna den i Excel och spara som .xlsx",
				errors.New("markup (HTML/XML) content"))
		}
	}
	return kindCSV, nil
}
