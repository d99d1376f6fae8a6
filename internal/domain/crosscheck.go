package domain

// CrossCheck compares a share computed from one source's counts (SCB's
// industrial jobs ÷ all jobs at the workplace) with the same share as
// another source publishes it (Kolada's N02235), year by year. Where two
// sources measure the same thing a difference beyond Threshold is a
// discrepancy worth a reader's attention; neither figure is overwritten,
// precedence still decides what pages show.
type CrossCheck struct {
	ID   string `json:"id" yaml:"id"`     // e.g. "industrial_share"
	Name string `json:"name" yaml:"name"` // Swedish, e.g. "Industrins andel av jobben: SCB mot Kolada"
	// Part ÷ Total × 100 is the computed share; both must come from
	// PartSource.
	Part       string     `json:"part" yaml:"part"`
	Total      string     `json:"total" yaml:"total"`
	PartSource SourceKind `json:"part_source" yaml:"part_source"`
	// Reference is the published share (in %), from ReferenceSource.
	Reference       string     `json:"reference" yaml:"reference"`
	ReferenceSource SourceKind `json:"reference_source" yaml:"reference_source"`
	// Threshold is the largest difference in percentage points that is
	// not a discrepancy.
	Threshold float64 `json:"threshold" yaml:"threshold"`
}

// Involves reports whether the indicator is one of the check's figures.
func (c CrossCheck) Involves(indicator string) bool {
	return indicator == c.Part || indicator == c.Total || indicator == c.Reference
}
