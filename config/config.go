// Package config loads the dashboard's configuration: the shipped default
// embedded in the binary (regions, members, indicators, sources, schedule),
// overlaid by an optional YAML file and then by environment variables.
// Invalid configuration fails at start with a message naming the key, so an
// operator never finds out about a typo from an empty page.
package config

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

//go:embed default.yaml
var defaultYAML []byte

// regionsCSV is SCB's region list (riket, 21 län, 290 kommuner) as of
// 2025-01-01, from the TAB638 metadata; see SOURCES.md.
//
//go:embed regions.csv
var regionsCSV []byte

// Config is the whole configuration. Field names match the YAML keys.
type Config struct {
	Addr          string `yaml:"addr"`
	DatabaseURL   string `yaml:"database_url"`
	DatabaseDir   string `yaml:"database_dir"`
	PublicPages   bool   `yaml:"public_pages"`
	SecureCookies bool   `yaml:"secure_cookies"`
	LoadBundled   bool   `yaml:"load_bundled"`
	// CollectOnStart: "auto" (the default) starts a run of every enabled
	// source in the background when serve starts and nothing was ever
	// collected; "always" on every start; "never" not at all (tests).
	CollectOnStart string `yaml:"collect_on_start"`
	// MetricsAdminOnly puts /metrics behind an admin login; by default it
	// is open for a scraper on loopback (it holds no figures or users).
	MetricsAdminOnly bool `yaml:"metrics_admin_only"`
	// FrameAncestors lists the sites (https origins, e.g.
	// "https://www.olofstrom.se" or "https://*.oxelosund.se") allowed to
	// embed the pages in a frame. Empty (the default): no site may.
	FrameAncestors []string `yaml:"frame_ancestors"`
	// TrustedProxies lists the reverse proxies (addresses or CIDR ranges,
	// e.g. "127.0.0.1" or "10.0.0.0/8") whose X-Forwarded-For header names
	// the client. Empty (the default): the header is ignored and the peer
	// address counts, so a client cannot choose its own address.
	TrustedProxies []string `yaml:"trusted_proxies"`

	Network    Network             `yaml:"network"`
	Precedence []domain.SourceKind `yaml:"precedence"`
	// Themes are the network's focus areas in page order; every indicator
	// names one.
	Themes     []domain.Theme     `yaml:"themes"`
	Indicators []domain.Indicator `yaml:"indicators"`
	// CrossChecks compare figures two sources give for the same thing.
	CrossChecks []domain.CrossCheck `yaml:"cross_checks"`
	Sources     Sources             `yaml:"sources"`
	Upload      Upload              `yaml:"upload"`
	Backup      Backup              `yaml:"backup"`

	// Regions is not read from YAML: it is SCB's code list, shipped.
	Regions []domain.Region `yaml:"-"`
}

// Network is the member group highlighted on every page.
type Network struct {
	Name    string   `yaml:"name"`
	Members []Member `yaml:"members"`
	// ReportedMembers is how many members the network itself says it has,
	// and ReportedSource where it says so: /om-data sets the configured
	// list against it.
	ReportedMembers int    `yaml:"reported_members"`
	ReportedSource  string `yaml:"reported_source"`
}

// Member is one member municipality and where its membership is documented.
type Member struct {
	Code     string `yaml:"code"`
	Evidence string `yaml:"evidence"`
	// EvidenceDate is the date of the evidence as precisely as it gives it
	// ("2018-12-06", "2020"); "" unknown.
	EvidenceDate string `yaml:"evidence_date"`
	// Joined is the year the municipality joined; 0 unknown.
	Joined int `yaml:"joined"`
}

// Sources configures the open-data collectors.
type Sources struct {
	SCB    SCB    `yaml:"scb"`
	Kolada Kolada `yaml:"kolada"`
}

