package excel

// Limits bound what one upload may cost. A zero field takes the default, so
// callers only set what they want to change.
type Limits struct {
	// MaxFileBytes is the largest upload accepted, as sent.
	MaxFileBytes int64
	// MaxUnzippedBytes bounds the total size of an .xlsx's parts once
	// unpacked, so a small "zip bomb" cannot fill memory or disk.
	MaxUnzippedBytes int64
	// MaxXMLBytes is the size above which excelize spills a worksheet or the
	// shared strings to a temporary file instead of holding them in memory.
	MaxXMLBytes int64
	// MaxRows bounds the non-empty rows of the whole file (all sheets).
	MaxRows int
	// MaxCells bounds the cells of the whole file (all sheets), counting the
	// blanks a row carries up to its last filled cell.
	MaxCells int
}

// Defaults. 20 MB holds several hundred thousand rows of figures, far more
// than 290 municipalities x the years x the indicators an analyst brings.
const (
	defaultMaxFileBytes     = 20 << 20
	defaultMaxUnzippedBytes = 256 << 20
	defaultMaxXMLBytes      = 16 << 20
	defaultMaxRows          = 500_000
	defaultMaxCells         = 5_000_000
)

// DefaultLimits are the limits the server applies to uploads.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:     defaultMaxFileBytes,
		MaxUnzippedBytes: defaultMaxUnzippedBytes,
		MaxXMLBytes:      defaultMaxXMLBytes,
		MaxRows:          defaultMaxRows,
		MaxCells:         defaultMaxCells,
	}
}

// withDefaults fills zero (or negative) fields from DefaultLimits and keeps
// MaxXMLBytes within MaxUnzippedBytes, as excelize requires.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxUnzippedBytes <= 0 {
		l.MaxUnzippedBytes = d.MaxUnzippedBytes
	}
	if l.MaxXMLBytes <= 0 {
		l.MaxXMLBytes = d.MaxXMLBytes
	}
	if l.MaxXMLBytes > l.MaxUnzippedBytes {
		l.MaxXMLBytes = l.MaxUnzippedBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxCells <= 0 {
		l.MaxCells = d.MaxCells
	}
	return l
}
