package main

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

var countsLine = regexp.MustCompile(`Nya: \d+  Ändrade: \d+  Oförändrade: \d+  Överskuggade: \d+`)

// TestImportDryRunSeesWhatImportSees: on a migrated but never-served
// database the dry run and the real import must count the same: both find
// the bundled figures (two of the file's six rows change bundled ones).
func TestImportDryRunSeesWhatImportSees(t *testing.T) {
	figs := realFigures(t)
	path := filepath.Join(t.TempDir(), "oxelosund.xlsx")
	writeWorkbook(t, path,
		[]any{"0481", 2016, "population", figs["0481"][2016] + 10},
		[]any{"0481", 2017, "population", figs["0481"][2017] + 10},
		[]any{"0481", 2005, "population", 11000.0}, []any{"0481", 2006, "population", 11001.0},
		[]any{"0481", 2007, "population", 11002.0}, []any{"0481", 2008, "population", 11003.0})
	db := filepath.Join(t.TempDir(), "dashboard.db")
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	env := map[string]string{"DATABASE_URL": "sqlite:" + db}
	code, dry, errOut := cli(t, env, "", "import", "--dry-run", path)
	if code != 0 {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, dry, errOut)
	}
	code, real, errOut := cli(t, env, "", "import", path)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, real, errOut)
	}
	d, r := countsLine.FindString(dry), countsLine.FindString(real)
	if d == "" || d != r || r != "Nya: 4  Ändrade: 2  Oförändrade: 0  Överskuggade: 0" {
		t.Errorf("dry run %q, import %q, want both \"Nya: 4  Ändrade: 2 ...\"", d, r)
	}
}