// SCB configures the PxWebApi 2.0 collector (collectors/scb takes it as
// it is): the API root and the tables, with their variable codes, so a
// renamed table is a config change.
type SCB struct {
	Enabled bool `yaml:"enabled"`
	// URL is the API root; empty means scb.DefaultBaseURL.
	URL      string `yaml:"url"`
	Schedule string `yaml:"schedule"`
	// Timeout bounds one HTTP attempt; MaxAttempts bounds the tries of one
	// request (first included). Zero values take httpx defaults.
	Timeout     Duration `yaml:"timeout"`
	MaxAttempts int      `yaml:"max_attempts"`
	// Language of labels and notes: "sv" (the default when empty) or "en".
	Language string     `yaml:"language"`
	Tables   []SCBTable `yaml:"tables"`
}

// SCBTable says which figure to take from one SCB table. One table may
// feed several indicators through several entries (say, all jobs and jobs
// in SNI B+C from the same BAS table).
type SCBTable struct {
	ID        string `yaml:"id"`        // SCB table id, e.g. "TAB638"
	Indicator string `yaml:"indicator"` // catalogue id, e.g. "population"
	// Select gives values per variable, e.g. {"ContentsCode":
	// ["BE0101N1"]}. "*" selects every code of the variable. A value is a
	// code or, where the code is not known for sure, the value's label
	// ("staten"): it is looked up in the table's /metadata on every run,
	// code first, then label (case-insensitive, exact), so a code SCB
	// renames fails that table by name instead of fetching the wrong cell.
	// Variables SCB lets us leave out and that are not listed here are
	// left out (SCB then gives their total); variables that may not be left
	// out must be listed unless they have a single value. Region is never
	// listed: the collector asks for every known region.
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
	// NewerThan (optional) names another configured table of the same
	// figures, e.g. the final TAB3204 for the preliminary TAB3785: only
	// years newer than that table's newest are taken, so the final figure
	// always wins and the two never give the same year.
	NewerThan string `yaml:"newer_than"`
	// Preliminary marks every figure of the table as preliminary (see
	// docs/sources.md: TAB3785, replaced by TAB3204's final figures).
	Preliminary bool `yaml:"preliminary"`
	// Note is for the operator reading the file; nothing reads it.
	Note string `yaml:"note"`
}

// Kolada configures the Kolada collector (collectors/kolada takes it as
// it is).
type Kolada struct {
	Enabled bool `yaml:"enabled"`
	// URL is the API root; empty means kolada.DefaultBaseURL.
	URL         string   `yaml:"url"`
	Schedule    string   `yaml:"schedule"`
	Timeout     Duration `yaml:"timeout"`      // one HTTP attempt
	MaxAttempts int      `yaml:"max_attempts"` // tries per request, first included
	// MaxPages bounds the pages followed for one request (0: the
	// collector's default of 1000, i.e. five million values), so a looping
	// or endless chain ends.
	MaxPages int         `yaml:"max_pages"`
	KPIs     []KoladaKPI `yaml:"kpis"`
}

// KoladaKPI says which Kolada KPI feeds which indicator.
type KoladaKPI struct {
	ID        string `yaml:"id"`        // e.g. "N01951"
	Indicator string `yaml:"indicator"` // catalogue id, e.g. "population"
	// Gender is the series taken: "T" (total, default), "K" or "M".
	Gender string `yaml:"gender"`
	// Genders are further splits ("K", "M") stored besides Gender, each
	// under domain.GenderVariant(Indicator, g), where Kolada has them. They
	// are not a key of their own: Config.KoladaSource copies them from the
	// indicator's genders, so the catalogue says it once.
	Genders []string `yaml:"-"`
	// From is the first year asked for (0: the collector's default, 2000).
	From int `yaml:"from"`
	// To (optional) is the last year taken, so that a retired KPI and its
	// successor never give the same year (N00914 until its successor
	// N02267 starts). 0 means up to this year.
	To int `yaml:"to"`
}

