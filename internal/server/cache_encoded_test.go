package server

import (
	"bytes"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// TestEncodedCompressesOncePerEntry checks that a cache entry compresses
// its body once per encoding and then hands out the same bytes, and that
// small or binary bodies are left to the middleware's rules.
func TestEncodedCompressesOncePerEntry(t *testing.T) {
	app := fiber.New()
	page := bytes.Repeat([]byte("<tr><td>Olofström</td><td>–</td></tr>\n"), 50)
	tests := []struct {
		name, accept, ctype string
		body                []byte
		want                string
	}{
		{"html, brotli", "gzip, deflate, br", fiber.MIMETextHTMLCharsetUTF8, page, "br"},
		{"json, gzip", "gzip", fiber.MIMEApplicationJSONCharsetUTF8, page, "gzip"},
		{"no accept-encoding", "", fiber.MIMETextHTMLCharsetUTF8, page, ""},
		{"small body", "br", fiber.MIMETextHTMLCharsetUTF8, []byte("<p>kort</p>"), ""},
		{"xlsx", "br", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", page, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &cached{body: tc.body, ctype: tc.ctype}
			var first []byte
			for i := range 2 {
				c := app.AcquireCtx(&fasthttp.RequestCtx{})
				if tc.accept != "" {
					c.Request().Header.Set(fiber.HeaderAcceptEncoding, tc.accept)
				}
				b, enc := e.encoded(c)
				app.ReleaseCtx(c)
				if enc != tc.want {
					t.Fatalf("encoding %q, want %q", enc, tc.want)
				}
				if enc == "" && !bytes.Equal(b, tc.body) {
					t.Fatal("plain body changed")
				}
				if i == 0 {
					first = b
				} else if &b[0] != &first[0] {
					t.Error("second call compressed again")
				}
			}
		})
	}
}
