package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/kolada/koladatest"
	"github.com/svenskaindustrikommuner/dashboard/collectors/scb/scbtest"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
)

// evidenceEnv starts fakes answering like SCB and Kolada per the public
// evidence (scbtest.Evidence, koladatest) for the shipped config's tables
// and KPIs, and points the dashboard at them. extraYAML (optional) is a
// config file layered on the shipped one.
func evidenceEnv(t *testing.T, extraYAML string) (env map[string]string, db string, scbFake *scbtest.Server, kolFake *koladatest.Server, regions []domain.Region) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	regions = cfg.Regions
	var scbCodes, koladaIDs []string
	for _, r := range regions {
		scbCodes = append(scbCodes, r.Code)
		koladaIDs = append(koladaIDs, koladaID(r.Code))
	}
	scbFake = scbtest.New(scbCodes, scbtest.Evidence()...)
	kolFake = koladatest.New(koladaIDs, koladaKPIs(cfg)...)
	kolFake.PageSize = 1000 // smaller than Kolada's 5 000, so the one request runs over several pages
	snap, err := groups.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	kolFake.Groups = snap.Groups() // Kolada's real groups, so the run's group refresh lands as it would
	s1, s2 := httptest.NewServer(scbFake), httptest.NewServer(kolFake)
	t.Cleanup(s1.Close)
	t.Cleanup(s2.Close)
	dir := t.TempDir()
	db = filepath.Join(dir, "d.db")
	env = map[string]string{
		"DATABASE_URL":         "sqlite:" + db,
		"DASHBOARD_SCB_URL":    s1.URL + "/api/v2",
		"DASHBOARD_KOLADA_URL": s2.URL + "/v3",
	}
	if extraYAML != "" {
		p := filepath.Join(dir, "extra.yaml")
		if err := os.WriteFile(p, []byte(extraYAML), 0o600); err != nil {
			t.Fatal(err)
		}
		env["DASHBOARD_CONFIG"] = p
	}
	return env, db, scbFake, kolFake, regions
}

// koladaKPIs are the shipped config's KPIs with the years Kolada's
// catalogue gives them: N00914 ended with 2021, N02267 starts 2020. The
// other KPIs (not this issue's) have 2024 only, which keeps the test fast.
func koladaKPIs(cfg *config.Config) []koladatest.KPI {
	var out []koladatest.KPI
	for _, k := range cfg.Sources.Kolada.KPIs {
		kpi := koladatest.KPI{ID: k.ID, First: 2024, Last: 2024}
		switch k.ID {
		case "N00914":
			kpi.First, kpi.Last = 2010, 2021
		case "N02267":
			kpi.First, kpi.Last = 2020, 2025
		}
		out = append(out, kpi)
	}
	return out
}

func koladaID(code string) string {
	switch len(code) {
	case 2:
		if code == domain.RiketCode {
			return "0000"
		}
		return "00" + code
	}
	return code
}