// Backup schedules copies of the SQLite store next to it (serve only).
// PostgreSQL is backed up with pg_dump, so a schedule there is an error.
type Backup struct {
	// Schedule is a cron spec like the sources' ("CRON_TZ=Europe/Stockholm
	// 30 3 * * *"); empty (the default) takes no scheduled copies.
	Schedule string `yaml:"schedule"`
	// Keep is how many dated copies stay; older ones are removed.
	Keep int `yaml:"keep"`
}

// Upload limits protect the server from large and hostile spreadsheets.
type Upload struct {
	MaxFileMB     int `yaml:"max_file_mb"`
	MaxUnzippedMB int `yaml:"max_unzipped_mb"`
	MaxRows       int `yaml:"max_rows"`
	// MaxParallel is how many uploads are parsed at once; more wait
	// briefly, then get 503 "försök igen om en stund". Each 1,000,000-cell
	// parse peaks near 180 MB, so this bounds the server's memory.
	MaxParallel int `yaml:"max_parallel"`
}

// CronParser reads schedule specs: five fields or a descriptor (@monthly,
// @every 1h), with an optional CRON_TZ= prefix. Validation and the
// scheduler both use it, so a spec that passes validation also schedules.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Duration reads "60s", "2m" from YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration such as 60s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// Std returns the value as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Getenv is os.Getenv's signature, so tests pass a map instead of the
// process environment.
type Getenv func(string) string

// Environment variables that override the file; documented in README.md.
const (
	EnvConfig    = "DASHBOARD_CONFIG"
	EnvAddr      = "DASHBOARD_ADDR"
	EnvDatabase  = "DATABASE_URL"
	EnvSCBURL    = "DASHBOARD_SCB_URL"
	EnvKoladaURL = "DASHBOARD_KOLADA_URL"
	EnvPublic    = "DASHBOARD_PUBLIC_PAGES"
	EnvSecure    = "DASHBOARD_SECURE_COOKIES"
	EnvMetrics   = "DASHBOARD_METRICS_ADMIN_ONLY"
	EnvCollect   = "DASHBOARD_COLLECT_ON_START"
)

// Values of collect_on_start.
const (
	CollectAuto   = "auto"
	CollectAlways = "always"
	CollectNever  = "never"
)

// Default returns the shipped configuration alone.
func Default() (*Config, error) { return Load("", func(string) string { return "" }) }

// Load builds the configuration: the embedded default, then the YAML file
// at path (if path is empty, the file named by DASHBOARD_CONFIG, if any),
// then environment variables. It validates the result.
func Load(path string, getenv Getenv) (*Config, error) {
	cfg := &Config{}
	if err := decode(defaultYAML, cfg); err != nil {
		return nil, fmt.Errorf("config: shipped default: %w", err)
	}
	if path == "" {
		path = getenv(EnvConfig)
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := decode(b, cfg); err != nil {
			return nil, fmt.Errorf("config: %s: %w", path, err)
		}
	}
	if err := applyEnv(cfg, getenv); err != nil {
		return nil, err
	}
	regions, err := parseRegions(regionsCSV)
	if err != nil {
		return nil, fmt.Errorf("config: shipped regions: %w", err)
	}
	cfg.Regions = regions
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// decode overlays YAML onto cfg; keys present replace, absent keys keep the
// earlier value. Unknown keys are errors, so typos are caught.
func decode(b []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	// An empty file decodes to io.EOF: it simply overrides nothing.
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func applyEnv(cfg *Config, getenv Getenv) error {
	if v := getenv(EnvAddr); v != "" {
		cfg.Addr = v
	}
	if v := getenv(EnvDatabase); v != "" {
		cfg.DatabaseURL = v
	}
	if v := getenv(EnvSCBURL); v != "" {
		cfg.Sources.SCB.URL = v
	}
	if v := getenv(EnvKoladaURL); v != "" {
		cfg.Sources.Kolada.URL = v
	}
	if v := getenv(EnvCollect); v != "" {
		cfg.CollectOnStart = v
	}
	for _, b := range []struct {
		key string
		dst *bool
	}{{EnvPublic, &cfg.PublicPages}, {EnvSecure, &cfg.SecureCookies}, {EnvMetrics, &cfg.MetricsAdminOnly}} {
		if v := getenv(b.key); v != "" {
			x, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("config: %s: %q is not true or false", b.key, v)
			}
			*b.dst = x
		}
	}
	return nil
}

// DatabaseURLOrDefault is the configured URL, or a SQLite file in
// DatabaseDir when none is set.
func (c *Config) DatabaseURLOrDefault() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite://" + filepath.ToSlash(filepath.Join(c.DatabaseDir, "dashboard.db"))
}

