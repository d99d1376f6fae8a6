package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// multipartSlack is what a multipart form may add around the file itself
// (boundaries, headers, the CSRF and indicator fields).
const multipartSlack = 64 << 10

// importRoutes registers the upload pages and the import API. Every route
// needs the analyst role; requireRole also checks the CSRF token of every
// browser request that changes something.
func (s *Server) importRoutes(app *fiber.App) {
	analyst := s.requireRole(domain.RoleAnalyst)
	// The upload routes check the declared size before the role check
	// reads the multipart form for its CSRF token; registered before the
	// group, they end their chain themselves.
	app.Post("/import", s.uploadSizeGuard, analyst, s.importUpload)
	app.Post("/api/v1/imports", s.uploadSizeGuard, analyst, s.apiImportCreate)
	imp := app.Group("/import", analyst)
	imp.Get("", s.importList)
	imp.Get("/mall.xlsx", s.importTemplate)
	imp.Get("/batch/:id/angra", s.rollbackConfirmPage)
	imp.Post("/batch/:id/angra", s.rollbackSubmit)
	imp.Get("/:id", s.importPreview)
	imp.Get("/:id/avvisade.csv", s.importRejectsCSV)
	imp.Post("/:id/indikator", s.importChooseIndicator)
	imp.Post("/:id/bekrafta", s.importConfirm)
	imp.Post("/:id/avbryt", s.importCancel)

	app.Get("/api/v1/imports", analyst, s.apiImportList)
	app.Get("/api/v1/imports/:id", analyst, s.apiImportShow)
	app.Post("/api/v1/imports/:id/confirm", analyst, s.apiImportConfirm)
	app.Post("/api/v1/batches/:id/rollback", analyst, s.apiRollback)
}

// maxUploadBytes is the configured upload size limit.
func (s *Server) maxUploadBytes() int64 {
	if s.deps.Upload.MaxFileBytes > 0 {
		return s.deps.Upload.MaxFileBytes
	}
	return excel.DefaultLimits().MaxFileBytes
}

func formatMB(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	if n >= 1<<20 {
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	return strconv.FormatInt(max(n>>10, 1), 10) + " kB"
}

// tooLarge is the refusal of an oversized upload, before any parsing.
func (s *Server) tooLarge() error {
	msg := "Filen är för stor: högst " + formatMB(s.maxUploadBytes()) + " tillåts."
	return domain.Errorf(domain.CodeInvalid, msg, fiber.NewError(fiber.StatusRequestEntityTooLarge, "upload over the limit"))
}

// uploadSizeGuard refuses a body larger than the upload limit allows, by
// its Content-Length, before anything reads it as a form.
func (s *Server) uploadSizeGuard(c *fiber.Ctx) error {
	if int64(c.Request().Header.ContentLength()) > s.maxUploadBytes()+multipartSlack {
		return s.tooLarge()
	}
	return c.Next()
}

// user is the logged-in user; requireRole guarantees one on these routes.
func (s *Server) user(c *fiber.Ctx) *domain.User {
	u, _ := s.currentUser(c)
	if u == nil {
		u, _ = c.Locals(localsUser).(*domain.User)
	}
	return u
}

// receiveUpload reads the multipart file field "fil" ("file" for scripts)
// within the size limit (uploadSizeGuard has checked the declared size).
// It returns the bytes, the client's file name and the chosen indicator.
func (s *Server) receiveUpload(c *fiber.Ctx) (data []byte, name, indicator string, err error) {
	limit := s.maxUploadBytes()
	fh, err := c.FormFile("fil")
	if errors.Is(err, fasthttp.ErrMissingFile) {
		fh, err = c.FormFile("file") // the API's English name
	}
	if err != nil {
		if errors.Is(err, fiber.ErrUnprocessableEntity) || errors.Is(err, multipart.ErrMessageTooLarge) {
			return nil, "", "", s.tooLarge()
		}
		return nil, "", "", domain.Errorf(domain.CodeInvalid, "Välj en fil att ladda upp.", fmt.Errorf("import: form file: %w", err))
	}
	if fh.Size > limit {
		return nil, "", "", s.tooLarge()
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", "", fmt.Errorf("import: open upload: %w", err)
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "", "", fmt.Errorf("import: read upload: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, "", "", s.tooLarge()
	}
	// Copies: Fiber reuses its buffers once the handler returns.
	return data, cleanFileName(strings.Clone(fh.Filename)), strings.Clone(strings.TrimSpace(c.FormValue("indikator", c.FormValue("indicator")))), nil
}

// ---- pages ----

func (s *Server) importList(c *fiber.Ctx) error {
	content := importListContent{}
	ctx := c.UserContext()
	if id, err := strconv.ParseInt(c.Query("klar"), 10, 64); err == nil {
		if b, err := s.deps.Store.Batch(ctx, id); err == nil {
			content.Notice = savedNotice(b)
		}
	}
	if id, err := strconv.ParseInt(c.Query("angrad"), 10, 64); err == nil {
		content.Notice = fmt.Sprintf("Import %d är ångrad: siffrorna som fanns före den är återställda.", id)
	}
	if c.Query("avbruten") != "" {
		content.Notice = "Importen avbröts. Inget sparades."
	}
	return s.renderImportList(c, fiber.StatusOK, content)
}

func (s *Server) renderImportList(c *fiber.Ctx, status int, content importListContent) error {
	list, err := s.deps.Store.Batches(c.UserContext(), 200)
	if err != nil {
		return err
	}
	content.Batches = batchRows(list, s.user(c))
	content.Indicators = s.indicatorOptions("", nil)
	content.MaxSize = formatMB(s.maxUploadBytes())
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "import", page{Title: "Importera siffror", Nav: "import", Content: content})
}

// uploadRefused shows a whole-file problem (size, format, hostile file) on
// the upload page, with the reader's Swedish message. Nothing was written.
func (s *Server) uploadRefused(c *fiber.Ctx, err error) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	s.log.Info("upload refused", "status", status, "err", err)
	return s.renderImportList(c, status, importListContent{Error: swedishFor(err, status)})
}

