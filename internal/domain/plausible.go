package domain

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Plausibility is what a figure of an indicator can be (config
// indicators[].plausible). A figure outside it is a mistake (a sign, a
// misplaced decimal, a column of percentages read as counts), never a fact
// to store: uploads reject the row and collectors fail the table.
type Plausibility struct {
	// Min and Max bound the figure; nil means no bound on that side.
	Min *float64 `json:"min,omitempty" yaml:"min"`
	Max *float64 `json:"max,omitempty" yaml:"max"`
	// Integer: the figure is a count and has no fraction.
	Integer bool `json:"integer,omitempty" yaml:"integer"`
	// MaxChange is the relative change against the figure shown now above
	// which an upload's preview warns (0.5 = more than ±50 %) and the
	// analyst must confirm having looked; 0 means no such warning.
	MaxChange float64 `json:"max_change,omitempty" yaml:"max_change"`
}

// Implausible says in Swedish why v cannot be a figure of the indicator,
// or "" when it can.
func (ind Indicator) Implausible(v float64) string {
	p := ind.Plausible
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "Värdet är inget ändligt tal"
	}
	if p.Min != nil && (v < *p.Min || (v == 0 && *p.Min == 0 && math.Signbit(v))) {
		return fmt.Sprintf("Värdet %s är mindre än %s, det lägsta rimliga för %s", plainNumber(v), plainNumber(*p.Min), ind.Name)
	}
	if p.Max != nil && v > *p.Max {
		return fmt.Sprintf("Värdet %s är större än %s, det högsta rimliga för %s", plainNumber(v), plainNumber(*p.Max), ind.Name)
	}
	if p.Integer && v != math.Trunc(v) {
		return fmt.Sprintf("Värdet %s är inget heltal, men %s räknas i hela %s", plainNumber(v), ind.Name, unitOr(ind.Unit, "tal"))
	}
	return ""
}

// LargeChange reports whether replacing the shown figure old by v is a
// change beyond the indicator's MaxChange, which a person must look at
// before it is written.
func (ind Indicator) LargeChange(old, v float64) bool {
	m := ind.Plausible.MaxChange
	if m <= 0 || old == v {
		return false
	}
	if old == 0 {
		return true
	}
	return math.Abs(v-old)/math.Abs(old) > m
}

// CheckPlausible returns an error naming the first figure that is not
// plausible for its indicator (or whose indicator is unknown), for a
// collector's table: one such figure means the table was not understood.
func (c *Catalogue) CheckPlausible(ref string, obs []Observation) error {
	for _, o := range obs {
		ind, ok := c.Get(o.Indicator)
		if !ok {
			continue // the caller's catalogue check names unknown indicators
		}
		if why := ind.Implausible(o.Value); why != "" {
			return Errorf(CodeInvalid,
				fmt.Sprintf("%s: orimligt värde för kommun %s år %d: %s. Tabellen sparades inte.", ref, o.Municipality, o.Year, why),
				fmt.Errorf("%s: implausible %s %s %d = %v", ref, o.Indicator, o.Municipality, o.Year, o.Value))
		}
	}
	return nil
}

// plainNumber writes v as people read it in a message: no exponent for
// ordinary sizes, a decimal comma, "−0" kept visible.
func plainNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v) >= 1e15 {
		s = strconv.FormatFloat(v, 'g', 6, 64)
	}
	return strings.Replace(strings.Replace(s, ".", ",", 1), "-", "−", 1)
}

func unitOr(u, def string) string {
	if u == "" || u == "%" {
		return def
	}
	return u
}

// LargeChanges are the diff's changes of a shown figure beyond its
// indicator's MaxChange: the preview lists them as warnings and a confirm
// must say that a person looked at them.
func LargeChanges(d Diff, cat *Catalogue) []Change {
	var out []Change
	for _, c := range d.Changes {
		if c.Kind != ChangeChanged || c.Old == nil {
			continue
		}
		if ind, ok := cat.Get(c.Key.Indicator); ok && ind.LargeChange(*c.Old, c.New) {
			out = append(out, c)
		}
	}
	return out
}