// Validate checks every key a typo could break, naming the key.
func (c *Config) Validate() error {
	var p problems
	c.checkStore(&p)
	c.checkMembers(&p)
	themes := c.checkThemes(&p)
	ids := c.checkIndicators(&p, themes)
	c.checkCrossChecks(&p, ids)
	c.checkSources(&p, ids)
	c.checkServing(&p)
	c.checkBackup(&p)
	return errors.Join(p...)
}

// problems collects every mistake, each naming its key, so one start
// reports them all.
type problems []error

func (p *problems) bad(key, format string, args ...any) {
	*p = append(*p, fmt.Errorf("config: %s: %s", key, fmt.Sprintf(format, args...)))
}

// checkStore checks how the binary starts: the first collection, the
// address and the database.
func (c *Config) checkStore(p *problems) {
	switch c.CollectOnStart {
	case CollectAuto, CollectAlways, CollectNever:
	default:
		p.bad("collect_on_start", "%q is not auto, always or never", c.CollectOnStart)
	}
	if strings.TrimSpace(c.Addr) == "" {
		p.bad("addr", "must not be empty (e.g. \":8080\")")
	}
	if c.DatabaseURL == "" && c.DatabaseDir == "" {
		p.bad("database_dir", "must not be empty when database_url is not set")
	}
	if u := c.DatabaseURL; u != "" && !hasAnyPrefix(u, "sqlite:", "file:", "postgres://", "postgresql://") {
		p.bad("database_url", "%q: use sqlite:PATH or postgres://...", u)
	}
}

// checkServing checks the proxies, the frame ancestors and the upload
// limits.
func (c *Config) checkServing(p *problems) {
	if _, err := c.TrustedProxyPrefixes(); err != nil {
		p.bad("trusted_proxies", "%v", err)
	}
	for i, o := range c.FrameAncestors {
		if err := checkOrigin(o); err != nil {
			p.bad(fmt.Sprintf("frame_ancestors[%d]", i), "%q: %v", o, err)
		}
	}
	if c.Upload.MaxFileMB < 1 {
		p.bad("upload.max_file_mb", "must be at least 1")
	}
	if c.Upload.MaxUnzippedMB < c.Upload.MaxFileMB {
		p.bad("upload.max_unzipped_mb", "must be at least max_file_mb")
	}
	if c.Upload.MaxRows < 1 {
		p.bad("upload.max_rows", "must be at least 1")
	}
	if c.Upload.MaxParallel < 1 {
		p.bad("upload.max_parallel", "must be at least 1")
	}
}

// checkMembers checks that every member is a known municipality, once.
func (c *Config) checkMembers(p *problems) {
	regions := domain.NewRegions(c.Regions)
	seen := map[string]bool{}
	for i, m := range c.Network.Members {
		key := fmt.Sprintf("network.members[%d].code", i)
		r, ok := regions.Get(m.Code)
		switch {
		case !ok || r.Kind() != domain.KindMunicipality:
			p.bad(key, "%q is not a municipality code (four digits, e.g. \"1060\")", m.Code)
		case seen[m.Code]:
			p.bad(key, "%q is listed twice", m.Code)
		}
		seen[m.Code] = true
	}
	if len(c.Network.Members) == 0 {
		p.bad("network.members", "at least one member is needed")
	}
}

