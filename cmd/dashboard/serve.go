package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
	"github.com/svenskaindustrikommuner/dashboard/internal/scheduler"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
)

func init() {
	register(command{name: "serve", usage: "visa dashboarden (standard)", run: serve})
}

// dataPoll bounds how long another instance's write may take to show here.
const dataPoll = time.Second

func serve(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := a.load(ctx, *cfgPath, true); err != nil {
		return err
	}
	if err := a.loadBundled(ctx); err != nil {
		return err
	}
	env := a.env()
	server.SetSourceDescriber(bundled.Describe)
	evidence := map[string]string{}
	for _, m := range a.cfg.Network.Members {
		evidence[m.Code] = m.Evidence
	}
	// The scheduler drops the page cache after each write; srv is set
	// before the scheduler starts.
	var srv *server.Server
	reg := metrics.NewRegistry() // one registry: /metrics shows requests and runs
	sched, err := a.newScheduler(scheduler.DefaultRetry, func() { srv.Invalidate() }, reg)
	if err != nil {
		return err
	}
	app, srv, err := server.New(server.Deps{
		Store: a.store, Env: env, Data: report.NewData(a.store, env.Catalogue, dataPoll), Log: a.log,
		PublicPages: a.cfg.PublicPages, SecureCookies: a.cfg.SecureCookies, MemberEvidence: evidence,
		Upload:    uploadLimits(a.cfg.Upload),
		Scheduler: schedulerView{sched}, Metrics: reg, MetricsAdminOnly: a.cfg.MetricsAdminOnly,
		FrameAncestors: a.cfg.FrameAncestors,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "database", a.store.Dialect())
	sched.Start()
	defer a.stopScheduler(sched)
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down: finishing requests in flight")
	if err := app.ShutdownWithTimeout(30 * time.Second); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
