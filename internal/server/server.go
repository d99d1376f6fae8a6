// Package server is the dashboard's web front: Fiber handlers for the
// pages, the JSON API, exports, uploads and admin, with server-side HTML
// templates. Pages are built from report views; the server adds HTTP
// concerns (parameters, caching, auth, errors) and nothing statistical.
package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Store is what the server needs of the store.
type Store interface {
	domain.ObservationStore
	domain.RunStore
	domain.UserStore
	domain.PendingStore
	Ping(ctx context.Context) error
}

// Deps are the server's collaborators, wired by hand in cmd/dashboard.
type Deps struct {
	Store Store
	Env   *report.Env
	Data  *report.Data
	Log   *slog.Logger
	// PublicPages lets anonymous visitors read the comparison pages.
	PublicPages bool
	// SecureCookies marks session cookies Secure (behind TLS).
	SecureCookies bool
	// MemberEvidence says, per member code, where the membership is
	// documented (config).
	MemberEvidence map[string]string
	// Now is the clock, replaceable in tests.
	Now func() time.Time
}

// Server holds the wired dependencies and the template set.
type Server struct {
	deps   Deps
	log    *slog.Logger
	pages  *pageSet
	cache  *pageCache
	logins *loginLimiter
	now    func() time.Time
}

// New builds the Fiber app with every route.
func New(d Deps) (*fiber.App, *Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	pages, err := loadPages()
	if err != nil {
		return nil, nil, err
	}
	s := &Server{deps: d, log: d.Log, pages: pages, cache: newPageCache(512), logins: newLoginLimiter(), now: d.Now}
	app := fiber.New(fiber.Config{
		AppName:               "industrikommuner-dashboard",
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		BodyLimit:             64 << 20,
	})
	s.routes(app)
	app.Use(func(c *fiber.Ctx) error {
		return domain.NotFound("sidan %s finns inte", c.Path())
	})
	return app, s, nil
}
