package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// pendingTTL is how long a preview waits for its confirm. Long enough for
// an analyst to check a large file against their notes, short enough that
// a forgotten preview does not linger in the database.
const pendingTTL = 2 * time.Hour

// importPayload is an upload between preview and confirm. It is stored as
// JSON in the pending store rather than in memory, so that on several
// instances the confirm may reach another instance than the upload did.
type importPayload struct {
	FileName     string               `json:"file_name"`
	Indicator    string               `json:"indicator,omitempty"`
	ImportedAt   time.Time            `json:"imported_at"`
	Observations []domain.Observation `json:"observations"`
	Rejects      []excel.Reject       `json:"rejects"`
	Warnings     []excel.Reject       `json:"warnings,omitempty"`
	Sheets       []excel.SheetInfo    `json:"sheets"`
	// Positions and MissingCells place the figures in the file, for the
	// preview's sheet-shaped view (Positions[i] is Observations[i]'s cell).
	Positions    []excel.Position `json:"positions,omitempty"`
	MissingCells []excel.Position `json:"missing_cells,omitempty"`
	// File is the upload itself, kept only while a sheet still needs an
	// indicator, so that choosing one re-reads exactly the same bytes. It is
	// bounded by the upload limit.
	File []byte `json:"file,omitempty"`
}

// needsIndicator reports whether a sheet waits for the user to name its
// indicator.
func (p *importPayload) needsIndicator() bool {
	for _, s := range p.Sheets {
		if s.NeedsIndicator {
			return true
		}
	}
	return false
}

// batch is the one import batch a confirm writes. Preview and confirm both
// build it here, so the preview is computed from exactly what is written.
func (p *importPayload) batch(actor string) domain.Batch {
	return domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: p.FileName, Actor: actor, Observations: p.Observations}
}

// cleanFileName keeps a client's file name readable in logs and lists:
// no control characters, bounded length. It stays untrusted text that
// templates escape.
func cleanFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if name == "" {
		return "uppladdning"
	}
	return name
}

// readUpload parses an uploaded file with the configured limits. Problems
// with the whole file come back as the reader's *domain.Error (Swedish).
func (s *Server) readUpload(data []byte, fileName, indicator string, at time.Time) (*importPayload, error) {
	release, err := s.uploads.enter()
	if err != nil {
		return nil, err
	}
	defer release()
	env := s.deps.Env
	res, err := excel.Read(bytes.NewReader(data), excel.Options{
		Regions: env.Regions, Catalogue: env.Catalogue, Indicator: indicator,
		FileName: fileName, ImportedAt: at, Limits: s.deps.Upload,
	})
	if err != nil {
		return nil, err
	}
	p := &importPayload{FileName: fileName, Indicator: indicator, ImportedAt: at,
		Observations: res.Observations, Rejects: res.Rejects, Warnings: res.Warnings, Sheets: res.Sheets,
		Positions: res.Positions, MissingCells: res.MissingCells}
	if p.needsIndicator() {
		p.File = data
	}
	return p, nil
}

// savePending stores a parsed upload under a fresh random id.
func (s *Server) savePending(ctx context.Context, user string, p *importPayload) (string, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("import: encode preview of %s: %w", p.FileName, err)
	}
	now := s.now()
	id := randomToken()
	err = s.deps.Store.SavePending(ctx, domain.PendingImport{
		ID: id, UserName: user, FileName: p.FileName, CreatedAt: now, ExpiresAt: now.Add(pendingTTL), Payload: body,
	})
	return id, err
}

// replacePending puts a re-read file's preview under the old id, so the
// address the analyst has open stays valid.
func (s *Server) replacePending(ctx context.Context, pi domain.PendingImport, p *importPayload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("import: encode preview of %s: %w", p.FileName, err)
	}
	pi.FileName, pi.ExpiresAt, pi.Payload = p.FileName, s.now().Add(pendingTTL), body
	return s.deps.Store.ReplacePending(ctx, pi)
}

// loadPending finds a preview and checks that this user may see it: the
// uploader, or an admin.
func (s *Server) loadPending(ctx context.Context, id string, u *domain.User) (domain.PendingImport, *importPayload, error) {
	pi, err := s.deps.Store.Pending(ctx, id, s.now())
	if err != nil {
		return pi, nil, err
	}
	if pi.UserName != u.Name && !u.Role.AtLeast(domain.RoleAdmin) {
		return pi, nil, domain.Errorf(domain.CodeForbidden, "förhandsgranskningen tillhör en annan användare", nil)
	}
	var p importPayload
	if err := json.Unmarshal(pi.Payload, &p); err != nil {
		return pi, nil, fmt.Errorf("import: decode preview %s: %w", pi.FileName, err)
	}
	return pi, &p, nil
}

// diffHash fingerprints a diff: kind, old figure and its source, new figure
// of every cell. A confirm carries the hash of the preview it confirms; if
// the store's figures moved in between, the hash differs and the analyst
// sees the new preview instead of a blind write.
func diffHash(d domain.Diff) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, c := range d.Changes {
		_ = enc.Encode(c)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
