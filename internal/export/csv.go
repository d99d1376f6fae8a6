package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes one table as a CSV file that Swedish Excel opens
// correctly by double-click:
//
//   - UTF-8 with a byte order mark (without it Excel reads Latin-1 and
//     mangles å, ä, ö);
//   - semicolon separator and decimal comma (Swedish list and decimal
//     separators), no thousands separator (Excel would read "12 031" as
//     text), CRLF line ends, RFC 4180 quoting;
//   - the first line is the header: no title line, so the file sorts and
//     filters as a plain table (the title belongs in the file name);
//   - after the data, one empty line and then a line per source starting
//     "Källa:" and a line per note starting "Anmärkning:", so provenance
//     travels with the figures and the data block stays rectangular.
//
// Numbers are written with the column's decimals, as the page shows them.
// Text cells that Excel would run as a formula (starting with = + - @, a
// tab or a CR) get a leading apostrophe; numeric cells are numbers, so
// "-1,5" stays as it is. Missing cells are empty.
func WriteCSV(w io.Writer, t Table) error {
	if err := t.check(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString("\uFEFF")
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = neutralise(c.Header)
	}
	writeRecord(bw, rec)
	for _, row := range t.Rows {
		for i, c := range t.Columns {
			rec[i] = ""
			if i < len(row) {
				rec[i] = csvCell(row[i], c)
			}
		}
		writeRecord(bw, rec)
	}
	if trailer := trailerLines(t); len(trailer) > 0 {
		_, _ = bw.WriteString("\r\n")
		for _, l := range trailer {
			writeRecord(bw, []string{neutralise(l)})
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: csv %q: %w", t.Title, err)
	}
	return nil
}

// trailerLines are the provenance lines after the data.
func trailerLines(t Table) []string {
	var out []string
	for _, s := range t.Sources {
		out = append(out, "Källa: "+describeSource(s))
	}
	for _, n := range t.Notes {
		if strings.TrimSpace(n) != "" {
			out = append(out, "Anmärkning: "+n)
		}
	}
	return out
}

// describeSource renders a source as one Swedish phrase:
// "SCB, TAB638, hämtad 2025-02-21. Folkmängd 31 dec".
func describeSource(s SourceNote) string {
	parts := []string{}
	for _, p := range []string{s.Source, s.Ref} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if d := fetchedDate(s.FetchedAt); d != "" {
		parts = append(parts, "hämtad "+d)
	}
	out := strings.Join(parts, ", ")
	if n := strings.TrimSpace(s.Note); n != "" {
		if out != "" {
			out += ". "
		}
		out += n
	}
	return out
}

// csvCell formats one cell: numbers with the column's decimals and a
// decimal comma, text neutralised, missing empty.
func csvCell(v Value, c Column) string {
	if v.Num != nil {
		f, ok := v.number()
		if !ok {
			return ""
		}
		dec := -1 // a number in a text column keeps its full precision
		if c.Numeric {
			dec = c.decimals()
		}
		return swedishNumber(f, dec)
	}
	return neutralise(v.Text)
}

// swedishNumber writes f with dec decimals (-1: as many as needed), a
// decimal comma and no thousands separator. A value that rounds to zero
// loses its sign: "-0,0" is not what the page shows.
func swedishNumber(f float64, dec int) string {
	s := strconv.FormatFloat(f, 'f', dec, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		s = s[1:]
	}
	return strings.Replace(s, ".", ",", 1)
}

// neutralise makes text that Excel (or LibreOffice) would evaluate as a
// formula inert by prefixing an apostrophe (CSV injection, OWASP). Only
// text cells go through here: numbers are never neutralised.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// writeRecord writes one line with RFC 4180 quoting: a field is quoted when
// it holds the separator, a quote, a CR or LF, or starts or ends with a
// space (which Excel would otherwise trim); quotes are doubled. Unlike
// encoding/csv with UseCRLF, line breaks inside a field are kept verbatim.
func writeRecord(w *bufio.Writer, fields []string) {
	for i, f := range fields {
		if i > 0 {
			_ = w.WriteByte(';')
		}
		if !needsQuotes(f) {
			_, _ = w.WriteString(f)
			continue
		}
		_ = w.WriteByte('"')
		_, _ = w.WriteString(strings.ReplaceAll(f, `"`, `""`))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString("\r\n")
}

func needsQuotes(f string) bool {
	if f == "" {
		return false
	}
	return strings.ContainsAny(f, ";\"\r\n") || f[0] == ' ' || f[len(f)-1] == ' '
}
