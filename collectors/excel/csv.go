package excel

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readCSV reads a CSV as PxWeb and Excel write it: UTF-8 with or without
// BOM, UTF-16 with BOM (Excel's "Unicode text"), otherwise Latin-1
// (Windows-1252, which is what "ISO-8859-1" exports and Swedish Excel
// produce); comma, semicolon or tab as delimiter.
func readCSV(data []byte, b *builder) error {
	text, err := decodeText(data)
	if err != nil {
		return err
	}
	name := b.src.Ref
	if name == "" {
		name = "CSV"
	}
	p := newSheetParser(b, name, true)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	n := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := n + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return invalid(fmt.Sprintf("CSV-filen kunde inte läsas vid rad %d: ett citattecken (\") står fel eller avslutas aldrig", line),
				fmt.Errorf("csv: %w", err))
		}
		n++
		if err := p.row(n, rec); err != nil {
			return err
		}
	}
	p.finish()
	return nil
}

// decodeText returns the file as UTF-8 without a byte-order mark.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", invalid("Textfilen är skadad (UTF-16) och kunde inte läsas", fmt.Errorf("decode utf-16: %w", err))
		}
		return strings.TrimPrefix(string(out), "\uFEFF"), nil
	case utf8.Valid(data):
		return strings.TrimPrefix(string(data), "\uFEFF"), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", invalid("Textfilen har en teckenkodning som inte går att läsa; spara den som UTF-8", fmt.Errorf("decode windows-1252: %w", err))
	}
	return string(out), nil
}

// sniffDelimiter picks the delimiter that splits the first lines most
// consistently, counting only outside quotes. Semicolon files with decimal
// commas are why consistency, not frequency, decides. Ties go to tab, then
// semicolon, then comma.
func sniffDelimiter(text string) rune {
	const maxLines = 20
	cands := []rune{'\t', ';', ','}
	var lines [][3]int
	var cur [3]int
	inQuote, nonEmpty := false, false
	flush := func() {
		if nonEmpty {
			lines = append(lines, cur)
		}
		cur, nonEmpty = [3]int{}, false
	}
	for i, r := range text {
		if i > 64<<10 || len(lines) >= maxLines {
			break
		}
		switch {
		case r == '"':
			inQuote = !inQuote
			nonEmpty = true
		case inQuote:
		case r == '\n':
			flush()
		case r == '\r':
		default:
			nonEmpty = true
			for k, c := range cands {
				if r == c {
					cur[k]++
				}
			}
		}
	}
	flush()
	best, bestScore := ',', 0
	for k, c := range cands {
		freq := map[int]int{}
		for _, l := range lines {
			if l[k] > 0 {
				freq[l[k]]++
			}
		}
		score := 0
		for _, f := range freq {
			score = max(score, f)
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}
