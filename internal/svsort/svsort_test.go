package svsort

import (
	"slices"
	"testing"
)

func TestStrings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"å ä ö after z, in that order",
			[]string{"Örebro", "Älmhult", "Åre", "Ystad", "Zinkgruvan", "Ale"},
			[]string{"Ale", "Ystad", "Zinkgruvan", "Åre", "Älmhult", "Örebro"}},
		{"case and accents are not letters of their own",
			[]string{"eksjö", "Eda", "Emmaboda", "Enköping"},
			[]string{"Eda", "eksjö", "Emmaboda", "Enköping"}},
		{"å inside a name sorts after s too",
			[]string{"Övertorneå", "Österåker", "Östersund", "Ödeshög"},
			[]string{"Ödeshög", "Östersund", "Österåker", "Övertorneå"}},
		{"the member list of the network",
			[]string{"Oxelösund", "Olofström", "Örnsköldsvik", "Oskarshamn", "Östhammar", "Finspång"},
			[]string{"Finspång", "Olofström", "Oskarshamn", "Oxelösund", "Örnsköldsvik", "Östhammar"}},
		{"empty", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Clone(tc.in)
			Strings(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSliceIsStable(t *testing.T) {
	type region struct{ code, name string }
	in := []region{{"2", "Ale"}, {"1", "Ale"}, {"3", "Åre"}, {"0", "Arboga"}}
	Slice(in, func(r region) string { return r.name })
	var codes []string
	for _, r := range in {
		codes = append(codes, r.code)
	}
	if want := []string{"2", "1", "0", "3"}; !slices.Equal(codes, want) {
		t.Errorf("order %v, want %v", codes, want)
	}
}
