package server

import (
	"bytes"
	"fmt"

	"github.com/svenskaindustrikommuner/dashboard/internal/export"
)

// rejectsCSV writes every rejected row of an upload with where it is and
// why, so an analyst can fix the file row by row. Values are the file's own
// text; the CSV writer neutralises any that Excel would run as a formula.
func rejectsCSV(p *importPayload) (body []byte, ctype, disposition string, err error) {
	t := export.Table{Title: "Avvisade rader", Columns: []export.Column{
		{Header: "Blad"}, {Header: "Rad", Numeric: true}, {Header: "Kolumn"}, {Header: "Värde"}, {Header: "Orsak"},
	}}
	for _, r := range p.Rejects {
		t.Rows = append(t.Rows, []export.Value{export.Text(r.Sheet), export.Number(float64(r.Row)), export.Text(r.Column), export.Text(r.Value), export.Text(r.Reason)})
	}
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, t); err != nil {
		return nil, "", "", fmt.Errorf("import: rejects csv: %w", err)
	}
	name := fileName("avvisade", p.FileName)
	return buf.Bytes(), "text/csv; charset=utf-8", `attachment; filename="` + name + `.csv"`, nil
}
