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
	// Theme is the id of the network's focus area the indicator belongs
	// to (see Theme); pages group and filter by it.
	Theme string `json:"theme" yaml:"theme"`
	// Measures, when set, are the only measures ("absolut", "per1000",
	// "andel", "forandring", "index") that fit the indicator, as its
	// source defines it: a net figure that can be negative has no index,
	// a median has no per-capita form. Empty: the rules of Rate and Jobs
	// decide alone.
	Measures []string `json:"measures,omitempty" yaml:"measures"`
	// Genders lists the splits stored besides the total, "K" (kvinnor)
	// and "M" (män), where the source publishes them. The total is the
	// indicator itself; a split is stored under GenderVariant(ID, g).
	Genders []string `json:"genders,omitempty" yaml:"genders"`
	// Gender is "K" or "M" on a split's catalogue entry (see
	// Catalogue.Get), "" on the indicator itself; Base is then the id of
	// the indicator it splits.
	Gender string `json:"-" yaml:"-"`
	Base   string `json:"-" yaml:"-"`
	// Plausible bounds what a figure can be; see Plausibility.
	Plausible Plausibility `json:"plausible" yaml:"plausible"`
}

// Theme is one of the network's focus areas (Befolkning, Arbetsmarknad,
// Industri, ...), mirroring its action strategy: the reason members
// compare themselves, so pages group indicators by it.
type Theme struct {
	ID   string `json:"id" yaml:"id"`     // URL value, e.g. "statlig_narvaro"
	Name string `json:"name" yaml:"name"` // Swedish heading, e.g. "Statlig närvaro"
}

// ThemeGroup is a theme and its indicators in catalogue order.
type ThemeGroup struct {
	Theme      Theme
	Indicators []Indicator
}

// Gender codes as Kolada writes them.
const (
	GenderTotal = "T"
	GenderWomen = "K"
	GenderMen   = "M"
)

// GenderLabel is the Swedish word for a gender code.
func GenderLabel(g string) string {
	switch g {
	case GenderWomen:
		return "kvinnor"
	case GenderMen:
		return "män"
	}
	return "totalt"
}

// GenderVariant is the stored indicator id of one gender's split of
// indicator id: the id itself for the total, "id:K" or "id:M" otherwise.
// Configured ids cannot contain ':', so a split never collides with an
// indicator.
func GenderVariant(id, gender string) string {
	if gender == "" || gender == GenderTotal {
		return id
	}
	return id + ":" + gender
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
	list     []Indicator
	byID     map[string]int
	names    map[string]int
	variants map[string]Indicator
	themes   []Theme
}

// NewCatalogue indexes the indicators. Names and aliases are matched
// case-insensitively; the first indicator claiming a name keeps it.
// themes orders the groups of Groups.
func NewCatalogue(list []Indicator, themes ...Theme) *Catalogue {
	c := &Catalogue{list: append([]Indicator(nil), list...), byID: map[string]int{}, names: map[string]int{},
		variants: map[string]Indicator{}, themes: append([]Theme(nil), themes...)}
	for i, ind := range c.list {
		c.byID[ind.ID] = i
		for _, g := range ind.Genders {
			v := ind
			v.ID, v.Gender, v.Base, v.Genders, v.Aliases = GenderVariant(ind.ID, g), g, ind.ID, nil, nil
			v.Name = ind.Name + ", " + GenderLabel(g)
			c.variants[v.ID] = v
		}
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

// Get finds an indicator by id, or a gender split by its GenderVariant
// id (its Name then says which gender).
func (c *Catalogue) Get(id string) (Indicator, bool) {
	i, ok := c.byID[id]
	if !ok {
		v, ok := c.variants[id]
		return v, ok
	}
	return c.list[i], true
}

// Variant is the catalogue entry of indicator id's split for gender: the
// indicator itself for "" or "T", false when the split is not stored.
func (c *Catalogue) Variant(id, gender string) (Indicator, bool) {
	return c.Get(GenderVariant(id, gender))
}

// Themes lists the themes in order.
func (c *Catalogue) Themes() []Theme { return c.themes }

// Theme finds a theme by id.
func (c *Catalogue) Theme(id string) (Theme, bool) {
	for _, t := range c.themes {
		if t.ID == id {
			return t, true
		}
	}
	return Theme{}, false
}

// Groups lists the themes in order with their indicators; themes without
// indicators are left out, and indicators whose theme is not listed come
// last under "Övrigt", so nothing configured is ever hidden.
func (c *Catalogue) Groups() []ThemeGroup {
	var out []ThemeGroup
	known := map[string]bool{}
	for _, t := range c.themes {
		known[t.ID] = true
		g := ThemeGroup{Theme: t}
		for _, ind := range c.list {
			if ind.Theme == t.ID {
				g.Indicators = append(g.Indicators, ind)
			}
		}
		if len(g.Indicators) > 0 {
			out = append(out, g)
		}
	}
	rest := ThemeGroup{Theme: Theme{ID: "ovrigt", Name: "Övrigt"}}
	for _, ind := range c.list {
		if !known[ind.Theme] {
			rest.Indicators = append(rest.Indicators, ind)
		}
	}
	if len(rest.Indicators) > 0 {
		out = append(out, rest)
	}
	return out
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
