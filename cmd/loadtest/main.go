// Command loadtest measures the dashboard as docs/benchmarks.md reports
// it. Every figure it prints comes with the baseline measured in the same
// run, because absolute numbers on a shared two-core machine say little;
// ratios travel.
//
//	loadtest -mode http -dataset members|all [-c 16] [-d 10s] [-url URL]
//	    drives concurrent clients over loopback against a static file, the
//	    comparison page (fixed and varying URLs) and the observations API;
//	    prints requests/s, p50/p99 latency and the ratio to the static file.
//	    Without -url it starts the server in-process on a temporary SQLite
//	    store filled with a SYNTHETIC dataset (internal/report/reporttest).
//	loadtest -mode serve -dataset all5 [-paths FILE]
//	    starts that seeded server and waits, for wrk or a browser; with
//	    -paths it writes every comparison-page path of the dataset
//	    (indicator × year × highlighted municipality), one a line, for
//	    cmd/loadtest/jamfor.lua (docs/benchmarks.md §7).
//	loadtest -mode refresh
//	    runs the SCB and Kolada collectors against local servers replaying
//	    the recorded answers in collectors/*/testdata; prints the requests
//	    per source and the time spent waiting for rate limits.
//	loadtest -mode coldstart -bin PATH [-n 10]
//	    starts the built dashboard binary on a fresh data directory and
//	    times the first 200 answer of "/".
//	loadtest -mode upload [-n 5]
//	loadtest -mode uploads -bin PATH [-n 4]   (server peak RSS, n parallel API uploads)
//	    writes a 1,000,000-cell workbook, then reads it in separate
//	    processes with collectors/excel and with excelize's raw streaming
//	    rows; prints cells/s, the ratio and each process's peak RSS.
//
// Run it from the repository root (refresh reads collectors/*/testdata).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		slog.Error("loadtest", "err", err)
		os.Exit(1)
	}
}

type options struct {
	mode        string
	dataset     string
	url         string
	db          string
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	bin         string
	n           int
	file        string
	reader      string
	root        string
	only        string
	cpuprofile  string
	paths       string
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.mode, "mode", "http", "http, serve, refresh, coldstart, upload, uploads")
	fs.StringVar(&o.dataset, "dataset", "members", "synthetic dataset: members (26×30×6), members20 (26×30×20), all (290×50×50), all5 (290×50×5) or all20 (290×50×20)")
	fs.StringVar(&o.url, "url", "", "http: drive this server instead of starting one (it must serve the same synthetic dataset)")
	fs.StringVar(&o.db, "db", "", "http/serve: an empty database URL to seed instead of a temporary SQLite file")
	fs.IntVar(&o.concurrency, "c", 16, "http: concurrent clients")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "http: measuring time per target")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "http: unmeasured time per target before measuring")
	fs.StringVar(&o.bin, "bin", "", "coldstart: the built dashboard binary")
	fs.IntVar(&o.n, "n", 0, "coldstart/upload: repetitions (default 10 and 5)")
	fs.StringVar(&o.file, "file", "", "upload-read: the workbook (internal)")
	fs.StringVar(&o.reader, "reader", "", "upload-read: ours or raw (internal)")
	fs.StringVar(&o.root, "root", ".", "refresh: the repository root")
	fs.StringVar(&o.only, "only", "", "http: run only the targets whose name contains this (the static baseline always runs)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "http: write a CPU profile of the whole process (server and clients) to this file")
	fs.StringVar(&o.paths, "paths", "", "serve: write the dataset's comparison-page paths to this file, for wrk")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch o.mode {
	case "http":
		return runHTTP(ctx, o, stdout)
	case "serve":
		return runServe(ctx, o, stdout)
	case "refresh":
		return runRefresh(ctx, o, stdout)
	case "coldstart":
		return runColdStart(ctx, o, stdout)
	case "upload":
		return runUpload(ctx, o, stdout)
	case "uploads":
		return runUploads(ctx, o, stdout)
	case "upload-read":
		return runUploadRead(o, stdout)
	}
	return fmt.Errorf("unknown mode %q", o.mode)
}