func (s *Server) importUpload(c *fiber.Ctx) error {
	u := s.user(c)
	data, name, indicator, err := s.receiveUpload(c)
	if err != nil {
		return s.uploadRefused(c, err)
	}
	p, err := s.readUpload(data, name, indicator, s.now())
	if err != nil {
		return s.uploadRefused(c, err)
	}
	id, err := s.savePending(c.UserContext(), u.Name, p)
	if err != nil {
		return err
	}
	s.log.Info("upload previewed", "user", u.Name, "file", p.FileName, "figures", len(p.Observations), "rejects", len(p.Rejects))
	return c.Redirect("/import/"+id, fiber.StatusSeeOther)
}

func (s *Server) importTemplate(c *fiber.Ctx) error {
	env := s.deps.Env
	members := make([]domain.Region, 0, len(env.Members))
	for _, code := range env.Members {
		if r, ok := env.Regions.Get(code); ok {
			members = append(members, r)
		}
	}
	var buf bytes.Buffer
	if err := excel.WriteTemplate(&buf, members, env.Catalogue); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mall_industrikommuner.xlsx"`)
	return c.Send(buf.Bytes())
}

func (s *Server) importPreview(c *fiber.Ctx) error {
	pi, p, err := s.loadPending(c.UserContext(), strings.Clone(c.Params("id")), s.user(c))
	if err != nil {
		return err
	}
	return s.renderPreview(c, fiber.StatusOK, pi, p, "", "")
}

// renderPreview computes the diff now, with the store's own Preview (the
// same computation Apply uses), so the page always shows what a confirm
// would write at this moment.
func (s *Server) renderPreview(c *fiber.Ctx, status int, pi domain.PendingImport, p *importPayload, notice, errMsg string) error {
	diff, err := s.deps.Store.Preview(c.UserContext(), p.batch(s.user(c).Name))
	if err != nil {
		return err
	}
	v := s.previewView(pi, p, diff)
	v.Notice, v.Error = notice, errMsg
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "import_preview", page{Title: "Förhandsgranska " + p.FileName, Nav: "import", Content: v})
}

func (s *Server) importChooseIndicator(c *fiber.Ctx) error {
	u := s.user(c)
	pi, p, err := s.loadPending(c.UserContext(), strings.Clone(c.Params("id")), u)
	if err != nil {
		return err
	}
	if len(p.File) == 0 {
		return domain.Invalid("filen finns inte kvar; ladda upp den igen och välj indikator vid uppladdningen")
	}
	indicator := strings.Clone(strings.TrimSpace(c.FormValue("indikator")))
	if indicator == "" {
		return s.renderPreview(c, fiber.StatusBadRequest, pi, p, "", "Välj en indikator.")
	}
	np, err := s.readUpload(p.File, p.FileName, indicator, p.ImportedAt)
	if err != nil {
		if statusOf(err) >= 500 {
			return err
		}
		return s.renderPreview(c, statusOf(err), pi, p, "", swedishFor(err, statusOf(err)))
	}
	id, err := s.savePending(c.UserContext(), pi.UserName, np)
	if err != nil {
		return err
	}
	if err := s.deps.Store.DeletePending(c.UserContext(), pi.ID); err != nil {
		return err
	}
	return c.Redirect("/import/"+id, fiber.StatusSeeOther)
}

