package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func init() {
	register(command{name: "import", usage: "importera ett kalkylblad: import [--dry-run] [--indicator ID] [--user NAMN] FIL", run: importCmd})
}

// uploadLimits turns the config's upload limits into the reader's; the
// server and the shell apply the same ones.
func uploadLimits(u config.Upload) excel.Limits {
	return excel.Limits{MaxFileBytes: int64(u.MaxFileMB) << 20, MaxUnzippedBytes: int64(u.MaxUnzippedMB) << 20, MaxRows: u.MaxRows}
}

// parseInterspersed parses flags placed before, between or after the
// positional arguments ("import FIL --dry-run"), which package flag alone
// stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// osUser names who runs the command, for the batch list.
func osUser(getenv func(string) string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if n := getenv("USER"); n != "" {
		return n
	}
	return "cli"
}

func importCmd(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	dryRun := fs.Bool("dry-run", false, "visa bara vad filen skulle ändra; spara inget")
	indicator := fs.String("indicator", "", "indikatorns id för blad som inte anger den (se indikatorlistan)")
	actor := fs.String("user", "", "vem som importerar, för importlistan (standard: användaren som kör kommandot)")
	acceptLarge := fs.Bool("accept-large-changes", false, "spara även när siffror ändras mer än indikatorns max_change (granska varningarna först)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "ange en fil: dashboard import [--dry-run] [--indicator ID] [--user NAMN] FIL"}
	}
	path := pos[0]
	// A dry run migrates nothing; like every command it finds the bundled
	// figures in the store (load), so its preview is the real import's.
	if err := a.load(ctx, *cfgPath, !*dryRun); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("filen %s kan inte öppnas: %v", path, err)}
	}
	defer f.Close()
	if *actor == "" {
		*actor = osUser(a.getenv)
	}
	env := a.env()
	_, err = runImport(ctx, a.store, f, importRequest{
		FileName: filepath.Base(path), Indicator: *indicator, Actor: *actor, DryRun: *dryRun, AcceptLarge: *acceptLarge, At: a.clock.Now(),
		Options: excel.Options{Regions: env.Regions, Catalogue: env.Catalogue, Limits: uploadLimits(a.cfg.Upload)},
	}, a.stdout)
	if err == nil && !*dryRun {
		a.log.Info("import applied", "file", path, "user", *actor)
	}
	return err
}

// importStore is what an import needs of the store.
type importStore interface {
	Preview(ctx context.Context, b domain.Batch) (domain.Diff, error)
	Apply(ctx context.Context, b domain.Batch) (domain.Diff, error)
}

// importRequest is one shell import.
type importRequest struct {
	FileName, Indicator, Actor string
	DryRun                     bool
	// AcceptLarge says the analyst has looked at the changes beyond the
	// indicators' max_change; without it such a file is not written.
	AcceptLarge bool
	At          time.Time
	// Options carries the regions, catalogue and limits; the rest is
	// filled in from the request.
	Options excel.Options
}

// runImport reads the file, prints the preview and, unless it is a dry
// run, writes it as one batch. A dry run prints the store's Preview; a real
// run prints the diff Apply wrote (the same computation, in the write's
// transaction). A rejected file or one without valid rows is exit code 1.
func runImport(ctx context.Context, st importStore, r io.Reader, req importRequest, w io.Writer) (domain.Diff, error) {
	opts := req.Options
	opts.Indicator, opts.FileName, opts.ImportedAt = req.Indicator, req.FileName, req.At
	res, err := excel.Read(r, opts)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return domain.Diff{}, &exitError{code: 1, msg: fmt.Sprintf("%s avvisades: %s. Inget har sparats.", req.FileName, de.Message)}
		}
		return domain.Diff{}, err
	}
	b := domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: req.FileName, Actor: req.Actor, Observations: res.Observations}
	var diff domain.Diff
	switch {
	case len(res.Observations) == 0:
		// Nothing to compare; the preview still lists sheets and rejects.
	default:
		diff, err = st.Preview(ctx, b)
	}
	if err != nil {
		return diff, err
	}
	p := &printer{w: w, regions: opts.Regions, catalogue: opts.Catalogue}
	large := domain.LargeChanges(diff, opts.Catalogue)
	if !req.DryRun && len(res.Observations) > 0 && (len(large) == 0 || req.AcceptLarge) {
		if diff, err = st.Apply(ctx, b); err != nil {
			return diff, err
		}
		large = domain.LargeChanges(diff, opts.Catalogue)
	}
	p.preview(req.FileName, res, diff)
	p.largeChanges(large)
	if !req.DryRun && len(large) > 0 && !req.AcceptLarge {
		return diff, &exitError{code: 1, msg: fmt.Sprintf("%s ändrar %d siffror mer än rimligt (se varningarna). Inget har sparats. Granska dem och kör igen med --accept-large-changes om de stämmer.", req.FileName, len(large))}
	}
	if len(res.Observations) == 0 {
		msg := req.FileName + " har inga giltiga rader att importera. Inget har sparats."
		if needsIndicator(res.Sheets) {
			msg += " Ange indikatorn med --indicator ID (" + indicatorIDs(opts.Catalogue) + ")."
		}
		return diff, &exitError{code: 1, msg: msg}
	}
	if req.DryRun {
		p.line("Torrkörning: inget har sparats.")
	} else {
		p.line(fmt.Sprintf("Sparad som import %d.", diff.BatchID))
	}
	return diff, nil
}

func needsIndicator(sheets []excel.SheetInfo) bool {
	for _, s := range sheets {
		if s.NeedsIndicator {
			return true
		}
	}
	return false
}

func indicatorIDs(c *domain.Catalogue) string {
	var ids []string
	for _, ind := range c.All() {
		ids = append(ids, ind.ID)
	}
	return strings.Join(ids, ", ")
}
