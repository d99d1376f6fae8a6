// Package server is the dashboard's web front: Fiber handlers for the
// pages, the JSON API, exports, uploads and admin, with server-side HTML
// templates. Pages are built from report views; the server adds HTTP
// concerns (parameters, caching, auth, errors) and nothing statistical.
package server

import (
	"context"
	"log/slog"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"golang.org/x/sync/singleflight"

	"github.com/svenskaindustrikommuner/dashboard/collectors/excel"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/members"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Store is what the server needs of the store.
type Store interface {
	domain.ObservationStore
	domain.RunStore
	domain.UserStore
	domain.PendingStore
	Ping(ctx context.Context) error
	// CheckWritable proves a write would succeed (readiness).
	CheckWritable(ctx context.Context) error
}

// Deps are the server's collaborators, wired by hand in cmd/dashboard.
type Deps struct {
	// StartupNotice (optional) is the notice every page shows while the
	// first collection runs, or after it failed ("" for none). It is part
	// of the page cache's key, so a page never shows a stale notice.
	StartupNotice func() string
	Store         Store
	Env           *report.Env
	Data          *report.Data
	Log           *slog.Logger
	// PublicPages lets anonymous visitors read the comparison pages.
	PublicPages bool
	// SecureCookies marks session cookies Secure (behind TLS).
	SecureCookies bool
	// Members is the member list admins edit at /admin/medlemmar; a
	// change takes effect on every page at once (Env.SetMembers). nil: the
	// configured list, read-only.
	Members *members.Registry
	// ReportedMembers is how many members the network says it has, and
	// ReportedSource where it says so (config network.reported_*).
	ReportedMembers int
	ReportedSource  string
	// OnDataVersion runs once when this instance first sees a new data
	// version, before the page is built, after the member list is reloaded:
	// cmd reloads the Kolada groups another instance may have stored.
	OnDataVersion func(context.Context)
	// Upload bounds what one uploaded spreadsheet may cost (config
	// upload.*); zero fields take excel.DefaultLimits.
	Upload excel.Limits
	// UploadParallel is how many uploads are parsed at once (config
	// upload.max_parallel; 0 means 2); UploadWait how long another waits
	// for a turn before it is refused with 503 (0 means 10 s).
	UploadParallel int
	UploadWait     time.Duration
	// Metrics receives request, page-cache and data-version figures and is
	// served at /metrics. nil makes New create one; pass the same registry
	// to the scheduler and the import code so one scrape shows all.
	Metrics *metrics.Registry
	// MetricsAdminOnly puts /metrics behind an admin login (session or HTTP
	// basic auth). By default it is open: operators scrape it on loopback
	// and it holds no figures, names or users.
	MetricsAdminOnly bool
	// Scheduler runs the open-data collectors; the sources page lists it
	// and its "Kör nu" button triggers it. nil: the page says it is off.
	Scheduler Scheduler
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (config trusted_proxies); empty: the header is ignored.
	TrustedProxies []netip.Prefix
	// Backups takes the scheduled copies of a SQLite store; the sources
	// page shows its last outcome. nil: not scheduled.
	Backups Backups
	// FrameAncestors lists the origins (https://www.example.se) allowed to
	// show the pages in a frame (config frame_ancestors); empty: none.
	FrameAncestors []string
	// DescribeSource names bundled sources (their publisher) for pages,
	// exports and the API; "" or nil falls back to the kind and reference.
	DescribeSource func(domain.Source) string
	// Clock stamps sessions, uploads and users and times login limits and
	// requests; nil is the wall clock.
	Clock clock.Clock
	// Warm rebuilds the overview and every member's profile in the
	// background whenever the data version moves, so nobody meets a cold
	// page (warm.go). Only with PublicPages: a logged-in user's pages are
	// not cached.
	Warm bool
	// WarmCheck is how often the warmer asks for the data version, to
	// notice a collector run or another instance's write (0: every
	// second); a write on this instance wakes it at once.
	WarmCheck time.Duration
}

// Server holds the wired dependencies and the template set.
type Server struct {
	deps  Deps
	log   *slog.Logger
	pages *pageSet
	cache *pageCache
	// compares keeps the comparison page's views (compare_fast.go).
	compares *compareCache
	// compareWhole turns the comparison page's fast path off (tests).
	compareWhole atomic.Bool
	logins       *loginThrottle
	// devices recognises browsers that have logged in before (login_device.go).
	devices *deviceMarks
	// uploads bounds the uploads parsed at once (upload_gate.go).
	uploads *uploadGate
	clock   clock.Clock
	known   knownRoutes // route patterns, for the metrics labels
	// metricsHandler is the registry's exposition as a Fiber handler.
	metricsHandler fiber.Handler
	// security is the header policy set on every response (headers.go).
	security securityPolicy
	// countyIx is the pickers' counties and their municipalities in
	// Swedish order, built on first use.
	countyIx countyIndex
	// flight builds a missing cached page once for all who ask at once.
	flight singleflight.Group
	// warm rebuilds pages after a data change; nil when off (warm.go).
	warm *warmer
}

// now is the server's clock's time.
func (s *Server) now() time.Time { return s.clock.Now() }

// New builds the Fiber app with every route.
func New(d Deps) (*fiber.App, *Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Clock == nil {
		d.Clock = clock.Real{}
	}
	if d.Metrics == nil {
		d.Metrics = metrics.NewRegistry()
	}
	s := &Server{deps: d, log: d.Log, cache: newPageCache(512), compares: newCompareCache(compareEntries), logins: newLoginThrottle(), clock: d.Clock,
		uploads:  newUploadGate(d.UploadParallel, d.UploadWait),
		security: newSecurityPolicy(d.FrameAncestors, d.SecureCookies), metricsHandler: adaptor.HTTPHandler(d.Metrics.Handler())}
	devices, err := newDeviceMarks()
	if err != nil {
		return nil, nil, err
	}
	s.devices = devices
	extra := s.sourceFuncs()
	extra["compareDyn"] = compareDynFunc(s)
	pages, err := loadPages(extra)
	if err != nil {
		return nil, nil, err
	}
	s.pages = pages
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
	s.startWarming(app)
	return app, s, nil
}