// expected works out, from the fakes' Value functions and the rules of
// the shipped config, every figure a run must store: the tables' cells
// asked for, summed where the config sums.
func expected(cfg *config.Config, thisYear int) map[string]float64 {
	regions := cfg.Regions
	cat := cfg.Catalogue()
	want := map[string]float64{}
	put := func(code, ind string, year int, v float64) { want[fmt.Sprintf("%s/%s/%d", code, ind, year)] = v }
	for _, r := range regions {
		c := r.Code
		cell := func(table, tid string, kv ...string) float64 {
			m := map[string]string{"Region": c, "Tid": tid}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
			return scbtest.Value(table, m)
		}
		for y := 2000; y <= 2024; y++ {
			put(c, "population", y, cell("TAB638", fmt.Sprint(y), "ContentsCode", "BE0101N1"))
		}
		for y := 2020; y <= 2024; y++ {
			bas := []string{"Kon", "1+2", "Fodelseregion", "tot", "ContentsCode", "000002XH"}
			put(c, "employed_day", y, cell("TAB3204", fmt.Sprint(y), append(bas, "SNI2007", "A-U+US")...))
			put(c, "industrial_jobs", y, cell("TAB3204", fmt.Sprint(y), append(bas, "SNI2007", "B+C")...))
			put(c, "state_jobs", y, cell("TAB2597", fmt.Sprintf("%dM11", y), "ArbetsSektor", "0X1", "Alder", "15-74", "ContentsCode", "000005F4"))
		}
		// 2025 is in the preliminary TAB3785 only.
		pre := []string{"Kon", "1+2", "Fodelseregion", "tot", "ContentsCode", "000005FG"}
		put(c, "employed_day", 2025, cell("TAB3785", "2025", append(pre, "SNI2007", "A-U+US")...))
		put(c, "industrial_jobs", 2025, cell("TAB3785", "2025", append(pre, "SNI2007", "B+C")...))
		rams := func(table, content string, y int) {
			sum := 0.0
			for _, sni := range []string{"A", "B+C", "F", "00"} {
				sum += cell(table, fmt.Sprint(y), "SNI2007", sni, "ContentsCode", content)
			}
			put(c, "employed_day", y, sum)
			put(c, "industrial_jobs", y, cell(table, fmt.Sprint(y), "SNI2007", "B+C", "ContentsCode", content))
		}
		for y := 2008; y <= 2018; y++ {
			rams("TAB900", "AM0207K1", y)
		}
		rams("TAB5837", "00000544", 2019)
		put(c, "state_jobs", 2019, cell("TAB5838", "2019", "ArbetsSektor", "11", "ContentsCode", "00000545")+
			cell("TAB5838", "2019", "ArbetsSektor", "1110", "ContentsCode", "00000545"))
		for i, k := range cfg.Sources.Kolada.KPIs {
			kpi := koladaKPIs(cfg)[i]
			last := min(kpi.Last, thisYear)
			if k.To != 0 {
				last = min(last, k.To)
			}
			genders := []string{"T"}
			if ind, ok := cat.Get(k.Indicator); ok {
				genders = append(genders, ind.Genders...)
			}
			for y := max(k.From, kpi.First); y <= last; y++ {
				for _, g := range genders {
					put(c, domain.GenderVariant(k.Indicator, g), y, koladatest.Value(k.ID, koladaID(c), y, g))
				}
			}
		}
	}
	return want
}

func collected(t *testing.T, db string) map[string]domain.Observation {
	t.Helper()
	obs, _ := storedFigures(t, db)
	got := map[string]domain.Observation{}
	for _, o := range obs {
		if o.Source.Kind == domain.SourceSCB || o.Source.Kind == domain.SourceKolada {
			got[o.Key().String()] = o
		}
	}
	return got
}

