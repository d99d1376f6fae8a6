package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// cli runs the command with stdin and a fake environment.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

// realFigures are the bundled real population figures (internal/bundled):
// code → year → value.
func realFigures(t testing.TB) map[string]map[int]float64 {
	t.Helper()
	obs, err := bundled.Observations(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[int]float64{}
	for _, o := range obs {
		if o.Indicator != "population" {
			t.Fatalf("bundled figures: unexpected indicator %q", o.Indicator)
		}
		if out[o.Municipality] == nil {
			out[o.Municipality] = map[int]float64{}
		}
		out[o.Municipality][o.Year] = o.Value
	}
	return out
}

// writeWorkbook writes a long-layout .xlsx (kommun, år, indikator, värde).
func writeWorkbook(t testing.TB, path string, rows ...[]any) {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	all := append([][]any{{"kommun", "år", "indikator", "värde"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		row := append([]any(nil), r...)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetSheetName("Sheet1", "Data"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// allRows is every real figure as long-layout rows, sorted.
func allRows(t testing.TB) [][]any {
	var rows [][]any
	for code, ys := range realFigures(t) {
		for y, v := range ys {
			rows = append(rows, []any{code, y, "population", v})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i][0] != rows[j][0] {
			return rows[i][0].(string) < rows[j][0].(string)
		}
		return rows[i][1].(int) < rows[j][1].(int)
	})
	return rows
}

// prepared is a migrated SQLite file with the bundled figures, as serve
// leaves a new installation.
func prepared(t testing.TB) (dbPath string, env map[string]string) {
	t.Helper()
	dbPath = filepath.Join(t.TempDir(), "dashboard.db")
	st, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := bundled.LoadIfEmpty(ctx, st, time.Date(2025, 11, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return dbPath, map[string]string{"DATABASE_URL": "sqlite:" + dbPath}
}

// storeState is every stored figure (all sources) and every batch.
func storeState(t testing.TB, dbPath string) (figs, batches []string) {
	t.Helper()
	st, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	return figuresAndBatches(t, st)
}

func figuresAndBatches(t testing.TB, st *sqlstore.Store) (figs, batches []string) {
	t.Helper()
	ctx := context.Background()
	all, err := st.AllSources(ctx, domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range all {
		figs = append(figs, fmt.Sprintf("%s %s %s %v %d %d", o.Key(), o.Source.Kind, o.Source.Ref, o.Value, o.Source.BatchID, o.Source.FetchedAt.UnixMicro()))
	}
	sort.Strings(figs)
	bs, err := st.Batches(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		batches = append(batches, fmt.Sprintf("%d %s %s %s %d %s", b.ID, b.Kind, b.Label, b.Actor, b.Rows, b.Status))
	}
	return figs, batches
}

func sameLines(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

func TestImportCommand(t *testing.T) {
	figs := realFigures(t)
	dir := t.TempDir()
	// An analyst's slip: Olofström's 2023 figure in the 2024 row (both
	// real), and a municipality that does not exist.
	slip := filepath.Join(dir, "olofstrom_fel.xlsx")
	writeWorkbook(t, slip, []any{"Olofström", 2024, "population", figs["1060"][2023]}, []any{"Atlantis", 2024, "population", figs["1060"][2024]})
	dbPath, env := prepared(t)
	figs0, batches0 := storeState(t, dbPath)

	code, out, errs := cli(t, env, "", "import", "--dry-run", slip)
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Fil: olofstrom_fel.xlsx",
		`Blad "Data": lång form`,
		"Siffror att importera: 1",
		"Nya: 0  Ändrade: 1  Oförändrade: 0  Överskuggade: 0  Avvisade rader: 1",
		fmt.Sprintf("1060 Olofström, population, 2024: %s → %s [ändras] (Medföljande data rh_beeswarm_2024)", sv(figs["1060"][2024]), sv(figs["1060"][2023])),
		`Data, rad 3, kolumn A: "Atlantis" – Kommunen 'Atlantis' finns inte i kommunlistan`,
		"Torrkörning: inget har sparats.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if f, b := storeState(t, dbPath); !sameLines(f, figs0) || !sameLines(b, batches0) {
		t.Fatal("the dry run wrote to the store")
	}

	code, out, errs = cli(t, env, "", "import", slip, "--user", "anna")
	if code != 0 || !strings.Contains(out, "Sparad som import 2.") || !strings.Contains(out, "Ändrade: 1") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	_, batches := storeState(t, dbPath)
	if len(batches) != 2 || batches[0] != "2 upload olofstrom_fel.xlsx anna 1 applied" {
		t.Fatalf("batches after import: %q", batches)
	}
	// The same file again is unchanged.
	code, out, _ = cli(t, env, "", "import", "--dry-run", slip)
	if code != 0 || !strings.Contains(out, "Nya: 0  Ändrade: 0  Oförändrade: 1") {
		t.Fatalf("repeat dry run: %d\n%s", code, out)
	}

	refused := []struct {
		name, file string
		args       []string
		data       []byte
		code       int
		stderr     []string
		stdout     []string
	}{
		{name: "PNG named .xlsx", file: "bild.xlsx", data: append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13, 'I', 'H', 'D', 'R'),
			code: 1, stderr: []string{"bild.xlsx avvisades: Filen är en PNG-bild", "Inget har sparats."}},
		{name: "PxWeb export without an indicator", file: "scb_pxweb_export_latin1_0000002T_1.csv", code: 1,
			stderr: []string{"har inga giltiga rader att importera", "--indicator ID (population, "}},
		{name: "PxWeb export with an indicator", file: "scb_pxweb_export_latin1_0000002T_1.csv", args: []string{"--indicator", "state_jobs"}, code: 1,
			stderr: []string{"har inga giltiga rader att importera"},
			stdout: []string{"Avvisade rader: 16", `scb_pxweb_export_latin1_0000002T_1.csv, rad 2, kolumn region: "SE11 Stockholm" – Kommunen 'SE11 Stockholm' finns inte i kommunlistan`}},
		{name: "unknown indicator", file: "olofstrom_fel.xlsx", args: []string{"--indicator", "nope"}, code: 1, stderr: []string{"finns inte i indikatorlistan"}},
		{name: "no file", code: 2, stderr: []string{"ange en fil"}},
		{name: "missing file", file: "finns-inte.xlsx", code: 1, stderr: []string{"kan inte öppnas"}},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			f0, b0 := storeState(t, dbPath)
			args := []string{"import"}
			switch {
			case r.data != nil:
				p := filepath.Join(dir, r.file)
				if err := os.WriteFile(p, r.data, 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, p)
			case r.file == "olofstrom_fel.xlsx":
				args = append(args, slip)
			case r.file == "finns-inte.xlsx":
				args = append(args, filepath.Join(dir, r.file))
			case r.file != "":
				args = append(args, filepath.Join("testdata", r.file))
			}
			args = append(args, r.args...)
			code, out, errs := cli(t, env, "", args...)
			if code != r.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, r.code, out, errs)
			}
			for _, w := range r.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q: %s", w, errs)
				}
			}
			for _, w := range r.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q: %s", w, out)
				}
			}
			if f, b := storeState(t, dbPath); !sameLines(f, f0) || !sameLines(b, b0) {
				t.Fatal("a refused import wrote")
			}
		})
	}
}

