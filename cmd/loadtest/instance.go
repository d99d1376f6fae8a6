package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
	"github.com/svenskaindustrikommuner/dashboard/internal/report/reporttest"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/store"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// dataPoll is the production server's data-version poll interval
// (cmd/dashboard serve), so the server under load behaves as deployed.
const dataPoll = time.Second

// instance is a dashboard server wired as cmd/dashboard wires it, on a
// temporary store seeded with a synthetic dataset.
type instance struct {
	URL     string
	Config  *config.Config
	Dataset reporttest.Dataset
	Store   *sqlstore.Store
	Server  *server.Server
	Metrics *metrics.Registry
	app     *fiber.App
	dir     string
	Seeded  time.Duration // time to write the synthetic figures
}

// startInstance opens a store (a new SQLite file in a temporary directory
// unless dbURL names one: it must then be an empty database), writes the
// synthetic dataset in one batch per indicator, and serves on loopback.
func startInstance(ctx context.Context, ds reporttest.Dataset, dbURL string) (*instance, error) {
	cfg, err := config.Default()
	if err != nil {
		return nil, err
	}
	reporttest.Configure(cfg, ds)
	in := &instance{Config: cfg, Dataset: ds}
	if dbURL == "" {
		if in.dir, err = os.MkdirTemp("", "loadtest-"); err != nil {
			return nil, err
		}
		dbURL = "sqlite:" + filepath.Join(in.dir, "dashboard.db")
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(dbURL, sqlstore.WithPrecedence(cfg.Precedence), sqlstore.WithLogger(quiet))
	if err != nil {
		return nil, err
	}
	in.Store = st
	if _, err := st.Migrate(ctx); err != nil {
		in.Close()
		return nil, err
	}
	start := time.Now()
	for _, b := range reporttest.Batches(reporttest.Observations(cfg, ds, time.Now().UTC())) {
		if _, err := st.Apply(ctx, b); err != nil {
			in.Close()
			return nil, fmt.Errorf("seed %s: %w", b.Label, err)
		}
	}
	in.Seeded = time.Since(start)

	env := &report.Env{Regions: cfg.RegionIndex(), Catalogue: cfg.Catalogue(), Members: cfg.MemberCodes(),
		NetworkName: cfg.Network.Name, Precedence: domain.Precedence(cfg.Precedence), Checks: cfg.CrossChecks}
	in.Metrics = metrics.NewRegistry()
	// Requests are logged as in production (JSON, one line each), into a
	// discarding writer: the formatting is counted, the disk is not.
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	app, srv, err := server.New(server.Deps{Store: st, Env: env, Data: report.NewData(st, env.Catalogue, dataPoll),
		Log: log, PublicPages: true, Metrics: in.Metrics, DescribeSource: bundled.Describe})
	if err != nil {
		in.Close()
		return nil, err
	}
	in.app, in.Server = app, srv
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		in.Close()
		return nil, err
	}
	go func() { _ = app.Listener(ln) }()
	in.URL = "http://" + ln.Addr().String()
	return in, nil
}

// Close stops the server and removes the temporary store.
func (in *instance) Close() {
	if in.app != nil {
		_ = in.app.ShutdownWithTimeout(5 * time.Second)
	}
	if in.Store != nil {
		_ = in.Store.Close()
	}
	if in.dir != "" {
		_ = os.RemoveAll(in.dir)
	}
}
