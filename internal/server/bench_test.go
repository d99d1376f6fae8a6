package server_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
	"github.com/svenskaindustrikommuner/dashboard/internal/report/reporttest"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// BenchmarkServer measures pages and the API over loopback against the
// static-file baseline of the same server, on the SYNTHETIC datasets of
// internal/report/reporttest (see docs/benchmarks.md for the ratios):
//
//	go test -run '^$' -bench Server -benchtime 2s ./internal/server/
//
// "warm" requests hit the page cache; "cold" ones empty it first with
// Invalidate (the per-indicator tables stay, as after any request that is
// not the first since a data change); "table-load" reads one indicator's
// table from the SQLite store, the cost paid once per data change.
func BenchmarkServer(b *testing.B) {
	for _, ds := range []reporttest.Dataset{reporttest.Members, reporttest.Members20, reporttest.All} {
		b.Run(ds.Name, func(b *testing.B) {
			inst := seededInstance(b, ds)
			member := inst.Config.Network.Members[0].Code
			compare := "/jamfor?indikator=industrial_jobs&ar=" + strconv.Itoa(reporttest.LastYear-1) + "&matt=per1000&kommun=" + member
			api := "/api/v1/observations?indicator=population&municipality="
			for i, m := range inst.Config.Network.Members[:5] {
				if i > 0 {
					api += ","
				}
				api += m.Code
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
			cases := []struct {
				name, path string
				cold       bool
			}{
				{"static", "/static/style.css", false},
				{"static/uncompressed", "/static/style.css", false},
				{"compare/warm", compare, false},
				{"compare/cold", compare, true},
				{"api/warm", api, false},
				{"api/cold", api, true},
				{"overview/warm", "/", false},
				{"overview/cold", "/", true},
				{"overview-theme/cold", "/?tema=arbetsmarknad", true},
				{"profile/warm", "/kommun/" + member, false},
				{"profile/cold", "/kommun/" + member, true},
			}
			for _, tc := range cases {
				b.Run(tc.name, func(b *testing.B) {
					identity := strings.HasSuffix(tc.name, "/uncompressed")
					fetch(b, client, inst.URL+tc.path, identity) // fill the caches
					b.ReportAllocs()
					for b.Loop() {
						if tc.cold {
							inst.Server.Invalidate()
						}
						fetch(b, client, inst.URL+tc.path, identity)
					}
				})
			}
			b.Run("table-load", func(b *testing.B) {
				cat := inst.Config.Catalogue()
				for b.Loop() {
					if _, err := report.NewData(inst.Store, cat, 0).Table(context.Background(), "population"); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// seededInstance starts a server as cmd/dashboard wires it (data version
// polled every second) on an empty store filled with the synthetic dataset.
func seededInstance(b *testing.B, ds reporttest.Dataset) *servertest.Instance {
	return seededInstanceWith(b, ds, nil)
}

// seededInstanceWith is seededInstance with the dependencies adjusted.
func seededInstanceWith(b *testing.B, ds reporttest.Dataset, deps func(*server.Deps)) *servertest.Instance {
	b.Helper()
	inst := servertest.Start(b, servertest.Options{
		NoBundled: true,
		Configure: func(cfg *config.Config) { reporttest.Configure(cfg, ds) },
		Deps: func(d *server.Deps) {
			d.Data = report.NewData(d.Store, d.Env.Catalogue, time.Second)
			if deps != nil {
				deps(d)
			}
		},
	})
	for _, batch := range reporttest.Batches(reporttest.Observations(inst.Config, ds, time.Now().UTC())) {
		if _, err := inst.Store.Apply(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	inst.Server.Invalidate()
	return inst
}

// fetch asks as a browser does, for a brotli or gzip answer (the server
// compresses on the fly, and that is part of the cost), or for the plain
// answer when identity is set.
func fetch(b *testing.B, c *http.Client, url string, identity bool) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	if !identity {
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	}
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || n == 0 {
		b.Fatalf("%s: status %d, %d bytes, %v", url, resp.StatusCode, n, err)
	}
}

// BenchmarkColdPages is #15's budget: the overview and a member's profile
// built after a data change, at the country's size with about twenty
// indicators, against the static file of the same server in the same
// invocation (docs/benchmarks.md section 8):
//
//	go test -run '^$' -bench ColdPages -benchtime 2s ./internal/server/
//
// "cold" empties the page cache first (the tables stay: they are loaded
// once per data change, see BenchmarkServer's table-load). Each case also
// reports the gzip-compressed size of the page ("gz-bytes"). all (50
// indicators) takes minutes to seed; -bench 'ColdPages/(members20|all5|all20)/'
// leaves it out.
func BenchmarkColdPages(b *testing.B) {
	for _, ds := range []reporttest.Dataset{reporttest.Members20, reporttest.All5, reporttest.All20, reporttest.All} {
		b.Run(ds.Name, func(b *testing.B) {
			inst := seededInstance(b, ds)
			member := inst.Config.Network.Members[0].Code
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
			for _, tc := range []struct {
				name, path string
				cold       bool
			}{
				{"static", "/static/style.css", false},
				{"overview/cold", "/", true},
				{"profile/cold", "/kommun/" + member, true},
				{"profile/warm", "/kommun/" + member, false},
			} {
				b.Run(tc.name, func(b *testing.B) {
					size := gzipSize(b, client, inst.URL+tc.path)
					b.ReportAllocs()
					for b.Loop() {
						if tc.cold {
							inst.Server.Invalidate()
						}
						fetch(b, client, inst.URL+tc.path, false)
					}
					// After the loop: b.Loop's first call resets reported metrics.
					b.ReportMetric(float64(size), "gz-bytes")
				})
			}
		})
	}
}

// gzipSize is the size of the page as a browser asking for gzip gets it.
func gzipSize(b *testing.B, c *http.Client, url string) int64 {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: status %d, %v", url, resp.StatusCode, err)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		b.Fatalf("%s: Content-Encoding %q", url, resp.Header.Get("Content-Encoding"))
	}
	return n
}

// BenchmarkCompareMiss is issue #15's case: comparison pages at random
// indicator × year × highlighted municipality on the all5 dataset (290 ×
// 50 × 5), each URL new to the page cache, against the static file in the
// same run. The views' shared pieces are built in the first pass and
// reused afterwards, as in a server that has run a while since the data
// last changed:
//
//	go test -run '^$' -bench CompareMiss -benchtime 3s ./internal/server/
func BenchmarkCompareMiss(b *testing.B) {
	inst := seededInstance(b, reporttest.All5)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
	codes := reporttest.Codes(inst.Config, reporttest.All5)
	var urls []string
	for _, ind := range inst.Config.Indicators[:reporttest.All5.Indicators] {
		for y := reporttest.LastYear - reporttest.All5.Years + 1; y <= reporttest.LastYear; y++ {
			urls = append(urls, "/jamfor?indikator="+ind.ID+"&ar="+strconv.Itoa(y)+"&kommun=")
		}
	}
	b.Run("static", func(b *testing.B) {
		for b.Loop() {
			fetch(b, client, inst.URL+"/static/style.css", false)
		}
	})
	b.Run("compare/miss", func(b *testing.B) {
		for _, u := range urls { // build every view's pieces once
			fetch(b, client, inst.URL+u+codes[0], false)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			// Steps through municipalities and views so that no URL
			// repeats within 72,500 requests.
			fetch(b, client, inst.URL+urls[i%len(urls)]+codes[(i/len(urls)+i)%len(codes)], false)
			i++
		}
	})
}

// BenchmarkAfterChange is the first request after a data change (#15), on
// the country's size with about twenty indicators: "unwarmed" is what the
// first visitor paid before the warmer (a collector run tells report.Data
// only; every table is read again from the store), "warmed" is the first
// request once the warmer has rebuilt the pages after an upload. Each
// iteration writes one figure (untimed); "warm-ms" is how long the
// warmer's pass over the overview and every member's profile took,
// untimed too.
//
//	go test -run '^$' -bench AfterChange -benchtime 10x ./internal/server/
func BenchmarkAfterChange(b *testing.B) {
	ds := reporttest.All20
	var data *report.Data
	inst := seededInstanceWith(b, ds, func(d *server.Deps) {
		d.Warm, d.WarmCheck = true, time.Hour // woken by Invalidate only
		data = d.Data
	})
	member := inst.Config.Network.Members[0].Code
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
	value := 1000.0
	change := func(b *testing.B) {
		value++
		obs := []domain.Observation{{Municipality: member, Indicator: "population", Year: reporttest.LastYear, Value: value,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: reporttest.SourceRef}}}
		if _, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload,
			Label: reporttest.SourceRef, Actor: "benchmark", Observations: obs}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("static", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fetch(b, client, inst.URL+"/static/style.css", false)
		}
	})
	for _, path := range []string{"/", "/kommun/" + member} {
		name := "overview"
		if path != "/" {
			name = "profile"
		}
		b.Run(name+"/unwarmed", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				change(b)
				data.Invalidate() // as the scheduler does after a run
				b.StartTimer()
				fetch(b, client, inst.URL+path, false)
			}
		})
		b.Run(name+"/warmed", func(b *testing.B) {
			var warming time.Duration
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				change(b)
				start := time.Now()
				inst.Server.Invalidate() // as an upload does: wakes the warmer
				waitWarmedB(b, inst)
				warming += time.Since(start)
				b.StartTimer()
				fetch(b, client, inst.URL+path, false)
			}
			b.ReportMetric(float64(warming.Milliseconds())/float64(b.N), "warm-ms")
		})
	}
}

// waitWarmedB waits until the warmer has finished a pass for the store's
// current data version.
func waitWarmedB(b *testing.B, inst *servertest.Instance) {
	v, err := inst.Store.DataVersion(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for inst.Server.WarmedVersion() != v {
		if time.Now().After(deadline) {
			b.Fatalf("no warming pass for version %d", v)
		}
		time.Sleep(time.Millisecond)
	}
}