// checkThemes checks the themes and returns their ids in order.
func (c *Config) checkThemes(p *problems) []string {
	seen := map[string]bool{}
	var ids []string
	for i, t := range c.Themes {
		key := fmt.Sprintf("themes[%d]", i)
		switch {
		case !validID(t.ID):
			p.bad(key+".id", "%q must be lower-case letters, digits and _", t.ID)
		case seen[t.ID]:
			p.bad(key+".id", "%q is listed twice", t.ID)
		}
		if strings.TrimSpace(t.Name) == "" {
			p.bad(key+".name", "must not be empty")
		}
		seen[t.ID] = true
		ids = append(ids, t.ID)
	}
	return ids
}

// checkIndicators checks the catalogue and returns its ids.
func (c *Config) checkIndicators(p *problems, themes []string) map[string]bool {
	ids := map[string]bool{}
	for i, ind := range c.Indicators {
		key := fmt.Sprintf("indicators[%d]", i)
		switch {
		case !validID(ind.ID):
			p.bad(key+".id", "%q must be lower-case letters, digits and _", ind.ID)
		case ids[ind.ID]:
			p.bad(key+".id", "%q is listed twice", ind.ID)
		}
		ids[ind.ID] = true
		checkIndicator(p, key, ind, themes)
	}
	return ids
}

// checkIndicator checks one indicator's fields.
func checkIndicator(p *problems, key string, ind domain.Indicator, themes []string) {
	if strings.TrimSpace(ind.Name) == "" {
		p.bad(key+".name", "must not be empty")
	}
	if ind.Decimals < 0 || ind.Decimals > 6 {
		p.bad(key+".decimals", "%d is outside 0..6", ind.Decimals)
	}
	if pl := ind.Plausible; pl.Min != nil && pl.Max != nil && *pl.Min > *pl.Max {
		p.bad(key+".plausible", "min %v is above max %v", *pl.Min, *pl.Max)
	}
	if pl := ind.Plausible; pl.MaxChange < 0 || math.IsNaN(pl.MaxChange) {
		p.bad(key+".plausible.max_change", "%v must be a share ≥ 0 (0.5 = ±50 %%)", pl.MaxChange)
	}
	if !slices.Contains(themes, ind.Theme) {
		p.bad(key+".theme", "%q is not one of the themes (%s)", ind.Theme, strings.Join(themes, ", "))
	}
	for j, m := range ind.Measures {
		if _, err := derive.ParseMeasure(m); err != nil || m == "" {
			p.bad(fmt.Sprintf("%s.measures[%d]", key, j), "%q is not one of absolut, per1000, andel, forandring, index", m)
		} else if !derive.Measure(m).Applies(domain.Indicator{ID: ind.ID, Rate: ind.Rate, Jobs: ind.Jobs}) {
			p.bad(fmt.Sprintf("%s.measures[%d]", key, j), "%q does not fit the indicator (rate: %v, jobs: %v)", m, ind.Rate, ind.Jobs)
		}
	}
	for j, g := range ind.Genders {
		if g != domain.GenderWomen && g != domain.GenderMen || slices.Index(ind.Genders, g) != j {
			p.bad(fmt.Sprintf("%s.genders[%d]", key, j), "%q: list K and/or M once each (the total is the indicator itself)", g)
		}
	}
}

// checkCrossChecks checks the cross-source checks against the catalogue.
func (c *Config) checkCrossChecks(p *problems, ids map[string]bool) {
	seen := map[string]bool{}
	for i, ch := range c.CrossChecks {
		key := fmt.Sprintf("cross_checks[%d]", i)
		if !validID(ch.ID) || seen[ch.ID] {
			p.bad(key+".id", "%q must be a unique id of lower-case letters, digits and _", ch.ID)
		}
		seen[ch.ID] = true
		for _, f := range []struct{ name, id string }{{"part", ch.Part}, {"total", ch.Total}, {"reference", ch.Reference}} {
			if !ids[f.id] {
				p.bad(key+"."+f.name, "%q is not in indicators", f.id)
			}
		}
		if !ch.PartSource.Valid() {
			p.bad(key+".part_source", "%q is not one of scb, kolada, upload, bundled", ch.PartSource)
		}
		if !ch.ReferenceSource.Valid() {
			p.bad(key+".reference_source", "%q is not one of scb, kolada, upload, bundled", ch.ReferenceSource)
		}
		if !(ch.Threshold > 0) {
			p.bad(key+".threshold", "must be a positive number of percentage points, e.g. 0.5")
		}
	}
}

