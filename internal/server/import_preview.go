package server

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// The preview of an upload, and its confirmation or cancellation.

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
	if err := s.replacePending(c.UserContext(), pi, np); err != nil {
		return err
	}
	return c.Redirect("/import/"+pi.ID, fiber.StatusSeeOther)
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
	// The form always carries the hash of the preview it shows; without
	// it the analyst would confirm figures they have not seen.
	hash := strings.Clone(strings.TrimSpace(c.FormValue("hash")))
	if hash == "" && len(p.Observations) > 0 {
		return s.renderPreview(c, fiber.StatusBadRequest, pi, p, "", "Bekräftelsen saknar förhandsgranskningens kontrollsumma; bekräfta från sidan nedan.")
	}
	res, err := s.confirmImport(c, pi, p, hash, c.FormValue("granskat") == "1")
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
	next := "/import?klar=" + strconv.FormatInt(res.BatchID, 10)
	if ind, year := mainFigure(p.Observations); ind != "" {
		next += "&" + pIndicator + "=" + url.QueryEscape(ind) + "&" + pYear + "=" + strconv.Itoa(year)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// mainFigure is the indicator most of an upload's figures are for and
// the latest year among them: where "Visa i Jämför" leads after confirm.
func mainFigure(obs []domain.Observation) (string, int) {
	count, latest := map[string]int{}, map[string]int{}
	best := ""
	for _, o := range obs {
		count[o.Indicator]++
		latest[o.Indicator] = max(latest[o.Indicator], o.Year)
		if best == "" || count[o.Indicator] > count[best] || (count[o.Indicator] == count[best] && o.Indicator < best) {
			best = o.Indicator
		}
	}
	return best, latest[best]
}

// stalePreview means the confirmed preview no longer matches the store.
type stalePreview struct{ diff domain.Diff }

func (e *stalePreview) Error() string { return "import: preview is stale" }

// confirmImport is the confirm step shared by the page and the API.
// acceptedLarge says the analyst ticked that the changes beyond the
// indicators' max_change were looked at; without it such a file is not
// written.
func (s *Server) confirmImport(c *fiber.Ctx, pi domain.PendingImport, p *importPayload, wantHash string, acceptedLarge bool) (domain.Diff, error) {
	ctx := c.UserContext()
	u := s.user(c)
	if len(p.Observations) == 0 {
		return domain.Diff{}, domain.Invalid("filen har inga giltiga rader att importera; inget har sparats")
	}
	b := p.batch(u.Name)
	diff, err := s.deps.Store.Preview(ctx, b)
	if err != nil {
		return domain.Diff{}, err
	}
	if wantHash != "" && diffHash(diff) != wantHash {
		return domain.Diff{}, &stalePreview{diff: diff}
	}
	if n := len(domain.LargeChanges(diff, s.deps.Env.Catalogue)); n > 0 && !acceptedLarge {
		return domain.Diff{}, domain.Invalid("%d siffror ändras mer än rimligt mot dem som visas nu. Granska varningarna och kryssa i att du har gjort det innan du bekräftar; inget har sparats", n)
	}
	diff, err = s.deps.Store.Apply(ctx, b)
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
