package scb

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// extract keeps the years from spec.From to spec.To, both included (To 0:
// no end), and finds the time dimension by the answer's time role, or as
// "Tid" when the answer gives none (docs/testing.md, mutation testing).
// Olofström's population 2023 and 2024 is real (13 061, 13 000, the bundled
// data); 2022's figure is made up, only the years matter here.
func TestExtractYearRangeAndTimeDimension(t *testing.T) {
	doc := func(timeID, role string) []byte {
		return []byte(fmt.Sprintf(`{"version":"2.0","class":"dataset","id":["Region","ContentsCode","%[1]s"],"size":[1,1,3],%[2]s
		"dimension":{"Region":{"category":{"index":["1060"]}},"ContentsCode":{"category":{"index":["BE0101N1"]}},
		"%[1]s":{"category":{"index":["2022","2023","2024"]}}},"value":[12990,13061,13000]}`, timeID, role))
	}
	spec := func(from, to int) config.SCBTable {
		return config.SCBTable{ID: "TAB638", Indicator: "population", Select: map[string][]string{"ContentsCode": {"BE0101N1"}}, From: from, To: to}
	}
	for _, tt := range []struct {
		name string
		doc  []byte
		spec config.SCBTable
		want []int
	}{
		{"open range", doc("Tid", `"role":{"time":["Tid"]},`), spec(2023, 0), []int{2023, 2024}},
		{"one year", doc("Tid", `"role":{"time":["Tid"]},`), spec(2023, 2023), []int{2023}},
		{"up to the last", doc("Tid", `"role":{"time":["Tid"]},`), spec(2022, 2024), []int{2022, 2023, 2024}},
		{"time role not named Tid", doc("Ar", `"role":{"time":["Ar"]},`), spec(2024, 0), []int{2024}},
		{"no time role", doc("Tid", ``), spec(2024, 0), []int{2024}},
	} {
		ds, err := ParseJSONStat(tt.doc)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		obs, _, err := extract(ds, tt.spec, regionsFromMeta(t), t0)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var years []int
		for _, o := range obs {
			years = append(years, o.Year)
		}
		if !slices.Equal(years, tt.want) {
			t.Errorf("%s: years %v, want %v", tt.name, years, tt.want)
		}
	}
}

// A spec that sums a chosen list of parts gets their sum; a spec whose sum
// variable is not in the answer is refused even when the answer has other
// variables; a missing value is reported as a missing part to sum only for
// the summed variable; one chosen value needs no sum, but "*" over several
// values does (docs/testing.md, mutation testing). The figures are
// the real 2024 populations of Upplands Väsby (50 323) and Vallentuna
// (35 119) in the constructed Stockholm answer.
func TestSumOfChosenParts(t *testing.T) {
	ds, err := ParseJSONStat(fixture(t, "scb_constructed_sum_stockholm_2024_jsonstat2.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		spec   config.SCBTable
		want   float64
		errHas string
	}{
		{"two parts", config.SCBTable{Sum: "Delomrade", Select: map[string][]string{"Delomrade": {"0114", "0115"}}}, 50323 + 35119, ""},
		{"sum variable missing", config.SCBTable{Sum: "Kon", Select: map[string][]string{"Delomrade": {"0114"}}}, 0, "no Kon dimension to sum"},
		{"a part missing", config.SCBTable{Sum: "Delomrade", Select: map[string][]string{"Delomrade": {"0114", "9999"}}}, 0, "has 1 of the 2 values to sum"},
		{"a chosen value missing", config.SCBTable{Select: map[string][]string{"Delomrade": {"9999"}}}, 0, "lacks the value asked for (9999)"},
		{"one chosen part, no sum", config.SCBTable{Select: map[string][]string{"Delomrade": {"0114"}}}, 50323, ""},
		{"every part, no sum", config.SCBTable{Select: map[string][]string{"Delomrade": {"*"}}}, 0, "several values but is not summed"},
	} {
		tt.spec.ID, tt.spec.Indicator = "TAB638", "population"
		obs, _, err := extract(ds, tt.spec, regionsFromMeta(t), t0)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("%s: err %v, want it to say %q", tt.name, err, tt.errHas)
			}
			continue
		}
		if err != nil || len(obs) != 1 || obs[0].Value != tt.want || obs[0].Municipality != "01" {
			t.Errorf("%s: %+v, %v; want 01 = %v", tt.name, obs, err, tt.want)
		}
	}
}