// checkSources checks the precedence, each source's connection and
// schedule, and its tables or KPIs: their form (the very checks the
// collectors run, see SCB.Validate) and their indicators against the
// catalogue.
func (c *Config) checkSources(p *problems, ids map[string]bool) {
	if len(c.Precedence) == 0 {
		p.bad("precedence", "must list the source kinds, e.g. [scb, kolada, upload, bundled]")
	}
	for i, k := range c.Precedence {
		if !k.Valid() {
			p.bad(fmt.Sprintf("precedence[%d]", i), "%q is not one of scb, kolada, upload, bundled", k)
		}
	}
	s := c.Sources
	checkSource(p, "scb", s.SCB.Enabled, s.SCB.URL, s.SCB.Schedule, s.SCB.Timeout, s.SCB.MaxAttempts)
	checkSource(p, "kolada", s.Kolada.Enabled, s.Kolada.URL, s.Kolada.Schedule, s.Kolada.Timeout, s.Kolada.MaxAttempts)
	s.SCB.check(p)
	s.Kolada.check(p)
	for i, t := range s.SCB.Tables {
		if t.Indicator != "" && !ids[t.Indicator] {
			p.bad(fmt.Sprintf("sources.scb.tables[%d].indicator", i), "%q is not in indicators", t.Indicator)
		}
	}
	for i, k := range s.Kolada.KPIs {
		key := fmt.Sprintf("sources.kolada.kpis[%d]", i)
		if k.Indicator != "" && !ids[k.Indicator] {
			p.bad(key+".indicator", "%q is not in indicators", k.Indicator)
		}
		if k.Gender != "" && k.Gender != domain.GenderTotal && c.hasGenders(k.Indicator) {
			p.bad(key+".gender", "%q: %s stores its K/M splits itself; take the total (T) here", k.Gender, k.Indicator)
		}
	}
}

// Validate checks the SCB section as the collector needs it, without the
// catalogue: at least one table, and every table's form. The collector
// calls it before any request; Config.Validate runs the same checks.
func (s SCB) Validate() error {
	return validateSection(len(s.Tables) == 0, "sources.scb.tables", s.check)
}

// validateSection runs one source section's checks for its collector; an
// empty list (key) is a mistake there, though a loaded file may have one.
func validateSection(empty bool, key string, check func(*problems)) error {
	var p problems
	if empty {
		p.bad(key, "nothing configured")
	}
	check(&p)
	return errors.Join(p...)
}

// check checks the language and every table's form.
func (s SCB) check(p *problems) {
	if s.Language != "" && s.Language != "sv" && s.Language != "en" {
		p.bad("sources.scb.language", "%q is not sv or en", s.Language)
	}
	for i, t := range s.Tables {
		key := fmt.Sprintf("sources.scb.tables[%d]", i)
		if strings.TrimSpace(t.ID) == "" || strings.ContainsAny(t.ID, "/?#% ") {
			p.bad(key+".id", "%q must be an SCB table id such as TAB638", t.ID)
		}
		if t.Indicator == "" {
			p.bad(key+".indicator", "must not be empty")
		}
		if t.To != 0 && t.To < t.From {
			p.bad(key+".to", "%d is before from (%d)", t.To, t.From)
		}
		if t.Month < 0 || t.Month > 12 {
			p.bad(key+".month", "%d is not a month 1..12", t.Month)
		}
		if t.NewerThan != "" && (t.NewerThan == t.ID || !slices.ContainsFunc(s.Tables, func(o SCBTable) bool { return o.ID == t.NewerThan })) {
			p.bad(key+".newer_than", "%q is not another configured table", t.NewerThan)
		}
		checkSelect(p, key, t)
	}
}

