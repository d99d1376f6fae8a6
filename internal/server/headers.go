package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Security headers, stated once here and set on every response (pages,
// API, assets, errors, redirects, /metrics), so a browser never runs
// script that did not come from this server as a file, never sniffs a
// download into HTML, and never leaks a full URL to another site.
//
// The policy, header by header:
//   - Content-Security-Policy: script only from this origin as files
//     (no inline script, no eval: chart options travel as JSON in
//     <script type="application/json">, which the browser does not run);
//     styles from this origin plus inline style attributes (chart
//     heights); images from this origin and data:/blob: (chart PNG
//     downloads); no plugins; forms post only here; <base> cannot move.
//   - frame-ancestors 'none' by default. An operator who wants the
//     municipalities' own sites to embed the charts lists their origins
//     in config key frame_ancestors; this server's own origin is then
//     allowed as well.
//   - X-Frame-Options: DENY for browsers without frame-ancestors; left
//     out when embedding is allowed (it cannot name several origins).
//   - X-Content-Type-Options: nosniff.
//   - Referrer-Policy: same-origin (links out carry no URL).
//   - Strict-Transport-Security when secure_cookies is on: that setting
//     says the site is served over TLS, so the browser is told to stay on
//     https for two years. Off by default so a plain-http test install
//     does not lock browsers out.
type securityPolicy struct {
	csp            string
	frameOptions   string // empty: not sent
	hsts           string // empty: not sent
	referrer       string
	permissions    string
	openerPolicy   string
	contentOptions string
}

// hstsValue is two years, the value the HSTS preload list asks for.
// includeSubDomains is not set: a municipality's other hosts are not ours
// to pin to https.
const hstsValue = "max-age=63072000"

func newSecurityPolicy(frameAncestors []string, secure bool) securityPolicy {
	ancestors := "'none'"
	frameOptions := "DENY"
	if len(frameAncestors) > 0 {
		ancestors = "'self' " + strings.Join(frameAncestors, " ")
		frameOptions = ""
	}
	p := securityPolicy{
		csp: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
			"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors " + ancestors,
		frameOptions:   frameOptions,
		referrer:       "same-origin",
		permissions:    "camera=(), microphone=(), geolocation=()",
		openerPolicy:   "same-origin",
		contentOptions: "nosniff",
	}
	if secure {
		p.hsts = hstsValue
	}
	return p
}

// apply writes the headers; the error handler calls it too, so answers
// Fiber produces before any middleware ran (413, 405) carry them.
func (p securityPolicy) apply(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", p.csp)
	h.Set("X-Content-Type-Options", p.contentOptions)
	h.Set("Referrer-Policy", p.referrer)
	h.Set("Permissions-Policy", p.permissions)
	h.Set("Cross-Origin-Opener-Policy", p.openerPolicy)
	if p.frameOptions != "" {
		h.Set("X-Frame-Options", p.frameOptions)
	}
	if p.hsts != "" {
		h.Set("Strict-Transport-Security", p.hsts)
	}
}

// securityHeaders is the middleware form of apply.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	s.security.apply(c)
	return c.Next()
}
