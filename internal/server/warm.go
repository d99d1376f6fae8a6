package server

import (
	"context"
	"net"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
)

// Warming: after the data change (a collector run, an upload or rollback,
// another instance's write) the overview and every member's profile are
// built again in the background, so the network's own people never meet
// the cold page. They are the pages everyone opens first; the other pages
// have too many views to build ahead.
//
// One goroutine builds one page at a time, so warming takes at most one of
// the machine's cores from the requests. It builds each page through the
// app's own handler, as an anonymous browser asking for the default view
// would, so the cache key and the body are by construction those a real
// request gets: the page cache (keyed by data version) and its single
// flight (cache.go) do the rest. A request during warming builds its page
// itself or waits for the build in flight; it never gets a page of an older
// version, because every cached page is keyed by the version it was built
// for, and the cache empties when the version moves.

// warmLocal marks a warming request in the request's user values (which
// no client can set): the request log and the page-cache metrics leave
// it out.
type warmLocal struct{}

// defaultWarmCheck is how often the warmer asks for the data version to
// notice a collector run or another instance's write; report.Data asks
// the store at most once per its own poll interval.
const defaultWarmCheck = time.Second

type warmer struct {
	s       *Server
	handler fasthttp.RequestHandler // the app's, routes and middleware
	check   time.Duration
	// kick wakes the warmer at once after a local write (Invalidate).
	kick chan struct{}
	// gen counts local writes: a purge without a new version (a member
	// edit) still needs its pages rebuilt.
	gen  atomic.Int64
	stop chan struct{}
	done chan struct{}
	// warmed is the data version of the last complete pass, for tests.
	warmed atomic.Int64
}

// startWarming starts the warmer when pages are public (a login's pages
// are never cached, so there is nothing to warm) and stops it when the app
// shuts down.
func (s *Server) startWarming(app *fiber.App) {
	if !s.deps.Warm {
		return
	}
	if !s.deps.PublicPages {
		s.log.Info("page warming off: pages need a login, and a logged-in user's pages are built per request")
		return
	}
	w := &warmer{s: s, handler: app.Handler(), check: s.deps.WarmCheck, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	if w.check <= 0 {
		w.check = defaultWarmCheck
	}
	s.warm = w
	app.Hooks().OnShutdown(func() error {
		w.close()
		return nil
	})
	go w.run()
}

// notify tells the warmer that this instance wrote (nil-safe).
func (w *warmer) notify() {
	if w == nil {
		return
	}
	w.gen.Add(1)
	select {
	case w.kick <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// close stops the warmer and waits for it; a page being built finishes
// first.
func (w *warmer) close() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.done
}

func (w *warmer) run() {
	defer close(w.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-w.stop:
			cancel()
		case <-w.done:
		}
	}()
	tick := time.NewTicker(w.check)
	defer tick.Stop()
	var lastVersion, lastGen int64 = -1, -1
	seen := int64(-1) // the version the previous check saw
	kicked, failing := false, false
	for {
		version, err := w.s.deps.Data.Version(ctx)
		gen := w.gen.Load()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if !failing { // once per outage, not every check
				w.s.log.Warn("page warming: data version not read", "err", err)
			}
		case due(version, gen, lastVersion, lastGen, seen, kicked):
			if w.pass(ctx, version, gen) {
				lastVersion, lastGen = version, gen
			}
		}
		failing = err != nil
		seen = version
		select {
		case <-w.stop:
			return
		case <-w.kick:
			kicked = true
		case <-tick.C:
			kicked = false
		}
	}
}

// due says whether to warm now: the version (or the count of local
// writes) moved since the last complete pass, and it is settled. A
// collector run writes batch after batch, each a new version: warm once
// the version has held for a check, not for every batch. A local write is
// complete when it wakes the warmer (kicked); at start (lastVersion < 0)
// there is nothing to wait for.
func due(version, gen, lastVersion, lastGen, seen int64, kicked bool) bool {
	if version == lastVersion && gen == lastGen {
		return false
	}
	return kicked || version == seen || lastVersion < 0
}

// pass builds the overview and every member's profile for version. It
// stops early, reporting false, when the app shuts down or the data
// changes again (the next pass then starts from the newest version).
func (w *warmer) pass(ctx context.Context, version, gen int64) bool {
	start := w.s.now()
	paths := append([]string{"/"}, w.s.memberPaths()...)
	for _, p := range paths {
		if ctx.Err() != nil || w.gen.Load() != gen || w.s.cache.current() > version {
			return false
		}
		result := metrics.WarmBuilt
		if status := w.page(p); status != fiber.StatusOK {
			result = metrics.WarmFailed
			w.s.log.Warn("page warming: page not built", "path", p, "status", status)
		}
		w.s.deps.Metrics.RecordWarmPage(result)
	}
	took := w.s.now().Sub(start)
	w.warmed.Store(version)
	w.s.deps.Metrics.RecordWarmPass(version, took)
	w.s.log.Info("pages warmed", "version", version, "pages", len(paths), "duration", took)
	return true
}

// memberPaths are the members' profiles in their default view.
func (s *Server) memberPaths() []string {
	codes := s.deps.Env.MemberCodes()
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = "/kommun/" + c
	}
	return out
}

// warmAddr is the warming requests' client address.
var warmAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}

// page asks the app for path as an anonymous browser would (no cookie,
// brotli or gzip accepted) and returns the status.
func (w *warmer) page(path string) int {
	var req fasthttp.Request
	req.Header.SetMethod(fiber.MethodGet)
	req.SetRequestURI(path)
	req.Header.Set(fiber.HeaderAcceptEncoding, "gzip, deflate, br")
	var fctx fasthttp.RequestCtx
	fctx.Init(&req, warmAddr, nil)
	fctx.SetUserValue(warmLocal{}, true)
	w.handler(&fctx)
	return fctx.Response.StatusCode()
}

// isWarming reports whether the request is the warmer's.
func isWarming(c *fiber.Ctx) bool { return c.Locals(warmLocal{}) != nil }