// SCBRegionVar is the variable that holds riket, län and kommun in every
// SCB table the collector reads; the collector chooses its values.
const SCBRegionVar = "Region"

// checkSelect checks one table's chosen values: one value per variable
// (several would give several figures for one cell), except for the sum
// variable and time.
func checkSelect(p *problems, key string, t SCBTable) {
	if _, ok := t.Select[SCBRegionVar]; ok {
		p.bad(key+".select", "%s is chosen by the collector (all known regions), not by config", SCBRegionVar)
	}
	if t.Sum != "" && len(t.Select[t.Sum]) == 0 {
		p.bad(key+".sum", "variable %q has no selected values", t.Sum)
	}
	for v, codes := range t.Select {
		switch {
		case len(codes) == 0:
			p.bad(key+".select."+v, "has no values")
		case v != t.Sum && v != "Tid" && (len(codes) > 1 || codes[0] == "*"):
			p.bad(key+".select."+v, "has several values but is not the sum variable")
		}
	}
}

// Validate checks the Kolada section as the collector needs it, without
// the catalogue: at least one KPI, and every KPI's form. The collector
// calls it before any request; Config.Validate runs the same checks.
func (k Kolada) Validate() error {
	return validateSection(len(k.KPIs) == 0, "sources.kolada.kpis", k.check)
}

// check checks the page bound and every KPI's form.
func (k Kolada) check(p *problems) {
	if k.MaxPages < 0 {
		p.bad("sources.kolada.max_pages", "%d must be 0 (the default) or more", k.MaxPages)
	}
	for i, kpi := range k.KPIs {
		key := fmt.Sprintf("sources.kolada.kpis[%d]", i)
		if !koladaID(kpi.ID) {
			p.bad(key+".id", "%q must be a Kolada KPI id such as N01951 (letters and digits)", kpi.ID)
		}
		if kpi.Indicator == "" {
			p.bad(key+".indicator", "must not be empty")
		}
		switch kpi.Gender {
		case "", domain.GenderTotal, domain.GenderWomen, domain.GenderMen:
		default:
			p.bad(key+".gender", "%q is not T, K or M", kpi.Gender)
		}
		for _, g := range kpi.Genders {
			if g != domain.GenderWomen && g != domain.GenderMen || g == kpi.Gender {
				p.bad(key+".genders", "split %q is not K or M besides gender %q", g, kpi.Gender)
			}
		}
		if kpi.From < 0 {
			p.bad(key+".from", "%d must be a year or 0", kpi.From)
		}
		if kpi.To != 0 && kpi.To < kpi.From {
			p.bad(key+".to", "%d is before from (%d)", kpi.To, kpi.From)
		}
	}
}