// importConfirm writes the previewed file as one batch. If the figures in
// the store changed since the preview the analyst saw (the hash differs),
// nothing is written and the new preview is shown to confirm again.
func (s *Server) importConfirm(c *fiber.Ctx) error {
	u := s.user(c)
	ctx := c.UserContext()
	pi, p, err := s.loadPending(ctx, strings.Clone(c.Params("id")), u)
	if err != nil {
		return err
	}
	res, err := s.confirmImport(c, pi, p, strings.Clone(c.FormValue("hash")))
	if err != nil {
		var stale *stalePreview
		if errors.As(err, &stale) {
			return s.renderPreview(c, fiber.StatusConflict, pi, p,
				"Siffrorna i databasen har ändrats sedan förhandsgranskningen. Nedan är den nya förhandsgranskningen; kontrollera den och bekräfta igen.", "")
		}
		if domain.ErrorCode(err) == domain.CodeInvalid {
			return s.renderPreview(c, fiber.StatusBadRequest, pi, p, "", domain.UserMessage(err, "Importen kunde inte sparas."))
		}
		return err
	}
	return c.Redirect("/import?klar="+strconv.FormatInt(res.BatchID, 10), fiber.StatusSeeOther)
}

// stalePreview means the confirmed preview no longer matches the store.
type stalePreview struct{ diff domain.Diff }

func (e *stalePreview) Error() string { return "import: preview is stale" }

// confirmImport is the confirm step shared by the page and the API.
func (s *Server) confirmImport(c *fiber.Ctx, pi domain.PendingImport, p *importPayload, wantHash string) (domain.Diff, error) {
	ctx := c.UserContext()
	u := s.user(c)
	if len(p.Observations) == 0 {
		return domain.Diff{}, domain.Invalid("filen har inga giltiga rader att importera; inget har sparats")
	}
	b := p.batch(u.Name)
	if wantHash != "" {
		diff, err := s.deps.Store.Preview(ctx, b)
		if err != nil {
			return domain.Diff{}, err
		}
		if diffHash(diff) != wantHash {
			return domain.Diff{}, &stalePreview{diff: diff}
		}
	}
	diff, err := s.deps.Store.Apply(ctx, b)
	if err != nil {
		return domain.Diff{}, err
	}
	if wantHash != "" && diffHash(diff) != wantHash {
		// Another write landed between the check and the transaction; the
		// batch list shows what was actually written.
		s.log.Warn("import: figures changed between preview check and apply", "batch", diff.BatchID)
	}
	if err := s.deps.Store.DeletePending(ctx, pi.ID); err != nil {
		s.log.Error("import: delete confirmed preview", "id", pi.ID, "err", err)
	}
	s.Invalidate()
	s.deps.Metrics.RecordImport(metrics.ImportConfirmed)
	s.log.Info("import confirmed", "user", u.Name, "file", p.FileName, "batch", diff.BatchID,
		"new", diff.New, "changed", diff.Changed, "unchanged", diff.Unchanged, "shadowed", diff.Shadowed)
	return diff, nil
}

func (s *Server) importCancel(c *fiber.Ctx) error {
	pi, _, err := s.loadPending(c.UserContext(), strings.Clone(c.Params("id")), s.user(c))
	if err != nil {
		return err
	}
	if err := s.deps.Store.DeletePending(c.UserContext(), pi.ID); err != nil {
		return err
	}
	return c.Redirect("/import?avbruten=1", fiber.StatusSeeOther)
}

// ---- roll back ----

type rollbackContent struct {
	Batch batchRow
}

// batchForRollback finds a batch and checks this user may roll it back:
// an analyst their own uploads, an admin any batch.
func (s *Server) batchForRollback(c *fiber.Ctx) (domain.BatchInfo, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.BatchInfo{}, domain.NotFound("importen finns inte")
	}
	b, err := s.deps.Store.Batch(c.UserContext(), id)
	if err != nil {
		return b, err
	}
	if !canRollback(s.user(c), b) {
		return b, domain.Errorf(domain.CodeForbidden, "du får bara ångra dina egna uppladdningar; en administratör kan ångra andras", nil)
	}
	return b, nil
}

func (s *Server) rollbackConfirmPage(c *fiber.Ctx) error {
	b, err := s.batchForRollback(c)
	if err != nil {
		return err
	}
	rows := batchRows([]domain.BatchInfo{b}, s.user(c))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "import_rollback", page{Title: "Ångra import " + strconv.FormatInt(b.ID, 10), Nav: "import", Content: rollbackContent{Batch: rows[0]}})
}

func (s *Server) rollbackSubmit(c *fiber.Ctx) error {
	b, err := s.batchForRollback(c)
	if err != nil {
		return err
	}
	u := s.user(c)
	if err := s.deps.Store.Rollback(c.UserContext(), b.ID, u.Name); err != nil {
		if domain.ErrorCode(err) == domain.CodeConflict {
			return s.renderImportList(c, fiber.StatusConflict, importListContent{Error: domain.UserMessage(err, "Importen kunde inte ångras.")})
		}
		return err
	}
	s.Invalidate()
	s.deps.Metrics.RecordImport(metrics.ImportRolledBack)
	s.log.Info("import rolled back", "user", u.Name, "batch", b.ID)
	return c.Redirect("/import?angrad="+strconv.FormatInt(b.ID, 10), fiber.StatusSeeOther)
}
