package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// breakSheetXML rewrites the workbook's first sheet so that its XML breaks
// (an undefined entity) at the start of the given row; the zip itself
// stays valid.
func breakSheetXML(t *testing.T, path string, row string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			mark := `<row r="` + row + `"`
			if !bytes.Contains(b, []byte(mark)) {
				t.Fatalf("sheet has no %s", mark)
			}
			b = bytes.Replace(b, []byte(mark), []byte(`&bogus;`+mark), 1)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	_ = zr.Close()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestImportCommandRefusesBrokenSheet: a sheet whose XML breaks after row 3
// used to import rows 1–3 and exit 0; now the file is refused, naming sheet
// and row, in a dry run and a real import alike, and nothing is stored.
func TestImportCommandRefusesBrokenSheet(t *testing.T) {
	figs := realFigures(t)
	path := filepath.Join(t.TempDir(), "trasig.xlsx")
	writeWorkbook(t, path,
		[]any{"0481", 2020, "population", figs["0481"][2020]},
		[]any{"0481", 2021, "population", figs["0481"][2021]},
		[]any{"0481", 2022, "population", figs["0481"][2022]},
		[]any{"0481", 2023, "population", figs["0481"][2023]})
	breakSheetXML(t, path, "4")
	dbPath, env := prepared(t)
	figs0, batches0 := storeState(t, dbPath)
	for _, args := range [][]string{{"import", "--dry-run", path}, {"import", path}} {
		code, out, errOut := cli(t, env, "", args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1\nstdout: %s\nstderr: %s", args, code, out, errOut)
		}
		if !strings.Contains(out+errOut, "Bladet 'Data' är skadat efter rad 3") {
			t.Errorf("%v: output does not name sheet and row:\nstdout: %s\nstderr: %s", args, out, errOut)
		}
	}
	figs1, batches1 := storeState(t, dbPath)
	if !sameLines(figs0, figs1) || !sameLines(batches0, batches1) {
		t.Errorf("store changed by a refused file")
	}
}

// TestImportCommandLargeChangeNeedsAcceptance: half of Oxelösund's real
// 2016 population is plausible but a change beyond max_change: the preview
// warns, a real import without --accept-large-changes writes nothing, with
// it the figure is written.
func TestImportCommandLargeChangeNeedsAcceptance(t *testing.T) {
	figs := realFigures(t)
	path := filepath.Join(t.TempDir(), "halva.xlsx")
	writeWorkbook(t, path, []any{"0481", 2016, "population", float64(int(figs["0481"][2016] / 2))})
	dbPath, env := prepared(t)
	figs0, batches0 := storeState(t, dbPath)
	code, out, errOut := cli(t, env, "", "import", path)
	if code != 1 || !strings.Contains(out, "Varning: 1 siffror ändras mer än rimligt") || !strings.Contains(out+errOut, "--accept-large-changes") {
		t.Fatalf("without acceptance: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if figs1, batches1 := storeState(t, dbPath); !sameLines(figs0, figs1) || !sameLines(batches0, batches1) {
		t.Fatal("store changed without acceptance")
	}
	code, out, errOut = cli(t, env, "", "import", "--accept-large-changes", path)
	if code != 0 || !strings.Contains(out, "Sparad som import") {
		t.Fatalf("with acceptance: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}