func TestShippedConfigAgainstEvidenceLandsEveryIndicator(t *testing.T) {
	env, db, scbFake, kolFake, _ := evidenceEnv(t, "")
	code, out, errs := runCLI(t, env, "collect")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	got := collected(t, db)
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := expected(cfg, time.Now().Year())
	if len(got) != len(want) {
		t.Errorf("%d figures stored, want %d", len(got), len(want))
	}
	bad := 0
	for k, w := range want {
		if o, ok := got[k]; !ok || o.Value != w {
			if bad++; bad <= 10 {
				t.Errorf("%s: stored %+v, want %v", k, got[k], w)
			}
		}
	}
	// Provenance: the table or KPI each figure came from.
	for k, wantRef := range map[string]string{
		"1060/state_jobs/2019": "TAB5838", "1060/state_jobs/2024": "TAB2597", "0481/industrial_jobs/2024": "TAB3204",
		"0481/employed_day/2015": "TAB900", "0562/employed_day/2019": "TAB5837", "0882/employment_rate/2021": "N02267",
		"0882/employment_rate/2019": "N00914", "00/population/2024": "TAB638",
		"0481/employed_day/2025": "TAB3785", "0481/industrial_jobs/2025": "TAB3785",
	} {
		if got[k].Source.Ref != wantRef {
			t.Errorf("%s from %q, want %s", k, got[k].Source.Ref, wantRef)
		}
	}
	// Exactly the figures of the preliminary table are preliminary.
	for k, o := range got {
		if o.Source.Preliminary != (o.Source.Ref == "TAB3785") || o.Source.Preliminary && o.Year != 2025 {
			t.Errorf("%s: preliminary %v from %s %d", k, o.Source.Preliminary, o.Source.Ref, o.Year)
			break
		}
	}
	// One data request per table per run; Kolada one request for all its
	// KPIs (up to 25 share a path) plus the pages of 5 000 rows.
	for table, n := range scbFake.DataCalls() {
		if n != 1 {
			t.Errorf("%s: %d data requests, want 1", table, n)
		}
	}
	if n := len(scbFake.DataCalls()); n != 7 {
		t.Errorf("%d tables asked, want 7: %v", n, scbFake.DataCalls())
	}
	var firsts []string
	pages := 0
	for _, c := range kolFake.Calls() {
		rest, ok := strings.CutPrefix(c, "/v3/data/kpi/")
		if !ok {
			continue // the groups snapshot
		}
		pages++
		if !strings.Contains(c, "&page=") && !strings.Contains(c, "?page=") {
			firsts = append(firsts, rest)
		}
	}
	var ids []string
	rows := 0
	for i, k := range cfg.Sources.Kolada.KPIs {
		ids = append(ids, k.ID)
		kpi := koladaKPIs(cfg)[i]
		rows += max(0, min(kpi.Last, time.Now().Year())-max(kpi.First, 2010)+1) * len(kolFake.Municipalities)
	}
	if len(firsts) != 1 || !strings.HasPrefix(firsts[0], strings.Join(ids, ",")+"/year/2010,") || !strings.HasSuffix(firsts[0], "?per_page=5000") {
		t.Errorf("Kolada requests %v, want one for %s", firsts, strings.Join(ids, ","))
	}
	// The fake's pages are smaller than Kolada's 5 000, to exercise the
	// page chain.
	if want := (rows + kolFake.PageSize - 1) / kolFake.PageSize; pages != want {
		t.Errorf("%d Kolada pages for %d rows, want %d", pages, rows, want)
	}
	for _, line := range []string{"SCB: klar", "  TAB638: sparad", "  TAB2597: sparad", "  TAB5838: sparad", "Kolada: klar", "  " + strings.Join(ids, ",") + ": sparad"} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
}

