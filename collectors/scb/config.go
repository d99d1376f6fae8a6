package scb

import (
	"fmt"
	"strings"
	"time"
)

// DefaultBaseURL is PxWebApi 2.0 of Statistikdatabasen.
const DefaultBaseURL = "https://statistikdatabasen.scb.se/api/v2"

// Limits SCB publishes in /config (recorded 2025: 150,000 cells, 30 calls
// per 10 s). They are used when /config cannot be read.
const (
	DefaultMaxCells   = 150_000
	DefaultMaxCalls   = 30
	DefaultTimeWindow = 10 * time.Second
)

// RegionVar is the variable that holds riket, län and kommun in every SCB
// table this collector reads.
const RegionVar = "Region"

// TableSpec says which figure to take from one SCB table. One table may
// feed several indicators through several specs (say, all jobs and jobs in
// SNI B+C from the same BAS table).
type TableSpec struct {
	ID        string `yaml:"id"`        // SCB table id, e.g. "TAB638"
	Indicator string `yaml:"indicator"` // catalogue id, e.g. "population"
	// Select gives values per variable, e.g. {"ContentsCode":
	// ["BE0101N1"]}. "*" selects every code of the variable. A value is a
	// code or, where the code is not known for sure, the value's label
	// ("staten"): it is looked up in the table's /metadata on every run,
	// code first, then label (case-insensitive, exact), so a code SCB
	// renames fails that table by name instead of fetching the wrong cell. Variables SCB
	// lets us leave out and that are not listed here are left out (SCB then
	// gives their total); variables that may not be left out must be listed
	// unless they have a single value.
	Select map[string][]string `yaml:"select"`
	// Sum (optional) names a variable of Select whose selected values are
	// added into one figure, e.g. ArbetsSektor statlig förvaltning +
	// statliga affärsverk = the state sector. If any part is missing the
	// sum is missing: a partial sum would understate the figure.
	Sum string `yaml:"sum"`
	// From is the first year asked for; 0 asks for every year.
	From int `yaml:"from"`
	// To (optional) is the last year asked for, so that two tables of one
	// indicator never give the same year twice (RAMS until 2019, BAS from
	// 2020). 0 means no upper bound.
	To int `yaml:"to"`
	// Month is for monthly tables (Tid codes like "2024M11"): the month
	// whose figure stands for its year. 0 means a yearly table.
	Month int `yaml:"month"`
	// NewerThan (optional) names another table of the same figures, e.g.
	// the final TAB3204 for the preliminary TAB3785: only years newer than
	// that table's newest are taken, so the final figure always wins and
	// the two never give the same year.
	NewerThan string `yaml:"newer_than"`
	// Preliminary marks every figure of the spec as preliminary (TAB3785:
	// SCB's preliminary BAS figures, replaced by TAB3204's final ones).
	Preliminary bool `yaml:"preliminary"`
}

// Config is the SCB collector's configuration, passed in by cmd.
type Config struct {
	BaseURL string      `yaml:"base_url"` // default DefaultBaseURL
	Tables  []TableSpec `yaml:"tables"`
	// Timeout bounds one HTTP attempt; MaxAttempts bounds the tries of one
	// request (first included). Zero values take httpx defaults.
	Timeout     time.Duration `yaml:"timeout"`
	MaxAttempts int           `yaml:"max_attempts"`
	// Language of labels and notes; SCB offers "sv" and "en".
	Language string `yaml:"language"`
}

// Validate reports configuration mistakes before any request is made.
func (c Config) Validate() error {
	if len(c.Tables) == 0 {
		return fmt.Errorf("scb: no tables configured")
	}
	for i, t := range c.Tables {
		if strings.TrimSpace(t.ID) == "" || strings.ContainsAny(t.ID, "/?#% ") {
			return fmt.Errorf("scb: table %d: bad id %q", i, t.ID)
		}
		if t.Indicator == "" {
			return fmt.Errorf("scb: table %s: no indicator", t.ID)
		}
		if _, ok := t.Select[RegionVar]; ok {
			return fmt.Errorf("scb: table %s: %s is chosen by the collector (all known regions), not by config", t.ID, RegionVar)
		}
		if t.Sum != "" && len(t.Select[t.Sum]) == 0 {
			return fmt.Errorf("scb: table %s: sum variable %q has no selected values", t.ID, t.Sum)
		}
		if t.To != 0 && t.To < t.From {
			return fmt.Errorf("scb: table %s: to %d is before from %d", t.ID, t.To, t.From)
		}
		if t.NewerThan != "" && (t.NewerThan == t.ID || strings.ContainsAny(t.NewerThan, "/?#% ")) {
			return fmt.Errorf("scb: table %s: bad newer_than %q", t.ID, t.NewerThan)
		}
		if t.Month < 0 || t.Month > 12 {
			return fmt.Errorf("scb: table %s: month %d", t.ID, t.Month)
		}
		for v, codes := range t.Select {
			if len(codes) == 0 {
				return fmt.Errorf("scb: table %s: variable %s has no values", t.ID, v)
			}
			// Several values of one variable would give several figures
			// for one cell; only the sum variable and time may have them.
			if v != t.Sum && v != "Tid" && (len(codes) > 1 || codes[0] == "*") {
				return fmt.Errorf("scb: table %s: variable %s has several values but is not the sum variable", t.ID, v)
			}
		}
	}
	return nil
}
