package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

func (s *Server) routes(app *fiber.App) {
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(s.requestLog)
	app.Use(s.securityHeaders)
	// Pages, API answers and assets arrive compressed already (cache.go,
	// static.go); spreadsheets are zip files. The middleware handles the
	// rest (logged-in pages, admin, errors).
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed, Next: func(c *fiber.Ctx) bool {
		return c.Query("format") == "xlsx" || strings.HasSuffix(c.Path(), ".xlsx")
	}}))

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/metrics", s.metricsAllowed, s.serveMetrics)
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
	pages.Get("/statlig-narvaro", s.statePage)
	pages.Get("/kandidater", s.candidatesPage)
	pages.Get("/om-data", s.aboutPage)

	api := app.Group("/api/v1", s.pagesAllowed)
	api.Get("/municipalities", s.apiMunicipalities)
	api.Get("/indicators", s.apiIndicators)
	api.Get("/observations", s.apiObservations)
	api.Get("/discrepancies", s.apiDiscrepancies)

	s.importRoutes(app)
	s.userAdminRoutes(app)
	s.memberAdminRoutes(app)
	s.sourceAdminRoutes(app)
}

// pagesAllowed lets anyone read when pages are public; otherwise it asks
// for a login.
func (s *Server) pagesAllowed(c *fiber.Ctx) error {
	if s.deps.PublicPages {
		return c.Next()
	}
	return s.requireRole(domain.RoleViewer)(c)
}
