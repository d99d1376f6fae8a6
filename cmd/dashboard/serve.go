package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"runtime/debug"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/bundled"
	"github.com/svenskaindustrikommuner/dashboard/internal/members"
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

// defaultMemoryLimit is the Go runtime's soft memory limit for serve when
// GOMEMLIMIT is not set. Two 1,000,000-cell uploads parsed at once
// (upload.max_parallel) otherwise let garbage pile up to ~760 MB RSS; with
// this limit the collector runs earlier and four parallel uploads peak
// under 600 MB (docs/benchmarks.md). It is soft: a larger live heap is
// still allowed, only collected more often.
const defaultMemoryLimit = 400 << 20

func serve(ctx context.Context, a *app, args []string) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := a.load(ctx, *cfgPath, true); err != nil {
		return err
	}
	if _, err := a.groupRegistry(ctx); err != nil {
		return err
	}
	env := a.env()
	// The member list an admin last saved replaces the configured one.
	memberReg := members.New(a.store, a.cfg.MemberList(), env.Regions, a.clock.Now)
	if list, edited, err := memberReg.List(ctx); err != nil {
		return err
	} else if edited {
		env.SetMembers(members.Active(list))
	}
	reg := metrics.NewRegistry() // one registry: /metrics shows requests and runs
	data := report.NewData(a.store, env.Catalogue, dataPoll, report.WithClock(a.clock))
	// After a scheduled write the pages see the new data version at once;
	// the server's page cache follows the version.
	sched, err := a.newScheduler(scheduler.DefaultRetry, data.Invalidate, reg)
	if err != nil {
		return err
	}
	proxies, err := a.cfg.TrustedProxyPrefixes() // validated with the config
	if err != nil {
		return err
	}
	first := newStartCollect(a)
	backups, err := a.startBackups(ctx, reg)
	if err != nil {
		return err
	}
	defer backups.stop()
	var backupsView server.Backups // stays a nil interface when not scheduled
	if backups != nil {
		backupsView = backups
	}
	app, _, err := server.New(server.Deps{
		StartupNotice: first.Notice,
		Store:         a.store, Env: env, Data: data, Log: a.log, Clock: a.clock,
		PublicPages: a.cfg.PublicPages, SecureCookies: a.cfg.SecureCookies,
		Members: memberReg, ReportedMembers: a.cfg.Network.ReportedMembers, ReportedSource: a.cfg.Network.ReportedSource,
		OnDataVersion: a.reloadGroups,
		Upload:        uploadLimits(a.cfg.Upload), UploadParallel: a.cfg.Upload.MaxParallel, DescribeSource: bundled.Describe,
		Scheduler: schedulerView{sched}, Metrics: reg, MetricsAdminOnly: a.cfg.MetricsAdminOnly,
		FrameAncestors: a.cfg.FrameAncestors, TrustedProxies: proxies, Backups: backupsView,
		// The overview and members' profiles are rebuilt in the background
		// after every data change; the warmer notices a collector run or
		// another instance's write within the data poll.
		Warm: true, WarmCheck: dataPoll,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	url := openURL(ln.Addr())
	a.log.Info("serving", "addr", ln.Addr().String(), "url", url, "database", a.store.Dialect())
	a.printf("Dashboarden är igång: öppna %s i webbläsaren (Ctrl+C stoppar).\n", url)
	sched.Start()
	defer a.stopScheduler(sched)
	// Decided before the first request (one query; the runs themselves go
	// on in the background), so the first page already carries the notice:
	// a page the warmer built before has no notice in its cache key and is
	// not served once there is one.
	first.start(ctx, a, sched)
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

// openURL is the address to type into a browser on this machine: a
// listener on every interface (":8080") is reached as localhost.
func openURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
