package server

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// assets are the files pages load: echarts and its Swedish locale, our
// script and style, and the municipal boundaries. All from the binary:
// a page must render with no internet.
//
//go:embed assets
var assetsFS embed.FS

type asset struct {
	body  []byte
	ctype string
	etag  string
	// Compressed forms, made once at start for text assets: the compress
	// middleware would redo it on every request (docs/benchmarks.md).
	br, gz []byte
}

// staticFiles holds every asset in memory with its ETag, computed once.
var staticFiles, assetVersion = loadAssets()

func loadAssets() (map[string]asset, string) {
	files := map[string]asset{}
	all := sha256.New()
	_ = fs.WalkDir(assetsFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetsFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		all.Write(sum[:])
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".geojson":
			ct = "application/geo+json"
		case ".md", ".txt":
			ct = "text/plain; charset=utf-8"
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		}
		a := asset{body: b, ctype: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		if len(b) >= 200 && !strings.HasPrefix(ct, "image/png") {
			a.br = fasthttp.AppendBrotliBytesLevel(nil, b, fasthttp.CompressBrotliDefaultCompression)
			a.gz = fasthttp.AppendGzipBytesLevel(nil, b, fasthttp.CompressBestCompression)
		}
		files[strings.TrimPrefix(p, "assets/")] = a
		return nil
	})
	return files, hex.EncodeToString(all.Sum(nil)[:6])
}

func (s *Server) staticRoutes(app *fiber.App) {
	app.Get("/static/*", serveStatic)
	// Browsers ask for /favicon.ico whatever the page says.
	app.Get("/favicon.ico", func(c *fiber.Ctx) error {
		return c.Redirect("/static/favicon.svg?v="+assetVersion, fiber.StatusMovedPermanently)
	})
}

// serveStatic serves an embedded asset. URLs carry ?v=<hash of all
// assets>, so a versioned request may be cached for a year.
func serveStatic(c *fiber.Ctx) error {
	name := path.Clean("/" + c.Params("*"))[1:]
	a, ok := staticFiles[name]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderETag, a.etag)
	if c.Query("v") != "" {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	}
	if match := c.Get(fiber.HeaderIfNoneMatch); match == a.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, a.ctype)
	if a.br == nil {
		return c.Send(a.body)
	}
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	h := &c.Request().Header
	switch {
	case h.HasAcceptEncoding("br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(a.br)
	case h.HasAcceptEncoding("gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(a.gz)
	}
	return c.Send(a.body)
}
