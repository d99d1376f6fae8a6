package scb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxCells bounds the cells a json-stat2 document may declare. SCB answers
// at most 150,000 cells per call and a full metadata table (TAB638) declares
// about 15 million; the bound stops a hostile "size" from making the parser
// allocate gigabytes.
const MaxCells = 50_000_000

// missingStatus lists the PX status symbols that mark a cell as not
// published: ".." (not available or confidential), "..." (not applicable),
// "." and "-" (nothing reported). Such a cell is missing, never 0, even if
// a number accompanies it.
var missingStatus = map[string]bool{".": true, "..": true, "...": true, "....": true, ".....": true, "-": true}

// Dataset is a json-stat2 dataset as SCB sends it: a data answer, or a
// table's metadata (the same shape with no values).
type Dataset struct {
	Label string
	// Updated is SCB's last-updated stamp of the table (zero if absent);
	// UpdatedRaw keeps the text so it can be logged as SCB wrote it.
	Updated    time.Time
	UpdatedRaw string
	Source     string
	// TableID is extension.px.tableid, e.g. "TAB638".
	TableID    string
	Dimensions []Dimension
	// TimeDim is the id of the dimension with role "time" ("" if none).
	TimeDim   string
	values    []float64
	present   []bool
	status    map[int]string
	statusAll string // a status given once for every cell
}

// Dimension is one variable of the table with its categories in order.
type Dimension struct {
	ID     string
	Label  string
	Codes  []string // category codes by position
	Labels []string // category labels by position ("" when absent)
	// Elimination says the variable may be left out of a query (SCB then
	// sums it or uses EliminationValueCode). Only metadata carries it.
	Elimination          bool
	EliminationValueCode string
	pos                  map[string]int
}

// Index returns the position of a category code.
func (d *Dimension) Index(code string) (int, bool) {
	i, ok := d.pos[code]
	return i, ok
}

// Size is the number of cells the dataset declares (saturating at
// math.MaxInt for huge metadata).
func (d *Dataset) Size() int {
	n := 1
	for _, dim := range d.Dimensions {
		n = mulSat(n, len(dim.Codes))
	}
	return n
}

