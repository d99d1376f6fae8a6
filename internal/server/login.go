package server

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

type loginContent struct {
	Next  string
	CSRF  string
	Error string
	Name  string
}

// setCookie sets a cookie for maxAge seconds; a negative maxAge deletes
// it. fasthttp writes Max-Age only when it is positive, so a deletion
// needs an expiry in the past: with MaxAge -1 alone the browser would keep
// an empty cookie until it closes.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge int) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HTTPOnly: true, Secure: s.deps.SecureCookies, SameSite: fiber.CookieSameSiteLaxMode}
	if maxAge < 0 {
		ck.Expires = time.Unix(0, 0)
	}
	c.Cookie(ck)
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	tok := randomToken()
	s.setCookie(c, loginCSRFCookie, tok, 3600)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "login", page{Title: "Logga in", Content: loginContent{Next: safeNext(c.Query("next")), CSRF: tok}})
}

func (s *Server) loginSubmit(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	name := strings.TrimSpace(c.FormValue("namn"))
	next := safeNext(c.FormValue("next"))
	cookieTok := c.Cookies(loginCSRFCookie)
	if cookieTok == "" || subtle.ConstantTimeCompare([]byte(cookieTok), []byte(c.FormValue("csrf"))) != 1 {
		return domain.Errorf(domain.CodeForbidden, "inloggningsformuläret har gått ut; ladda om sidan och försök igen", nil)
	}
	u, err := s.checkPassword(c, name, c.FormValue("losenord"))
	if err != nil {
		status, msg := statusOf(err), "Fel användarnamn eller lösenord."
		switch {
		case status == fiber.StatusTooManyRequests:
			msg = swedishFor(err, status)
		case domain.ErrorCode(err) != domain.CodeUnauthorized:
			return err
		}
		tok := randomToken()
		s.setCookie(c, loginCSRFCookie, tok, 3600)
		c.Status(status)
		return s.render(c, "login", page{Title: "Logga in", Content: loginContent{Next: next, CSRF: tok, Name: name, Error: msg}})
	}
	tok := randomToken()
	now := s.now()
	sess := domain.Session{TokenHash: hashToken(tok), UserID: u.ID, CSRFToken: randomToken(), CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}
	if err := s.deps.Store.CreateSession(c.UserContext(), sess); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, tok, int(sessionTTL.Seconds()))
	s.setCookie(c, loginCSRFCookie, "", -1)
	s.setCookie(c, deviceCookie, s.devices.mark(u.Name), int(deviceTTL.Seconds()))
	s.log.Info("login", "user", u.Name, "role", u.Role)
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) logout(c *fiber.Ctx) error {
	_, sess := s.currentUser(c)
	if sess != nil {
		if err := checkCSRF(c, sess); err != nil {
			return err
		}
		if err := s.deps.Store.DeleteSession(c.UserContext(), sess.TokenHash); err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	return c.Redirect("/", fiber.StatusSeeOther)
}
