package server

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// The import API gives scripts the same steps as the pages: upload (a
// preview is stored), look at the diff and rejects, confirm, roll back.
// Authentication is a session with the X-CSRF-Token header, or HTTP Basic.

type apiChange struct {
	Municipality string         `json:"municipality"`
	Indicator    string         `json:"indicator"`
	Year         int            `json:"year"`
	Kind         string         `json:"kind"`
	Old          *float64       `json:"old,omitempty"`
	New          float64        `json:"new"`
	OldSource    *domain.Source `json:"old_source,omitempty"`
}

type apiDiff struct {
	BatchID   int64       `json:"batch_id,omitempty"`
	New       int         `json:"new"`
	Changed   int         `json:"changed"`
	Unchanged int         `json:"unchanged"`
	Shadowed  int         `json:"shadowed"`
	Changes   []apiChange `json:"changes"`
}

func toAPIDiff(d domain.Diff) apiDiff {
	out := apiDiff{BatchID: d.BatchID, New: d.New, Changed: d.Changed, Unchanged: d.Unchanged, Shadowed: d.Shadowed,
		Changes: make([]apiChange, 0, len(d.Changes))}
	for _, c := range d.Changes {
		out.Changes = append(out.Changes, apiChange{Municipality: c.Key.Municipality, Indicator: c.Key.Indicator, Year: c.Key.Year,
			Kind: string(c.Kind), Old: c.Old, New: c.New, OldSource: c.OldFrom})
	}
	return out
}

type apiReject struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

type apiSheet struct {
	Name           string `json:"name"`
	Layout         string `json:"layout"`
	Indicator      string `json:"indicator,omitempty"`
	Rows           int    `json:"rows"`
	Missing        int    `json:"missing"`
	NeedsIndicator bool   `json:"needs_indicator"`
	Note           string `json:"note,omitempty"`
}

type apiPreview struct {
	ID             string    `json:"id"`
	FileName       string    `json:"file_name"`
	User           string    `json:"user"`
	ExpiresAt      time.Time `json:"expires_at"`
	Figures        int       `json:"figures"`
	NeedsIndicator bool      `json:"needs_indicator"`
	DiffHash       string    `json:"diff_hash"`
	Diff           apiDiff   `json:"diff"`
	// LargeChanges are changes beyond the indicators' max_change; confirm
	// then needs accept_large_changes=true.
	LargeChanges []apiChange `json:"large_changes"`
	Rejects      []apiReject `json:"rejects"`
	// Warnings are cells read with a caveat (a formula's stored result).
	Warnings []apiReject `json:"warnings"`
	Sheets   []apiSheet  `json:"sheets"`
}

func toAPIRejects(rs []excel.Reject) []apiReject {
	out := make([]apiReject, 0, len(rs))
	for _, r := range rs {
		out = append(out, apiReject{Sheet: r.Sheet, Row: r.Row, Column: r.Column, Value: r.Value, Reason: r.Reason})
	}
	return out
}

func toAPISheets(ss []excel.SheetInfo) []apiSheet {
	out := make([]apiSheet, 0, len(ss))
	for _, s := range ss {
		out = append(out, apiSheet{Name: s.Name, Layout: s.Layout, Indicator: s.Indicator, Rows: s.Rows, Missing: s.Missing,
			NeedsIndicator: s.NeedsIndicator, Note: s.Note})
	}
	return out
}

func (s *Server) apiPreviewOf(c *fiber.Ctx, pi domain.PendingImport, p *importPayload) (apiPreview, error) {
	diff, err := s.deps.Store.Preview(c.UserContext(), p.batch(s.user(c).Name))
	if err != nil {
		return apiPreview{}, err
	}
	return apiPreview{ID: pi.ID, FileName: p.FileName, User: pi.UserName, ExpiresAt: pi.ExpiresAt, Figures: len(p.Observations),
		NeedsIndicator: p.needsIndicator(), DiffHash: diffHash(diff), Diff: toAPIDiff(diff),
		LargeChanges: toAPIDiff(domain.Diff{Changes: domain.LargeChanges(diff, s.deps.Env.Catalogue)}).Changes,
		Rejects:      toAPIRejects(p.Rejects), Warnings: toAPIRejects(p.Warnings), Sheets: toAPISheets(p.Sheets)}, nil
}

func noStore(c *fiber.Ctx) { c.Set(fiber.HeaderCacheControl, "no-store") }

