package report

import (
	"strconv"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/export"
)

// ExportTables is the Kandidater table, as shown.
func (v *CandidatesView) ExportTables(describe Describer) []export.Table {
	t := export.Table{
		Title: "Tänkbara medlemmar " + strconv.Itoa(v.Year),
		Sheet: "Kandidater",
		Columns: []export.Column{
			{Header: "Rang", Numeric: true},
			{Header: "Kommunkod"},
			{Header: "Kommun"},
			{Header: "Län"},
			{Header: "Industrins andel av jobben (%)", Numeric: true, Decimals: 1},
			{Header: "Andelen enligt"},
			{Header: "Folkmängd", Numeric: true},
			{Header: "Andel i statlig sektor (%)", Numeric: true, Decimals: 1},
		},
		Sources: notes(v.Sources, describe),
		Notes: []string{
			"Nätverkets kriterier: en relativt stor andel industri, utanför storstadsregionerna, högst " + strconv.Itoa(MaxMembers) + " medlemmar (i dag " + strconv.Itoa(v.Members) + ").",
			"Borträknade storstadsregioner (Koladas kommungrupper): " + strings.Join(v.Excluded, "; ") + ". " + v.GroupsSource + ".",
			"Industrins andel: SCB:s sysselsatta inom SNI B+C delat med alla sysselsatta med arbetsställe i kommunen samma år; där SCB:s siffror saknas Koladas N02235.",
			v.Precedence,
		},
	}
	for _, r := range v.Rows {
		rank := export.Missing()
		if r.Rank > 0 {
			rank = export.Number(float64(r.Rank))
		}
		t.Rows = append(t.Rows, []export.Value{rank, export.Text(r.Code), export.Text(r.Name), export.Text(r.County),
			num(r.IndustrialShare), export.Text(r.ShareSource), num(r.Population), num(r.StateShare)})
	}
	return []export.Table{t}
}