// sv writes a whole number as the preview does ("13 061").
func sv(v float64) string {
	s := strconv.FormatFloat(v, 'f', 0, 64)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestImportCommandRealFigures imports every real figure into a fresh
// database and checks each one back.
func TestImportCommandRealFigures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alla.xlsx")
	writeWorkbook(t, path, allRows(t)...)
	db := filepath.Join(t.TempDir(), "d.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + db, "DASHBOARD_CONFIG": writeConfig(t, "load_bundled: false\n")}
	code, out, errs := cli(t, env, "", "import", "--user", "anna", path)
	if code != 0 || !strings.Contains(out, "Nya: 373  Ändrade: 0  Oförändrade: 0") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	obs, err := st.Observations(context.Background(), domain.Filter{Indicators: []string{"population"}})
	if err != nil {
		t.Fatal(err)
	}
	want := realFigures(t)
	n := 0
	for _, o := range obs {
		if v, ok := want[o.Municipality][o.Year]; !ok || v != o.Value || o.Source.Kind != domain.SourceUpload || o.Source.Ref != "alla.xlsx" {
			t.Errorf("%s: %v from %s, want %v from the upload", o.Key(), o.Value, o.Source, v)
		}
		n++
	}
	if n != 373 {
		t.Fatalf("%d figures stored, want 373", n)
	}
}

func writeConfig(t testing.TB, yaml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