func mulSat(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

// Len is the number of values held (0 for metadata).
func (d *Dataset) Len() int { return len(d.values) }

// Dim finds a dimension by id.
func (d *Dataset) Dim(id string) (*Dimension, bool) {
	for i := range d.Dimensions {
		if d.Dimensions[i].ID == id {
			return &d.Dimensions[i], true
		}
	}
	return nil, false
}

// Value returns cell i (row-major over Dimensions, the last dimension
// varying fastest). ok is false for a null value or a cell whose status
// marks it as not published: such a figure is missing, not zero.
func (d *Dataset) Value(i int) (v float64, ok bool) {
	if i < 0 || i >= len(d.values) || !d.present[i] {
		return 0, false
	}
	if missingStatus[d.Status(i)] {
		return 0, false
	}
	return d.values[i], true
}

// Status returns the status symbol of cell i ("" if none).
func (d *Dataset) Status(i int) string {
	if s, ok := d.status[i]; ok {
		return s
	}
	return d.statusAll
}

// Coords writes the category position of cell i in each dimension into
// dst (which must have len(Dimensions)) and returns it.
func (d *Dataset) Coords(i int, dst []int) []int {
	for k := len(d.Dimensions) - 1; k >= 0; k-- {
		n := len(d.Dimensions[k].Codes)
		dst[k] = i % n
		i /= n
	}
	return dst
}

// ErrFormat marks an answer that is not the json-stat2 SCB promises.
var ErrFormat = errors.New("not a valid json-stat2 dataset")

type rawDataset struct {
	Version   string                     `json:"version"`
	Class     string                     `json:"class"`
	Label     string                     `json:"label"`
	Source    string                     `json:"source"`
	Updated   string                     `json:"updated"`
	ID        []string                   `json:"id"`
	Size      []int                      `json:"size"`
	Role      map[string][]string        `json:"role"`
	Dimension map[string]json.RawMessage `json:"dimension"`
	Value     json.RawMessage            `json:"value"`
	Status    json.RawMessage            `json:"status"`
	Extension struct {
		PX struct {
			TableID string `json:"tableid"`
		} `json:"px"`
	} `json:"extension"`
}

type rawDimension struct {
	Label    string `json:"label"`
	Category struct {
		Index json.RawMessage   `json:"index"`
		Label map[string]string `json:"label"`
	} `json:"category"`
	Extension struct {
		Elimination          bool   `json:"elimination"`
		EliminationValueCode string `json:"eliminationValueCode"`
	} `json:"extension"`
}

// ParseJSONStat parses a json-stat2 data answer. It checks that the
// dimensions, sizes and values agree, so that every value can be placed in
// exactly one cell; an answer that fails any check is rejected whole.
func ParseJSONStat(b []byte) (*Dataset, error) { return parse(b, true) }

// ParseMetadata parses a table's json-stat2 metadata: the dimensions with
// their codes and elimination flags, and the updated stamp. Values, if any,
// are ignored.
func ParseMetadata(b []byte) (*Dataset, error) { return parse(b, false) }

func parse(b []byte, withValues bool) (*Dataset, error) {
	var raw rawDataset
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if raw.Class != "" && raw.Class != "dataset" {
		return nil, fmt.Errorf("%w: class %q", ErrFormat, raw.Class)
	}
	if len(raw.ID) == 0 {
		return nil, fmt.Errorf("%w: no dimensions", ErrFormat)
	}
	if len(raw.ID) != len(raw.Size) {
		return nil, fmt.Errorf("%w: %d dimension ids but %d sizes", ErrFormat, len(raw.ID), len(raw.Size))
	}
	ds := &Dataset{Label: raw.Label, Source: raw.Source, UpdatedRaw: raw.Updated, TableID: raw.Extension.PX.TableID}
	if raw.Updated != "" {
		t, err := time.Parse(time.RFC3339, raw.Updated)
		if err != nil {
			return nil, fmt.Errorf("%w: updated %q: %v", ErrFormat, raw.Updated, err)
		}
		ds.Updated = t.UTC()
	}
	if tr := raw.Role["time"]; len(tr) > 0 {
		ds.TimeDim = tr[0]
	}
	total := 1
	seen := make(map[string]bool, len(raw.ID))
	for k, id := range raw.ID {
		if seen[id] {
			return nil, fmt.Errorf("%w: dimension %q listed twice", ErrFormat, id)
		}
		seen[id] = true
		rd, ok := raw.Dimension[id]
		if !ok {
			return nil, fmt.Errorf("%w: dimension %q missing", ErrFormat, id)
		}
		dim, err := parseDimension(id, rd)
		if err != nil {
			return nil, err
		}
		if len(dim.Codes) != raw.Size[k] {
			return nil, fmt.Errorf("%w: dimension %q has %d categories but size %d", ErrFormat, id, len(dim.Codes), raw.Size[k])
		}
		if raw.Size[k] <= 0 {
			return nil, fmt.Errorf("%w: dimension %q is empty", ErrFormat, id)
		}
		if withValues && total > MaxCells/raw.Size[k] {
			return nil, fmt.Errorf("%w: more than %d cells", ErrFormat, MaxCells)
		}
		total = mulSat(total, raw.Size[k])
		ds.Dimensions = append(ds.Dimensions, dim)
	}
	if ds.TimeDim != "" && !seen[ds.TimeDim] {
		return nil, fmt.Errorf("%w: time role names unknown dimension %q", ErrFormat, ds.TimeDim)
	}
	if !withValues {
		return ds, nil
	}
	if err := ds.parseValues(raw.Value, total); err != nil {
		return nil, err
	}
	if err := ds.parseStatus(raw.Status, total); err != nil {
		return nil, err
	}
	return ds, nil
}

func parseDimension(id string, b json.RawMessage) (Dimension, error) {
	var rd rawDimension
	if err := json.Unmarshal(b, &rd); err != nil {
		return Dimension{}, fmt.Errorf("%w: dimension %q: %v", ErrFormat, id, err)
	}
	dim := Dimension{ID: id, Label: rd.Label, Elimination: rd.Extension.Elimination, EliminationValueCode: rd.Extension.EliminationValueCode}
	idx := bytes.TrimSpace(rd.Category.Index)
	switch {
	case len(idx) == 0 || bytes.Equal(idx, []byte("null")):
		// json-stat2 allows leaving out the index of a single category.
		if len(rd.Category.Label) != 1 {
			return Dimension{}, fmt.Errorf("%w: dimension %q has no category index", ErrFormat, id)
		}
		for code := range rd.Category.Label {
			dim.Codes = []string{code}
		}
	case idx[0] == '[':
		if err := json.Unmarshal(idx, &dim.Codes); err != nil {
			return Dimension{}, fmt.Errorf("%w: dimension %q index: %v", ErrFormat, id, err)
		}
	default:
		var m map[string]int
		if err := json.Unmarshal(idx, &m); err != nil {
			return Dimension{}, fmt.Errorf("%w: dimension %q index: %v", ErrFormat, id, err)
		}
		dim.Codes = make([]string, len(m))
		filled := make([]bool, len(m))
		for code, p := range m {
			if p < 0 || p >= len(m) || filled[p] {
				return Dimension{}, fmt.Errorf("%w: dimension %q: bad position %d for %q", ErrFormat, id, p, code)
			}
			dim.Codes[p], filled[p] = code, true
		}
	}
	dim.pos = make(map[string]int, len(dim.Codes))
	dim.Labels = make([]string, len(dim.Codes))
	for p, code := range dim.Codes {
		if _, dup := dim.pos[code]; dup {
			return Dimension{}, fmt.Errorf("%w: dimension %q lists %q twice", ErrFormat, id, code)
		}
		dim.pos[code] = p
		dim.Labels[p] = rd.Category.Label[code]
	}
	return dim, nil
}

func (ds *Dataset) parseValues(b json.RawMessage, total int) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return fmt.Errorf("%w: no values", ErrFormat)
	}
	ds.values = make([]float64, total)
	ds.present = make([]bool, total)
	if b[0] == '{' {
		// Sparse form: {"cell index": value}.
		var m map[string]*float64
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%w: values: %v", ErrFormat, err)
		}
		for k, v := range m {
			i, err := cellIndex(k, total)
			if err != nil {
				return err
			}
			if v != nil {
				ds.values[i], ds.present[i] = *v, true
			}
		}
		return nil
	}
	return ds.parseDense(b, total)
}

