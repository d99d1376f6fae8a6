package scb

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

func metaTAB638(t *testing.T) *Dataset {
	t.Helper()
	meta, err := ParseMetadata(fixture(t, "scb_v2_TAB638_metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	return meta
}

func TestBuildPlanTAB638(t *testing.T) {
	meta := metaTAB638(t)
	tests := []struct {
		name    string
		spec    config.SCBTable
		drop    []string
		want    string // the one request body
		wantErr string
	}{
		{
			name: "eliminable variables left out, years from 2022",
			spec: config.SCBTable{ID: "TAB638", Indicator: "population", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, From: 2022},
			want: `{"selection":[{"variableCode":"Region","valueCodes":[REGIONS]},{"variableCode":"ContentsCode","valueCodes":["BE0101N1"]},{"variableCode":"Tid","valueCodes":["from(2022)"]}]}`,
		},
		{
			name: "configured eliminable variable is selected, all years",
			spec: config.SCBTable{ID: "TAB638", Indicator: "x", Select: map[string][]string{"ContentsCode": {"BE0101N1"}, "Kon": {"2"}}},
			want: `{"selection":[{"variableCode":"Region","valueCodes":[REGIONS]},{"variableCode":"Kon","valueCodes":["2"]},{"variableCode":"ContentsCode","valueCodes":["BE0101N1"]},{"variableCode":"Tid","valueCodes":["*"]}]}`,
		},
		{
			name: "From before the first year asks for all",
			spec: config.SCBTable{ID: "TAB638", Indicator: "x", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, From: 1900},
			want: `{"selection":[{"variableCode":"Region","valueCodes":[REGIONS]},{"variableCode":"ContentsCode","valueCodes":["BE0101N1"]},{"variableCode":"Tid","valueCodes":["*"]}]}`,
		},
		{
			name: "bounded years are listed",
			spec: config.SCBTable{ID: "TAB638", Indicator: "x", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, From: 2017, To: 2019},
			want: `{"selection":[{"variableCode":"Region","valueCodes":[REGIONS]},{"variableCode":"ContentsCode","valueCodes":["BE0101N1"]},{"variableCode":"Tid","valueCodes":["2017","2018","2019"]}]}`,
		},
		{
			name:    "non-eliminable variable with several values must be configured",
			spec:    config.SCBTable{ID: "TAB638", Indicator: "x"},
			wantErr: "ContentsCode may not be left out",
		},
		{
			name:    "unknown value code",
			spec:    config.SCBTable{ID: "TAB638", Indicator: "x", Select: map[string][]string{"ContentsCode": {"BE0101N9"}}},
			wantErr: `no value "BE0101N9"`,
		},
		{
			name:    "unknown variable",
			spec:    config.SCBTable{ID: "TAB638", Indicator: "x", Select: map[string][]string{"ContentsCode": {"BE0101N1"}, "SNI2007": {"B+C"}}},
			wantErr: "SNI2007 is not in the table",
		},
		{
			name:    "no year from From",
			spec:    config.SCBTable{ID: "TAB638", Indicator: "x", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, From: 2030},
			wantErr: "no year from 2030",
		},
		{
			name:    "monthly spec on a yearly table",
			spec:    config.SCBTable{ID: "TAB638", Indicator: "x", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, Month: 11},
			wantErr: "no *M11 code",
		},
	}
	regions := regionsFromMeta(t)
	codes, _ := json.Marshal(must(meta.Dim("Region")).Codes)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := buildPlan(meta, tt.spec, regions)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			bodies, err := p.queries(DefaultMaxCells)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(tt.want, "REGIONS", strings.Trim(string(codes), "[]"), 1)
			if len(bodies) != 1 || string(bodies[0]) != want {
				t.Errorf("bodies %d:\n got %s\nwant %s", len(bodies), bodies[0], want)
			}
		})
	}
}

func must[T any](v T, ok bool) T {
	if !ok {
		panic("missing")
	}
	return v
}

func TestBuildPlanOnlyKnownRegions(t *testing.T) {
	meta := metaTAB638(t)
	p, err := buildPlan(meta, populationSpec, regionsFromMeta(t, "0481", "00"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.regions) != 310 {
		t.Errorf("%d regions, want 310", len(p.regions))
	}
	for _, c := range p.regions {
		if c == "0481" || c == "00" {
			t.Errorf("asked for unknown region %s", c)
		}
	}
}

func TestQueriesSplitByCellLimit(t *testing.T) {
	meta := metaTAB638(t)
	spec := populationSpec
	spec.From = 1968 // 57 years
	p, err := buildPlan(meta, spec, regionsFromMeta(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		max, wantCalls int
	}{
		{150000, 1}, // 312 × 57 = 17,784 cells
		{17784, 1},
		{17783, 2},
		{1000, 19}, // 17 regions per call
		{57, 312},
	}
	for _, tt := range tests {
		bodies, err := p.queries(tt.max)
		if err != nil {
			t.Fatal(err)
		}
		if len(bodies) != tt.wantCalls {
			t.Errorf("max %d: %d calls, want %d", tt.max, len(bodies), tt.wantCalls)
		}
	}
	if _, err := p.queries(56); err == nil {
		t.Error("a single region over the limit was not reported")
	}
}

func TestMonthlyTimeSelection(t *testing.T) {
	d := Dimension{ID: "Tid", Codes: []string{"2019M11", "2020M10", "2020M11", "2021M11", "2021M12"}}
	s, n, err := timeSelection(&d, config.SCBTable{Month: 11, From: 2020})
	if err != nil || n != 2 || strings.Join(s.ValueCodes, ",") != "2020M11,2021M11" {
		t.Errorf("got %v %d %v", s, n, err)
	}
	if _, _, err := timeSelection(&d, config.SCBTable{Month: 11, From: 2022}); err == nil || !strings.Contains(err.Error(), "no *M11 code") {
		t.Errorf("err = %v", err)
	}
	for code, want := range map[string]int{"2024M11": 2024, "2024M10": 0, "2024": 0, "24M11": 0, "2024M1": 0} {
		if y, _ := yearOf(code, 11); y != want {
			t.Errorf("yearOf(%q) = %d, want %d", code, y, want)
		}
	}
}
