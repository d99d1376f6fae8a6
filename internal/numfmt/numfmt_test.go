package numfmt

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		v    float64
		dec  int
		want string
	}{
		{0, 0, "0"},
		{13000, 0, "13\u00a0000"},
		{10587710, 0, "10\u00a0587\u00a0710"},
		{999, 0, "999"},
		{1000, 1, "1\u00a0000,0"},
		{12.345, 1, "12,3"},
		{-1234.5, 1, "−1\u00a0234,5"},
		{-0.04, 1, "0,0"}, // rounds to zero: no minus sign
		{math.NaN(), 0, "–"},
		{math.Inf(1), 0, "–"},
	}
	for _, tt := range tests {
		if got := Number(tt.v, tt.dec); got != tt.want {
			t.Errorf("Number(%v, %d) = %q, want %q", tt.v, tt.dec, got, tt.want)
		}
	}
	if got := WithUnit(78.54, 1, "%"); got != "78,5\u00a0%" {
		t.Errorf("WithUnit %% = %q", got)
	}
	if got := WithUnit(13000, 0, "personer"); got != "13\u00a0000" {
		t.Errorf("WithUnit personer = %q", got)
	}
}
