package report

import (
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/export"
)

// ExportTables is the Statlig närvaro table, as shown.
func (v *StateView) ExportTables(describe Describer) []export.Table {
	share := v.Indicators[IndicatorStateShare]
	t := export.Table{
		Title: "Statlig närvaro " + strconv.Itoa(v.Year),
		Sheet: "Statlig närvaro",
		Columns: []export.Column{
			{Header: "Rang (statlig andel)", Numeric: true},
			{Header: "Kommunkod"},
			{Header: "Kommun"},
			{Header: share.Name + " (%)", Numeric: true, Decimals: 1},
			{Header: "Statligt anställda (personer)", Numeric: true},
			{Header: "Statligt anställda per 1 000 invånare", Numeric: true, Decimals: 1},
			{Header: "Statligt anställda, andel av alla sysselsatta (%)", Numeric: true, Decimals: 1},
			{Header: "Statliga servicekontor (antal)", Numeric: true},
			{Header: "Medlem"},
			{Header: "Anmärkning"},
		},
		Sources: notes(v.Sources, describe),
		Notes: []string{v.Precedence, "Rangordning efter Koladas andel sysselsatta i statlig sektor (N02206, arbetsställe). " +
			"Per 1 000 invånare och andel av jobben är räknade på statligt anställda, folkmängd och dagbefolkning samma år."},
	}
	rows := append(append(append([]StateRow(nil), v.Rows...), v.Median), v.Riket)
	for _, r := range rows {
		rank := export.Missing()
		if r.Rank > 0 {
			rank = export.Number(float64(r.Rank))
		}
		code := export.Text(r.Code)
		member := "nej"
		switch {
		case r.Code == "median":
			code, member = export.Missing(), ""
		case r.Member:
			member = "ja"
		}
		note := r.Discrepancy
		if r.Note != "" {
			note = "statlig andel: " + r.Note
		}
		t.Rows = append(t.Rows, []export.Value{rank, code, export.Text(r.Name), num(r.Share), num(r.Jobs), num(r.Per1000),
			num(r.ShareOfJobs), num(r.Offices), export.Text(member), export.Text(note)})
	}
	return []export.Table{t}
}
