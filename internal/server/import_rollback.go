package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// Rolling back an import batch.

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
