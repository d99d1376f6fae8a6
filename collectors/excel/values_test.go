package excel

import (
	"strings"
	"testing"
)

// The figures written in different forms here are real: 13170 and 13000 are
// Olofström's population 2015 and 2024, 10587710 riket's 2024 population,
// -61 Olofström's change 2023→2024 (13000−13061) and 13,17 its 2015
// population in thousands (all from the bundled data, internal/bundled).
func TestParseNumber(t *testing.T) {
	tests := []struct {
		in        string
		percentOK bool
		want      float64
		reason    string // substring of the reject reason; "" = accepted
	}{
		{in: "13170", want: 13170},
		{in: "13 170", want: 13170},
		{in: "13\u00a0170", want: 13170},
		{in: "13\u2009170", want: 13170},
		{in: "13\u202f170", want: 13170},
		{in: "10 587 710", want: 10587710},
		{in: "13,17", want: 13.17},
		{in: "13.17", want: 13.17},
		{in: "13 170,0", want: 13170},
		{in: "-61", want: -61},
		{in: "\u221261", want: -61},
		{in: "+61", want: 61},
		{in: "1.317E+4", want: 13170},
		{in: "1.0587710e7", want: 10587710},
		{in: ",5", want: 0.5},
		{in: "13,17 %", percentOK: true, want: 13.17},
		{in: "13,17%", percentOK: true, want: 13.17},
		{in: "13,17 %", reason: "är inte ett tal"},
		{in: "abc", reason: "Värdet 'abc' är inte ett tal"},
		{in: "13 17", reason: "är inte ett tal"},
		{in: "1 3170", reason: "är inte ett tal"},
		{in: "13170 personer", reason: "är inte ett tal"},
		{in: "13.170,5", reason: "både punkt och komma"},
		{in: "13,170.5", reason: "både punkt och komma"},
		{in: "1,2,3", reason: "är inte ett tal"},
		{in: "1.2.3", reason: "är inte ett tal"},
		{in: "NaN", reason: "är inte ett tal"},
		{in: "Inf", reason: "är inte ett tal"},
		{in: "0x1p4", reason: "är inte ett tal"},
		{in: "1_000", reason: "är inte ett tal"},
		{in: "1e", reason: "är inte ett tal"},
		{in: "1,5e3", reason: "är inte ett tal"},
		{in: "--61", reason: "är inte ett tal"},
		{in: "-", reason: "är inte ett tal"},
		{in: "=1+1", reason: "är inte ett tal"},
		{in: "#DIV/0!", reason: "är inte ett tal"},
		{in: "1e999", reason: "går att lagra"},
		{in: strings.Repeat("1", 80), reason: "är inte ett tal"},
	}
	for _, tt := range tests {
		got, reason := parseNumber(tt.in, tt.percentOK)
		if tt.reason == "" {
			if reason != "" || got != tt.want {
				t.Errorf("parseNumber(%q) = %v, %q; want %v", tt.in, got, reason, tt.want)
			}
			continue
		}
		if !strings.Contains(reason, tt.reason) {
			t.Errorf("parseNumber(%q) = %v, %q; want reason containing %q", tt.in, got, reason, tt.reason)
		}
	}
}

func TestIsMissing(t *testing.T) {
	for _, s := range []string{"", "..", ".", "...", "-", "–", "—", "…"} {
		if !isMissing(s) {
			t.Errorf("isMissing(%q) = false", s)
		}
	}
	for _, s := range []string{"0", "abc", "x", "-61", "n/a"} {
		if isMissing(s) {
			t.Errorf("isMissing(%q) = true", s)
		}
	}
}

func TestParseYear(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"2024", 2024, true}, {"1900", 1900, true}, {"2100", 2100, true},
		{"1899", 0, false}, {"2101", 0, false}, {"20155", 0, false}, {"2024.0", 0, false},
		{"år", 0, false}, {"", 0, false}, {"２０２４", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseYear(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseYear(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestColLettersAndTruncate(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := colLetters(i); got != want {
			t.Errorf("colLetters(%d) = %q, want %q", i, got, want)
		}
	}
	if got := truncate("Malung-Sälen\nkommun", 100); got != "Malung-Sälen kommun" {
		t.Errorf("truncate flattened to %q", got)
	}
	if got := truncate(strings.Repeat("å", 10), 4); got != "åååå…" {
		t.Errorf("truncate cut to %q", got)
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		name, text string
		want       rune
	}{
		{"comma", "\"region\",\"2014\"\n\"SE11\",1\n", ','},
		{"semicolon with decimal commas", "kommun;år;värde\n1060;2015;13,17\n0481;2015;11,701\n", ';'},
		{"tab", "kommun\tår\tvärde\n1060\t2015\t13170\n", '\t'},
		{"quoted commas ignored", "\"Folkmängd efter region, ålder och år\"\n\nregion;2015;2016\n1060 Olofström;13170;13417\n", ';'},
		{"single column", "kommun\nOlofström\n", ','},
	}
	for _, tt := range tests {
		if got := sniffDelimiter(tt.text); got != tt.want {
			t.Errorf("%s: sniffDelimiter = %q, want %q", tt.name, got, tt.want)
		}
	}
}
