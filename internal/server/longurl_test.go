package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// TestLongURLSaysTheAddressIsTooLong: a request line over the header
// buffer gets 431 and a page saying the address is too long, not a
// generic "Begäran kunde inte utföras".
func TestLongURLSaysTheAddressIsTooLong(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{NoBundled: true})
	c := anonymous(t, inst)
	st, body := c.get("/trend?kommun=" + strings.Repeat("0481,", 4000))
	if st != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d, want 431", st)
	}
	if !strings.Contains(body, "Adressen är för lång") {
		t.Errorf("page does not say the address is too long: %q", errorText(body))
	}
	resp := c.do(http.MethodGet, "/api/v1/observations?indicator="+strings.Repeat("x", 9000), "", nil, nil)
	if body := readBody(t, resp); resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || !strings.Contains(body, "Adressen är för lång") {
		t.Errorf("API: %d %s", resp.StatusCode, body)
	}
}
