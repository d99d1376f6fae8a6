package server

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// TestSafeNext covers the attacks from the hardening probes (header
// injection through CR/LF, open redirects through tabs, backslashes and
// percent-encoding) and the same-site paths that must survive unchanged.
func TestSafeNext(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "/"},
		{"/", "/"},
		{"/import", "/import"},
		{"/jamfor?indikator=population&ar=2024", "/jamfor?indikator=population&ar=2024"},
		{"/kommun/0481?x=a%20b", "/kommun/0481?x=a%20b"},
		{"/trend?kommun=0481,1060", "/trend?kommun=0481,1060"},
		{"/jämför", "/j%C3%A4mf%C3%B6r"},
		{"/import#preview", "/import"},
		// Header injection: CR, LF, bare LF, encoded or not.
		{"/\r\nSet-Cookie: a=b", "/"},
		{"/\nSet-Cookie: a=b", "/"},
		{"/%0D%0ASet-Cookie:%20a=b", "/"},
		{"/%0aSet-Cookie", "/"},
		{"/?q=\r\nX: y", "/"},
		{"/?q=%0d%0aX:%20y", "/"},
		{"/\x00", "/"},
		{"/\x7f", "/"},
		// Open redirects.
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/%2f%2fevil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%5cevil.example", "/"},
		{"/%252F/evil.example", "/"},
		{"/%25252F/evil.example", "/"},
		{"https://evil.example", "/"},
		{"https://x", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{" /import", "/"},
		{"evil.example", "/"},
		{"import", "/"},
		{"//user@evil.example/", "/"},
		{"/%", "/"},
		{strings.Repeat("/a", 2000), "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%.80q) = %.80q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSafeNext checks the promise for any input: the result is a path on
// this site that a browser cannot read as another host, with nothing that
// could end a header line.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/import", "//evil.example", "/\\evil", "https://x", "/%09/evil.example",
		"/%0D%0ASet-Cookie:a=b", "/\t/x", "/a?b=c#d", "/%2F%2Fx", "/%5C%5Cx", "/jämför?ar=2024"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://dashboard.example/kommun/0481")
	f.Fuzz(func(t *testing.T, in string) {
		out := safeNext(in)
		if !strings.HasPrefix(out, "/") {
			t.Fatalf("safeNext(%q) = %q: not a path", in, out)
		}
		for _, r := range out {
			if r <= ' ' || r == 0x7f || r == '\\' || r > unicode.MaxASCII {
				t.Fatalf("safeNext(%q) = %q: contains %q", in, out, r)
			}
		}
		if strings.HasPrefix(out, "//") {
			t.Fatalf("safeNext(%q) = %q: network-path reference", in, out)
		}
		// How a browser would read it: the same host, and decoding the
		// path once more must not make it another host either.
		u, err := url.Parse(out)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q: %v", in, out, err)
		}
		if r := base.ResolveReference(u); r.Host != base.Host || r.Scheme != base.Scheme {
			t.Fatalf("safeNext(%q) = %q leaves the site: %s", in, out, r)
		}
		if p, err := url.PathUnescape(u.EscapedPath()); err == nil && (strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\")) {
			t.Fatalf("safeNext(%q) = %q decodes to %q", in, out, p)
		}
		// Idempotent: a second check keeps what the first let through.
		if again := safeNext(out); again != out {
			t.Fatalf("safeNext(safeNext(%q)) = %q, want %q", in, again, out)
		}
	})
}