// parseDense reads the value array by hand: answers hold up to 150,000
// numbers and decoding each into a *float64 costs an allocation apiece.
// b is already known to be valid JSON (json.Unmarshal checked the whole
// document), so the scanner only has to tell numbers, nulls and anything
// else apart.
func (ds *Dataset) parseDense(b []byte, total int) error {
	if b[0] != '[' {
		return fmt.Errorf("%w: values are neither an array nor an object", ErrFormat)
	}
	i, n := 1, 0
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return fmt.Errorf("%w: values: unexpected end", ErrFormat)
		}
		if b[i] == ']' && n == 0 {
			break
		}
		if n >= total {
			return fmt.Errorf("%w: more values than the %d cells", ErrFormat, total)
		}
		switch {
		case bytes.HasPrefix(b[i:], []byte("null")):
			i += 4
		case b[i] == '-' || (b[i] >= '0' && b[i] <= '9'):
			j := i
			for j < len(b) && strings.IndexByte("+-0123456789.eE", b[j]) >= 0 {
				j++
			}
			v, err := strconv.ParseFloat(string(b[i:j]), 64)
			if err != nil || math.IsInf(v, 0) {
				return fmt.Errorf("%w: value %d: %q is not a finite number", ErrFormat, n, b[i:j])
			}
			ds.values[n], ds.present[n] = v, true
			i = j
		default:
			return fmt.Errorf("%w: value %d is not a number or null", ErrFormat, n)
		}
		n++
		i = skipSpace(b, i)
		if i >= len(b) {
			return fmt.Errorf("%w: values: unexpected end", ErrFormat)
		}
		if b[i] == ']' {
			break
		}
		if b[i] != ',' {
			return fmt.Errorf("%w: values: unexpected %q", ErrFormat, b[i])
		}
		i++
	}
	if n != total {
		return fmt.Errorf("%w: %d values for %d cells", ErrFormat, n, total)
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

func (ds *Dataset) parseStatus(b json.RawMessage, total int) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	ds.status = map[int]string{}
	switch b[0] {
	case '"':
		// One status for every cell.
		if err := json.Unmarshal(b, &ds.statusAll); err != nil {
			return fmt.Errorf("%w: status: %v", ErrFormat, err)
		}
	case '[':
		var arr []*string
		if err := json.Unmarshal(b, &arr); err != nil {
			return fmt.Errorf("%w: status: %v", ErrFormat, err)
		}
		if len(arr) != total {
			return fmt.Errorf("%w: %d statuses for %d cells", ErrFormat, len(arr), total)
		}
		for i, s := range arr {
			if s != nil && *s != "" {
				ds.status[i] = *s
			}
		}
	default:
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%w: status: %v", ErrFormat, err)
		}
		for k, s := range m {
			i, err := cellIndex(k, total)
			if err != nil {
				return err
			}
			ds.status[i] = s
		}
	}
	return nil
}

func cellIndex(k string, total int) (int, error) {
	i, err := strconv.Atoi(k)
	if err != nil || i < 0 || i >= total {
		return 0, fmt.Errorf("%w: cell index %q out of range", ErrFormat, k)
	}
	return i, nil
}
