package domain

import "context"

// ConfigCheck is what `dashboard collect --check` and the admin page's
// check report for one source: every configured table or KPI against the
// source's own metadata, without fetching a single figure.
type ConfigCheck struct {
	Source string
	Items  []CheckItem
}

// OK reports whether every item was found as configured.
func (c ConfigCheck) OK() bool {
	for _, it := range c.Items {
		if !it.OK() {
			return false
		}
	}
	return true
}

// CheckItem is one configured table (and the indicator it feeds) or KPI.
type CheckItem struct {
	Ref, Indicator string
	Lines          []CheckLine
}

// OK reports whether every line of the item is.
func (it CheckItem) OK() bool {
	for _, l := range it.Lines {
		if !l.OK {
			return false
		}
	}
	return true
}

// CheckLine is one thing checked: a variable and the value wanted, what
// the metadata has, and whether that is as configured.
type CheckLine struct {
	Subject string // "ArbetsSektor", "år", "Kon (utelämnas)"
	Want    string // "staten", "2020–"
	Found   string // "0X1 (Staten), via etiketten" or "saknas; närmast: …"
	OK      bool
}

// Checker is a collector that can check its configuration against the
// source's metadata. Check writes nothing and fetches no figures; an error
// is returned only when the check could not run at all (bad config).
type Checker interface {
	Check(ctx context.Context) (ConfigCheck, error)
}
