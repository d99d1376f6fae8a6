package server

import (
	"strings"
	"testing"
)

// TestSafeNextEdges holds safeNext at the edges that mutation testing
// (docs/testing.md) found unchecked: the length limit, the number of
// decodings, a space, characters a query may not carry literally, and a
// host in front of an innocent path.
func TestSafeNextEdges(t *testing.T) {
	long := "/" + strings.Repeat("a", maxNextLen-1)
	tests := []struct {
		name, in, want string
	}{
		{"exactly the length limit", long, long},
		{"one byte over it", long + "a", "/"},
		// Four rounds of percent-decoding are followed to the end; a
		// fifth is refused, in the path and in the query.
		{"path decoded four times", "/%25252541", "/%25252541"},
		{"path needing a fifth decoding", "/%2525252541", "/"},
		{"query decoded four times", "/?a=%25252541", "/?a=%25252541"},
		{"query needing a fifth decoding", "/?a=%2525252541", "/"},
		{"space in the path", "/a b", "/"},
		{"encoded space in the path", "/a%20b", "/"},
		{"tilde kept", "/?q=a~b", "/?q=a~b"},
		{"characters escaped in the query", "/jamfor?q=\"<>`{}|^ä", "/jamfor?q=%22%3C%3E%60%7B%7D%7C%5E%C3%A4"},
		{"host before a path", "//evil.example/import", "/"},
		{"user and host before a path", "//user@evil.example/import", "/"},
		{"host and port before a path", "//evil.example:8080/import", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("%s: safeNext(%.60q) = %.60q, want %.60q", tt.name, tt.in, got, tt.want)
		}
	}
}
