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

// profileRowsTemplate is the table body as profile.html wrote it with
// html/template before #15: profileYearRows must write the same page (the
// same text once unescaped; html/template also escapes "+").
const profileRowsTemplate = `{{$p := .}}{{range $j, $y := $p.Years}}<tr><th scope="row">{{$y}}</th><td class="num" data-value="{{dv (at $p.Own $j)}}"{{with index $p.OwnSource $j}} title="{{sourceShort .}}"{{end}}>{{num (at $p.Own $j) $p.Indicator.Decimals $p.Indicator.Unit}}{{with index $p.Discrepancies $j}}<br><small class="discrepancy">⚠ {{.}}</small>{{end}}</td>
<td class="num">{{if atInt $p.Ranks $j}}{{atInt $p.Ranks $j}} av {{atInt $p.Ranked $j}}{{else}}<span class="missing">–</span>{{end}}</td>
<td class="num">{{num (at $p.Median $j) $p.Indicator.Decimals $p.Indicator.Unit}}{{with $p.MedianNote $j}} <small class="count">({{.}})</small>{{end}}</td><td class="num">{{num (at $p.County $j) $p.Indicator.Decimals $p.Indicator.Unit}}{{with $p.CountyNote $j}} <small class="count">({{.}})</small>{{end}}</td><td class="num">{{num (at $p.Riket $j) $p.Indicator.Decimals $p.Indicator.Unit}}{{with $p.RiketNote $j}} <small class="count">({{.}})</small>{{end}}</td></tr>{{end}}`

func TestProfileYearRowsAsTheTemplateWrote(t *testing.T) {
	hostile := `</td><script>alert("x")</script> & 'y' +1 &amp;`
	f := func(v float64) *float64 { return &v }
	up := &domain.Source{Kind: domain.SourceUpload, Ref: hostile, BatchID: 7, FetchedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	scb := &domain.Source{Kind: domain.SourceSCB, Ref: "TAB638", FetchedAt: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Preliminary: true}
	p := report.ProfileIndicator{
		Indicator:     domain.Indicator{ID: "population", Name: "Folkmängd", Unit: "personer"},
		Years:         []int{2020, 2021, 2022, 2023},
		Own:           []*float64{f(13263), nil, f(1e21), f(-0.5)},
		OwnSource:     []*domain.Source{scb, nil, up, up},
		Discrepancies: []string{"", "", hostile, ""},
		Median:        []*float64{f(17377.5), f(1), nil, f(2)},
		MedianN:       []int{4, 12, 0, 12},
		County:        []*float64{nil, f(3), f(4), f(5)},
		CountySummed:  []bool{false, true, false, false},
		Riket:         []*float64{f(10551707), nil, nil, f(6)},
		RiketSummed:   []bool{false, false, false, true},
		Ranks:         []int{3, 0, 1, 12},
		Ranked:        []int{12, 11, 12, 12},
		GroupSize:     12,
	}
	s := &Server{}
	ref := template.Must(template.New("rows").Funcs(funcs).Funcs(s.sourceFuncs()).Parse(profileRowsTemplate))
	for _, tc := range []struct {
		name string
		p    report.ProfileIndicator
	}{
		{"figures, gaps, notes and hostile texts", p},
		{"a rate with decimals", func() report.ProfileIndicator {
			q := p
			q.Indicator = domain.Indicator{ID: "rate", Name: "Andel", Unit: "%", Decimals: 1, Rate: true}
			return q
		}()},
		{"no years", report.ProfileIndicator{Indicator: p.Indicator}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want bytes.Buffer
			if err := ref.Execute(&want, tc.p); err != nil {
				t.Fatal(err)
			}
			got := string(s.profileYearRows(tc.p))
			if html.UnescapeString(got) != html.UnescapeString(want.String()) {
				t.Errorf("got\n%s\nwant\n%s", got, want.String())
			}
			if strings.Contains(got, "<script>") {
				t.Error("a text from a file is not escaped")
			}
		})
	}
}