func TestOneFaultyTableLeavesTheOthersLanded(t *testing.T) {
	// The shipped tables, one try per request, and the old wrong sector
	// code "12" in TAB5838.
	extra := `sources:
  kolada:
    max_attempts: 1
  scb:
    max_attempts: 1
`
	env, db, scbFake, kolFake, _ := evidenceEnv(t, extra)
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	var tables strings.Builder
	tables.WriteString("    tables:\n")
	for _, tb := range cfg.Sources.SCB.Tables {
		if tb.ID == "TAB5838" {
			tb.Select["ArbetsSektor"] = []string{"11", "12"}
		}
		fmt.Fprintf(&tables, "      - {id: %s, indicator: %s, select: %s, sum: %q, from: %d, to: %d, month: %d, newer_than: %q, preliminary: %v}\n",
			tb.ID, tb.Indicator, flowMap(tb.Select), tb.Sum, tb.From, tb.To, tb.Month, tb.NewerThan, tb.Preliminary)
	}
	if err := os.WriteFile(env["DASHBOARD_CONFIG"], []byte(extra+tables.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	scbFake.SetFault("TAB3204", scbtest.Fault500)
	scbFake.SetFault("TAB900", scbtest.FaultTruncated)
	kolFake.Break("N00914")

	code, out, errs := runCLI(t, env, "collect")
	if code != 1 || strings.Contains(errs, "config") {
		t.Fatalf("exit %d with failing tables\nstdout %s\nstderr %s", code, out, errs)
	}
	for _, line := range []string{
		"SCB: delvis – 3 av 7 tabeller misslyckades",
		"  TAB3204: misslyckades – Hämtningen från SCB misslyckades (tabell TAB3204).",
		"  TAB900: misslyckades – SCB svarade med data som inte kunde tolkas (tabell TAB900).",
		`  TAB5838: misslyckades – Tabell TAB5838 hos SCB passar inte konfigurationen: variabeln ArbetsSektor har inget värde "12" (närmast: 11 (statlig förvaltning)`,
		"  TAB638: sparad", "  TAB2597: sparad", "  TAB5837: sparad",
		// All Kolada KPIs share one request: one broken KPI fails it whole.
		"Kolada: misslyckades – Hämtningen från Kolada misslyckades (nyckeltal N02267,N00914,",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
	got := collected(t, db)
	want := expected(cfg, time.Now().Year())
	koladaIndicator := map[string]bool{}
	for _, k := range cfg.Sources.Kolada.KPIs {
		koladaIndicator[k.Indicator] = true
		for _, g := range []string{"K", "M"} {
			koladaIndicator[domain.GenderVariant(k.Indicator, g)] = true
		}
	}
	for k, w := range want {
		o, ok := got[k]
		// TAB3204's data failing takes its years with it; TAB3785's 2025,
		// newer than TAB3204's metadata says it has, still lands.
		failedTable := (strings.Contains(k, "/employed_day/202") || strings.Contains(k, "/industrial_jobs/202")) && !strings.HasSuffix(k, "/2025") ||
			strings.Contains(k, "/employed_day/20") && !strings.HasSuffix(k, "/2019") && !strings.Contains(k, "/202") || // TAB900
			strings.Contains(k, "/industrial_jobs/20") && !strings.HasSuffix(k, "/2019") && !strings.Contains(k, "/202") ||
			strings.HasSuffix(k, "/state_jobs/2019") || koladaIndicator[strings.Split(k, "/")[1]]
		switch {
		case failedTable && ok:
			t.Errorf("%s stored from a failed table: %+v", k, o)
			return
		case !failedTable && (!ok || o.Value != w):
			t.Errorf("%s: stored %+v, want %v", k, o, w)
			return
		}
	}
}

// flowMap writes a select map as YAML flow.
func flowMap(m map[string][]string) string {
	var parts []string
	for k, vs := range m {
		q := make([]string, len(vs))
		for i, v := range vs {
			q[i] = fmt.Sprintf("%q", v)
		}
		parts = append(parts, fmt.Sprintf("%s: [%s]", k, strings.Join(q, ", ")))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func TestFinalFigureReplacesPreliminary(t *testing.T) {
	env, db, scbFake, _, _ := evidenceEnv(t, "")
	if code, out, errs := runCLI(t, env, "collect", "--source", "scb"); code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if o := collected(t, db)["1060/industrial_jobs/2025"]; !o.Source.Preliminary || o.Source.Ref != "TAB3785" {
		t.Fatalf("before: %+v", o)
	}
	// SCB publishes 2025 in the final table (a new stamp); the
	// preliminary table has not moved.
	tab := scbFake.Tables["TAB3204"]
	tab.Times, tab.Updated = scbtest.Years(2020, 2025), scbtest.Updated.Add(24*time.Hour)
	code, out, errs := runCLI(t, env, "collect", "--source", "scb")
	if code != 0 || !strings.Contains(out, "TAB3785: oförändrad") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	got := collected(t, db)
	for _, ind := range []string{"employed_day", "industrial_jobs"} {
		o := got["1060/"+ind+"/2025"]
		sni := map[string]string{"employed_day": "A-U+US", "industrial_jobs": "B+C"}[ind]
		want := scbtest.Value("TAB3204", map[string]string{"Region": "1060", "Tid": "2025", "Kon": "1+2", "Fodelseregion": "tot", "ContentsCode": "000002XH", "SNI2007": sni})
		if o.Source.Preliminary || o.Source.Ref != "TAB3204" || o.Value != want {
			t.Errorf("%s 2025 after the final table: %+v, want %v from TAB3204, final", ind, o, want)
		}
	}
	// A third run with the preliminary table moved again takes nothing
	// from it: TAB3204 has its newest year now.
	pre := scbFake.Tables["TAB3785"]
	pre.Updated = scbtest.Updated.Add(48 * time.Hour)
	if code, out, _ := runCLI(t, env, "collect", "--source", "scb"); code != 0 || !strings.Contains(out, "TAB3785: oförändrad") {
		t.Fatalf("third run: exit %d\n%s", code, out)
	}
	if o := collected(t, db)["1060/industrial_jobs/2025"]; o.Source.Preliminary || o.Source.Ref != "TAB3204" {
		t.Errorf("the preliminary table overwrote the final figure: %+v", o)
	}
}

func TestCollectCheck(t *testing.T) {
	env, db, scbFake, kolFake, _ := evidenceEnv(t, "")
	code, out, errs := runCLI(t, env, "collect", "--check")
	if code != 0 {
		t.Fatalf("shipped config against the evidence: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	for _, want := range []string{
		"SCB TAB2597 → state_jobs: ok",
		"  ok  ArbetsSektor: staten → 0X1 (Staten), via etiketten",
		"  ok  ArbetsSektor: 1110 → 1110 (statliga affärsverk)",
		"  ok  Kon (utelämnas): utelämnas → får utelämnas (SCB ger summan)",
		"  ok  år: 2020–, nyare än TAB3204 → 2025 … 2025 (1)",
		"  ok  år: 2020– (månad 11) → 2020M11 … 2024M11 (5)",
		"SCB: allt stämmer (11 poster).",
		"Kolada N02267 → employment_rate: ok",
		"  ok  nyckeltal: N02267 → Nyckeltal N02267",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Metadata only: no data request, no store.
	if n := len(scbFake.DataCalls()); n != 0 {
		t.Errorf("--check made %d data requests", n)
	}
	for _, c := range kolFake.Calls() {
		if strings.Contains(c, "/data/") {
			t.Errorf("--check asked Kolada for data: %s", c)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("--check created or touched the database (%v)", err)
	}

	// Wrong codes: every one is named, exit 1.
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("sources:\n  scb:\n    tables:\n")
	for _, tb := range cfg.Sources.SCB.Tables {
		switch {
		case tb.ID == "TAB5838":
			tb.Select["ArbetsSektor"] = []string{"11", "12"}
		case tb.ID == "TAB2597":
			tb.Select["ArbetsSektor"] = []string{"statlig"}
		case tb.ID == "TAB3204" && tb.Indicator == "industrial_jobs":
			tb.Select["ContentsCode"] = []string{"000002XX"}
		}
		fmt.Fprintf(&b, "      - {id: %s, indicator: %s, select: %s, sum: %q, from: %d, to: %d, month: %d, newer_than: %q, preliminary: %v}\n",
			tb.ID, tb.Indicator, flowMap(tb.Select), tb.Sum, tb.From, tb.To, tb.Month, tb.NewerThan, tb.Preliminary)
	}
	b.WriteString("  kolada:\n    kpis:\n      - {id: N99999, indicator: employment_rate, from: 2020}\n")
	p := filepath.Join(t.TempDir(), "wrong.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	env["DASHBOARD_CONFIG"] = p
	code, out, errs = runCLI(t, env, "collect", "--check")
	if code != 1 || !strings.Contains(errs, "stämmer inte med källans metadata för scb, kolada") {
		t.Fatalf("wrong codes: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	for _, want := range []string{
		`  FEL ArbetsSektor: 12 → saknas; närmast: 11 (statlig förvaltning)`,
		`  FEL ArbetsSektor: statlig → saknas; närmast: 0X2 (statligt ägda företag), 0X1 (Staten)`,
		`  FEL ContentsCode: 000002XX → saknas; närmast: 000002XH`,
		"SCB: 3 av 11 poster stämmer inte.",
		"  FEL nyckeltal: N99999 → finns inte i Koladas katalog",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
