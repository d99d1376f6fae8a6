package config

import (
	"strings"
	"testing"
)

// FuzzCheckOrigin: whatever frame_ancestors holds, a value checkOrigin
// accepts is one https origin and nothing that could end or extend the
// Content-Security-Policy it is written into.
func FuzzCheckOrigin(f *testing.F) {
	for _, s := range []string{"https://www.olofstrom.se", "https://*.oxelosund.se:8443", "http://a.se", "https://a.se/",
		"https://a.se; script-src *", "https://a.se https://b.se", "https://*", "https://a.se:", "https://xn--finspng-exa.se"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkOrigin(s) != nil {
			return
		}
		host, ok := strings.CutPrefix(s, "https://")
		if !ok || host == "" {
			t.Fatalf("accepted %q without https://", s)
		}
		if strings.ContainsAny(host, " \t\r\n;,'\"/\\?#@") {
			t.Fatalf("accepted %q: it could change the policy", s)
		}
		if strings.Count(host, "*") > 1 || (strings.Contains(host, "*") && !strings.HasPrefix(host, "*.")) {
			t.Fatalf("accepted %q: a wildcard only as the first label", s)
		}
	})
}
