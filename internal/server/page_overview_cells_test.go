package server

import (
	"bytes"
	"html"
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// overviewRowsTemplate is the overview's table body as overview.html wrote
// it with html/template before #15; overviewRowsNow is how it writes it
// now. Both must give the same page (the same text once unescaped;
// html/template also escapes "+").
const overviewRowsTemplate = `{{define "chart"}}{{chartHTML .}}{{end}}{{$v := .V}}{{$sparks := .Sparks}}` + `{{range $v.Rows}}{{$row := .}}<tr class="member"><th scope="row"><a href="/kommun/{{.Code}}">{{.Name}}</a></th>
{{range $i, $c := .Cells}}{{$ind := index $v.Indicators $i}}<td>{{if $c.Latest}}<span class="num"><strong>{{num $c.Latest $ind.Decimals $ind.Unit}}</strong> ({{yearMark $c.Year $c.Source}})</span><br>
<small>1 år {{changeFor $c.Change1 $ind}} · 5 år {{changeFor $c.Change5 $ind}}</small><br>{{with $c.Discrepancy}}<small class="discrepancy">⚠ {{.}}</small><br>{{end}}{{with index $sparks (printf "%s/%s" $row.Code $ind.ID)}}{{template "chart" .}}{{end}}{{else}}<span class="missing">–</span>{{end}}</td>{{end}}</tr>
{{end}}
{{range $v.Refs}}{{$row := .}}<tr class="ref"><th scope="row">{{.Name}}</th>
{{range $i, $c := .Cells}}{{$ind := index $v.Indicators $i}}<td>{{if $c.Latest}}<span class="num"><strong>{{num $c.Latest $ind.Decimals $ind.Unit}}</strong> ({{yearMark $c.Year $c.Source}}){{if $c.Partial}} <small class="count">{{$c.N}} av {{$c.Of}} medlemmar</small>{{end}}</span><br>
<small>1 år {{changeFor $c.Change1 $ind}}{{if $c.Change1Partial}}{{if $c.Change1}} <span class="count">({{$c.Change1N}} av {{$c.Of}})</span>{{end}}{{end}} · 5 år {{changeFor $c.Change5 $ind}}{{if $c.Change5Partial}}{{if $c.Change5}} <span class="count">({{$c.Change5N}} av {{$c.Of}})</span>{{end}}{{end}}</small><br>{{with index $sparks (printf "%s/%s" $row.Code $ind.ID)}}{{template "chart" .}}{{end}}{{else}}<span class="missing">–</span>{{end}}</td>{{end}}</tr>
{{end}}
`

const overviewRowsNow = `{{$v := .V}}{{$sparks := .Sparks}}{{range $v.Rows}}<tr class="member"><th scope="row"><a href="/kommun/{{.Code}}">{{.Name}}</a></th>
{{overviewCells $v . $sparks}}</tr>
{{end}}
{{range $v.Refs}}<tr class="ref"><th scope="row">{{.Name}}</th>
{{overviewCells $v . $sparks}}</tr>
{{end}}
`

func TestOverviewCellsAsTheTemplateWrote(t *testing.T) {
	hostile := `</td><script>alert("x")</script> & 'y' +1 &amp;`
	f := func(v float64) *float64 { return &v }
	prelim := &domain.Source{Kind: domain.SourceSCB, Ref: "TAB638", FetchedAt: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Preliminary: true}
	final := &domain.Source{Kind: domain.SourceUpload, Ref: hostile}
	inds := []domain.Indicator{
		{ID: "population", Name: "Folkmängd", Unit: "personer"},
		{ID: "rate", Name: "Andel", Unit: "%", Decimals: 1, Rate: true},
		{ID: "net", Name: "Netto", Unit: "personer"},
	}
	v := &report.OverviewView{Indicators: inds,
		Rows: []report.OverviewRow{
			{Code: "1060", Name: "Olofström", Kind: domain.RefMember, Cells: []report.OverviewCell{
				{Latest: f(13000), Year: 2024, Change1: f(-0.5), Change5: f(2.25), Source: prelim, Discrepancy: hostile},
				{Latest: f(41.25), Year: 2023, Change1: f(1.5), Source: final},
				{},
			}},
			{Code: hostile, Name: hostile, Kind: domain.RefMember, Cells: []report.OverviewCell{{}, {}, {Latest: f(-120), Year: 2024, Change1: f(30)}}},
		},
		Refs: []report.OverviewRow{
			{Code: "median", Name: "Nätverket, median", Kind: domain.RefMedian, Cells: []report.OverviewCell{
				{Latest: f(17377.5), Year: 2024, Change1: f(0.4), Change5: f(1), N: 4, Change1N: 3, Change5N: 12, Of: 12},
				{Latest: f(40), Year: 2024, Change1: nil, Change5: f(1), N: 12, Change1N: 2, Change5N: 5, Of: 12},
				{},
			}},
			{Code: domain.RiketCode, Name: "Riket", Kind: domain.RefRiket, Cells: []report.OverviewCell{{Latest: f(10551707), Year: 2024, Source: prelim}, {}, {}}},
		},
	}
	sparks := map[string]*chartEmbed{
		"1060/population":   {ID: "spark-1060-population", Kind: "spark", Label: hostile, Height: 32, JSON: template.JS(`{"a":1}`)},
		"median/population": {ID: "spark-median-population", Kind: "spark", Height: 32, JSON: template.JS(`{"b":2}`)},
	}
	data := struct {
		V      *report.OverviewView
		Sparks map[string]*chartEmbed
	}{v, sparks}
	render := func(text string) string {
		var b bytes.Buffer
		if err := template.Must(template.New("rows").Funcs(funcs).Parse(text)).Execute(&b, data); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	want, got := render(overviewRowsTemplate), render(overviewRowsNow)
	if html.UnescapeString(got) != html.UnescapeString(want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(got, "<script>") {
		t.Error("a text from a file is not escaped")
	}
}
