package domain

// RefKind names what a figure is set against on the pages: the group's
// median or mean, the municipality's county, riket; on line charts also
// the selected municipality, and in the overview a member's own row. The
// report sets it, the charts give each kind one style everywhere, and the
// tables mark it, so the set is typed rather than repeated as strings.
type RefKind string

const (
	RefNone     RefKind = ""         // an ordinary series: the next palette colour
	RefMedian   RefKind = "median"   // the group's median
	RefMean     RefKind = "mean"     // the group's mean
	RefCounty   RefKind = "county"   // the selected municipality's county
	RefRiket    RefKind = "riket"    // Sweden
	RefSelected RefKind = "selected" // the municipality the page is about
	RefMember   RefKind = "member"   // a member's own row (overview)
)

// Aggregate reports whether the kind is taken over a group (median, mean):
// such a figure is drawn whatever the measure, and says over whom.
func (k RefKind) Aggregate() bool { return k == RefMedian || k == RefMean }
