package server

import (
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// Metrics returns the registry the server records into, so cmd can hand
// the same one to the scheduler and the import flow.
func (s *Server) Metrics() *metrics.Registry { return s.deps.Metrics }

// knownRoutes is the set of "METHOD pattern" of the real routes (not
// middleware), built on the first request, when every route is registered.
type knownRoutes struct {
	once sync.Once
	set  map[string]bool
}

func (k *knownRoutes) has(app *fiber.App, method, path string) bool {
	k.once.Do(func() {
		k.set = map[string]bool{}
		for _, r := range app.GetRoutes(true) {
			k.set[r.Method+" "+r.Path] = true
		}
	})
	return k.set[method+" "+path]
}

// routeLabel is the pattern of the route that answered. When the chain
// ended in a middleware (the not-found fallback, a group's login check)
// Fiber's last matched route is that middleware's prefix; such requests
// share one of two labels instead. A middleware registered at "/" has the
// same method and pattern as the overview page, which only answers the
// path "/" itself.
func (s *Server) routeLabel(c *fiber.Ctx, status int) string {
	r := c.Route()
	if r != nil && s.known.has(c.App(), r.Method, r.Path) && (r.Path != "/" || c.Path() == "/") {
		return r.Path
	}
	if status == fiber.StatusNotFound {
		return "(unmatched)"
	}
	return "(middleware)"
}

// methodLabel maps the method to a constant string: Fiber's method string
// may share a buffer that is reused for the next request, and a map key
// must not change under the registry.
func methodLabel(m string) string {
	switch m {
	case fiber.MethodGet:
		return fiber.MethodGet
	case fiber.MethodHead:
		return fiber.MethodHead
	case fiber.MethodPost:
		return fiber.MethodPost
	case fiber.MethodPut:
		return fiber.MethodPut
	case fiber.MethodDelete:
		return fiber.MethodDelete
	case fiber.MethodPatch:
		return fiber.MethodPatch
	case fiber.MethodOptions:
		return fiber.MethodOptions
	}
	return "OTHER"
}

// metricsAllowed keeps /metrics open unless Deps.MetricsAdminOnly is set;
// then it takes an admin's session or HTTP basic credentials, and answers
// 401 (not a redirect to the login page, which a scraper would read as a
// broken exposition) when none are given.
func (s *Server) metricsAllowed(c *fiber.Ctx) error {
	if !s.deps.MetricsAdminOnly {
		return c.Next()
	}
	if s.anonymous(c) {
		return domain.Errorf(domain.CodeUnauthorized, "mätvärdena kräver inloggning som administratör", nil)
	}
	return s.requireRole(domain.RoleAdmin)(c)
}

// serveMetrics writes the registry through client_golang's handler: the
// Prometheus text format, or OpenMetrics when the scraper asks for it. The
// data version is read at scrape time (it is polled, not a database query
// per scrape), so instances that disagree for long stand out.
func (s *Server) serveMetrics(c *fiber.Ctx) error {
	if s.deps.Data != nil {
		if v, err := s.deps.Data.Version(c.UserContext()); err == nil {
			s.deps.Metrics.SetDataVersion(v)
		} else {
			s.log.Warn("metrics: data version", "err", err)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.metricsHandler(c)
}
