package kolada

import (
	"fmt"
	"time"
)

// DefaultBaseURL is Kolada's v3 API (v2 is being retired).
const DefaultBaseURL = "https://api.kolada.se/v3"

// DefaultFrom is the first year asked for when a KPI sets none: Kolada
// needs the years spelled out in the path.
const DefaultFrom = 2000

// MaxListItems is how many ids or years Kolada takes in one path segment.
const MaxListItems = 25

// KPISpec says which Kolada KPI feeds which indicator.
type KPISpec struct {
	ID        string `yaml:"id"`        // e.g. "N01951"
	Indicator string `yaml:"indicator"` // catalogue id, e.g. "population"
	// Gender is the series taken: "T" (total, default), "K" or "M".
	Gender string `yaml:"gender"`
	// Genders are further splits ("K", "M") stored besides Gender, each
	// under domain.GenderVariant(Indicator, g), where Kolada has them.
	Genders []string `yaml:"genders"`
	// From is the first year asked for (0 = DefaultFrom).
	From int `yaml:"from"`
	// To (optional) is the last year taken, so that a retired KPI and its
	// successor never give the same year (N00914 until its successor
	// N02267 starts). 0 means up to this year.
	To int `yaml:"to"`
}

// Config is the Kolada collector's configuration, passed in by cmd.
type Config struct {
	BaseURL     string        `yaml:"base_url"` // default DefaultBaseURL
	KPIs        []KPISpec     `yaml:"kpis"`
	Timeout     time.Duration `yaml:"timeout"`      // one HTTP attempt
	MaxAttempts int           `yaml:"max_attempts"` // tries per request, first included
	// MaxPages bounds the pages followed for one request (default 1000,
	// i.e. five million values), so a looping or endless chain ends.
	MaxPages int `yaml:"max_pages"`
}

// Validate reports configuration mistakes before any request is made.
func (c Config) Validate() error {
	if len(c.KPIs) == 0 {
		return fmt.Errorf("kolada: no KPIs configured")
	}
	for i, k := range c.KPIs {
		if !validID(k.ID) {
			return fmt.Errorf("kolada: KPI %d: bad id %q", i, k.ID)
		}
		if k.Indicator == "" {
			return fmt.Errorf("kolada: KPI %s: no indicator", k.ID)
		}
		switch k.Gender {
		case "", "T", "K", "M":
		default:
			return fmt.Errorf("kolada: KPI %s: gender %q is not T, K or M", k.ID, k.Gender)
		}
		for _, g := range k.Genders {
			if g != "K" && g != "M" || g == k.Gender {
				return fmt.Errorf("kolada: KPI %s: split %q is not K or M besides gender %q", k.ID, g, k.Gender)
			}
		}
		if k.From < 0 {
			return fmt.Errorf("kolada: KPI %s: from %d", k.ID, k.From)
		}
		if k.To != 0 && k.To < k.From {
			return fmt.Errorf("kolada: KPI %s: to %d is before from %d", k.ID, k.To, k.From)
		}
	}
	return nil
}

// validID accepts Kolada KPI ids (letters and digits), which keeps them
// safe to put in a URL path.
func validID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}
