package scb

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// Resolution is what the table's metadata says about one wanted value of a
// spec: the code and label found, or the nearest candidates when it is
// missing or names several values. Collect and Check read the same
// resolutions, so `collect --check` says exactly what a run would do.
type Resolution struct {
	Variable string
	Want     string
	// Code and Label are the value found ("" when not found).
	Code, Label string
	// ByLabel is true when Want matched the label rather than the code.
	ByLabel bool
	// Ambiguous is true when Want matched the labels of several values.
	Ambiguous bool
	// Candidates are "code (label)" of the nearest values when Want was
	// not found, or of every match when it was ambiguous.
	Candidates []string
	// NoVariable is true when the table has no such variable; Candidates
	// then lists the table's variables.
	NoVariable bool
}

// Found reports whether Want named exactly one value.
func (r Resolution) Found() bool { return r.Code != "" }

// Err explains a resolution that was not found, for the run log and the
// admin page: the variable, the wanted value and what the metadata has.
func (r Resolution) Err() error {
	switch {
	case r.Found():
		return nil
	case r.NoVariable:
		return fmt.Errorf("variable %s is not in the table (it has %s)", r.Variable, strings.Join(r.Candidates, ", "))
	case r.Ambiguous:
		return fmt.Errorf("variable %s: %q names several values: %s", r.Variable, r.Want, strings.Join(r.Candidates, ", "))
	}
	return fmt.Errorf("variable %s has no value %q (nearest: %s)", r.Variable, r.Want, strings.Join(r.Candidates, ", "))
}

// ResolveError is a value of the config that the table's metadata does
// not have (or has several times): that table fails, and the admin page
// says which variable, which value and what the metadata has instead.
type ResolveError struct{ Resolution }

func (e *ResolveError) Error() string { return e.Resolution.Err().Error() }

// Swedish says it for the admin page and the command line.
func (e *ResolveError) Swedish() string {
	r := e.Resolution
	switch {
	case r.NoVariable:
		return fmt.Sprintf("variabeln %s finns inte i tabellen (den har %s)", r.Variable, strings.Join(r.Candidates, ", "))
	case r.Ambiguous:
		return fmt.Sprintf("%q passar flera värden av %s: %s", r.Want, r.Variable, strings.Join(r.Candidates, ", "))
	}
	return fmt.Sprintf("variabeln %s har inget värde %q (närmast: %s)", r.Variable, r.Want, strings.Join(r.Candidates, ", "))
}

// Resolve looks up every value spec.Select names in the table's metadata.
// "*" resolves to every code of the variable. The result is in variable
// order of the table, then in the order the spec lists the values.
func Resolve(meta *Dataset, spec config.SCBTable) []Resolution {
	// By name first, so that variables the table lacks (all at the end)
	// come in name order whatever order the map gives.
	vars := slices.Sorted(maps.Keys(spec.Select))
	slices.SortStableFunc(vars, func(a, b string) int { return cmp.Compare(dimPos(meta, a), dimPos(meta, b)) })
	var out []Resolution
	for _, v := range vars {
		d, ok := meta.Dim(v)
		if !ok {
			out = append(out, Resolution{Variable: v, Want: strings.Join(spec.Select[v], ","), NoVariable: true, Candidates: strings.Split(dimIDs(meta), ", ")})
			continue
		}
		for _, want := range spec.Select[v] {
			if want == "*" {
				for i, c := range d.Codes {
					out = append(out, Resolution{Variable: v, Want: "*", Code: c, Label: d.Labels[i]})
				}
				continue
			}
			out = append(out, resolveValue(d, want))
		}
	}
	return out
}

func dimPos(meta *Dataset, id string) int {
	for i, d := range meta.Dimensions {
		if d.ID == id {
			return i
		}
	}
	return len(meta.Dimensions)
}

// resolveValue finds want among d's codes, then among its labels
// (case-insensitive, exact after trimming spaces).
func resolveValue(d *Dimension, want string) Resolution {
	r := Resolution{Variable: d.ID, Want: want}
	if i, ok := d.Index(want); ok {
		r.Code, r.Label = want, d.Labels[i]
		return r
	}
	w := strings.TrimSpace(want)
	var hits []int
	for i, l := range d.Labels {
		if strings.EqualFold(strings.TrimSpace(l), w) {
			hits = append(hits, i)
		}
	}
	switch len(hits) {
	case 1:
		r.Code, r.Label, r.ByLabel = d.Codes[hits[0]], d.Labels[hits[0]], true
	case 0:
		r.Candidates = nearest(d, w, 5)
	default:
		r.Ambiguous = true
		for _, i := range hits {
			r.Candidates = append(r.Candidates, describeValue(d, i))
		}
	}
	return r
}

func describeValue(d *Dimension, i int) string {
	if d.Labels[i] == "" {
		return d.Codes[i]
	}
	return d.Codes[i] + " (" + d.Labels[i] + ")"
}

// nearest lists the n values of d closest to want: those whose label
// contains it (or is contained in it) first, then by edit distance to the
// code or the label, whichever is closer.
func nearest(d *Dimension, want string, n int) []string {
	type cand struct {
		i, score int
	}
	w := strings.ToLower(want)
	cands := make([]cand, len(d.Codes))
	for i := range d.Codes {
		l, c := strings.ToLower(d.Labels[i]), strings.ToLower(d.Codes[i])
		score := min(distance(w, l), distance(w, c))
		if w != "" && l != "" && (strings.Contains(l, w) || strings.Contains(w, l)) {
			score = -1000 + abs(len(l)-len(w))
		}
		cands[i] = cand{i, score}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].score < cands[b].score })
	var out []string
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, describeValue(d, c.i))
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distance is the Levenshtein distance in runes; inputs are short labels.
func distance(a, b string) int {
	if utf8.RuneCountInString(a) > 200 || utf8.RuneCountInString(b) > 200 {
		return 1 << 20 // not worth comparing; keeps hostile labels cheap
	}
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// resolveSpec returns spec with every value of Select replaced by the
// table's code ("*" is kept: it means every code), or the first value that
// could not be resolved.
func resolveSpec(meta *Dataset, spec config.SCBTable) (config.SCBTable, error) {
	out := spec
	out.Select = make(map[string][]string, len(spec.Select))
	for _, r := range Resolve(meta, spec) {
		if !r.Found() {
			return spec, &ResolveError{r}
		}
		if r.Want == "*" {
			if len(out.Select[r.Variable]) == 0 {
				out.Select[r.Variable] = []string{"*"}
			}
			continue
		}
		if slices.Contains(out.Select[r.Variable], r.Code) {
			return spec, fmt.Errorf("variable %s: %q names value %s, which is selected already", r.Variable, r.Want, r.Code)
		}
		out.Select[r.Variable] = append(out.Select[r.Variable], r.Code)
	}
	return out, nil
}
