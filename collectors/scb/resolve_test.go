package scb

import (
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// sectorMeta is TAB2597's ArbetsSektor as the evidence describes it
// (010, 030 recorded; the state sector's code unverified, so constructed
// here) plus a look-alike label.
func sectorMeta(t *testing.T) *Dataset {
	t.Helper()
	doc := `{"version":"2.0","class":"dataset","id":["Region","ArbetsSektor","Tid"],"size":[1,5,1],
	"dimension":{"Region":{"category":{"index":{"00":0}}},
	"ArbetsSektor":{"category":{"index":{"010":0,"0X1":1,"0X2":2,"030":3,"0X3":4},
	  "label":{"010":"samtliga sektorer","0X1":"Staten ","0X2":"statligt ägda företag","030":"näringslivet","0X3":"Näringslivet"}}},
	"Tid":{"category":{"index":{"2024M11":0}}}}}`
	meta, err := ParseMetadata([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return meta
}

func TestResolveByCodeOrLabel(t *testing.T) {
	meta := sectorMeta(t)
	tests := []struct {
		name, want   string
		code         string
		byLabel      bool
		errHas       []string
		noVar, ambig bool
	}{
		{name: "code", want: "010", code: "010"},
		{name: "label, case and spaces ignored", want: "staten", code: "0X1", byLabel: true},
		{name: "label written as SCB writes it", want: "Staten", code: "0X1", byLabel: true},
		{name: "a label must match whole", want: "statlig", errHas: []string{`no value "statlig"`, "0X1 (Staten )", "0X2 (statligt ägda företag)"}},
		{name: "the old wrong code", want: "12", errHas: []string{`no value "12"`, "nearest:"}},
		{name: "ambiguous label", want: "näringslivet", ambig: true, errHas: []string{"several values", "030 (näringslivet)", "0X3 (Näringslivet)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := Resolve(meta, config.SCBTable{Select: map[string][]string{"ArbetsSektor": {tt.want}}})
			if len(rs) != 1 {
				t.Fatalf("resolutions %+v", rs)
			}
			r := rs[0]
			if r.Code != tt.code || r.ByLabel != tt.byLabel || r.Ambiguous != tt.ambig || r.Found() != (tt.code != "") {
				t.Errorf("resolution %+v", r)
			}
			for _, h := range tt.errHas {
				if err := r.Err(); err == nil || !strings.Contains(err.Error(), h) {
					t.Errorf("err %v lacks %q", err, h)
				}
			}
		})
	}
	rs := Resolve(meta, config.SCBTable{Select: map[string][]string{"Sektor": {"010"}}})
	if len(rs) != 1 || !rs[0].NoVariable || !strings.Contains(rs[0].Err().Error(), "ArbetsSektor, Region, Tid") {
		t.Errorf("unknown variable: %+v", rs)
	}
	// resolveSpec turns labels into codes and refuses two names for one value.
	spec, err := resolveSpec(meta, config.SCBTable{Select: map[string][]string{"ArbetsSektor": {"staten"}}})
	if err != nil || strings.Join(spec.Select["ArbetsSektor"], ",") != "0X1" {
		t.Errorf("resolved %v, %v", spec.Select, err)
	}
	if _, err := resolveSpec(meta, config.SCBTable{Select: map[string][]string{"ArbetsSektor": {"0X1", "staten"}}}); err == nil {
		t.Error("one value named twice was accepted")
	}
}

func TestNearestIsBounded(t *testing.T) {
	d := &Dimension{ID: "X", Codes: []string{"a", "b"}, Labels: []string{strings.Repeat("å", 300), "b"}}
	if got := nearest(d, "bb", 1); len(got) != 1 || got[0] != "b (b)" {
		t.Errorf("nearest %v", got)
	}
}
