package server

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// pageCache keeps rendered anonymous pages and API answers, keyed by the
// data version, the path and the whole query string (Fiber's own cache
// middleware keys on the path only, which would serve one year's page
// for another). A new data version makes every old entry unreachable;
// the LRU bound then drops them.
type pageCache struct {
	mu      sync.Mutex
	max     int
	ll      *list.List
	items   map[string]*list.Element
	version int64 // the newest data version seen
}

type cached struct {
	key     string
	version int64 // the data version the key is for
	body    []byte
	ctype   string
	etag    string
	disp    string // Content-Disposition for downloads

	// The body compressed once, on first demand: the compress middleware
	// would otherwise spend most of a cache hit's CPU compressing the same
	// page again (docs/benchmarks.md). Same levels as the middleware.
	brOnce, gzOnce sync.Once
	br, gz         []byte
}

// compressible says whether the body is worth compressing: text or JSON
// of at least 200 bytes, the middleware's own threshold.
func (e *cached) compressible() bool {
	return len(e.body) >= 200 && (strings.HasPrefix(e.ctype, "text/") || strings.HasPrefix(e.ctype, fiber.MIMEApplicationJSON))
}

// encoded returns the body as the client accepts it (brotli, else gzip)
// and the Content-Encoding, or the plain body and "". fasthttp leaves a
// response that has a Content-Encoding alone.
func (e *cached) encoded(c *fiber.Ctx) ([]byte, string) {
	if !e.compressible() {
		return e.body, ""
	}
	h := &c.Request().Header
	switch {
	case h.HasAcceptEncoding("br"):
		e.brOnce.Do(func() { e.br = fasthttp.AppendBrotliBytesLevel(nil, e.body, fasthttp.CompressBrotliBestSpeed) })
		return e.br, "br"
	case h.HasAcceptEncoding("gzip"):
		e.gzOnce.Do(func() { e.gz = fasthttp.AppendGzipBytesLevel(nil, e.body, fasthttp.CompressBestSpeed) })
		return e.gz, "gzip"
	}
	return e.body, ""
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

func cacheKey(version int64, c *fiber.Ctx) string {
	// OriginalURL is path plus raw query; copy it, Fiber reuses the buffer.
	return strconv.FormatInt(version, 10) + " " + c.Method() + " " + string([]byte(c.OriginalURL()))
}

func (pc *pageCache) get(key string) (*cached, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e, ok := pc.items[key]; ok {
		pc.ll.MoveToFront(e)
		return e.Value.(*cached), true
	}
	return nil, false
}

func (pc *pageCache) put(e *cached) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e.version < pc.version {
		return // built for a version the cache has moved past: never hit
	}
	if old, ok := pc.items[e.key]; ok {
		old.Value = e
		pc.ll.MoveToFront(old)
		return
	}
	pc.items[e.key] = pc.ll.PushFront(e)
	for pc.ll.Len() > pc.max {
		last := pc.ll.Back()
		pc.ll.Remove(last)
		delete(pc.items, last.Value.(*cached).key)
	}
}

// advance empties the cache when the data version moves on: entries keyed
// by an older version can never be hit again. So a writer that only tells
// report.Data (the scheduler, another instance) frees the memory too. It
// reports whether the version moved, to exactly one caller.
func (pc *pageCache) advance(version int64) bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if version > pc.version {
		pc.version = version
		pc.clear()
		return true
	}
	return false
}

// current is the newest data version the cache has seen.
func (pc *pageCache) current() int64 {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.version
}

// purge empties the cache (after a local write).
func (pc *pageCache) purge() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.clear()
}

// clear empties the cache; the caller holds mu.
func (pc *pageCache) clear() {
	pc.ll.Init()
	pc.items = map[string]*list.Element{}
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// response is what a page, API answer or download builds for the cache.
type response struct {
	body        []byte
	ctype       string
	disposition string // Content-Disposition, for downloads
}

// serveCached answers from the cache, or builds with build, stores and
// answers. Logged-in users get fresh pages (their header differs) but the
// same ETag logic. The ETag lets browsers and proxies revalidate cheaply.
func (s *Server) serveCached(c *fiber.Ctx, build func() (response, error)) error {
	version, err := s.dataVersion(c)
	if err != nil {
		return err
	}
	anonymous := s.anonymous(c)
	key := cacheKey(version, c) + " " + s.startupNotice()
	var e *cached
	if anonymous {
		e, err = s.cachedOrBuilt(c, key, version, build)
		if err != nil {
			return err
		}
	} else {
		r, err := build()
		if err != nil {
			return err
		}
		e = &cached{key: key, version: version, body: r.body, ctype: r.ctype, etag: etagOf(r.body), disp: r.disposition}
	}
	if anonymous {
		c.Set(fiber.HeaderCacheControl, "public, max-age=0, must-revalidate")
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	}
	c.Set(fiber.HeaderETag, e.etag)
	c.Set(fiber.HeaderVary, "Cookie")
	if e.disp != "" {
		c.Set(fiber.HeaderContentDisposition, e.disp)
	}
	if c.Get(fiber.HeaderIfNoneMatch) == e.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, e.ctype)
	body, enc := e.encoded(c)
	if enc != "" {
		c.Set(fiber.HeaderContentEncoding, enc)
	}
	if e.compressible() {
		c.Set(fiber.HeaderVary, "Cookie, Accept-Encoding")
	}
	return c.Send(body)
}

// dataVersion is the current data version; the first request to see a
// new one empties the page cache and the comparison views (their keys
// hold the version, so this only frees the memory sooner) and reloads
// what hangs on it.
func (s *Server) dataVersion(c *fiber.Ctx) (int64, error) {
	version, err := s.deps.Data.Version(c.UserContext())
	if err != nil {
		return 0, err
	}
	if s.cache.advance(version) {
		s.compares.clear()
		s.newVersion(c.UserContext())
	}
	return version, nil
}

// cachedOrBuilt is the anonymous page for key from the cache, or built,
// stored and returned. Requests that miss the same key at once (the first
// ones after a data change, or one meeting the warmer) share one build.
func (s *Server) cachedOrBuilt(c *fiber.Ctx, key string, version int64, build func() (response, error)) (*cached, error) {
	warming := isWarming(c)
	if e, ok := s.cache.get(key); ok {
		if !warming {
			s.deps.Metrics.CacheHit()
		}
		return e, nil
	}
	if !warming {
		s.deps.Metrics.CacheMiss()
	}
	v, err, _ := s.flight.Do(key, func() (any, error) {
		if e, ok := s.cache.get(key); ok {
			return e, nil // built while this request looked
		}
		r, err := build()
		if err != nil {
			return nil, err
		}
		e := &cached{key: key, version: version, body: r.body, ctype: r.ctype, etag: etagOf(r.body), disp: r.disposition}
		s.cache.put(e)
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*cached), nil
}

// Invalidate drops cached pages and tables after this instance wrote, so
// the next request sees the write at once rather than after the data poll,
// and wakes the warmer to build the overview and profiles again.
func (s *Server) Invalidate() {
	s.deps.Data.Invalidate()
	s.cache.purge()
	s.compares.clear()
	s.warm.notify()
}
