package domain

import (
	"fmt"
	"time"
)

// SourceKind is the class of a figure's origin. Precedence between sources
// is decided per kind (see Precedence).
type SourceKind string

const (
	SourceSCB     SourceKind = "scb"
	SourceKolada  SourceKind = "kolada"
	SourceUpload  SourceKind = "upload"
	SourceBundled SourceKind = "bundled"
)

// Valid reports whether k is one of the known kinds.
func (k SourceKind) Valid() bool {
	switch k {
	case SourceSCB, SourceKolada, SourceUpload, SourceBundled:
		return true
	}
	return false
}

// Label is the Swedish name pages show for the kind.
func (k SourceKind) Label() string {
	switch k {
	case SourceSCB:
		return "SCB"
	case SourceKolada:
		return "Kolada"
	case SourceUpload:
		return "Uppladdad fil"
	case SourceBundled:
		return "Medföljande data"
	}
	return string(k)
}

// Source is the provenance of one figure: which kind of source, which table
// or KPI or file, which import batch wrote it and when it was fetched.
type Source struct {
	Kind SourceKind `json:"kind"`
	// Ref names the exact origin: an SCB table id ("TAB638"), a Kolada KPI
	// ("N01951"), an uploaded file name or a bundled source id.
	Ref string `json:"ref"`
	// BatchID is the import batch that wrote the figure (0 before it is
	// stored).
	BatchID int64 `json:"batch_id,omitempty"`
	// FetchedAt is when the figure was retrieved from its source (or the
	// file was imported).
	FetchedAt time.Time `json:"fetched_at"`
	// Preliminary marks a figure the source publishes as preliminary (SCB
	// TAB3785's newest year); the final figure replaces it when published.
	Preliminary bool `json:"preliminary"`
}

// PreliminaryNote is what pages and exports say of a preliminary figure.
const PreliminaryNote = "preliminär uppgift"

// String renders the provenance as pages show it, e.g. "SCB TAB638" or
// "SCB TAB3785 (preliminär uppgift)".
func (s Source) String() string {
	out := s.Kind.Label()
	if s.Ref != "" {
		out += " " + s.Ref
	}
	if s.Preliminary {
		out += " (" + PreliminaryNote + ")"
	}
	return out
}

// Observation is one figure: a municipality (or county, or riket), an
// indicator and a year. A missing figure is no Observation at all; there is
// no sentinel value.
type Observation struct {
	Municipality string  `json:"municipality"`
	Indicator    string  `json:"indicator"`
	Year         int     `json:"year"`
	Value        float64 `json:"value"`
	Source       Source  `json:"source"`
}

// Key identifies the cell an observation fills, regardless of source.
type Key struct {
	Municipality string
	Indicator    string
	Year         int
}

// Key returns the observation's cell.
func (o Observation) Key() Key { return Key{o.Municipality, o.Indicator, o.Year} }

func (k Key) String() string { return fmt.Sprintf("%s/%s/%d", k.Municipality, k.Indicator, k.Year) }

// Precedence decides which source's figure a page shows when several
// sources give the same cell. It is the one place the rule lives; pages
// print Describe() so readers know it.
type Precedence []SourceKind

// DefaultPrecedence prefers the official statistics agency, then Kolada
// (which republishes SCB and others), then analysts' uploads, then the
// figures bundled with the binary.
var DefaultPrecedence = Precedence{SourceSCB, SourceKolada, SourceUpload, SourceBundled}

// Rank is the position of k: lower wins. Unknown kinds lose to all.
func (p Precedence) Rank(k SourceKind) int {
	for i, x := range p {
		if x == k {
			return i
		}
	}
	return len(p)
}

// Wins reports whether a figure from a should be shown instead of one from
// b. Within one kind the newer fetch wins.
func (p Precedence) Wins(a, b Source) bool {
	ra, rb := p.Rank(a.Kind), p.Rank(b.Kind)
	if ra != rb {
		return ra < rb
	}
	return a.FetchedAt.After(b.FetchedAt)
}

// Describe is the rule in Swedish, for the pages.
func (p Precedence) Describe() string {
	s := ""
	for i, k := range p {
		if i > 0 {
			s += " före "
		}
		s += k.Label()
	}
	return "När flera källor anger samma siffra visas den från " + s + "."
}
