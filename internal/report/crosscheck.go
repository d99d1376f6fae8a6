package report

import (
	"context"
	"math"
	"sort"
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Discrepancy is one municipality (or county, or riket) and year where a
// share computed from one source's counts and the share another source
// publishes differ by more than the check's threshold.
type Discrepancy struct {
	Check        domain.CrossCheck
	Municipality string
	Year         int
	// Part, Total and Computed (Part ÷ Total × 100) are from the check's
	// PartSource, Reference from its ReferenceSource.
	Part, Total, Computed, Reference float64
	// Difference is Computed − Reference in percentage points.
	Difference float64
	// Sources are the provenance of Part, Total and Reference.
	Sources [3]domain.Source
}

// Note is the Swedish line pages put beside a figure the discrepancy
// concerns.
func (x Discrepancy) Note() string {
	return "Källorna avviker " + strconv.Itoa(x.Year) + ": " + x.Check.PartSource.Label() + " " + FormatNumber(x.Computed, 1) +
		" % mot " + x.Check.ReferenceSource.Label() + " " + FormatNumber(x.Reference, 1) + " % (" +
		FormatNumber(math.Abs(x.Difference), 1) + " procentenheter)."
}

// Discrepancies runs every configured check over the stored figures and
// lists the discrepancies by check, region and year. Only figures that are
// shown (precedence applied) and come from the check's sources are
// compared; it is computed once per data version, so it follows every
// collector run and upload.
func Discrepancies(ctx context.Context, env *Env, d *Data) ([]Discrepancy, error) {
	v, err := d.memo(ctx, "discrepancies", func() (any, error) {
		var out []Discrepancy
		for _, ch := range env.Checks {
			list, err := runCheck(ctx, env, d, ch)
			if err != nil {
				return nil, err
			}
			out = append(out, list...)
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]Discrepancy), nil
}

func runCheck(ctx context.Context, env *Env, d *Data, ch domain.CrossCheck) ([]Discrepancy, error) {
	var tabs [3]*Table
	for i, id := range []string{ch.Part, ch.Total, ch.Reference} {
		t, err := d.Table(ctx, id)
		if err != nil {
			return nil, err
		}
		tabs[i] = t
	}
	part, total, ref := tabs[0], tabs[1], tabs[2]
	var out []Discrepancy
	for _, r := range env.Regions.All() {
		for _, y := range sortedYears(ref.Series(r.Code)) {
			x := Discrepancy{Check: ch, Municipality: r.Code, Year: y}
			ok := true
			for i, f := range []struct {
				t    *Table
				kind domain.SourceKind
				dst  *float64
			}{{part, ch.PartSource, &x.Part}, {total, ch.PartSource, &x.Total}, {ref, ch.ReferenceSource, &x.Reference}} {
				v, has := f.t.Value(r.Code, y)
				src, _ := f.t.Source(r.Code, y)
				if !has || src.Kind != f.kind {
					ok = false
					break
				}
				*f.dst, x.Sources[i] = v, src
			}
			if !ok || !(x.Total > 0) {
				continue
			}
			x.Computed = x.Part / x.Total * 100
			x.Difference = x.Computed - x.Reference
			// A hair's width of float error must not turn 0.5 into a
			// discrepancy.
			if math.Abs(x.Difference) > ch.Threshold+1e-9 {
				out = append(out, x)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Municipality != out[j].Municipality {
			return out[i].Municipality < out[j].Municipality
		}
		return out[i].Year < out[j].Year
	})
	return out, nil
}

// discrepancyIndex finds the discrepancies that concern one figure.
type discrepancyIndex map[domain.Key][]Discrepancy

func (e *Env) discrepancies(ctx context.Context, d *Data) (discrepancyIndex, error) {
	if len(e.Checks) == 0 {
		return nil, nil
	}
	list, err := Discrepancies(ctx, e, d)
	if err != nil {
		return nil, err
	}
	idx := discrepancyIndex{}
	for _, x := range list {
		for _, id := range []string{x.Check.Part, x.Check.Total, x.Check.Reference} {
			k := domain.Key{Municipality: x.Municipality, Indicator: id, Year: x.Year}
			idx[k] = append(idx[k], x)
		}
	}
	return idx, nil
}

// note is the pages' line for the indicator's figure of code in year, ""
// when no check found a discrepancy there. A gender split is never checked.
func (idx discrepancyIndex) note(ind domain.Indicator, code string, year int) string {
	if ind.Gender != "" {
		return ""
	}
	s := ""
	for _, x := range idx[domain.Key{Municipality: code, Indicator: ind.ID, Year: year}] {
		if s != "" {
			s += " "
		}
		s += x.Note()
	}
	return s
}
