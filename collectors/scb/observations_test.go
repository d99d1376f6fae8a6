package scb

import (
	"errors"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

func TestExtractRealTAB638Answer(t *testing.T) {
	// The recorded answer holds one figure: unmarried boys aged 0, riket,
	// 31 Dec 2024.
	ds, err := ParseJSONStat(fixture(t, "scb_v2_TAB638_data_jsonstat2.json"))
	if err != nil {
		t.Fatal(err)
	}
	spec := config.SCBTable{ID: "TAB638", Indicator: "ogifta_pojkar_0_ar", Select: map[string][]string{
		"Civilstand": {"OG"}, "Alder": {"0"}, "Kon": {"1"}, "ContentsCode": {"BE0101N1"}}}
	obs, unknown, err := extract(ds, spec, regionsFromMeta(t), t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(unknown) != 0 || len(obs) != 1 {
		t.Fatalf("obs %+v unknown %v", obs, unknown)
	}
	o := obs[0]
	if o.Municipality != "00" || o.Year != 2024 || o.Value != 50937 || o.Indicator != "ogifta_pojkar_0_ar" || o.Source.Ref != "TAB638" || !o.Source.FetchedAt.Equal(t0) {
		t.Errorf("observation %+v", o)
	}
}

func TestExtractSum(t *testing.T) {
	// Stockholms län 2024 as the sum of its 26 kommuner (real figures): SCB
	// publishes the län total 2,473,307.
	doc := string(fixture(t, "scb_constructed_sum_stockholm_2024_jsonstat2.json"))
	spec := config.SCBTable{ID: "TAB638", Indicator: "population", Sum: "Delomrade", Select: map[string][]string{"Delomrade": {"*"}}}
	tests := []struct {
		name    string
		doc     string
		spec    config.SCBTable
		want    []float64
		wantErr bool
	}{
		{"all parts", doc, spec, []float64{2473307}, false},
		{"a missing part makes the sum missing", strings.Replace(doc, "50323", "null", 1), spec, nil, false},
		{"a '..' part makes the sum missing", strings.Replace(doc, `"value": [`, `"status": {"3": ".."}, "value": [`, 1), spec, nil, false},
		{"a part asked for is not in the answer", doc, config.SCBTable{ID: "TAB638", Indicator: "population", Sum: "Delomrade", Select: map[string][]string{"Delomrade": {"0114", "9999"}}}, nil, true},
		{"several values without sum", doc, config.SCBTable{ID: "TAB638", Indicator: "population"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseJSONStat([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			obs, _, err := extract(ds, tt.spec, regionsFromMeta(t), t0)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil && !errors.Is(err, ErrFormat) {
				t.Errorf("err %v is not ErrFormat", err)
			}
			if len(obs) != len(tt.want) {
				t.Fatalf("obs %+v, want %v", obs, tt.want)
			}
			for i, w := range tt.want {
				if obs[i].Value != w || obs[i].Municipality != "01" || obs[i].Year != 2024 {
					t.Errorf("obs %+v, want %v", obs[i], w)
				}
			}
		})
	}
}
