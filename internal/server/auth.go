package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

const (
	sessionCookie = "sik_session"
	// loginCSRFCookie carries the login form's token before there is a
	// session (double-submit).
	loginCSRFCookie = "sik_login_csrf"
	sessionTTL      = 12 * time.Hour
	localsUser      = "sik.user"
	localsSession   = "sik.session"
	localsBasic     = "sik.basic"
	// localsLookupErr holds a session lookup that failed for another
	// reason than an unknown or expired session (the database is down).
	localsLookupErr = "sik.lookuperr"
)

// dummyHash makes a login for an unknown user cost as much as for a known
// one, so timing does not reveal which names exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not-a-real-password"), bcrypt.DefaultCost)

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// currentUser returns the logged-in user of this request, if any, looked
// up once per request.
func (s *Server) currentUser(c *fiber.Ctx) (*domain.User, *domain.Session) {
	if u, ok := c.Locals(localsUser).(*domain.User); ok {
		sess, _ := c.Locals(localsSession).(*domain.Session)
		return u, sess
	}
	tok := c.Cookies(sessionCookie)
	if tok == "" {
		return nil, nil
	}
	sess, u, err := s.deps.Store.SessionUser(c.UserContext(), hashToken(tok), s.now())
	if err != nil {
		if domain.ErrorCode(err) != domain.CodeUnauthorized {
			// The visitor may well be logged in; requireRole must not
			// answer "du måste logga in" when the database is down.
			s.log.Error("session lookup", "err", err)
			c.Locals(localsLookupErr, err)
		}
		return nil, nil
	}
	c.Locals(localsUser, &u)
	c.Locals(localsSession, &sess)
	return &u, &sess
}

// anonymous reports whether the request carries no session and no
// credentials: only such requests may share cached pages. A request with
// HTTP Basic credentials and no session is not anonymous: where pages
// need a login its page names the user in the header, and a shared copy
// would show that name (and that role's menu) to the next visitor.
func (s *Server) anonymous(c *fiber.Ctx) bool {
	return c.Cookies(sessionCookie) == "" && len(c.Request().Header.Peek(fiber.HeaderAuthorization)) == 0
}

// basicUser authenticates a script by HTTP Basic credentials. The server
// never sends a Basic challenge, so browsers never store such credentials
// and cross-site requests cannot carry them: no CSRF token is needed.
func (s *Server) basicUser(c *fiber.Ctx) (*domain.User, error) {
	h := c.Get(fiber.HeaderAuthorization)
	if !strings.HasPrefix(h, "Basic ") {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
	if err != nil {
		return nil, domain.Errorf(domain.CodeUnauthorized, "felaktiga inloggningsuppgifter", err)
	}
	name, pw, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, domain.Errorf(domain.CodeUnauthorized, "felaktiga inloggningsuppgifter", nil)
	}
	return s.checkPassword(c, name, pw)
}

// checkPassword verifies a name and password, slowed per name and client
// address after failures (loginThrottle; a browser that has logged in as
// name before is slowed by the name's own failures only).
func (s *Server) checkPassword(c *fiber.Ctx, name, pw string) (*domain.User, error) {
	ip := s.clientIP(c)
	known := s.devices.knows(c.Cookies(deviceCookie), name)
	if wait := s.logins.wait(ip, name, known, s.now()); wait > 0 {
		s.log.Info("login throttled", "user", name, "ip", ip, "wait", wait)
		return nil, throttled(c, wait)
	}
	u, err := s.deps.Store.UserByName(c.UserContext(), name)
	if err != nil {
		if domain.ErrorCode(err) != domain.CodeNotFound {
			return nil, err
		}
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(pw))
		s.logins.fail(ip, name, s.now())
		return nil, domain.Errorf(domain.CodeUnauthorized, "fel användarnamn eller lösenord", nil)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(pw)) != nil {
		s.logins.fail(ip, name, s.now())
		s.log.Info("login failed", "user", name, "ip", ip)
		return nil, domain.Errorf(domain.CodeUnauthorized, "fel användarnamn eller lösenord", nil)
	}
	s.logins.succeed(name)
	return &u, nil
}

// requireRole lets a request through only for a user with at least the
// role. Pages redirect anonymous visitors to the login; the API answers
// 401. Browser requests that change something must carry the session's
// CSRF token.
func (s *Server) requireRole(role domain.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, sess := s.currentUser(c)
		// A route may sit behind two role checks (pages and its own);
		// the second must still know the user came by Basic.
		viaBasic := c.Locals(localsBasic) == true
		if u == nil {
			bu, err := s.basicUser(c)
			if err != nil {
				return err
			}
			if bu != nil {
				u, viaBasic = bu, true
				c.Locals(localsUser, u)
				c.Locals(localsBasic, true)
			}
		}
		if u == nil {
			if err, ok := c.Locals(localsLookupErr).(error); ok {
				return dbDown(err)
			}
			if isAPI(c) || c.Method() != fiber.MethodGet {
				return domain.Errorf(domain.CodeUnauthorized, "du måste logga in", nil)
			}
			return c.Redirect("/logga-in?next="+url.QueryEscape(string([]byte(c.OriginalURL()))), fiber.StatusSeeOther)
		}
		if !u.Role.AtLeast(role) {
			return domain.Errorf(domain.CodeForbidden, "din roll ("+u.Role.Label()+") får inte göra detta; det kräver "+role.Label(), nil)
		}
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead && !viaBasic {
			if err := checkCSRF(c, sess); err != nil {
				return err
			}
		}
		return c.Next()
	}
}

// checkCSRF compares the form's or header's token with the session's in
// constant time.
func checkCSRF(c *fiber.Ctx, sess *domain.Session) error {
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("csrf")
	}
	if sess == nil || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
		return domain.Errorf(domain.CodeForbidden, "formuläret har gått ut eller kom från en annan webbplats; ladda om sidan och försök igen", errors.New("csrf token mismatch"))
	}
	return nil
}
