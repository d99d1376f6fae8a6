package server

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// TestConcurrentMissesBuildOnce: the first requests after a data change
// arrive together; they share one build of the page and all get it.
func TestConcurrentMissesBuildOnce(t *testing.T) {
	s := &Server{cache: newPageCache(8)}
	app := fiber.New()
	var builds atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	build := func() (response, error) {
		if builds.Add(1) == 1 {
			close(started)
		}
		<-release
		return response{body: []byte("<p>sidan</p>"), ctype: fiber.MIMETextHTMLCharsetUTF8}, nil
	}
	const n = 8
	got := make([]*cached, n)
	var ready, done sync.WaitGroup
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			c := app.AcquireCtx(&fasthttp.RequestCtx{})
			defer app.ReleaseCtx(c)
			ready.Done()
			e, err := s.cachedOrBuilt(c, "7 GET /", 7, build)
			if err != nil {
				t.Error(err)
			}
			got[i] = e
		}()
	}
	ready.Wait()
	<-started
	close(release)
	done.Wait()
	if b := builds.Load(); b != 1 {
		t.Errorf("%d builds for %d requests at once, want 1", b, n)
	}
	for i, e := range got {
		if e == nil || e != got[0] {
			t.Fatalf("request %d got %p, request 0 %p", i, e, got[0])
		}
	}
	if e, ok := s.cache.get("7 GET /"); !ok || e != got[0] {
		t.Error("the page built is not cached")
	}
}

// TestPutForAnOlderVersionIsDropped: a page built for a version the cache
// has moved past (the data changed during the build) is not kept.
func TestPutForAnOlderVersionIsDropped(t *testing.T) {
	pc := newPageCache(8)
	pc.advance(5)
	pc.put(&cached{key: "4 GET /", version: 4})
	pc.put(&cached{key: "5 GET /", version: 5})
	if _, ok := pc.get("4 GET /"); ok {
		t.Error("kept a page of version 4 after version 5")
	}
	if _, ok := pc.get("5 GET /"); !ok {
		t.Error("dropped the page of the current version")
	}
}
