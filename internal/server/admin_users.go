package server

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// userAdminRoutes registers the user administration page. It has its own
// group so it needs nothing from other /admin pages: every request must
// come from an admin, and posts carry the session's CSRF token.
func (s *Server) userAdminRoutes(app *fiber.App) {
	g := app.Group("/admin/anvandare", s.requireRole(domain.RoleAdmin))
	g.Get("", s.usersPage)
	g.Post("", s.userAdd)
	g.Post("/ta-bort", s.userRemove)
}

type usersContent struct {
	Users  []userRow
	Roles  []option
	Name   string
	Notice string
	Error  string
}

type userRow struct {
	Name, RoleLabel, Created string
	Self                     bool
}

func (s *Server) renderUsers(c *fiber.Ctx, status int, content usersContent) error {
	users, err := s.deps.Store.Users(c.UserContext())
	if err != nil {
		return err
	}
	me := s.user(c)
	for _, u := range users {
		content.Users = append(content.Users, userRow{Name: u.Name, RoleLabel: u.Role.Label(), Created: localTime(u.CreatedAt), Self: me != nil && me.Name == u.Name})
	}
	for _, r := range []domain.Role{domain.RoleViewer, domain.RoleAnalyst, domain.RoleAdmin} {
		content.Roles = append(content.Roles, option{Value: string(r), Label: r.Label(), Selected: r == domain.RoleAnalyst})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "admin_users", page{Title: "Användare", Nav: "users", Content: content})
}

func (s *Server) usersPage(c *fiber.Ctx) error {
	content := usersContent{}
	// The names come from the redirect after a change; a crafted link must
	// not make the page claim something that is not so.
	if n := strings.Clone(c.Query("tillagd")); n != "" {
		if _, err := s.deps.Store.UserByName(c.UserContext(), n); err == nil {
			content.Notice = "Användaren " + n + " är tillagd."
		}
	}
	if n := strings.Clone(c.Query("borttagen")); n != "" && domain.CheckUserName(n) == nil {
		if _, err := s.deps.Store.UserByName(c.UserContext(), n); domain.ErrorCode(err) == domain.CodeNotFound {
			content.Notice = "Användaren " + n + " är borttagen."
		}
	}
	return s.renderUsers(c, fiber.StatusOK, content)
}

// userRefused re-shows the page with a Swedish message for a refused
// change; internal errors go to the error handler.
func (s *Server) userRefused(c *fiber.Ctx, err error, name string) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	return s.renderUsers(c, status, usersContent{Error: swedishFor(err, status), Name: name})
}

func (s *Server) userAdd(c *fiber.Ctx) error {
	name := strings.Clone(c.FormValue("namn"))
	role := domain.Role(strings.Clone(c.FormValue("roll")))
	if err := domain.CheckUserName(name); err != nil {
		return s.userRefused(c, err, name)
	}
	if !role.Valid() {
		return s.userRefused(c, domain.Invalid("välj en roll: läsare, analytiker eller administratör"), name)
	}
	hash, err := domain.HashPassword(c.FormValue("losenord"))
	if err != nil {
		return s.userRefused(c, err, name)
	}
	if _, err := s.deps.Store.CreateUser(c.UserContext(), domain.User{Name: name, Role: role, PasswordHash: hash, CreatedAt: s.now()}); err != nil {
		return s.userRefused(c, err, name)
	}
	s.log.Info("user added", "by", s.user(c).Name, "user", name, "role", role)
	return c.Redirect("/admin/anvandare?tillagd="+url.QueryEscape(name), fiber.StatusSeeOther)
}

func (s *Server) userRemove(c *fiber.Ctx) error {
	name := strings.Clone(c.FormValue("namn"))
	me := s.user(c)
	if name == me.Name {
		return s.userRefused(c, domain.Invalid("du kan inte ta bort dig själv; be en annan administratör"), "")
	}
	if err := s.deps.Store.DeleteUser(c.UserContext(), name); err != nil {
		return s.userRefused(c, err, "")
	}
	s.log.Info("user removed", "by", me.Name, "user", name)
	return c.Redirect("/admin/anvandare?borttagen="+url.QueryEscape(name), fiber.StatusSeeOther)
}
