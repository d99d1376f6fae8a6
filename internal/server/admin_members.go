package server

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/members"
)

// memberAdminRoutes registers the member list page: admins add and remove
// members with evidence and the year joined; the change is stored with
// who and when and shows on every page at once, no restart.
func (s *Server) memberAdminRoutes(app *fiber.App) {
	g := app.Group("/admin/medlemmar", s.requireRole(domain.RoleAdmin))
	g.Get("", s.membersPage)
	g.Post("", s.memberAdd)
	g.Post("/ta-bort", s.memberRemove)
}

type membersContent struct {
	Rows      []memberRow
	Removed   []memberRow
	Kommuner  []option
	Edited    bool // the list was edited here (else it is the configured one)
	Enabled   bool // nil registry: read-only
	Reported  int
	Notice    string
	Error     string
	Form      domain.Member
	JoinedMax int
}

type memberRow struct {
	Code, Name, Evidence, EvidenceDate, Joined, ChangedBy, ChangedAt string
}

// memberList is the member entries in use: the registry's, else the
// configured list the environment was built with.
func (s *Server) memberList(ctx context.Context) ([]domain.Member, bool, error) {
	if s.deps.Members != nil {
		return s.deps.Members.List(ctx)
	}
	var out []domain.Member
	for _, c := range s.deps.Env.MemberCodes() {
		out = append(out, domain.Member{Code: c, Active: true})
	}
	return out, false, nil
}

func (s *Server) renderMembers(c *fiber.Ctx, status int, content membersContent) error {
	list, edited, err := s.memberList(c.UserContext())
	if err != nil {
		return err
	}
	content.Edited, content.Enabled, content.Reported = edited, s.deps.Members != nil, s.deps.ReportedMembers
	content.JoinedMax = s.now().Year() + 1
	for _, m := range list {
		row := memberRow{Code: m.Code, Name: s.deps.Env.Regions.Name(m.Code), Evidence: m.Evidence, EvidenceDate: m.EvidenceDate, ChangedBy: m.ChangedBy}
		if m.Joined > 0 {
			row.Joined = strconv.Itoa(m.Joined)
		}
		if !m.ChangedAt.IsZero() {
			row.ChangedAt = localTime(m.ChangedAt)
		}
		if m.Active {
			content.Rows = append(content.Rows, row)
		} else {
			content.Removed = append(content.Removed, row)
		}
	}
	for _, r := range s.deps.Env.Regions.Municipalities() {
		if !s.deps.Env.IsMember(r.Code) {
			content.Kommuner = append(content.Kommuner, option{Value: r.Code, Label: r.Name + " (" + r.Code + ")", Selected: r.Code == content.Form.Code})
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "admin_members", page{Title: "Medlemmar", Nav: "members", Content: content})
}

func (s *Server) membersPage(c *fiber.Ctx) error {
	content := membersContent{}
	// The code comes from the redirect after a change; say only what the
	// list confirms, so a crafted link cannot make the page claim a change.
	if code := strings.Clone(c.Query("tillagd")); code != "" && s.deps.Env.IsMember(code) {
		content.Notice = s.deps.Env.Regions.Name(code) + " är tillagd som medlem."
	}
	if code := strings.Clone(c.Query("borttagen")); code != "" && domain.KindOf(code) == domain.KindMunicipality && !s.deps.Env.IsMember(code) {
		content.Notice = s.deps.Env.Regions.Name(code) + " är borttagen ur medlemslistan."
	}
	return s.renderMembers(c, fiber.StatusOK, content)
}

func (s *Server) memberRefused(c *fiber.Ctx, err error, form domain.Member) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	return s.renderMembers(c, status, membersContent{Error: swedishFor(err, status), Form: form})
}

func (s *Server) memberAdd(c *fiber.Ctx) error {
	form := domain.Member{Code: strings.Clone(c.FormValue("kod")), Evidence: strings.Clone(c.FormValue("belagg")), EvidenceDate: strings.Clone(c.FormValue("datum"))}
	if s.deps.Members == nil {
		return s.memberRefused(c, domain.Invalid("medlemslistan kan inte ändras här; den kommer från konfigurationen"), form)
	}
	if j := strings.TrimSpace(c.FormValue("intradesar")); j != "" {
		n, err := strconv.Atoi(j)
		if err != nil {
			return s.memberRefused(c, domain.Invalid("inträdesåret ska vara ett årtal, t.ex. 2021"), form)
		}
		form.Joined = n
	}
	if err := s.deps.Members.Add(c.UserContext(), form, s.user(c).Name); err != nil {
		return s.memberRefused(c, err, form)
	}
	if err := s.applyMembers(c.UserContext()); err != nil {
		return err
	}
	s.log.Info("member added", "by", s.user(c).Name, "code", form.Code)
	return c.Redirect("/admin/medlemmar?tillagd="+url.QueryEscape(strings.TrimSpace(form.Code)), fiber.StatusSeeOther)
}

func (s *Server) memberRemove(c *fiber.Ctx) error {
	code := strings.Clone(c.FormValue("kod"))
	if s.deps.Members == nil {
		return s.memberRefused(c, domain.Invalid("medlemslistan kan inte ändras här; den kommer från konfigurationen"), domain.Member{})
	}
	if err := s.deps.Members.Remove(c.UserContext(), code, strings.Clone(c.FormValue("belagg")), s.user(c).Name); err != nil {
		return s.memberRefused(c, err, domain.Member{})
	}
	if err := s.applyMembers(c.UserContext()); err != nil {
		return err
	}
	s.log.Info("member removed", "by", s.user(c).Name, "code", code)
	return c.Redirect("/admin/medlemmar?borttagen="+url.QueryEscape(strings.TrimSpace(code)), fiber.StatusSeeOther)
}

// newVersion runs once when this instance first sees a new data version:
// another instance may have edited the members or refreshed the groups
// (both move the version), so pick them up before building the page. A
// failed read keeps the list in use.
func (s *Server) newVersion(ctx context.Context) {
	if s.deps.Members != nil {
		if list, edited, err := s.deps.Members.List(ctx); err != nil {
			s.log.Warn("member list not reloaded", "err", err)
		} else if edited {
			s.deps.Env.SetMembers(members.Active(list))
		}
	}
	if s.deps.OnDataVersion != nil {
		s.deps.OnDataVersion(ctx)
	}
}

// applyMembers puts the stored list in use and drops cached pages, which
// all show members.
func (s *Server) applyMembers(ctx context.Context) error {
	list, _, err := s.deps.Members.List(ctx)
	if err != nil {
		return err
	}
	s.deps.Env.SetMembers(members.Active(list))
	s.Invalidate()
	return nil
}
