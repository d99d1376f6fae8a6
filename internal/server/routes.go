package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func (s *Server) routes(app *fiber.App) {
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(s.requestLog)
	app.Use(securityHeaders)
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	s.staticRoutes(app)

	app.Get("/logga-in", s.loginPage)
	app.Post("/logga-in", s.loginSubmit)
	app.Post("/logga-ut", s.logout)

	pages := app.Group("", s.pagesAllowed)
	pages.Get("/", s.overviewPage)
	pages.Get("/jamfor", s.comparePage)
	pages.Get("/kommun/:code", s.profilePage)
	pages.Get("/kommuner", s.municipalitiesPage)
	pages.Get("/trend", s.trendPage)
	pages.Get("/karta", s.mapPage)
	pages.Get("/om-data", s.aboutPage)

	api := app.Group("/api/v1", s.pagesAllowed)
	api.Get("/municipalities", s.apiMunicipalities)
	api.Get("/indicators", s.apiIndicators)
	api.Get("/observations", s.apiObservations)
}

// pagesAllowed lets anyone read when pages are public; otherwise it asks
// for a login.
func (s *Server) pagesAllowed(c *fiber.Ctx) error {
	if s.deps.PublicPages {
		return c.Next()
	}
	return s.requireRole(domain.RoleViewer)(c)
}
