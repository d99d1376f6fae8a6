package domain

import "strings"

// Indicator is one entry of the catalogue: what a figure means, in Swedish,
// so every page can name and define what it shows.
type Indicator struct {
	ID         string   `json:"id" yaml:"id"`
	Name       string   `json:"name" yaml:"name"`             // Swedish label, e.g. "Folkmängd"
	Unit       string   `json:"unit" yaml:"unit"`             // "personer", "%", "antal"
	Definition string   `json:"definition" yaml:"definition"` // one Swedish sentence
	Source     string   `json:"source" yaml:"source"`         // typical source, e.g. "SCB BE0101"
	Aliases    []string `json:"aliases,omitempty" yaml:"aliases"`
	// Decimals is how many decimals the pages show.
	Decimals int `json:"decimals" yaml:"decimals"`
	// Jobs marks counts of jobs, for which "share of all jobs" is a
	// meaningful measure (the denominator is employed_day).
	Jobs bool `json:"jobs" yaml:"jobs"`
	// Rate marks percentages and other ratios: summing, per-capita and
	// share measures make no sense for them.
	Rate bool `json:"rate" yaml:"rate"`
	// Breaks are years where the series changes method or source (e.g.
	// SCB's move from RAMS to BAS in 2020): pages mark them so nobody
	// reads a method change as a change in the economy.
	Breaks []SeriesBreak `json:"breaks,omitempty" yaml:"breaks"`
}

// SeriesBreak is the first year of a new method, with a Swedish note.
type SeriesBreak struct {
	Year int    `json:"year" yaml:"year"`
	Note string `json:"note" yaml:"note"`
}

// Well-known indicator ids used by derived measures. The catalogue may hold
// more; these must exist for per-1,000 and share-of-jobs views.
const (
	IndicatorPopulation  = "population"
	IndicatorEmployedDay = "employed_day"
)

// Catalogue is the ordered indicator list with lookups by id and by any of
// its names, as analysts' spreadsheets name them.
type Catalogue struct {
	list  []Indicator
	byID  map[string]int
	names map[string]int
}

// NewCatalogue indexes the indicators. Names and aliases are matched
// case-insensitively; the first indicator claiming a name keeps it.
func NewCatalogue(list []Indicator) *Catalogue {
	c := &Catalogue{list: append([]Indicator(nil), list...), byID: map[string]int{}, names: map[string]int{}}
	for i, ind := range c.list {
		c.byID[ind.ID] = i
		for _, n := range append([]string{ind.ID, ind.Name}, ind.Aliases...) {
			k := normLabel(n)
			if _, taken := c.names[k]; !taken && k != "" {
				c.names[k] = i
			}
		}
	}
	return c
}

// All returns the indicators in catalogue order.
func (c *Catalogue) All() []Indicator { return c.list }

// Get finds an indicator by id.
func (c *Catalogue) Get(id string) (Indicator, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Indicator{}, false
	}
	return c.list[i], true
}

// Match recognises an indicator from a label found in a file: its id, its
// Swedish name or an alias such as SCB's content label "Folkmängd". It never
// guesses: a label that is not in the catalogue is no match.
func (c *Catalogue) Match(label string) (Indicator, bool) {
	i, ok := c.names[normLabel(label)]
	if !ok {
		return Indicator{}, false
	}
	return c.list[i], true
}

func normLabel(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " ")))
	return strings.Join(strings.Fields(s), " ")
}
