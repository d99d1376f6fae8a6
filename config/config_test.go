package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestDefault(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rs := cfg.RegionIndex()
	var kommuner, lan, riket int
	for _, r := range rs.All() {
		switch r.Kind() {
		case domain.KindMunicipality:
			kommuner++
		case domain.KindCounty:
			lan++
		case domain.KindCountry:
			riket++
		}
	}
	if kommuner != 290 || lan != 21 || riket != 1 {
		t.Fatalf("regions: %d kommuner, %d län, %d riket; want 290, 21, 1", kommuner, lan, riket)
	}
	for code, name := range map[string]string{"1060": "Olofström", "0481": "Oxelösund", "0562": "Finspång", "0882": "Oskarshamn", "2023": "Malung-Sälen"} {
		if got := rs.Name(code); got != name {
			t.Errorf("region %s = %q, want %q", code, got, name)
		}
	}
	members := cfg.MemberCodes()
	if len(members) < 4 || members[0] != "1060" {
		t.Errorf("members = %v", members)
	}
	if cfg.Addr != ":8080" {
		t.Errorf("addr = %q", cfg.Addr)
	}
	if got := cfg.DatabaseURLOrDefault(); got != "sqlite://data/dashboard.db" {
		t.Errorf("default database = %q", got)
	}
	if _, ok := cfg.Catalogue().Match("Folkmängd"); !ok {
		t.Error("SCB's content label Folkmängd must match an indicator")
	}
}