// apiImportCreate answers POST /api/v1/imports (multipart: file, optional
// indicator) with the preview; nothing is written to the figures.
func (s *Server) apiImportCreate(c *fiber.Ctx) error {
	noStore(c)
	u := s.user(c)
	data, name, indicator, err := s.receiveUpload(c)
	if err != nil {
		return err
	}
	p, err := s.readUpload(data, name, indicator, s.now())
	if err != nil {
		return err
	}
	id, err := s.savePending(c.UserContext(), u.Name, p)
	if err != nil {
		return err
	}
	pi, err := s.deps.Store.Pending(c.UserContext(), id, s.now())
	if err != nil {
		return err
	}
	out, err := s.apiPreviewOf(c, pi, p)
	if err != nil {
		return err
	}
	s.log.Info("upload previewed (api)", "user", u.Name, "file", p.FileName, "figures", len(p.Observations), "rejects", len(p.Rejects))
	return c.Status(fiber.StatusCreated).JSON(out)
}

// apiImportShow answers GET /api/v1/imports/:id with the preview as it is
// now.
func (s *Server) apiImportShow(c *fiber.Ctx) error {
	noStore(c)
	pi, p, err := s.loadPending(c.UserContext(), strings.Clone(c.Params("id")), s.user(c))
	if err != nil {
		return err
	}
	out, err := s.apiPreviewOf(c, pi, p)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// apiImportConfirm answers POST /api/v1/imports/:id/confirm. With
// diff_hash (form or query) it refuses with 409 and the new diff when the
// figures moved since that preview; without it, it writes and returns the
// diff actually applied.
func (s *Server) apiImportConfirm(c *fiber.Ctx) error {
	noStore(c)
	pi, p, err := s.loadPending(c.UserContext(), strings.Clone(c.Params("id")), s.user(c))
	if err != nil {
		return err
	}
	hash := strings.Clone(c.FormValue("diff_hash", c.Query("diff_hash")))
	accept := strings.Clone(c.FormValue("accept_large_changes", c.Query("accept_large_changes")))
	diff, err := s.confirmImport(c, pi, p, hash, accept == "1" || accept == "true")
	if err != nil {
		var stale *stalePreview
		if errors.As(err, &stale) {
			return c.Status(fiber.StatusConflict).JSON(fiber.Map{
				"error":     fiber.Map{"status": fiber.StatusConflict, "message": "siffrorna har ändrats sedan förhandsgranskningen; granska den nya skillnaden och bekräfta igen"},
				"diff":      toAPIDiff(stale.diff),
				"diff_hash": diffHash(stale.diff),
			})
		}
		return err
	}
	return c.JSON(fiber.Map{"batch_id": diff.BatchID, "diff": toAPIDiff(diff)})
}

// apiImportList answers GET /api/v1/imports with the batch list, newest
// first.
func (s *Server) apiImportList(c *fiber.Ctx) error {
	noStore(c)
	list, err := s.deps.Store.Batches(c.UserContext(), 200)
	if err != nil {
		return err
	}
	if list == nil {
		list = []domain.BatchInfo{}
	}
	return c.JSON(fiber.Map{"data": list})
}

// apiRollback answers POST /api/v1/batches/:id/rollback.
func (s *Server) apiRollback(c *fiber.Ctx) error {
	noStore(c)
	b, err := s.batchForRollback(c)
	if err != nil {
		return err
	}
	if err := s.deps.Store.Rollback(c.UserContext(), b.ID, s.user(c).Name); err != nil {
		return err
	}
	s.Invalidate()
	s.deps.Metrics.RecordImport(metrics.ImportRolledBack)
	s.log.Info("import rolled back (api)", "user", s.user(c).Name, "batch", b.ID)
	return c.JSON(fiber.Map{"batch_id": b.ID, "status": domain.BatchRolledBack})
}

// importRejectsCSV downloads every rejected row of a preview, for files
// with more rejects than the page shows.
func (s *Server) importRejectsCSV(c *fiber.Ctx) error {
	_, p, err := s.loadPending(c.UserContext(), strings.Clone(c.Params("id")), s.user(c))
	if err != nil {
		return err
	}
	body, ctype, disp, err := rejectsCSV(p)
	if err != nil {
		return err
	}
	noStore(c)
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, disp)
	return c.Send(body)
}
