package server

import (
	"io"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestClientIP: X-Forwarded-For counts only from a trusted proxy, read
// from the right; a client's own entries further left are never believed.
// (fiber's test connection comes from 0.0.0.0.)
func TestClientIP(t *testing.T) {
	tests := []struct {
		name    string
		trusted []string
		xff     []string
		want    string
	}{
		{"no proxies: header ignored", nil, []string{"203.0.113.9"}, "0.0.0.0"},
		{"untrusted peer: header ignored", []string{"10.0.0.0/8"}, []string{"203.0.113.9"}, "0.0.0.0"},
		{"trusted peer: client from the header", []string{"0.0.0.0/32"}, []string{"203.0.113.9"}, "203.0.113.9"},
		{"spoofed left entry ignored", []string{"0.0.0.0/32"}, []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"chain of trusted proxies", []string{"0.0.0.0/32", "10.0.0.0/8"}, []string{"1.2.3.4, 198.51.100.7, 10.1.2.3"}, "198.51.100.7"},
		{"two headers", []string{"0.0.0.0/32"}, []string{"1.2.3.4", "198.51.100.8"}, "198.51.100.8"},
		{"garbage: nearest trusted hop", []string{"0.0.0.0/32"}, []string{"nonsense"}, "0.0.0.0"},
		{"trusted peer without header", []string{"0.0.0.0/32"}, nil, "0.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prefixes []netip.Prefix
			for _, p := range tt.trusted {
				prefixes = append(prefixes, netip.MustParsePrefix(p))
			}
			s := &Server{deps: Deps{TrustedProxies: prefixes}}
			app := fiber.New()
			app.Get("/", func(c *fiber.Ctx) error { return c.SendString(s.clientIP(c)) })
			req := httptest.NewRequest("GET", "/", nil)
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			resp, err := app.Test(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			if string(b) != tt.want {
				t.Errorf("client %q, want %q", b, tt.want)
			}
		})
	}
}
