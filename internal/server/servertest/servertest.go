// Package servertest starts a real dashboard server for tests: a SQLite
// store in a temporary directory with the bundled figures, the shipped
// configuration, and a listener on a free loopback port.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
	"github.com/svenskaindustrikommuner/dashboard/internal/members"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// Instance is a running server.
type Instance struct {
	URL    string
	Store  *sqlstore.Store
	Server *server.Server
	App    *fiber.App
	Config *config.Config
}

// Options adjust the instance.
type Options struct {
	// NoBundled starts with an empty store.
	NoBundled bool
	// Public sets whether pages are public (default true).
	Private bool
	// Configure may change the configuration before wiring.
	Configure func(*config.Config)
	// Deps may change the dependencies before the server is built.
	Deps func(*server.Deps)
	// Store, when set, is used instead of a new SQLite file: several
	// instances can share one database, as in production.
	Store *sqlstore.Store
	// Poll is how stale another instance's writes may look (0: checked
	// on every request).
	Poll time.Duration
}

// Start starts an instance and stops it when the test ends.
func Start(t testing.TB, o Options) *Instance {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if o.Configure != nil {
		o.Configure(cfg)
	}
	st := o.Store
	if st == nil {
		var err error
		st, err = sqlite.Open(filepath.Join(t.TempDir(), "dashboard.db"), sqlstore.WithPrecedence(cfg.Precedence))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if !o.NoBundled {
		if _, err := bundled.LoadIfEmpty(ctx, st, time.Date(2025, 11, 1, 12, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	set, err := groups.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	env := &report.Env{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Members: cfg.MemberCodes(),
		NetworkName: cfg.Network.Name, Precedence: domain.Precedence(cfg.Precedence), Groups: groups.NewRegistry(set), Checks: cfg.CrossChecks}
	deps := server.Deps{Store: st, Env: env, Data: report.NewData(st, env.Catalogue, o.Poll),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicPages: !o.Private, DescribeSource: bundled.Describe,
		Members:         members.New(st, cfg.MemberList(), env.Regions, time.Now),
		ReportedMembers: cfg.Network.ReportedMembers, ReportedSource: cfg.Network.ReportedSource}
	if o.Deps != nil {
		o.Deps(&deps)
	}
	app, srv, err := server.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return &Instance{URL: "http://" + ln.Addr().String(), Store: st, Server: srv, App: app, Config: cfg}
}
