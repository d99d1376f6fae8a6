package server

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/export"
)

var unsafeFileChars = regexp.MustCompile(`[^a-z0-9_-]+`)

// fileName makes an ASCII file name from parts ("jamfor", "population",
// "2024").
func fileName(parts ...string) string {
	r := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "a", "Ä", "a", "Ö", "o", "é", "e")
	var out []string
	for _, p := range parts {
		p = unsafeFileChars.ReplaceAllString(strings.ToLower(r.Replace(p)), "-")
		if p = strings.Trim(p, "-"); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "_")
}

// download renders tables as xlsx or csv (the first table) with a
// Content-Disposition naming the file.
func download(tables []export.Table, format, name string) (response, error) {
	var buf bytes.Buffer
	switch format {
	case "xlsx":
		if err := export.WriteXLSX(&buf, tables...); err != nil {
			return response{}, fmt.Errorf("export %s: %w", name, err)
		}
		return response{buf.Bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `attachment; filename="` + name + `.xlsx"`}, nil
	case "csv":
		if len(tables) == 0 {
			return response{}, domain.Invalid("inget att ladda ned")
		}
		if err := export.WriteCSV(&buf, tables[0]); err != nil {
			return response{}, fmt.Errorf("export %s: %w", name, err)
		}
		return response{buf.Bytes(), "text/csv; charset=utf-8", `attachment; filename="` + name + `.csv"`}, nil
	}
	return response{}, fmt.Errorf("export: unknown format %q", format)
}
