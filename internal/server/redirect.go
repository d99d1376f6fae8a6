package server

import (
	"net/url"
	"strings"
)

// maxNextLen bounds a post-login target; a longer one is not a link the
// dashboard made.
const maxNextLen = 2048

// safeNext returns the post-login redirect target when it is a path on
// this site, and "/" otherwise. It keeps only path and query, and refuses
// anything a browser or the Location header could read differently from
// how it looks: control characters (CR/LF would end the header line; a
// browser drops tabs and newlines inside a URL), backslashes (read as
// slashes), schemes, hosts, and a path that starts with "//" or "/\"
// once tabs are dropped, backslashes read as slashes and percent-encoding
// is decoded (repeatedly, so double encoding does not slip through).
// The result is ASCII with everything outside the URL grammar escaped.
func safeNext(next string) string {
	if next == "" || len(next) > maxNextLen || next[0] != '/' || hasUnsafeByte(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	// Every decoding of path or query must stay free of control
	// characters and backslashes, and the path must never turn into a
	// network-path reference.
	for p, steps := u.EscapedPath(), 0; ; steps++ {
		if hasUnsafeByte(p) || strings.HasPrefix(p, "//") || steps > 4 {
			return "/"
		}
		d, err := url.PathUnescape(p)
		if err != nil {
			return "/"
		}
		if d == p {
			break
		}
		p = d
	}
	if hasControl(u.RawQuery) {
		return "/"
	}
	for q, steps := u.RawQuery, 0; ; steps++ {
		if strings.ContainsFunc(q, func(r rune) bool { return r < ' ' || r == 0x7f }) || steps > 4 {
			return "/"
		}
		d, err := url.QueryUnescape(q)
		if err != nil {
			return "/"
		}
		if d == q {
			break
		}
		q = d
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + escapeQuery(u.RawQuery)
	}
	return out
}

// hasUnsafeByte reports a control character or a backslash.
func hasUnsafeByte(s string) bool {
	return hasControl(s) || strings.ContainsRune(s, '\\')
}

// hasControl reports an ASCII control character or a space (a browser
// strips or rewrites those; a header cannot carry CR or LF).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// escapeQuery percent-encodes the bytes of an already parsed raw query
// that a URL may not carry literally (non-ASCII, quotes, angle brackets),
// keeping the query's own encoding and separators as they are.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c > 0x7e || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' || c == '|' || c == '^' {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