// koladaID accepts Kolada KPI ids (letters and digits), which keeps them
// safe to put in a URL path.
func koladaID(s string) bool {
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

// KoladaSource is the Kolada section as the collector takes it: each KPI
// of an indicator with gender splits gets them (Genders) from the
// indicator, so the splits are configured once, in the catalogue.
func (c *Config) KoladaSource() Kolada {
	out := c.Sources.Kolada
	out.KPIs = slices.Clone(out.KPIs)
	cat := c.Catalogue()
	for i, k := range out.KPIs {
		if ind, ok := cat.Get(k.Indicator); ok {
			out.KPIs[i].Genders = ind.Genders
		}
	}
	return out
}

// checkSource checks one source's connection and schedule when enabled.
func checkSource(p *problems, name string, enabled bool, url, schedule string, timeout Duration, attempts int) {
	if !enabled {
		return
	}
	if !hasAnyPrefix(url, "http://", "https://") {
		p.bad("sources."+name+".url", "%q must be an http(s) URL", url)
	}
	if _, err := CronParser.Parse(schedule); err != nil {
		p.bad("sources."+name+".schedule", "%q: %v", schedule, err)
	}
	if timeout <= 0 {
		p.bad("sources."+name+".timeout", "must be positive, e.g. 60s")
	}
	if attempts < 1 {
		p.bad("sources."+name+".max_attempts", "must be at least 1")
	}
}

// checkBackup checks the scheduled copies of the SQLite store.
func (c *Config) checkBackup(p *problems) {
	if c.Backup.Keep < 1 {
		p.bad("backup.keep", "must be at least 1")
	}
	if spec := c.Backup.Schedule; spec != "" {
		if _, err := CronParser.Parse(spec); err != nil {
			p.bad("backup.schedule", "%q: %v", spec, err)
		}
		if hasAnyPrefix(c.DatabaseURL, "postgres://", "postgresql://") {
			p.bad("backup.schedule", "scheduled copies are for the SQLite store; back PostgreSQL up with pg_dump (docs/deploy.md)")
		}
	}
}

// RegionIndex returns the regions as a lookup structure.
func (c *Config) RegionIndex() *domain.Regions { return domain.NewRegions(c.Regions) }

// Catalogue returns the indicators and themes as a lookup structure.
func (c *Config) Catalogue() *domain.Catalogue { return domain.NewCatalogue(c.Indicators, c.Themes...) }

// hasGenders reports whether the indicator stores K/M splits.
func (c *Config) hasGenders(id string) bool {
	for _, ind := range c.Indicators {
		if ind.ID == id {
			return len(ind.Genders) > 0
		}
	}
	return false
}

// MemberList is the configured members as domain entries, for the member
// registry (internal/members).
func (c *Config) MemberList() []domain.Member {
	out := make([]domain.Member, len(c.Network.Members))
	for i, m := range c.Network.Members {
		out[i] = domain.Member{Code: m.Code, Evidence: m.Evidence, EvidenceDate: m.EvidenceDate, Joined: m.Joined, Active: true}
	}
	return out
}

// MemberCodes lists the members' codes in config order.
func (c *Config) MemberCodes() []string {
	out := make([]string, len(c.Network.Members))
	for i, m := range c.Network.Members {
		out[i] = m.Code
	}
	return out
}

// checkOrigin accepts an https origin as a CSP source expression takes
// it: scheme, host (optionally "*." in front), optional port, nothing
// else. The value goes into a response header, so anything that could
// end or extend the policy (spaces, ';', quotes, paths) is refused.
func checkOrigin(o string) error {
	host, ok := strings.CutPrefix(o, "https://")
	if !ok {
		return errors.New("must be an https origin such as https://www.example.se")
	}
	if h, port, ok := strings.Cut(host, ":"); ok {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil || port == "" {
			return errors.New("port must be a number")
		}
		host = h
	}
	host = strings.TrimPrefix(host, "*.")
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return errors.New("must name a host with a domain, such as www.example.se, and nothing after it")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return errors.New("is not a valid host name (no path, no trailing slash)")
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return errors.New("host name must be lower-case letters, digits, '-' and '.' (write åäö domains in their xn-- form)")
			}
		}
	}
	return nil
}

func validID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func hasAnyPrefix(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func parseRegions(b []byte) ([]domain.Region, error) {
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) < 2 || strings.Join(recs[0], ",") != "code,name,county_code,county_name" {
		return nil, errors.New("unexpected header")
	}
	out := make([]domain.Region, 0, len(recs)-1)
	for _, r := range recs[1:] {
		if domain.KindOf(r[0]) == domain.KindUnknown {
			return nil, fmt.Errorf("bad region code %q", r[0])
		}
		out = append(out, domain.Region{Code: r[0], Name: r[1], CountyCode: r[2]})
	}
	return out, nil
}

// TrustedProxyPrefixes parses trusted_proxies: each entry an address (one
// host) or a CIDR range.
func (c *Config) TrustedProxyPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for i, s := range c.TrustedProxies {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("[%d] %q is neither an address nor a CIDR range", i, s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
