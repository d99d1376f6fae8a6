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

func (s *Server) importList(c *fiber.Ctx) error {
	content := importListContent{}
	ctx := c.UserContext()
	if id, err := strconv.ParseInt(c.Query("klar"), 10, 64); err == nil {
		if b, err := s.deps.Store.Batch(ctx, id); err == nil {
			content.Notice = savedNotice(b)
			// The link is built from a known indicator and a year, never
			// from the query text itself.
			year, yerr := strconv.Atoi(c.Query(pYear))
			if ind, ok := s.deps.Env.Catalogue.Get(c.Query(pIndicator)); ok && yerr == nil && year >= 1900 && year <= 2100 {
				content.CompareLink = link("/jamfor", pIndicator, ind.ID, pYear, strconv.Itoa(year))
				content.CompareLabel = ind.Name + " " + strconv.Itoa(year)
			}
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
	members := make([]domain.Region, 0, len(env.MemberCodes()))
	for _, code := range env.MemberCodes() {
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