func TestEnvOverrides(t *testing.T) {
	cfg, err := Load("", env(map[string]string{
		EnvAddr: "127.0.0.1:9999", EnvDatabase: "postgres://localhost/test",
		EnvSCBURL: "http://127.0.0.1:1/api/v2", EnvKoladaURL: "http://127.0.0.1:2/v3", EnvPublic: "false",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9999" || cfg.DatabaseURL != "postgres://localhost/test" ||
		cfg.Sources.SCB.URL != "http://127.0.0.1:1/api/v2" || cfg.Sources.Kolada.URL != "http://127.0.0.1:2/v3" || cfg.PublicPages {
		t.Fatalf("env not applied: %+v", cfg)
	}
}

func TestFileOverridesAndErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		env     map[string]string
		wantErr string // substring; "" = must load
		check   func(*testing.T, *Config)
	}{
		{name: "empty file overrides nothing", yaml: ""},
		{name: "members replaced", yaml: "network:\n  members:\n    - {code: \"0180\", evidence: test}\n",
			check: func(t *testing.T, c *Config) {
				if got := c.MemberCodes(); len(got) != 1 || got[0] != "0180" {
					t.Errorf("members = %v", got)
				}
			}},
		{name: "unknown key", yaml: "adress: \":80\"\n", wantErr: "adress"},
		{name: "member code not a municipality", yaml: "network:\n  members:\n    - {code: \"9999\"}\n", wantErr: "network.members[0].code"},
		{name: "member twice", yaml: "network:\n  members:\n    - {code: \"1060\"}\n    - {code: \"1060\"}\n", wantErr: "network.members[1].code"},
		{name: "bad schedule", yaml: "sources:\n  scb:\n    schedule: \"every month\"\n", wantErr: "sources.scb.schedule"},
		{name: "bad duration", yaml: "sources:\n  scb:\n    timeout: soon\n", wantErr: "not a duration"},
		{name: "bad url", yaml: "sources:\n  kolada:\n    url: \"api.kolada.se\"\n", wantErr: "sources.kolada.url"},
		{name: "table with unknown indicator", yaml: "sources:\n  scb:\n    tables:\n      - {id: TAB1, indicator: nope}\n", wantErr: "sources.scb.tables[0].indicator"},
		{name: "bad precedence", yaml: "precedence: [scb, wikipedia]\n", wantErr: "precedence[1]"},
		{name: "bad database url", yaml: "database_url: \"mysql://x\"\n", wantErr: "database_url"},
		{name: "duplicate indicator", yaml: "indicators:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", wantErr: "indicators[1].id"},
		{name: "frame ancestors accepted", yaml: "frame_ancestors: [\"https://www.olofstrom.se\", \"https://*.oxelosund.se:8443\"]\n",
			check: func(t *testing.T, c *Config) {
				if len(c.FrameAncestors) != 2 || c.FrameAncestors[1] != "https://*.oxelosund.se:8443" {
					t.Errorf("frame_ancestors = %v", c.FrameAncestors)
				}
			}},
		{name: "frame ancestor over http", yaml: "frame_ancestors: [\"http://www.olofstrom.se\"]\n", wantErr: "frame_ancestors[0]"},
		{name: "frame ancestor with path", yaml: "frame_ancestors: [\"https://www.olofstrom.se/\"]\n", wantErr: "frame_ancestors[0]"},
		{name: "frame ancestor smuggling a directive", yaml: "frame_ancestors: [\"https://a.se; script-src *\"]\n", wantErr: "frame_ancestors[0]"},
		{name: "frame ancestor wildcard alone", yaml: "frame_ancestors: [\"https://*\"]\n", wantErr: "frame_ancestors[0]"},
		{name: "frame ancestor bad port", yaml: "frame_ancestors: [\"https://www.finspang.se:x\"]\n", wantErr: "frame_ancestors[0]"},
		{name: "backup schedule", yaml: "backup:\n  schedule: \"CRON_TZ=Europe/Stockholm 30 3 * * *\"\n  keep: 3\n",
			check: func(t *testing.T, c *Config) {
				if c.Backup.Schedule != "CRON_TZ=Europe/Stockholm 30 3 * * *" || c.Backup.Keep != 3 {
					t.Errorf("backup = %+v", c.Backup)
				}
			}},
		{name: "bad backup schedule", yaml: "backup:\n  schedule: \"varje natt\"\n", wantErr: "backup.schedule"},
		{name: "backup keep zero", yaml: "backup:\n  keep: 0\n", wantErr: "backup.keep"},
		{name: "backup schedule on PostgreSQL", yaml: "database_url: \"postgres://db/x\"\nbackup:\n  schedule: \"@daily\"\n", wantErr: "pg_dump"},
		{name: "bad env bool", env: map[string]string{EnvPublic: "kanske"}, wantErr: EnvPublic},
		{name: "indicator without theme", yaml: "indicators:\n  - {id: a, name: A}\n", wantErr: "indicators[0].theme"},
		{name: "indicator with unknown theme", yaml: "indicators:\n  - {id: a, name: A, theme: sport}\n", wantErr: "indicators[0].theme"},
		{name: "unknown measure", yaml: "indicators:\n  - {id: a, name: A, theme: industri, measures: [absolut, procent]}\n", wantErr: "indicators[0].measures[1]"},
		{name: "measure a rate cannot have", yaml: "indicators:\n  - {id: a, name: A, theme: industri, rate: true, measures: [per1000]}\n", wantErr: "indicators[0].measures[0]"},
		{name: "gender split T", yaml: "indicators:\n  - {id: a, name: A, theme: industri, genders: [T]}\n", wantErr: "indicators[0].genders[0]"},
		{name: "gender split twice", yaml: "indicators:\n  - {id: a, name: A, theme: industri, genders: [K, K]}\n", wantErr: "indicators[0].genders[1]"},
		{name: "theme twice", yaml: "themes:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", wantErr: "themes[1].id"},
		{name: "table id unsafe in a URL", yaml: "sources:\n  scb:\n    tables:\n      - {id: ../x, indicator: population}\n", wantErr: "sources.scb.tables[0].id"},
		{name: "region chosen in config", yaml: "sources:\n  scb:\n    tables:\n      - {id: TAB638, indicator: population, select: {Region: [\"00\"]}}\n", wantErr: "sources.scb.tables[0].select"},
		{name: "several values without sum", yaml: "sources:\n  scb:\n    tables:\n      - {id: TAB638, indicator: population, select: {Kon: [\"1\", \"2\"]}}\n", wantErr: "sources.scb.tables[0].select.Kon"},
		{name: "sum without values", yaml: "sources:\n  scb:\n    tables:\n      - {id: TAB638, indicator: population, sum: Kon}\n", wantErr: "sources.scb.tables[0].sum"},
		{name: "scb language", yaml: "sources:\n  scb:\n    language: de\n", wantErr: "sources.scb.language"},
		{name: "kpi id unsafe in a URL", yaml: "sources:\n  kolada:\n    kpis:\n      - {id: N0/1951, indicator: population}\n", wantErr: "sources.kolada.kpis[0].id"},
		{name: "kpi gender not T, K or M", yaml: "sources:\n  kolada:\n    kpis:\n      - {id: N01951, indicator: population, gender: X}\n", wantErr: "sources.kolada.kpis[0].gender"},
		{name: "kolada max pages", yaml: "sources:\n  kolada:\n    max_pages: -1\n", wantErr: "sources.kolada.max_pages"},
		{name: "women's series as a split indicator's total", yaml: "sources:\n  kolada:\n    kpis:\n      - {id: N03937, indicator: unemployment, gender: K}\n", wantErr: "sources.kolada.kpis[0].gender"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" || tt.env == nil {
				path = filepath.Join(t.TempDir(), "c.yaml")
				if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := Load(path, env(tt.env))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if tt.check != nil {
					tt.check(t, cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
}

func TestConfigFileFromEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("addr: \":7070\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load("", env(map[string]string{EnvConfig: path}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":7070" {
		t.Fatalf("addr = %q", cfg.Addr)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), env(nil)); err == nil {
		t.Fatal("a missing config file must be an error")
	}
}

// The twelve Kolada indicators of the network's focus areas ship in config
// alone: each id fed by its KPI, with a theme, and splits where Kolada
// publishes them (kpis.tsv's divided_by_gender).
func TestShippedKoladaFocusIndicators(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		kpi     string
		genders bool
	}{
		"unemployment": {"N03937", true}, "post_secondary_education": {"N01982", true}, "net_migration": {"N01800", false},
		"new_businesses": {"N00999", false}, "median_income": {"N00906", true}, "out_commuting": {"N02279", true},
		"in_commuting": {"N02276", true}, "broadband_1gbit": {"N07918", false}, "upper_secondary_completion": {"N17457", true},
		"dependency_ratio": {"N00927", false}, "industrial_share": {"N02235", true}, "state_share": {"N02206", true},
	}
	kpis := map[string]string{}
	for _, k := range cfg.Sources.Kolada.KPIs {
		kpis[k.Indicator] = k.ID
	}
	cat := cfg.Catalogue()
	for id, w := range want {
		ind, ok := cat.Get(id)
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		if kpis[id] != w.kpi {
			t.Errorf("%s fed by %q, want %s", id, kpis[id], w.kpi)
		}
		if (len(ind.Genders) == 2) != w.genders {
			t.Errorf("%s genders %v, want split %v", id, ind.Genders, w.genders)
		}
		if !strings.Contains(ind.Source, w.kpi) || ind.Theme == "" || len(ind.Measures) == 0 {
			t.Errorf("%s: source %q theme %q measures %v", id, ind.Source, ind.Theme, ind.Measures)
		}
	}
}

func TestCollectOnStart(t *testing.T) {
	cfg, err := Default()
	if err != nil || cfg.CollectOnStart != CollectAuto {
		t.Fatalf("default %q, %v", cfg.CollectOnStart, err)
	}
	env := func(v string) Getenv {
		return func(k string) string {
			if k == EnvCollect {
				return v
			}
			return ""
		}
	}
	if cfg, err := Load("", env("never")); err != nil || cfg.CollectOnStart != CollectNever {
		t.Errorf("env never: %v", err)
	}
	if _, err := Load("", env("sometimes")); err == nil || !strings.Contains(err.Error(), `collect_on_start: "sometimes" is not auto, always or never`) {
		t.Errorf("bad value: %v", err)
	}
}

// The collectors take their section as it is: KoladaSource gives each KPI
// its indicator's splits without touching the loaded config, and the
// sections' own Validate (what the collectors call) refuses what
// Config.Validate refuses, plus an empty list.
func TestSourceSectionsForCollectors(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	k := cfg.KoladaSource()
	cat := cfg.Catalogue()
	split := 0
	for i, kpi := range k.KPIs {
		ind, _ := cat.Get(kpi.Indicator)
		if !slices.Equal(kpi.Genders, ind.Genders) {
			t.Errorf("%s: genders %v, want %v", kpi.ID, kpi.Genders, ind.Genders)
		}
		if len(kpi.Genders) > 0 {
			split++
		}
		if cfg.Sources.Kolada.KPIs[i].Genders != nil {
			t.Errorf("%s: the loaded config got genders", kpi.ID)
		}
	}
	if split == 0 {
		t.Error("no shipped KPI got gender splits")
	}
	if err := k.Validate(); err != nil {
		t.Errorf("shipped Kolada section: %v", err)
	}
	if err := cfg.Sources.SCB.Validate(); err != nil {
		t.Errorf("shipped SCB section: %v", err)
	}
	for name, err := range map[string]error{
		"no tables":     SCB{}.Validate(),
		"no kpis":       Kolada{}.Validate(),
		"split is T":    Kolada{KPIs: []KoladaKPI{{ID: "N01951", Indicator: "x", Genders: []string{"T"}}}}.Validate(),
		"split = total": Kolada{KPIs: []KoladaKPI{{ID: "N01951", Indicator: "x", Gender: "K", Genders: []string{"K"}}}}.Validate(),
		"from < 0":      Kolada{KPIs: []KoladaKPI{{ID: "N01951", Indicator: "x", From: -1}}}.Validate(),
		"no indicator":  SCB{Tables: []SCBTable{{ID: "TAB638"}}}.Validate(),
		"empty values":  SCB{Tables: []SCBTable{{ID: "TAB638", Indicator: "x", Select: map[string][]string{"Kon": {}}}}}.Validate(),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
