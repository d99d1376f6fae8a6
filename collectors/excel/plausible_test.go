package excel

import (
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// TestImplausibleValuesAreRejected: figures the shipped plausibility rules
// exclude (config indicators[].plausible) are rejected rows with the reason,
// and plausible figures in the same file still arrive.
func TestImplausibleValuesAreRejected(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t)
	opts.Catalogue = cfg.Catalogue()
	opts.FileName = "orimligt.csv"
	rows := []struct {
		code, ind, value string
		reason           string // "" = accepted
	}{
		{"0481", "population", "-5000", "mindre än 0"},
		{"0562", "population", "-0", "mindre än 0"},
		{"0882", "population", "12.5", "inget heltal"},
		{"1060", "population", "1e308", "större än"},
		{"1493", "population", "13000", ""},
		{"0481", "employment_rate", "150", "större än 100"},
		{"0562", "employment_rate", "-3", "mindre än 0"},
		{"0882", "employment_rate", "79.5", ""},
	}
	var b strings.Builder
	b.WriteString("kommun;år;indikator;värde\n")
	for _, r := range rows {
		b.WriteString(r.code + ";2016;" + r.ind + ";" + r.value + "\n")
	}
	res := mustRead(t, []byte(b.String()), opts)
	for i, r := range rows {
		var got string
		for _, rj := range res.Rejects {
			if rj.Row == i+2 {
				got = rj.Reason
			}
		}
		switch {
		case r.reason == "" && got != "":
			t.Errorf("%s %s %s rejected: %s", r.code, r.ind, r.value, got)
		case r.reason != "" && !strings.Contains(got, r.reason):
			t.Errorf("%s %s %s: reject reason %q, want it to contain %q", r.code, r.ind, r.value, got, r.reason)
		}
	}
	if len(res.Observations) != 2 {
		t.Errorf("%d observations, want the 2 plausible ones: %+v", len(res.Observations), res.Observations)
	}
}
